import type { CheckPolicyResult } from '../../../requests/types';
import { CARD_VERBS } from '../../verbs';
import { deletedGroupText, groupFacts, restoreAction } from '../../cards/group';
import { type AdaptiveCard, type CardElement, type ExecuteAction, adaptiveCard, execute, heading, plain, text } from '../../cards/elements';

/** What the card shows of the requests service's check: not the Graph request ids provisioning keeps with it. */
export type CheckReport = Pick<Extract<CheckPolicyResult, { kind: 'checked' }>['report'], 'group' | 'deletedGroup' | 'healthy' | 'findings' | 'ownerRepaired'>;

export interface DriftCardView {
  readonly policyName: string;
  readonly report: CheckReport;
}

/** `check <policy>`: the drift check, with the owner repair offered when the first-party owner is missing. */
export function driftCard(view: DriftCardView): AdaptiveCard {
  const { report } = view;
  const body: CardElement[] = [heading(`Check of the device group for "${plain(view.policyName)}"`)];
  if (report.group) body.push(groupFacts(report.group));
  if (report.healthy) {
    body.push(text('Healthy: the group matches what the device-preparation policy needs.', { color: 'Good' }));
  } else {
    body.push(text('Problems found:', { color: 'Attention', weight: 'Bolder' }));
    body.push(...report.findings.map((f) => text(`• ${plain(f.message)} (${f.code})`)));
  }
  if (report.ownerRepaired) body.push(text('The Intune provisioning client was added back as owner.', { color: 'Good' }));
  if (report.deletedGroup) body.push(deletedGroupText(report.deletedGroup));
  const actions: ExecuteAction[] = [
    ...(report.findings.some((f) => f.code === 'firstPartyAppNotAnOwner') ? [execute('Add the missing owner', CARD_VERBS.repairOwner, { policyName: view.policyName })] : []),
    ...(report.deletedGroup ? [restoreAction(view.policyName)] : []),
  ];
  return adaptiveCard(body, { actions });
}
