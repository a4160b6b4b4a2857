/** The `policies` card (every device-preparation policy, problems first, a page at a time) and its entries. */
import { SCENARIO_INFO } from '../../../domain/scenario';
import type { ListedPolicy } from '../../../requests/types';
import { type AdaptiveCard, type CardElement, type ExecuteAction, adaptiveCard, execute, heading, plain, text } from '../../cards/elements';
import { CARD_VERBS } from '../../verbs';

export const POLICIES_PAGE_SIZE = 10;

const SOURCE_LABEL: Readonly<Record<ListedPolicy['groupSource'], string>> = {
  intune: 'as Intune reports it',
  record: "from the bot's record (Intune does not tell this app)",
  none: 'none',
};

/** One policy: its name and scenario, its group, each finding, and the buttons that fit. */
export function policyEntry(policy: ListedPolicy): CardElement {
  const scenario = policy.scenario ? SCENARIO_INFO[policy.scenario].label : 'unknown template';
  const group = policy.groupId ? `${policy.group ? `${plain(policy.group.displayName)} · ` : ''}${policy.groupId} (${SOURCE_LABEL[policy.groupSource]})` : 'none';
  const items: CardElement[] = [
    text(`${policy.findings.length > 0 ? '⚠️' : '✅'} **${plain(policy.policyName)}** · ${scenario}`),
    text(`Group: ${group}`, { isSubtle: true, spacing: 'None' }),
    ...policy.findings.map((finding) => text(`**${finding.code}**: ${plain(finding.detail)}`, { color: 'Warning', spacing: 'Small' })),
  ];
  const actions = actionButtons(policy);
  if (actions.length > 0) items.push({ type: 'ActionSet', actions });
  return { type: 'Container', separator: true, items };
}

function actionButtons(policy: ListedPolicy): ExecuteAction[] {
  return policy.actions.flatMap((action): ExecuteAction[] => {
    switch (action) {
      case 'adopt':
        return policy.policyId ? [execute('Adopt this group', CARD_VERBS.adoptGroup, { policyId: policy.policyId })] : [];
      case 'repairOwner':
        return [execute('Repair owner', CARD_VERBS.repairOwner, { policyName: policy.policyName })];
      case 'restore':
        return [execute('Restore the group', CARD_VERBS.restoreGroup, { policyName: policy.policyName })];
    }
  });
}

/** A page of `policies`; the list is already ordered problems first. An offset past the end shows the last page. */
export function policiesCard(policies: readonly ListedPolicy[], offset: number, pageSize: number = POLICIES_PAGE_SIZE): AdaptiveCard {
  const withFindings = policies.filter((policy) => policy.findings.length > 0).length;
  const start = policies.length === 0 ? 0 : Math.min(offset, Math.floor((policies.length - 1) / pageSize) * pageSize);
  const shown = policies.slice(start, start + pageSize);
  const body: CardElement[] = [
    heading('Device-preparation policies'),
    text(
      policies.length === 0
        ? 'Intune has no device-preparation policies, and the bot has made no groups.'
        : `${policies.length} ${policies.length === 1 ? 'policy' : 'policies'}: ${withFindings} with findings, ${policies.length - withFindings} healthy.`,
    ),
    ...shown.map(policyEntry),
  ];
  if (shown.length > 0) body.push(text(`${start + 1}–${start + shown.length} of ${policies.length}`, { isSubtle: true }));
  const actions: ExecuteAction[] = [];
  if (start > 0) actions.push(execute('Previous', CARD_VERBS.policiesPage, { offset: Math.max(0, start - pageSize) }));
  if (start + shown.length < policies.length) actions.push(execute('Next', CARD_VERBS.policiesPage, { offset: start + pageSize }));
  return adaptiveCard(body, { actions });
}
