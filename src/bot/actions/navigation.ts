import type { TurnContext } from 'botbuilder';
import { helpCard } from '../cards/help';
import { runCheck } from '../commands/check';
import { COMMANDS } from '../commands/help';
import { groupsPageCard, mineCard } from '../commands/lists';
import type { BotServices } from '../services';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf } from '../turn';
import { offsetFrom, policyNameFrom } from './cardData';

/** "My requests" on the welcome card. */
export async function showMine(context: TurnContext, services: BotServices): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  return { card: await mineCard(services, actor.aadObjectId) };
}

/** "Help" on the welcome card. */
export async function showHelp(): Promise<InvokeReply> {
  return { card: helpCard({ commands: COMMANDS }) };
}

/** "Previous" / "Next" on the groups card. */
export async function groupsPage(_context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  return { card: await groupsPageCard(services, offsetFrom(data)) };
}

/** "Add the missing owner" on the drift card: the requests service decides who may repair. */
export async function repairOwner(context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  const policyName = policyNameFrom(data);
  if (!policyName) return { message: 'This card does not name a policy.' };
  return runCheck(services, policyName, actor, true);
}
