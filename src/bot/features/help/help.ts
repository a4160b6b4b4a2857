import type { TurnContext } from 'botbuilder';
import { type CommandHelp, helpCard } from './helpCard';
import { plain } from '../../cards/elements';
import { replyWithCard } from '../../turn';

export const HELP_COMMAND = /^\s*help\b/i;

export const COMMANDS: readonly (CommandHelp & { readonly keyword: string })[] = [
  {
    keyword: 'request',
    usage: 'request [policy] [as user-driven|automatic]',
    description:
      'Open the request form (also: new), prefilled. Type the policy name as it is (or will be) in Intune; a name ending in ' +
      'User-driven, Automatic or Windows 365 preselects that scenario.',
  },
  { keyword: 'status', usage: 'status <policy> | status REQ-n', description: 'Where a policy or a request stands (REQ-n alone works too).' },
  { keyword: 'mine', usage: 'mine', description: 'Your requests.' },
  { keyword: 'pending', usage: 'pending', description: 'Requests waiting for a decision (approvers).' },
  { keyword: 'groups', usage: 'groups [page]', description: 'Every policy and its device group, a page at a time.' },
  { keyword: 'check', usage: 'check <policy>', description: 'Check that the policy\'s group is still what Autopilot needs.' },
  { keyword: 'bind', usage: 'bind <policy>', description: 'Once the policy exists in Intune, make it use its group (approvers).' },
  {
    keyword: 'replace',
    usage: 'replace <policy>',
    description: "Give the policy a correct group of its own where its group is dynamic, shared or gone; the old group is left as it is (approvers).",
  },
  { keyword: 'restore', usage: 'restore <policy>', description: "Bring the policy's deleted group back from the recycle bin (approvers)." },
  { keyword: 'policies', usage: 'policies', description: 'Every device-preparation policy in the tenant, its group and what is wrong with it; adopt a hand-made group, assign a selected app or script to the device group (approvers).' },
  { keyword: 'cancel', usage: 'cancel REQ-n | cancel <policy>', description: 'Cancel your request while it is pending.' },
  { keyword: 'sign', usage: 'sign out', description: 'Forget your sign-in: the next bind asks you to sign in again (approvers).' },
  { keyword: 'register', usage: 'register approvals', description: 'In a team channel: post new requests here (approvers).' },
  { keyword: 'help', usage: 'help', description: 'This list.' },
];

const KEYWORDS = [...COMMANDS.map((c) => c.keyword), 'new'];

export async function handleHelp(context: TurnContext): Promise<void> {
  await replyWithCard(context, helpCard({ commands: COMMANDS }));
}

/** `hi`, `hello`, `good morning`: a short hello with where to start, not a guess at a command. */
export const GREETING = /^\s*(hi|hello|hey|hallo|good (morning|afternoon|evening))\b[\s!.,]*(there)?[\s!.]*$/i;
/** `thanks`, `thank you`: a short answer. */
export const THANKS = /^\s*(thanks|thank you|thx|ty|cheers)\b[\s\w!.,]*$/i;

export async function handleGreeting(context: TurnContext): Promise<void> {
  const name = context.activity.from?.name?.trim().split(/\s+/)[0];
  await context.sendActivity(
    `Hi${name ? ` ${plain(name)}` : ''}! Type \`request <policy name>\` to ask for a device group, \`mine\` to see your requests, or \`help\` for everything I can do.`,
  );
}

export async function handleThanks(context: TurnContext): Promise<void> {
  await context.sendActivity("You're welcome!");
}

/** Unknown text: the help card, led by the command the first word typed is a slip of, if any. */
export async function handleUnknown(context: TurnContext): Promise<void> {
  const typed = (context.activity.text ?? '').trim();
  if (typed === '') return handleHelp(context);
  const firstWord = typed.split(/\s+/)[0].toLowerCase();
  await replyWithCard(context, helpCard({ commands: COMMANDS, unknown: { typed, closest: closestCommand(firstWord) } }));
}

/**
 * The command `word` is a typing slip of (a letter missing, extra, wrong or two swapped: one slip in a short
 * command, two in a longer one), or undefined: "asdf" is not a slip of anything, and a guess would mislead.
 */
export function closestCommand(word: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const keyword of KEYWORDS) {
    const distance = slipDistance(word, keyword);
    if (distance <= slipsAllowed(keyword) && distance < bestDistance) [best, bestDistance] = [keyword, distance];
  }
  return best;
}

const slipsAllowed = (keyword: string): number => (keyword.length <= 4 ? 1 : 2);

/** Edit distance counting a swap of two neighbouring letters as one slip (optimal string alignment). */
function slipDistance(a: string, b: string): number {
  const rows = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      let distance = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, rows[i - 2][j - 2] + 1);
      row.push(distance);
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}
