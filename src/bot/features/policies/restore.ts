import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../../domain/actor';
import { policyNameFrom } from '../../cardData';
import { policyCommandInput } from '../../commandArgs';
import { noGroupMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf, replyWithCard } from '../../turn';
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
export async function restoreGroup(context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  const policyName = policyNameFrom(data);
  if (!policyName) return { message: 'This card does not name a policy.' };
  return runRestore(bot, policyName, actor);
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
