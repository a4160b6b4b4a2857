import type { GroupRequest } from '../../../domain/request';
import { DECISION_REASON_MAX_LENGTH } from '../../../requests/validation';
import { CARD_VERBS } from '../../verbs';
import { requestDetails } from '../../cards/request';
import { type AdaptiveCard, type CardAction, type CardElement, type ExecuteAction, MAX_REFRESH_USER_IDS, adaptiveCard, execute, heading, plain, text } from '../../cards/elements';
import { bindConfirmation, createPolicySteps, openIntune } from '../../cards/intune';
import type { Actor } from '../../../domain/actor';
import type { PolicyInIntune } from '../../../requests/ports';

export interface ApprovalCardView {
  readonly request: GroupRequest;
  /** 'approver' gets the buttons; 'observer' the read-only view (what the posted message shows). */
  readonly viewer: 'approver' | 'observer';
  /** Teams user ids (`29:…`) of the approvers the bot knows: their clients fetch the approver view. */
  readonly approverTeamsIds: readonly string[];
  /** A line for this viewer only, e.g. why a click changed nothing. */
  readonly notice?: string;
  /** Why this approver gets no Approve and Reject here (their own request while self-approval is off). */
  readonly cannotDecide?: string;
  /** Opened from the pending list (Review): a button goes back to it. */
  readonly backToPending?: boolean;
  /** Once the group is made: where its policy stands in Intune, so the card offers Bind or says to create the policy first. */
  readonly policyInIntune?: PolicyInIntune;
  /** The approver who bound the group to its Intune policy (the card says so, and offers Bind no more). */
  readonly boundBy?: Actor;
}

function isActionable(request: GroupRequest): boolean {
  return request.state === 'pending' || request.state === 'failed';
}

/** The card posted to approvers; the same function renders the per-approver view on refresh. */
export function approvalCard(view: ApprovalCardView): AdaptiveCard {
  const { request } = view;
  const body: CardElement[] = [heading('Device group request'), ...requestDetails(request)];
  if (view.notice) body.push(text(view.notice, { weight: 'Bolder' }));
  if (view.cannotDecide !== undefined && request.state === 'pending') body.push(text(view.cannotDecide, { weight: 'Bolder' }));
  const decisions = view.viewer === 'approver' ? approverActions(request, body, view.cannotDecide === undefined) : observerActions(request);
  const next = request.state === 'provisioned' ? nextInIntune(view, body) : [];
  const actions = view.backToPending ? [...decisions, ...next, execute('Back to the list', CARD_VERBS.showPending, {}, { associatedInputs: 'none' })] : [...decisions, ...next];
  const userIds = view.approverTeamsIds.slice(0, MAX_REFRESH_USER_IDS);
  const refresh =
    isActionable(request) && userIds.length > 0
      ? { action: execute('Refresh', CARD_VERBS.refreshApproval, { requestId: request.id }), userIds }
      : undefined;
  return adaptiveCard(body, { actions, ...(refresh ? { refresh } : {}) });
}

function approverActions(request: GroupRequest, body: CardElement[], mayDecide: boolean): ExecuteAction[] {
  const data = { requestId: request.id };
  if (request.state === 'pending') {
    if (!mayDecide) return [];
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
 * The group exists: Bind when its policy is in Intune without a device group (approval cards are posted where
 * approvers are, and the requests service refuses anyone else before a sign-in); the steps to create the policy
 * when Intune has none yet; and, once bound, who bound it.
 */
function nextInIntune(view: ApprovalCardView, body: CardElement[]): CardAction[] {
  const { request } = view;
  const policy = plain(request.policyName);
  if (view.boundBy) {
    body.push(text(`✅ Bound: the Intune policy "${policy}" uses this group (bound by ${plain(view.boundBy.name)}).`, { weight: 'Bolder' }));
    return [];
  }
  switch (view.policyInIntune) {
    case 'withoutGroup':
      body.push(text(`The Intune policy "${policy}" exists and has no device group yet: bind this group to it.`, { weight: 'Bolder' }));
      return [bindConfirmation(request)];
    case 'absent':
      body.push(text(`Intune has no policy "${policy}" yet: create it, then bind the group.`, { weight: 'Bolder' }));
      body.push(createPolicySteps({ policyName: request.policyName, scenario: request.scenario, displayName: request.names.displayName }));
      return [openIntune()];
    case undefined:
      return [];
  }
}

/**
 * Approvers known only through the Entra group have no Teams id the card can list, so the read-only view
 * offers them a way to ask for the buttons; everybody else clicking it is told they cannot decide.
 */
function observerActions(request: GroupRequest): ExecuteAction[] {
  return isActionable(request) ? [execute('Approver actions', CARD_VERBS.refreshApproval, { requestId: request.id })] : [];
}
