/**
 * The checks every card a bot test sends goes through (the test world's Teams and Bot Connector run them on
 * each reply, invoke answer, post and update): the Adaptive Cards lint, and two of issue 21's readability
 * checks — no raw ISO time in a TextBlock or fact, and colour other than the default only on short texts
 * (sentences in the default colour pass WCAG AA in the Playground's light theme; yellow and green do not).
 */
import { lintCard } from './cardLint';

/** Longer than this, coloured text is a sentence: it gets the default colour (contrast), colour is for badges. */
export const MAX_COLOURED_TEXT = 40;

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const RAW_ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export interface CardFinding {
  readonly check: 'lint' | 'colour' | 'isoTime';
  readonly detail: string;
}

/** The lint's problems and the readability findings of one card. */
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

/** What must fail a test: every lint problem and every readability finding. */
export function cardProblems(card: unknown): string[] {
  return cardFindings(card).map((finding) => `${finding.check}: ${finding.detail}`);
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
