/** The real Graph adapter against a real emulator on loopback, tuned so tests never sleep for long. */
import { createGraphDirectory, type GraphDirectoryOptions } from '../../../src/provisioning/graphDirectory';
import type { Directory } from '../../../src/provisioning/directory';
import type { GroupMembershipChecker } from '../../../src/requests/ports';
import type { GraphAttempt } from '../../../src/provisioning/graphMiddleware';
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../../src/sandbox/graphEmulator';

export const SANDBOX_TOKEN = 'sandbox-test-token';

export interface Sandbox {
  readonly emulator: GraphEmulator;
  readonly directory: Directory & GroupMembershipChecker;
  readonly attempts: GraphAttempt[];
}

export const FAST_RETRY = {
  maxRetries: 3,
  delaySeconds: 0,
  maxRetryTimeMs: 10_000,
  replicationReadAttempts: 5,
  replicationReadDelayMs: 20,
} as const;

export async function startSandbox(
  emulatorOptions: GraphEmulatorOptions = {},
  directoryOptions: Partial<GraphDirectoryOptions> = {},
): Promise<Sandbox> {
  const emulator = await startGraphEmulator({ requiredToken: SANDBOX_TOKEN, ...emulatorOptions });
  const attempts: GraphAttempt[] = [];
  const directory = createGraphDirectory({
    baseUrl: emulator.url,
    credential: { kind: 'static', token: SANDBOX_TOKEN },
    retry: FAST_RETRY,
    onRequest: (attempt) => attempts.push(attempt),
    ...directoryOptions,
  });
  return { emulator, directory, attempts };
}
