import type { DecideResult } from '../requests/types';
import type { GroupRequest } from '../domain/request';
import { stateLabel } from './cards/request';
import { formatTime } from './cards/elements';

/** Why a decision, cancel or retry changed nothing, in words for the person who tried. */
export function refusalMessage(result: Exclude<DecideResult, { kind: 'decided' }>): string {
  switch (result.kind) {
    case 'notFound':
      return `There is no request ${result.requestId}.`;
    case 'forbidden':
      return result.reason;
    case 'alreadyDecided':
      return alreadyDecidedMessage(result.request);
  }
}

export function alreadyDecidedMessage(request: GroupRequest): string {
  const decision = request.decision;
  if (!decision) return `${request.id} can no longer be changed: ${stateLabel(request.state).toLowerCase()}.`;
  const verb = decision.kind === 'approved' ? 'approved' : 'rejected';
  return `${request.id} was already ${verb} by ${decision.by.name} at ${formatTime(decision.at)}.`;
}
