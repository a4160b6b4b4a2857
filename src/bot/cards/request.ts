/** Cards about one request, shown by several features: its facts, its state and its outcome. */
import { SCENARIO_INFO } from '../../domain/scenario';
import type { GroupRequest, RequestState } from '../../domain/request';
import { CARD_VERBS } from '../verbs';
import { type AdaptiveCard, type CardElement, type Refresh, type TextColor, adaptiveCard, execute, facts, formatTime, heading, plain, text } from './elements';

const STATE_LABEL: Readonly<Record<RequestState, string>> = {
  pending: 'Waiting for approval',
  approved: 'Approved, creating the group',
  provisioning: 'Approved, creating the group',
  provisioned: 'Done: the group exists',
  failed: 'Approved, but creating the group failed',
  rejected: 'Rejected',
  cancelled: 'Cancelled by the requester',
};

const STATE_COLOR: Readonly<Record<RequestState, TextColor>> = {
  pending: 'Accent',
  approved: 'Accent',
  provisioning: 'Accent',
  provisioned: 'Good',
  failed: 'Attention',
  rejected: 'Warning',
  cancelled: 'Warning',
};

export function stateLabel(state: RequestState): string {
  return STATE_LABEL[state];
}

/** One request, e.g. after `status REQ-n`, after submitting, or when a policy already has an active request. */
export function requestCard(request: GroupRequest, title: string, options: { readonly refresh?: Refresh; readonly notice?: string } = {}): AdaptiveCard {
  const notice = options.notice === undefined ? [] : [text(options.notice, { color: 'Attention' })];
  return adaptiveCard([heading(title), ...notice, ...requestDetails(request)], options.refresh ? { refresh: options.refresh } : {});
}

/**
 * The requester's own card about their request (what Submit shows), kept current: the bot updates it after
 * each change, and while the request can still change Teams refreshes it for the requester (their Teams id).
 */
export function requesterCard(request: GroupRequest, requesterTeamsId: string | undefined, notice?: string): AdaptiveCard {
  const title = request.state === 'pending' ? 'Request submitted: an approver will decide, and I will message you' : `Status of ${request.id}`;
  const stillChanging = request.state !== 'provisioned' && request.state !== 'rejected' && request.state !== 'cancelled';
  const refresh =
    requesterTeamsId !== undefined && stillChanging
      ? { action: execute('Refresh', CARD_VERBS.refreshRequest, { requestId: request.id }), userIds: [requesterTeamsId] }
      : undefined;
  return requestCard(request, title, { ...(refresh && { refresh }), ...(notice !== undefined && { notice }) });
}

/** What every card about one request shows: who asked for what, and where it stands. */
export function requestDetails(request: GroupRequest): CardElement[] {
  return [
    text(`${request.id}: ${STATE_LABEL[request.state]}`, { weight: 'Bolder', color: STATE_COLOR[request.state] }),
    facts([
      ['Requested by', plain(request.requester.name)],
      ['Policy', plain(request.policyName)],
      ['Scenario', SCENARIO_INFO[request.scenario].label],
      ['Group name', plain(request.names.displayName)],
      ['Mail nickname', plain(request.names.mailNickname)],
      ['Ticket', request.ticket === undefined ? undefined : plain(request.ticket)],
      ['Justification', request.justification === undefined ? undefined : plain(request.justification)],
      ['Requested at', formatTime(request.createdAt)],
    ]),
    ...outcome(request),
  ];
}

function outcome(request: GroupRequest): CardElement[] {
  const lines: CardElement[] = [];
  const decision = request.decision;
  if (decision) {
    const verb = decision.kind === 'approved' ? 'Approved' : 'Rejected';
    const reason = decision.reason ? `: ${plain(decision.reason)}` : '';
    lines.push(text(`${verb} by ${plain(decision.by.name)} at ${formatTime(decision.at)}${reason}`));
  }
  if (request.state === 'provisioned' && request.groupId) {
    lines.push(text(`Group created: ${plain(request.names.displayName)} (object id ${request.groupId})`, { color: 'Good' }));
  }
  if (request.state === 'cancelled' && request.failureReason) {
    lines.push(text(`No group was made: ${plain(request.failureReason)}`));
  }
  if (request.state === 'failed') {
    lines.push(text(`Creating the group failed: ${plain(request.failureReason ?? 'unknown reason')}`, { color: 'Attention' }));
  }
  return lines;
}
