import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../../domain/actor';
import type { RestorePolicyResult } from '../../../requests/types';
import { policyCommandInput } from '../../commandArgs';
import { noGroupMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import { type InvokeReply, replyWithCard } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
import { restoreCard } from './restoreCard';
import { policiesAfter } from './listPolicies';
import { plain } from '../../cards/elements';

export const RESTORE_COMMAND = /^\s*restore\b/i;

/** `restore <policy>`: bring the policy's deleted group back from the recycle bin (approvers; the service decides). */
export async function handleRestore(context: TurnContext, bot: BotContext): Promise<void> {
  const input = await policyCommandInput(context, RESTORE_COMMAND, 'restore <policy name>');
  if (!input) return;
  const reply = await runRestore(bot, input.policyName, input.actor);
  if ('card' in reply) await replyWithCard(context, reply.card);
  else await context.sendActivity(reply.message);
}

/** "Restore" on a check, request or status card; on a row of the policies list or the digest, the list comes back, current. */
export async function restoreGroup(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.restoreGroup>): Promise<InvokeReply> {
  const result = await bot.requests.restoreGroup({ policyKey: data.policyKey }, actor);
  if (data.returnTo !== 'policies' || result.kind !== 'restored') return restoreReply(result);
  // The policy's name as the bot recorded it, never one from the card.
  return policiesAfter(bot, actor, `Restored: the group of "${plain(result.group.policyName)}" is back from the recycle bin, with the same object id.`);
}

async function runRestore(bot: BotContext, policyName: string, actor: Actor): Promise<InvokeReply> {
  return restoreReply(await bot.requests.restoreGroup(policyName, actor));
}

function restoreReply(result: RestorePolicyResult): InvokeReply {
  switch (result.kind) {
    case 'restored':
      return { card: restoreCard(result) };
    case 'notRestored':
    case 'invalid':
      return { message: result.message };
    case 'forbidden':
      return { message: result.reason };
    case 'noGroup':
      return { message: noGroupMessage(result, 'restore it') };
  }
}
