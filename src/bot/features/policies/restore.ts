import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../../domain/actor';
import { policyCommandInput } from '../../commandArgs';
import { noGroupMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import { type InvokeReply, replyWithCard } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
import { restoreCard } from './restoreCard';

export const RESTORE_COMMAND = /^\s*restore\b/i;

/** `restore <policy>`: bring the policy's deleted group back from the recycle bin (approvers; the service decides). */
export async function handleRestore(context: TurnContext, bot: BotContext): Promise<void> {
  const input = await policyCommandInput(context, RESTORE_COMMAND, 'restore <policy name>');
  if (!input) return;
  const reply = await runRestore(bot, input.policyName, input.actor);
  if ('card' in reply) await replyWithCard(context, reply.card);
  else await context.sendActivity(reply.message);
}

/** "Restore the group" on a check, request or status card. */
export async function restoreGroup(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.restoreGroup>): Promise<InvokeReply> {
  return runRestore(bot, data.policyName, actor);
}

async function runRestore(bot: BotContext, policyName: string, actor: Actor): Promise<InvokeReply> {
  const result = await bot.requests.restoreGroup(policyName, actor);
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
