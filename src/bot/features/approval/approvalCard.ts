import type { GroupRequest } from '../../../domain/request';
import { DECISION_REASON_MAX_LENGTH } from '../../../requests/validation';
import { CARD_VERBS } from '../../verbs';
import { requestDetails } from '../../cards/request';
import { type AdaptiveCard, type CardElement, type ExecuteAction, MAX_REFRESH_USER_IDS, adaptiveCard, execute, heading, text } from '../../cards/elements';

export interface ApprovalCardView {
  readonly request: GroupRequest;
  /** 'approver' gets the buttons; 'observer' the read-only view (what the posted message shows). */
  readonly viewer: 'approver' | 'observer';
  /** Teams user ids (`29:…`) of the approvers the bot knows: their clients fetch the approver view. */
  readonly approverTeamsIds: readonly string[];
  /** A line for this viewer only, e.g. why a click changed nothing. */
  readonly notice?: string;
}

function isActionable(request: GroupRequest): boolean {
  return request.state === 'pending' || request.state === 'failed';
}

/** The card posted to approvers; the same function renders the per-approver view on refresh. */
export function approvalCard(view: ApprovalCardView): AdaptiveCard {
  const { request } = view;
  const body: CardElement[] = [heading('Device group request'), ...requestDetails(request)];
  if (view.notice) body.push(text(view.notice, { color: 'Warning' }));
  const actions = view.viewer === 'approver' ? approverActions(request, body) : observerActions(request);
  const userIds = view.approverTeamsIds.slice(0, MAX_REFRESH_USER_IDS);
  const refresh =
    isActionable(request) && userIds.length > 0
      ? { action: execute('Refresh', CARD_VERBS.refreshApproval, { requestId: request.id }), userIds }
      : undefined;
  return adaptiveCard(body, { actions, ...(refresh ? { refresh } : {}) });
}

function approverActions(request: GroupRequest, body: CardElement[]): ExecuteAction[] {
  const data = { requestId: request.id };
  if (request.state === 'pending') {
    body.push({
      type: 'Input.Text',
      id: 'reason',
      label: 'Reason (shown to the requester if you reject)',
      isMultiline: true,
      maxLength: DECISION_REASON_MAX_LENGTH,
    });
    return [
      execute('Approve', CARD_VERBS.approve, data, { style: 'positive', associatedInputs: 'none' }),
      execute('Reject', CARD_VERBS.reject, data, { style: 'destructive' }),
    ];
  }
  if (request.state === 'failed') return [execute('Retry', CARD_VERBS.retry, data, { associatedInputs: 'none' })];
  return [];
}

/**
 * Approvers known only through the Entra group have no Teams id the card can list, so the read-only view
 * offers them a way to ask for the buttons; everybody else clicking it is told they cannot decide.
 */
function observerActions(request: GroupRequest): ExecuteAction[] {
  return isActionable(request) ? [execute('Approver actions', CARD_VERBS.refreshApproval, { requestId: request.id })] : [];
}
