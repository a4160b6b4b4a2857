import type { TurnContext } from 'botbuilder';
import { normaliseRequestId } from '../../../domain/request';
import { refusalMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import { NO_IDENTITY_MESSAGE, actorOf } from '../../turn';
import { argumentsAfter } from '../../commandArgs';

export const CANCEL_COMMAND = /^\s*cancel\b/i;

/** `cancel REQ-n`: the requester, while the request is pending (the requests service enforces both). */
export async function handleCancel(context: TurnContext, bot: BotContext): Promise<void> {
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity(NO_IDENTITY_MESSAGE);
    return;
  }
  const requestId = normaliseRequestId(argumentsAfter(context.activity.text, CANCEL_COMMAND));
  if (!requestId) {
    await context.sendActivity('Which request? Type `cancel REQ-n`.');
    return;
  }
  const result = await bot.requests.cancel(requestId, actor);
  await context.sendActivity(result.kind === 'decided' ? `${requestId} is cancelled.` : refusalMessage(result));
}
