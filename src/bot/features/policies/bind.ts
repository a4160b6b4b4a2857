import type { TurnContext } from 'botbuilder';
import type { BindPolicyResult } from '../../../requests/types';
import { bindCard } from './bindCard';
import { noGroupMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import { replyWithCard } from '../../turn';
import { policyCommandInput } from '../../commandArgs';

export const BIND_COMMAND = /^\s*bind\b/i;

/**
 * `bind <policy>`: after the policy exists in Intune, point it at the policy's device group (approvers only;
 * the requests service decides). Intune's answer is shown as a card; every refusal as a message.
 */
export async function handleBind(context: TurnContext, bot: BotContext): Promise<void> {
  const input = await policyCommandInput(context, BIND_COMMAND, 'bind <policy name>');
  if (!input) return;
  const result = await bot.requests.bindPolicy(input.policyName, input.actor);
  if (result.kind === 'attempted') await replyWithCard(context, bindCard(result));
  else await context.sendActivity(refusalOf(result));
}

function refusalOf(result: Exclude<BindPolicyResult, { kind: 'attempted' }>): string {
  switch (result.kind) {
    case 'invalid':
      return result.message;
    case 'forbidden':
      return result.reason;
    case 'noGroup':
      return noGroupMessage(result, 'bind it');
  }
}
