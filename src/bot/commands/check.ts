import type { TurnContext } from 'botbuilder';
import { driftCard } from '../cards/drift';
import type { BotServices } from '../services';
import { NO_IDENTITY_MESSAGE, actorOf, replyWithCard } from '../turn';
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
  const report = await services.requests.checkPolicy(policyName, actor);
  await replyWithCard(context, driftCard({ policyName, report }));
}
