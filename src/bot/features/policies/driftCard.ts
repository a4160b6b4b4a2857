import type { CheckPolicyResult } from '../../../requests/types';
import { CARD_VERBS } from '../../verbs';
import { deletedGroupText, groupDetails, groupFacts, restoreAction } from '../../cards/group';
import { problemCodes, problemLines } from '../../cards/findings';
import { type AdaptiveCard, type CardElement, type ExecuteAction, adaptiveCard, counted, execute, heading, plain, text, withDetails } from '../../cards/elements';

/** What the card shows of the requests service's check: not the Graph request ids provisioning keeps with it. */
export type CheckReport = Pick<Extract<CheckPolicyResult, { kind: 'checked' }>['report'], 'group' | 'deletedGroup' | 'healthy' | 'findings' | 'ownerRepaired'>;

export interface DriftCardView {
  readonly policyName: string;
  readonly report: CheckReport;
}

/**
 * `check <policy>`: the drift check, a heading per problem in plain words, and the one action that fixes the
 * group (Restore when it is deleted, else Repair owner when the first-party owner is missing).
 */
export function driftCard(view: DriftCardView): AdaptiveCard {
  const { report } = view;
  const body: CardElement[] = [heading(`Check of the device group for "${plain(view.policyName)}"`)];
  if (report.group) body.push(groupFacts(report.group));
  if (report.healthy) {
    body.push(text('✅ Healthy', { weight: 'Bolder' }), text('The group matches what the device-preparation policy needs.', { spacing: 'None' }));
  } else {
    body.push(text(`⚠️ ${counted(report.findings.length, 'problem')} found`, { weight: 'Bolder' }));
    body.push(...problemLines(report.findings, report.deletedGroup ? { restorableUntil: report.deletedGroup.restorableUntil } : {}));
  }
  if (report.ownerRepaired) body.push(text('The Intune Provisioning Client was added back as owner.'));
  if (report.deletedGroup) body.push(deletedGroupText(report.deletedGroup));
  // Codes and object ids, behind Details.
  if (report.group) body.push(...groupDetails(report.group, 'group-details', problemCodes(report.findings)));
  else if (report.findings.length > 0) body.push(...withDetails('group-details', problemCodes(report.findings)));
  return adaptiveCard(body, { actions: primaryAction(view) });
}

function primaryAction(view: DriftCardView): ExecuteAction[] {
  if (view.report.deletedGroup) return [restoreAction(view.report.group.policyKey)];
  const ownerMissing = view.report.findings.some((finding) => finding.code === 'firstPartyAppNotAnOwner');
  return ownerMissing ? [execute('Repair owner', CARD_VERBS.repairOwner, { policyKey: view.report.group.policyKey }, { style: 'positive' })] : [];
}
