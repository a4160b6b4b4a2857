import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../domain/actor';
import { InvalidRequestInputError } from '../../requests/service';
import { driftCard } from '../cards/drift';
import type { BotServices } from '../services';
import { type InvokeReply, replyWithCard } from '../turn';
import { policyCommandInput } from './args';

export const CHECK_COMMAND = /^\s*check\b/i;

/** `check <policy>`: the drift check of the policy's group, as a card. */
export async function handleCheck(context: TurnContext, services: BotServices): Promise<void> {
  const input = await policyCommandInput(context, CHECK_COMMAND, 'check <policy name>');
  if (!input) return;
  const outcome = await runCheck(services, input.policyName, input.actor, false);
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
