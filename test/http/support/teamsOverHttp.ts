/**
 * Teams as the bot's HTTP endpoint sees it, for tests of the real app in sandbox mode with the token-service
 * stub: the sandbox's people, the app's settings, a card click (Action.Execute) and a typed message, each one
 * POST to /api/messages, and the buttons a card offers behind a confirmation.
 */
import { SANDBOX_CONNECTION_NAME } from '../../../src/sandbox/main';

export const TENANT = '00000000-0000-4000-8000-000000000001';
export const MEGAN = { id: '29:megan-bowen', name: 'Megan Bowen', userPrincipleName: 'meganb@contoso.example', aadObjectId: '00000000-0000-4000-8000-0000000000a2' };
export const ALEX = { id: '29:alex-wilber', name: 'Alex Wilber', userPrincipleName: 'alexw@contoso.example', aadObjectId: '00000000-0000-4000-8000-0000000000a1' };
export type Person = typeof MEGAN;

export interface InvokeAnswer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the invoke body as Teams reads it: the assertions are the schema
  readonly body: { statusCode: number; type: string; value: any };
}

export type ReplyActivity = { type: string; text?: string; attachments?: Array<{ contentType: string; content: unknown }> };

/** The sandbox app's settings: the Graph emulator and its token-service stub, one approver, signing in through the stub. */
export function sandboxAppEnv(emulatorUrl: string, sqlitePath: string, approverId: string): Record<string, string> {
  return {
    APP_MODE: 'sandbox', HOST: '127.0.0.1', PORT: '0', GRAPH_BASE_URL: emulatorUrl, SQLITE_PATH: sqlitePath,
    APPROVER_IDS: approverId, OAUTH_CONNECTION_NAME: SANDBOX_CONNECTION_NAME, SANDBOX_TOKEN_SERVICE_URL: emulatorUrl,
  };
}

function from(person: Person) {
  return {
    channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/_connector',
    from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId }, recipient: { id: '28:bot', name: 'Autopilot groups' },
    conversation: { id: `personal-${person.id}`, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } },
  };
}

/** A button's Action.Execute as Teams sends it, with the sign-in retry's extra fields when given. */
export async function clickAs(appUrl: string, person: Person, verb: string, data: unknown, extra: Record<string, unknown> = {}): Promise<InvokeAnswer> {
  const response = await fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'invoke', name: 'adaptiveCard/action', id: 'click-1', ...from(person), value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual', ...extra } }),
  });
  return { status: response.status, body: (await response.json()) as InvokeAnswer['body'] };
}

/** A typed message in the person's personal chat, its replies in the HTTP response. */
export async function sayAs(appUrl: string, person: Person, text: string): Promise<ReplyActivity[]> {
  const response = await fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', id: 'message-1', text, deliveryMode: 'expectReplies', ...from(person) }),
  });
  return ((await response.json()) as { activities: ReplyActivity[] }).activities;
}

/** The data of every `verb` button the replies' cards offer behind a confirmation (Action.ShowCard → the button). */
export function confirmedOffers(replies: readonly ReplyActivity[], verb: string): Record<string, unknown>[] {
  const offers: Record<string, unknown>[] = [];
  const walk = (node: unknown, confirmed: boolean): void => {
    if (Array.isArray(node)) return node.forEach((item) => walk(item, confirmed));
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record['verb'] === verb && confirmed) offers.push(record['data'] as Record<string, unknown>);
    Object.values(record).forEach((value) => walk(value, confirmed || record['type'] === 'Action.ShowCard'));
  };
  walk(replies.flatMap((reply) => reply.attachments ?? []).map((card) => card.content), false);
  return offers;
}
