import type { TurnContext } from 'botbuilder';
import type { ActingAs } from '../../../domain/delegation';
import { delegatedCredentialOf } from '../../credential';
import type { InvokeReply } from '../../turn';
import type { VerbHandler } from '../../routes';
import type { CARD_VERBS } from '../../verbs';
import type { BindPolicyResult } from '../../../requests/types';
import { bindCard } from './bindCard';
import { noGroupMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import { replyWithCard } from '../../turn';
import { policyCommandInput } from '../../commandArgs';
import { formatTime, plain, verbatim } from '../../cards/elements';
import type { PolicyGroupRecord } from '../../../domain/policyGroup';

export const BIND_COMMAND = /^\s*bind\b/i;

/**
 * `bind <policy>`: after the policy exists in Intune, point it at the policy's device group (approvers only;
 * the requests service decides). Intune's answer is shown as a card; every refusal as a message.
 */
export async function handleBind(context: TurnContext, bot: BotContext): Promise<void> {
  const input = await policyCommandInput(context, BIND_COMMAND, 'bind <policy name>');
  if (!input) return;
  const result = await bot.requests.bindPolicy(input.policyName, input.actor, actingAs(context));
  if (result.kind === 'attempted') await replyWithCard(context, bindCard(result));
  else await context.sendActivity(bindRefusalOf(result));
}

/** The Bind button: as `bind <policy>`, with the approver's own sign-in (the route asked for it first). */
export const bindFromCard: VerbHandler<typeof CARD_VERBS.bindPolicy> = async (context, bot, { data, actor }): Promise<InvokeReply> => {
  const result = await bot.requests.bindPolicy({ policyKey: data.policyKey }, actor, actingAs(context));
  return result.kind === 'attempted' ? { card: bindCard(result) } : { message: bindRefusalOf(result) };
};

/** Intune already uses the group: who bound it and when, when the bot did. */
export function alreadyBoundMessage(group: PolicyGroupRecord): string {
  const by = group.binding ? ` (bound by ${plain(group.binding.by.name)} at ${formatTime(group.binding.at)})` : '';
  return `The Intune policy ${verbatim(group.policyName)} already uses its device group ${verbatim(group.displayName)}${by}. Nothing was changed.`;
}

/** The approver's delegated credential when they signed in; else the bot's own (app-only) call. */
export function actingAs(context: TurnContext): ActingAs {
  const credential = delegatedCredentialOf(context);
  return credential ? { as: credential } : {};
}

/** Every answer but Intune's: a refusal, or why nothing was sent (bound already, or being bound by someone else). */
export function bindRefusalOf(result: Exclude<BindPolicyResult, { kind: 'attempted' }>): string {
  switch (result.kind) {
    case 'alreadyBound':
      return alreadyBoundMessage(result.group);
    case 'bindInProgress':
      return `${plain(result.by.name)} began binding the group of ${verbatim(result.group.policyName)} at ${formatTime(result.since)}; nothing more was sent to Intune. Type \`check ${plain(result.group.policyName)}\` in a minute to see it in place.`;
    case 'invalid':
      return result.message;
    case 'forbidden':
      return result.reason;
    case 'noGroup':
      return noGroupMessage(result, 'bind it');
  }
}
