import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../domain/actor';
import { InvalidRequestInputError } from '../../requests/service';
import { driftCard } from '../cards/drift';
import type { BotServices } from '../services';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf, replyWithCard } from '../turn';
import { argumentsAfter } from './args';

export const CHECK_COMMAND = /^\s*check\b/i;

/** `check <policy>`: the drift check of the policy's group, as a card. */
export async function handleCheck(context: TurnContext, services: BotServices): Promise<void> {
  const policyName = argumentsAfter(context.activity.text, CHECK_COMMAND);
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity(NO_IDENTITY_MESSAGE);
    return;
  }
  if (policyName === '') {
    await context.sendActivity('Which policy? Type `check <policy name>`.');
    return;
  }
  const outcome = await runCheck(services, policyName, actor, false);
  if ('message' in outcome) await context.sendActivity(outcome.message);
  else await replyWithCard(context, outcome.card);
}

/** The drift card, or why the policy name cannot be checked. Only approvers' repairs change anything. */
export async function runCheck(services: BotServices, policyName: string, actor: Actor, repairOwner: boolean): Promise<InvokeReply> {
  try {
    const report = await services.requests.checkPolicy(policyName, actor, { repairOwner });
    return { card: driftCard({ policyName, report }) };
  } catch (error) {
    if (error instanceof InvalidRequestInputError) return { message: error.message };
    throw error;
  }
}
