import type { TurnContext } from 'botbuilder';
import type { BotServices } from '../services';
import type { InvokeReply } from '../turn';
import { decideFromCard } from './decision';

/** Approve: the requests service decides who may (approvers, not the requester) and resolves races. */
export function approve(context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  return decideFromCard(context, services, data, 'approve', (id, actor) => services.requests.approve(id, actor));
}
