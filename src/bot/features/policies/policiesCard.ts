/**
 * The `policies` card (every device-preparation policy, problems first, a page at a time) and its entries, which
 * the health digest shows too. Each entry leads with its problems in plain words, offers the one action that
 * fixes it, and keeps codes and object ids in a details section a click opens.
 */
import { SCENARIO_INFO } from '../../../domain/scenario';
import type { ListedPolicy, PolicyAction } from '../../../requests/types';
import {
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type ConfirmAction,
  type ExecuteAction,
  adaptiveCard,
  counted,
  detailsSection,
  execute,
  facts,
  heading,
  plain,
  text,
  toggle,
} from '../../cards/elements';
import { problemCodes, problemHeading, problemSummary } from '../../cards/findings';
import { assignConfirmation } from './assignCard';
import { bindConfirmation } from '../../cards/intune';
import { replaceConfirmation, useBotGroupConfirmation } from './replaceCard';
import { CARD_VERBS } from '../../verbs';

export const POLICIES_PAGE_SIZE = 10;

const SOURCE_LABEL: Readonly<Record<ListedPolicy['groupSource'], string>> = {
  intune: 'as Intune reports it',
  record: "from the bot's record (Intune does not tell this app)",
  none: 'none',
};

/**
 * When a row allows several, the one that fixes most: a deleted group first; the bot's group where Intune names
 * another; a new group where no repair makes one a device group; then its owner, binding, adoption; then an app or
 * script assigned to the group (the first one that can be; the refreshed list offers the next).
 */
const ACTION_PRIORITY: readonly PolicyAction[] = ['restore', 'useBotGroup', 'replace', 'repairOwner', 'bind', 'adopt', 'assign'];

/**
 * One policy: its name and scenario, its group by name, a heading per problem, the one action that fixes it, and
 * a details section (codes, object ids, Graph's words). `index` makes the section's id unique in the card.
 */
export function policyEntry(policy: ListedPolicy, index: number): CardElement {
  const scenario = policy.scenario ? SCENARIO_INFO[policy.scenario].label : 'unknown template';
  const healthy = policy.findings.length === 0;
  const items: CardElement[] = [
    text(`${healthy ? '✅' : '⚠️'} **${plain(policy.policyName)}** · ${scenario}`),
    text(`Group: ${groupLine(policy)}`, { isSubtle: true, spacing: 'None' }),
    ...policy.findings.map((finding) =>
      text(`• ${problemHeading(finding.code, policy.restorableUntil === undefined ? {} : { restorableUntil: policy.restorableUntil })}`, { weight: 'Bolder', spacing: 'Small' }),
    ),
  ];
  const primary = primaryAction(policy);
  if (primary?.adopt) items.push(text('The group is correct as it is: adopt it as the policy\'s one group, and requests for the policy answer with it.', { spacing: 'Small' }));
  const detailsId = `details-${index}`;
  const actions: CardAction[] = [...(primary ? [primary.button] : []), toggle('Details', [detailsId])];
  items.push({ type: 'ActionSet', actions });
  items.push(detailsSection(detailsId, detailsOf(policy)));
  return { type: 'Container', separator: true, items };
}

function groupLine(policy: ListedPolicy): string {
  if (!policy.groupId) return 'none';
  return policy.group ? `**${plain(policy.group.displayName)}**` : 'a group the bot cannot read (its id is in the details)';
}

/** Codes and object ids, for the admin who looks further (Graph Explorer, the Intune admin center). */
function detailsOf(policy: ListedPolicy): CardElement[] {
  return [
    facts([
      ['Intune policy id', policy.policyId ?? 'none: not in Intune'],
      ['Group object id', policy.groupId ?? undefined],
      ['Group id from', policy.groupId ? SOURCE_LABEL[policy.groupSource] : undefined],
    ]),
    ...problemCodes(policy.findings.map((finding) => ({ code: finding.code, message: finding.detail }))),
  ];
}

/** The row's one button; Repair owner and Restore answer with this list again, current (`returnTo`). */
function primaryAction(policy: ListedPolicy): { readonly button: ExecuteAction | ConfirmAction; readonly adopt: boolean } | undefined {
  const chosen = ACTION_PRIORITY.find((action) => policy.actions.includes(action));
  // Restore, Repair owner and Bind act on the policy's record, which its key names (a recorded policy always has one).
  const { policyKey } = policy;
  switch (chosen) {
    case 'restore':
      return policyKey === null ? undefined : { button: execute('Restore', CARD_VERBS.restoreGroup, { policyKey, returnTo: 'policies' }, { style: 'positive' }), adopt: false };
    case 'repairOwner':
      return policyKey === null ? undefined : { button: execute('Repair owner', CARD_VERBS.repairOwner, { policyKey, returnTo: 'policies' }, { style: 'positive' }), adopt: false };
    case 'bind':
      return policyKey === null ? undefined : { button: bindConfirmation({ policyKey, policyName: policy.policyName }), adopt: false };
    case 'useBotGroup':
      return policy.policyId ? { button: useBotGroupConfirmation(policy.policyName, policy.policyId), adopt: false } : undefined;
    case 'replace':
      return policy.policyId ? { button: replaceConfirmation(policy.policyName, policy.policyId, policy.group?.displayName ?? null), adopt: false } : undefined;
    case 'adopt':
      return policy.policyId ? { button: execute('Adopt', CARD_VERBS.adoptGroup, { policyId: policy.policyId }, { style: 'positive' }), adopt: true } : undefined;
    case 'assign': {
      const fix = policy.findings.find((finding) => finding.fix !== undefined)?.fix;
      return policy.policyId && fix && policy.group ? { button: assignConfirmation(policy.policyId, fix, policy.group.displayName), adopt: false } : undefined;
    }
    case undefined:
      return undefined;
  }
}

/** `12 policies: 3 without a device group, 1 deleted; 8 healthy.` */
export function policiesSummary(policies: readonly ListedPolicy[]): string {
  if (policies.length === 0) return 'Intune has no device-preparation policies, and the bot has made no groups.';
  const withProblems = policies.filter((policy) => policy.findings.length > 0);
  const problems = withProblems.length > 0 ? `${problemSummary(withProblems.map((policy) => policy.findings.map((finding) => finding.code)))}; ` : '';
  return `${counted(policies.length, 'policy', 'policies')}: ${problems}${policies.length - withProblems.length} healthy.`;
}

export interface PoliciesCardOptions {
  readonly pageSize?: number;
  /** What the click that led here did (e.g. an adoption), shown above the list. */
  readonly notice?: string;
}

/** A page of `policies`; the list is already ordered problems first. An offset past the end shows the last page. */
export function policiesCard(policies: readonly ListedPolicy[], offset: number, options: PoliciesCardOptions = {}): AdaptiveCard {
  const pageSize = options.pageSize ?? POLICIES_PAGE_SIZE;
  const start = policies.length === 0 ? 0 : Math.min(offset, Math.floor((policies.length - 1) / pageSize) * pageSize);
  const shown = policies.slice(start, start + pageSize);
  const body: CardElement[] = [heading('Device-preparation policies'), ...(options.notice ? [text(options.notice, { weight: 'Bolder' })] : []), text(policiesSummary(policies))];
  shown.forEach((policy, index) => {
    const previous = shown[index - 1];
    const healthy = policy.findings.length === 0;
    if (index === 0 || (previous && previous.findings.length > 0 && healthy)) body.push(text(healthy ? 'Healthy' : 'Needs attention', { weight: 'Bolder', size: 'Medium' }));
    body.push(policyEntry(policy, start + index));
  });
  if (shown.length > 0) body.push(text(`${start + 1}–${start + shown.length} of ${policies.length}`, { isSubtle: true }));
  const actions: ExecuteAction[] = [];
  if (start > 0) actions.push(execute('Previous', CARD_VERBS.policiesPage, { offset: Math.max(0, start - pageSize) }));
  if (start + shown.length < policies.length) actions.push(execute('Next', CARD_VERBS.policiesPage, { offset: start + pageSize }));
  return adaptiveCard(body, { actions });
}
