import type { TurnContext } from 'botbuilder';
import { normaliseRequestId } from '../../domain/request';
import { recordDenial } from '../denials';
import { refusalMessage } from '../outcomes';
import type { BotServices } from '../services';
import { NO_IDENTITY_MESSAGE, actorOf } from '../turn';
import { argumentsAfter } from './args';

export const CANCEL_COMMAND = /^\s*cancel\b/i;

/** `cancel REQ-n`: the requester, while the request is pending (the requests service enforces both). */
export async function handleCancel(context: TurnContext, services: BotServices): Promise<void> {
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
  const result = await services.requests.cancel(requestId, actor);
  if (result.kind === 'notFound') await recordDenial(services, actor, 'cancel: unknown request id', requestId);
  await context.sendActivity(result.kind === 'decided' ? `${requestId} is cancelled.` : refusalMessage(result));
}
