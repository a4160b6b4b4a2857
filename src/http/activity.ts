/**
 * The shape of an incoming Bot Framework activity, as far as the bot relies on it. Checked once at the HTTP
 * edge so that no turn ever starts on an activity without a sender, a conversation or a reply address.
 */
import { z } from 'zod';

const Id = z.string().min(1);

const Envelope = z.object({
  type: z.string().min(1),
  channelId: z.string().min(1),
  serviceUrl: z.string().min(1),
  from: z.object({ id: Id }),
  conversation: z.object({ id: Id }),
  name: z.unknown(),
});

const Message = z.object({ text: z.string().optional() });

const Invoke = z.object({ name: z.string().min(1) });

/** An Action.Execute click: its verb and data are parsed by the card action that handles it. */
const CardAction = Invoke.extend({ value: z.record(z.unknown()) });

/** What else an activity of this kind must carry; other kinds need nothing beyond the envelope. */
function rulesFor(activity: z.infer<typeof Envelope>): z.ZodTypeAny | undefined {
  if (activity.type === 'message') return Message;
  if (activity.type !== 'invoke') return undefined;
  return activity.name === 'adaptiveCard/action' ? CardAction : Invoke;
}

export type ActivityCheck = { readonly ok: true } | { readonly ok: false; readonly problem: string };

const withArticle = (kind: string): string => (kind === 'null' ? 'null' : `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`);

/** `from.id is missing` or `text must be a string, not a number`: names the field, never the value sent. */
function problemOf(error: z.ZodError): string {
  const [issue] = error.issues;
  if (!issue) return 'the activity is invalid';
  const field = issue.path.join('.');
  if (issue.code === z.ZodIssueCode.too_small) return `${field} is empty`;
  if (issue.code !== z.ZodIssueCode.invalid_type) return `${field} is invalid`;
  if (issue.received === 'undefined') return `${field} is missing`;
  return `${field} must be ${withArticle(issue.expected)}, not ${withArticle(issue.received)}`;
}

/** The first problem found: the envelope first, then what the kind of activity needs. */
export function checkActivity(body: unknown): ActivityCheck {
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) return { ok: false, problem: problemOf(envelope.error) };
  const rules = rulesFor(envelope.data)?.safeParse(body);
  return rules === undefined || rules.success ? { ok: true } : { ok: false, problem: problemOf(rules.error) };
}
