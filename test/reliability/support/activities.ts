/** Bot Framework activities as Teams sends them, POSTed over real HTTP, and the human text of the answers. */
import { randomUUID } from 'node:crypto';
import { VERBS } from '../../../src/bot/verbs';
import { cardText } from '../../bot/support/turns';

export interface Person {
  readonly teamsId: string;
  readonly name: string;
  readonly aadObjectId: string;
}

export const hana: Person = { teamsId: '29:hana', name: 'Hana Helpdesk', aadObjectId: '11111111-1111-4111-8111-111111111111' };
export const aki: Person = { teamsId: '29:aki', name: 'Aki Approver', aadObjectId: '22222222-2222-4222-8222-222222222222' };
export const omar: Person = { teamsId: '29:omar', name: 'Omar Approver', aadObjectId: '33333333-3333-4333-8333-333333333333' };
export const eve: Person = { teamsId: '29:eve', name: 'Eve Outsider', aadObjectId: '44444444-4444-4444-8444-444444444444' };
export const APPROVERS: readonly Person[] = [aki, omar];

export type Activity = Record<string, unknown>;

const nextId = (): string => `activity-${randomUUID()}`;

/** Personal chat by default; `channel` puts it in a team channel. */
export function conversationOf(person: Person, where: 'personal' | 'channel' = 'personal'): Activity {
  return where === 'personal'
    ? { conversation: { id: `a:${person.teamsId}`, conversationType: 'personal' } }
    : {
        conversation: { id: '19:approvals@thread.tacv2', conversationType: 'channel', isGroup: true },
        channelData: { channel: { id: '19:approvals@thread.tacv2' }, team: { id: '19:team@thread.tacv2' } },
      };
}

function envelope(person: Person, serviceUrl: string): Activity {
  return {
    id: nextId(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: person.teamsId, name: person.name, aadObjectId: person.aadObjectId },
    recipient: { id: '28:device-group-bot', name: 'Device groups' },
    ...conversationOf(person),
  };
}

/** A message whose replies come back in the HTTP answer. */
export function message(person: Person, text: unknown, serviceUrl: string, extra: Activity = {}): Activity {
  return { ...envelope(person, serviceUrl), type: 'message', text, deliveryMode: 'expectReplies', ...extra };
}

/** An Action.Execute click, as Teams sends it (the invoke response is the HTTP answer). */
export function click(person: Person, verb: string, data: unknown, serviceUrl: string, extra: Activity = {}): Activity {
  return {
    ...envelope(person, serviceUrl),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: 'card-1',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    ...extra,
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export async function post(
  endpoint: string,
  body: unknown,
  options: { readonly contentType?: string | null; readonly raw?: boolean; readonly method?: string } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const method = options.method ?? 'POST';
  const response = await fetch(endpoint, {
    method,
    headers,
    ...(method === 'GET' ? {} : { body: options.raw ? (body as string | Uint8Array) : JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: await response.text() };
}

/** What a person would read: message texts and card texts of a reply, or an invoke response's card or message. */
export function answerText(answer: HttpAnswer): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return answer.body;
  }
  if (typeof parsed !== 'object' || parsed === null) return answer.body;
  const record = parsed as Record<string, unknown>;
  if (Array.isArray(record['activities'])) {
    return (record['activities'] as Activity[])
      .map((activity) => [typeof activity['text'] === 'string' ? activity['text'] : '', cardText(activity['attachments'])].join('\n').trim())
      .join('\n');
  }
  if ('value' in record && 'statusCode' in record) {
    const value = record['value'];
    if (typeof value === 'string') return value;
    // A Universal Actions error answer: `{ code, message }`.
    if (record['type'] === 'application/vnd.microsoft.error' && typeof value === 'object' && value !== null && 'message' in value) return String(value.message);
    return cardText(value);
  }
  return typeof record['message'] === 'string' ? record['message'] : answer.body;
}

/** `person` submits the request form; resolves with the request id the answer names (throws when it names none). */
export async function submitRequest(
  endpoint: string,
  person: Person,
  form: { readonly policyName: string; readonly scenario: string },
  serviceUrl: string,
): Promise<string> {
  const answer = answerText(await post(endpoint, click(person, VERBS.submitRequest, form, serviceUrl)));
  const id = /REQ-\d+/.exec(answer)?.[0];
  if (!id) throw new Error(`no request id in: ${answer}`);
  return id;
}

/** Stack frames, exception names, driver errors, file paths: nothing of this may reach a caller. */
export const INTERNAL_DETAIL = /\bat \S+ \(|\.(?:js|ts):\d+|node_modules|TypeError|ReferenceError|SqliteError|ECONNREFUSED|SQLITE_|stack|JsonWebTokenError|jwt |Unauthorized access attempt/i;
