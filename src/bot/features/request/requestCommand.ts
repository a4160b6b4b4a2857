import type { TurnContext } from 'botbuilder';
import type { Scenario } from '../../../domain/scenario';
import { requestFormCard } from './formCard';
import { formWithPreview } from './form';
import type { BotContext } from '../../routes';
import { replyWithCard } from '../../turn';
import { argumentsAfter } from '../../commandArgs';

export const REQUEST_COMMAND = /^\s*(request|new)\b/i;

const SCENARIO_SUFFIX = /(?:^|\s)(user[- ]?driven|automatic|windows 365|w365)$/i;

/** `request Contoso Sales user-driven` → policy name and scenario to prefill (both optional). */
export function parseRequestPrefill(text: string): { policyName?: string; scenario?: Scenario } {
  let rest = text.trim();
  let scenario: Scenario | undefined;
  const suffix = SCENARIO_SUFFIX.exec(rest);
  if (suffix) {
    scenario = /^\s*user/i.test(suffix[1]) ? 'userDriven' : 'automatic';
    rest = rest.slice(0, suffix.index).trim();
  }
  return { ...(rest !== '' ? { policyName: rest } : {}), ...(scenario ? { scenario } : {}) };
}

export async function handleRequestCommand(context: TurnContext, bot: BotContext): Promise<void> {
  const prefill = parseRequestPrefill(argumentsAfter(context.activity.text, REQUEST_COMMAND));
  await replyWithCard(context, requestFormCard(formWithPreview(bot, prefill)));
}
