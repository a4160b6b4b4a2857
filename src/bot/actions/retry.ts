import type { TurnContext } from 'botbuilder';
import type { BotServices } from '../services';
import type { InvokeReply } from '../turn';
import { decideFromCard } from './decision';

/** Retry a failed provisioning (approvers only; the requests service checks). */
export function retry(context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  return decideFromCard(context, services, data, 'retry', (id, actor) => services.requests.retry(id, actor));
}
