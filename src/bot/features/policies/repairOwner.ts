import type { TurnContext } from 'botbuilder';
import { runCheck } from './check';
import type { BotContext } from '../../routes';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf } from '../../turn';
import { policyNameFrom } from '../../cardData';

/** "Add the missing owner" on the drift card: the requests service lets only approvers repair. */
export async function repairOwner(context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  const policyName = policyNameFrom(data);
  if (!policyName) return { message: 'This card does not name a policy.' };
  return runCheck(bot, policyName, actor, true);
}
