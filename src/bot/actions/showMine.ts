import type { TurnContext } from 'botbuilder';
import { mineCard } from '../commands/lists';
import type { BotServices } from '../services';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf } from '../turn';

/** "My requests" on the welcome card. */
export async function showMine(context: TurnContext, services: BotServices): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  return { card: await mineCard(services, actor.aadObjectId) };
}
