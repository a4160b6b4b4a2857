import type { TurnContext } from 'botbuilder';
import { looksLikeRequestId, normaliseRequestId } from '../../../domain/request';
import { refusalMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import { NO_IDENTITY_MESSAGE, actorOf } from '../../turn';
import { argumentsAfter } from '../../commandArgs';
import { plain } from '../../cards/elements';

export const CANCEL_COMMAND = /^\s*cancel\b/i;

/**
 * `cancel REQ-n` or `cancel <policy>` (that policy's newest request): the requester, while the request is
 * pending (the requests service enforces both).
 */
export async function handleCancel(context: TurnContext, bot: BotContext): Promise<void> {
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity(NO_IDENTITY_MESSAGE);
    return;
  }
  const argument = argumentsAfter(context.activity.text, CANCEL_COMMAND);
  if (argument === '') {
    await context.sendActivity('Which request? Type `cancel REQ-n` or `cancel <policy name>`.');
    return;
  }
  if (looksLikeRequestId(argument) && normaliseRequestId(argument) === undefined) {
    await context.sendActivity(`"${plain(argument)}" is not a request id. Which request? Type \`cancel REQ-n\` or \`cancel <policy name>\`.`);
    return;
  }
  const requestId = normaliseRequestId(argument) ?? (await latestRequestOf(bot, argument));
  if (!requestId) {
    await context.sendActivity(`There is no request for the policy "${plain(argument)}". Type \`mine\` to see your requests.`);
    return;
  }
  const result = await bot.requests.cancel(requestId, actor);
  await context.sendActivity(result.kind === 'decided' ? `${requestId} is cancelled.` : refusalMessage(result));
}

async function latestRequestOf(bot: BotContext, policyName: string): Promise<string | undefined> {
  const status = await bot.requests.statusOfPolicy(policyName);
  return status.kind === 'found' ? status.request?.id : undefined;
}
