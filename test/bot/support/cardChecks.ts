/**
 * The checks every card a bot test sends goes through (the test world's Teams and Bot Connector run them on
 * each reply, invoke answer, post and update): the Adaptive Cards lint, and two of issue 21's readability
 * checks — no raw ISO time in a TextBlock or fact, and colour other than the default only on short texts.
 */
import { lintCard } from './cardLint';

/** Longer than this, coloured text is a sentence: it gets the default colour (contrast), colour is for badges. */
export const MAX_COLOURED_TEXT = 40;

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const RAW_ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * What today's cards still do that issue 21 fixes (its engineer rewrites these cards): reported by
 * `readabilityFindings`, but not failing a test. Each names the card text it allows.
 */
export const KNOWN_CARD_FINDINGS: readonly { readonly check: 'colour' | 'isoTime'; readonly text: RegExp; readonly card: string }[] = [
  { check: 'colour', text: /^Warning: \*\*\w+\*\*: /, card: 'policies and the health digest: each finding (policiesCard.ts policyEntry)' },
  { check: 'colour', text: /^\w+: REQ-\d+: /, card: "every card about a request: its state line (cards/request.ts requestDetails)" },
  { check: 'colour', text: /^Good: Group created: /, card: 'every card about a request: the group made (cards/request.ts outcome)' },
  { check: 'colour', text: /^Attention: Creating the group failed: /, card: 'every card about a request: the failure (cards/request.ts outcome)' },
  { check: 'colour', text: /^Attention: No approver could be told /, card: "the requester's card after Submit when nobody was told (submitRequest.ts)" },
  { check: 'colour', text: /^Warning: REQ-\d+ for this policy was rejected by /, card: 'the request form after an earlier rejection (form.ts)' },
  { check: 'colour', text: /^Attention: (Enter the name|Choose the scenario|The [a-z ]+ is too long|The policy name contains)/, card: "the request form: a field's error (formCard.ts fieldError)" },
  { check: 'colour', text: /^Warning: I don't know /, card: 'help after unknown text (helpCard.ts)' },
  { check: 'colour', text: /^\w+: Intune (accepted|checked|does not accept|did not take)/, card: "bind: Intune's answer (bindCard.ts)" },
  { check: 'colour', text: /^Good: Healthy: /, card: 'check: a healthy group (driftCard.ts)' },
  { check: 'colour', text: /^Good: The Intune provisioning client was added back as owner/, card: 'check and restore: the owner repaired (driftCard.ts, restoreCard.ts)' },
  { check: 'colour', text: /^Good: Restored from the recycle bin/, card: 'restore: done (restoreCard.ts)' },
  { check: 'colour', text: /^Attention: The group was deleted on /, card: 'check, submit and status: a deleted group (cards/group.ts deletedGroupText)' },
  { check: 'isoTime', text: /was deleted on \d{4}-\d{2}-\d{2}T.* until \d{4}-\d{2}-\d{2}T/, card: "check: a deleted group's finding, as provisioning words it (driftCard.ts)" },
];

export interface CardFinding {
  readonly check: 'lint' | 'colour' | 'isoTime';
  readonly detail: string;
}

/** The lint's problems and the readability findings of one card, known ones included. */
export function cardFindings(card: unknown): CardFinding[] {
  return [...lintCard(card).map((detail) => ({ check: 'lint' as const, detail })), ...readabilityFindings(card)];
}

/** Raw ISO times and coloured long texts anywhere in the card (containers, facts and refresh included). */
export function readabilityFindings(card: unknown): CardFinding[] {
  const findings: CardFinding[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    const shown = shownText(record);
    if (shown !== undefined && RAW_ISO_TIME.test(shown)) findings.push({ check: 'isoTime', detail: shown });
    if (record['type'] === 'TextBlock' && typeof record['text'] === 'string') {
      const color = record['color'];
      if (typeof color === 'string' && color !== 'Default' && record['text'].length > MAX_COLOURED_TEXT) {
        findings.push({ check: 'colour', detail: `${color}: ${record['text']}` });
      }
    }
    Object.values(record).forEach(walk);
  };
  walk(card);
  return findings;
}

function shownText(record: Record<string, unknown>): string | undefined {
  if (record['type'] === 'TextBlock' && typeof record['text'] === 'string') return record['text'];
  if (typeof record['title'] === 'string' && typeof record['value'] === 'string' && record['type'] === undefined) return record['value'];
  return undefined;
}

function isKnown(finding: CardFinding): boolean {
  return finding.check !== 'lint' && KNOWN_CARD_FINDINGS.some((known) => known.check === finding.check && known.text.test(finding.detail));
}

/** What must fail a test: every lint problem, and every readability finding not known to issue 21. */
export function cardProblems(card: unknown): string[] {
  return cardFindings(card)
    .filter((finding) => !isKnown(finding))
    .map((finding) => `${finding.check}: ${finding.detail}`);
}

/** The Adaptive Cards an activity carries: its attachments, or an invoke response's card. */
export function cardsIn(activity: { readonly type?: string; readonly attachments?: readonly { contentType?: string; content?: unknown }[]; readonly value?: unknown }): unknown[] {
  const attached = (activity.attachments ?? []).filter((a) => a.contentType === ADAPTIVE_CARD).map((a) => a.content);
  const body = (activity.value as { body?: { type?: string; value?: unknown } } | undefined)?.body;
  const answered = activity.type === 'invokeResponse' && body?.type === ADAPTIVE_CARD ? [body.value] : [];
  return [...attached, ...answered];
}

/** Every problem of every card in the activities, each prefixed with where it was seen. */
export function problemsOfSent(where: string, activities: readonly Parameters<typeof cardsIn>[0][]): string[] {
  return activities.flatMap((activity) => cardsIn(activity).flatMap((card) => cardProblems(card).map((problem) => `${where}: ${problem}`)));
}
