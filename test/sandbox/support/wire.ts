/** Speaking to the emulator with plain fetch, as a Graph client would (the adapter has its own suite). */
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../../src/sandbox/graphEmulator';

export const TOKEN = 'wire-token';
export const AUTH = { Authorization: `Bearer ${TOKEN}` };

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a probe of arbitrary Graph JSON: the assertions are the schema
  body: any;
}

export interface EmulatorWire {
  /** The emulator the last `start` started (closed after each test). */
  readonly emulator: GraphEmulator;
  /** `token`: the bearer the emulator requires and `graph()` sends (app-only unless it is a JWT with `scp`). */
  readonly start: (options?: GraphEmulatorOptions, token?: string) => Promise<void>;
  readonly graph: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;
  /** A reference to a service principal on the emulator's own host, as references must name on any Graph cloud. */
  readonly spUrl: (id: string) => string;
  /** A security group's create body, with the service principal as owner when given. */
  readonly groupBody: (displayName: string, ownerSpId?: string) => Record<string, unknown>;
  /** An upsert on uniqueName with the owner service principal bound, creating the group when it is missing. */
  readonly upsert: (uniqueName: string, displayName: string) => Promise<Answer>;
}

/** One Graph call with any bearer (e.g. a token the emulator's token service issued), as a client sends it. */
export async function callWithBearer(baseUrl: string, method: string, path: string, bearer: string, body?: unknown): Promise<Pick<Answer, 'status' | 'body'>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** One emulator per test, started with `defaults` under the test's own options. */
export function emulatorWire(defaults: GraphEmulatorOptions = {}): EmulatorWire {
  let emulator: GraphEmulator | undefined;
  let bearer = TOKEN;
  const running = (): GraphEmulator => {
    if (!emulator) throw new Error('start() the emulator first');
    return emulator;
  };
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  const spUrl = (id: string): string => `${running().url}/v1.0/servicePrincipals/${id}`;
  const groupBody = (displayName: string, ownerSpId?: string): Record<string, unknown> => ({
    displayName,
    mailNickname: 'nick',
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
    ...(ownerSpId ? { 'owners@odata.bind': [spUrl(ownerSpId)] } : {}),
  });
  const wire: EmulatorWire = {
    get emulator() {
      return running();
    },
    start: async (options = {}, token = TOKEN) => {
      bearer = token;
      emulator = await startGraphEmulator({ requiredToken: token, ...defaults, ...options });
    },
    graph: async (method, path, body, headers = {}) => {
      const response = await fetch(`${running().url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    },
    spUrl,
    groupBody,
    upsert: (uniqueName, displayName) =>
      wire.graph('PATCH', `/v1.0/groups(uniqueName='${uniqueName}')`, groupBody(displayName, running().admin.ownerServicePrincipalId), {
        Prefer: 'create-if-missing',
      }),
  };
  return wire;
}

export const filterPath = (expression: string): string => `/v1.0/groups?$filter=${encodeURIComponent(expression)}`;
