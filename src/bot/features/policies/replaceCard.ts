/**
 * Replace group and Use the bot's group: the confirmations on a row of `policies` (or the digest), and the card
 * that answers a replacement: the policy's new group, whether Intune took it (and why not), and the old group,
 * left exactly as it was.
 */
import type { PolicyGroupRecord } from '../../../domain/policyGroup';
import type { LeftBehindGroup, ReplaceGroupResult } from '../../../requests/types';
import { type AdaptiveCard, type CardElement, type ConfirmAction, adaptiveCard, confirm, execute, facts, formatTime, heading, plain, text } from '../../cards/elements';
import { problemHeading } from '../../cards/findings';
import { groupDetails, groupFacts } from '../../cards/group';
import { CARD_VERBS } from '../../verbs';
import { bindOutcome } from './bindCard';

const SIGN_IN_NOTE = 'You act with your own Intune role (you may be asked to sign in).';

/** Replace group: a confirmation first, since a group is made and the policy's device group changes in Intune. */
export function replaceConfirmation(policyName: string, policyId: string, currentGroup: string | null): ConfirmAction {
  const current = currentGroup === null ? 'The group it names now' : `The group it uses now, "${plain(currentGroup)}",`;
  return confirm(
    'Replace group',
    `Make "${plain(policyName)}" a new device group of its own (assigned, security, owned by the Intune Provisioning Client) and have the policy use it? ` +
      `${current} is left exactly as it is: not deleted, not changed. ${SIGN_IN_NOTE}`,
    execute('Replace group', CARD_VERBS.replaceGroup, { policyId }, { style: 'positive' }),
  );
}

/** Use the bot's group: a confirmation first, since the policy's device group changes in Intune. */
export function useBotGroupConfirmation(policyName: string, policyId: string): ConfirmAction {
  return confirm(
    "Use the bot's group",
    `Make the Intune policy "${plain(policyName)}" use the bot's recorded group instead of the one it names now? No group is made; the one it uses now is left as it is. ${SIGN_IN_NOTE}`,
    execute("Use the bot's group", CARD_VERBS.useBotGroup, { policyId }, { style: 'positive' }),
  );
}

type Replaced = Extract<ReplaceGroupResult, { kind: 'replaced' }>;

/** What a replacement did: the new group (or the recorded one, bound instead), Intune's answer, the group left behind. */
export function replaceCard(view: Replaced): AdaptiveCard {
  const { group, bind, created } = view;
  const outcome = bindOutcome({ group, bind });
  const body: CardElement[] = [
    heading(bind.outcome === 'bound' ? `"${plain(group.policyName)}" has a device group of its own` : `"${plain(group.policyName)}" has a new device group, not yet in use`),
    text(
      created
        ? `New group: **${plain(group.displayName)}**, made now and recorded as the policy's one group.`
        : `The bot's recorded group **${plain(group.displayName)}** (made ${formatTime(group.createdAt)} by ${plain(group.createdBy.name)}) is correct, so no other was made.`,
    ),
    groupFacts(group),
    ...outcome.body,
    ...leftBehindText(view.leftBehind),
  ];
  const oldIds = view.leftBehind.map((old): [string, string] => [`Left as it is${old.displayName ? ` (${plain(old.displayName)})` : ''}`, old.groupId]);
  body.push(...groupDetails(group, 'replace-details', [facts(oldIds), ...outcome.details]));
  return adaptiveCard(body, { actions: outcome.actions });
}

function leftBehindText(groups: readonly LeftBehindGroup[]): CardElement[] {
  return [
    text('Left as it is', { weight: 'Bolder' }),
    ...groups.map((old) => text(`• ${old.displayName ? `**${plain(old.displayName)}**` : 'A group that no longer exists'}: ${old.problems.map((problem) => problemHeading(problem.code)).join('; ')}`, { spacing: 'Small' })),
    text('Nothing in it was deleted or changed; its object id is in the details. Delete it in Entra once nothing else uses it.', { isSubtle: true, spacing: 'Small' }),
  ];
}

/** Another approver's replacement won the moment (or came before): whose, and the group the policy has now. */
export function alreadyReplacedCard(group: PolicyGroupRecord): AdaptiveCard {
  return adaptiveCard([
    heading(`Already replaced by ${plain(group.createdBy.name)}`),
    text(`"${plain(group.policyName)}" got its own group **${plain(group.displayName)}** ${formatTime(group.createdAt)}. Nothing more was changed.`),
    groupFacts(group),
    ...groupDetails(group, 'replace-details'),
  ]);
}
