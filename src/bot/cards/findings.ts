/**
 * What each problem the bot reports is called on a card: a plain-language heading (the code goes to the details
 * section and the CLI's JSON) and how the summary line counts it. One table for the inventory's findings
 * (`policies`, the health digest) and the drift check's (`check`, restore); a new code is a new row here, and
 * the compiler asks for it.
 */
import type { CheckPolicyResult, ListedPolicy } from '../../requests/types';
import { type CardElement, counted, formatTime, plain, readableTimes, text } from './elements';

export type InventoryFindingCode = ListedPolicy['findings'][number]['code'];
export type DriftFindingCode = Extract<CheckPolicyResult, { kind: 'checked' }>['report']['findings'][number]['code'];
export type ProblemCode = InventoryFindingCode | DriftFindingCode;

/** What a heading may say beyond the code: until when a deleted group can be restored. */
export interface ProblemContext {
  readonly restorableUntil?: string;
}

interface ProblemWords {
  readonly heading: (context: ProblemContext) => string;
  /** The summary line's part: `3 without a device group`. */
  readonly summary: (count: number) => string;
}

const fixed = (heading: string, summary: (count: number) => string): ProblemWords => ({ heading: () => heading, summary });

export const PROBLEM_WORDS: Readonly<Record<ProblemCode, ProblemWords>> = {
  securityGroupNotFound: {
    heading: ({ restorableUntil }) => (restorableUntil ? `Deleted — restorable until ${formatTime(restorableUntil, 'day')}` : 'Deleted for good'),
    summary: (count) => `${count} deleted`,
  },
  notSecurityGroup: fixed('Not a security group', (count) => `${count} not a security group`),
  notStaticSecurityGroup: fixed('Dynamic membership', (count) => `${count} with dynamic membership`),
  firstPartyAppNotAnOwner: fixed('Not owned by the Intune Provisioning Client', (count) => `${count} not owned by the Intune Provisioning Client`),
  mailEnabled: fixed('Mail-enabled', (count) => `${count} mail-enabled`),
  roleAssignable: fixed('Role-assignable', (count) => `${count} role-assignable`),
  unexpectedMembers: fixed('Members that are not devices', (count) => `${count} with members that are not devices`),
  noGroupRecorded: fixed('No group recorded', (count) => `${count} with no group recorded`),
  noGroup: fixed('No device group yet', (count) => `${count} without a device group`),
  sharedGroup: fixed('Used by more than one policy', (count) => `${count} sharing a group`),
  notRecorded: fixed('Made by hand, not by this bot', (count) => `${count} made by hand`),
  recordedGroupDiffers: fixed("Intune uses another group than the bot's record", (count) => `${count} using another group than recorded`),
  orphanGroup: fixed('Its policy never appeared in Intune', (count) => `${counted(count, 'group')} whose policy never appeared`),
  appNotAssignedToGroup: fixed('A selected app is not assigned to the device group', (count) => `${count} with an app not assigned to the device group`),
  scriptNotAssignedToGroup: fixed('A selected script is not assigned to the device group', (count) => `${count} with a script not assigned to the device group`),
  appNotSystemContext: fixed('A selected app installs as the user, not the system', (count) => `${count} with an app in user context`),
  scriptNotSystemContext: fixed('A selected script runs as the user, not the system', (count) => `${count} with a script in user context`),
  appNotFound: fixed('A selected app no longer exists', (count) => `${count} selecting a deleted app`),
  scriptNotFound: fixed('A selected script no longer exists', (count) => `${count} selecting a deleted script`),
  tooManyApps: fixed('More than 25 apps selected', (count) => `${count} with more than 25 apps`),
  tooManyScripts: fixed('More than 10 scripts selected', (count) => `${count} with more than 10 scripts`),
  policyNotAssigned: fixed('Not assigned to any users', (count) => `${count} not assigned to users`),
  unknownAppType: fixed('A selected app of a type the bot cannot check', (count) => `${count} with an app of an unknown type`),
  unreadable: fixed("Graph's answer could not be read", (count) => `${count} unreadable`),
};

function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_WORDS, code);
}

/** The heading of a problem; a code this version does not know (an old digest record) is shown as it is. */
export function problemHeading(code: string, context: ProblemContext = {}): string {
  return isProblemCode(code) ? PROBLEM_WORDS[code].heading(context) : code;
}

/** `3 without a device group, 1 deleted`: each problem once, most frequent first, from each entry's codes. */
export function problemSummary(codesPerEntry: readonly (readonly string[])[]): string {
  const counts = new Map<string, number>();
  for (const codes of codesPerEntry) for (const code of new Set(codes)) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([code, count]) => (isProblemCode(code) ? PROBLEM_WORDS[code].summary(count) : `${count} ${code}`))
    .join(', ');
}

/** The drift check's findings on a card: a heading each, then its sentence (codes are in the details section). */
export function problemLines(findings: readonly { readonly code: DriftFindingCode; readonly message: string }[], context: ProblemContext = {}): CardElement[] {
  return findings.flatMap((finding) => [
    text(`• ${PROBLEM_WORDS[finding.code].heading(context)}`, { weight: 'Bolder', spacing: 'Small' }),
    text(plain(readableTimes(finding.message)), { spacing: 'None' }),
  ]);
}

/** Each finding's code and Graph's words: what the details section lists. */
export function problemCodes(findings: readonly { readonly code: string; readonly message: string }[]): CardElement[] {
  return findings.map((finding) => text(`${finding.code}: ${plain(readableTimes(finding.message))}`, { isSubtle: true, spacing: 'Small' }));
}
