import type { DecideResult } from '../../requests/types';
import { knownApproverTeamsIds } from '../approverTeamsIds';
import { approvalCard } from '../cards/approval';
import { refusalMessage } from '../outcomes';
import type { BotServices } from '../services';
import type { InvokeReply } from '../turn';

export const INVALID_CARD_MESSAGE = 'This card does not name a valid request.';

/**
 * The clicker's answer to a decision: the updated card when it took effect (every other copy is updated by
 * the notifier), otherwise why nothing changed — e.g. who decided first.
 */
export async function decisionReply(services: BotServices, result: DecideResult): Promise<InvokeReply> {
  if (result.kind !== 'decided') {
    services.logger.info({ outcome: result.kind }, 'card action changed nothing');
    return { message: refusalMessage(result) };
  }
  const approverTeamsIds = await knownApproverTeamsIds(services);
  return { card: approvalCard({ request: result.request, viewer: 'approver', approverTeamsIds }) };
}
