/** The real Graph adapter against a real emulator on loopback, tuned so tests never sleep for long. */
import { createGraphDirectory, type GraphDirectoryOptions } from '../../../src/graph/graphDirectory';
import type { GraphAttempt } from '../../../src/graph/graphMiddleware';
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../../src/sandbox/graphEmulator';

/** Not a JWT: the emulator takes its bearer for an app-only caller, as the production credentials are. */
export const SANDBOX_TOKEN = 'sandbox-test-token';

/** An unsigned JWT whose claims carry `scp`: a delegated caller (a signed-in administrator). */
export const DELEGATED_TOKEN = unsignedJwt({ scp: 'DeviceManagementConfiguration.ReadWrite.All Group.ReadWrite.All', upn: 'admin@contoso.example' });

export function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

export interface Sandbox {
  readonly emulator: GraphEmulator;
  readonly directory: ReturnType<typeof createGraphDirectory>;
  readonly attempts: GraphAttempt[];
}

export const FAST_RETRY = {
  maxRetries: 3,
  delaySeconds: 0,
  maxRetryTimeMs: 10_000,
  replicationReadAttempts: 5,
  replicationReadDelayMs: 20,
  replicationReadBudgetMs: 10_000,
} as const;

/** `token` is the bearer the emulator requires and the adapter sends: app-only by default, as in production. */
export async function startSandbox(
  emulatorOptions: GraphEmulatorOptions = {},
  directoryOptions: Partial<GraphDirectoryOptions> = {},
  token: string = SANDBOX_TOKEN,
): Promise<Sandbox> {
  const emulator = await startGraphEmulator({ requiredToken: token, ...emulatorOptions });
  const attempts: GraphAttempt[] = [];
  const directory = createGraphDirectory({
    baseUrl: emulator.url,
    credential: { kind: 'static', token },
    retry: FAST_RETRY,
    onRequest: (attempt) => attempts.push(attempt),
    ...directoryOptions,
  });
  return { emulator, directory, attempts };
}
