import type { DecideResult, NoGroup } from '../requests/types';
import type { GroupRequest } from '../domain/request';
import { stateLabel } from './cards/request';
import { formatTime, plain } from './cards/elements';

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

/** A policy without a group yet, for a command that needs one (`check`, `bind`): where it stands instead. */
export function noGroupMessage(result: NoGroup, then: string): string {
  const policy = plain(result.policyName);
  if (!result.request) return `"${policy}" has no device group yet. Request it first (\`request ${policy}\`), then ${then}.`;
  const state = stateLabel(result.request.state).toLowerCase();
  return `"${policy}" has no device group yet (${result.request.id}: ${state}). ${capitalised(then)} once the group exists.`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
