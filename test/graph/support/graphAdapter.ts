/** One emulator per test behind the real Graph adapter, and what the adapter tests share. */
import type { NewDeviceGroup } from '../../../src/provisioning/directory';
import { GraphError } from '../../../src/provisioning/graphError';
import { startSandbox, type Sandbox } from '../../provisioning/support/sandbox';

/** Starts an emulator for the test at hand and closes it after each test (unless `stop` already did). */
export function sandboxPerTest(): { start: typeof startSandbox; stop: () => Promise<void> } {
  let running: Sandbox | undefined;
  const stop = async (): Promise<void> => {
    const sandbox = running;
    running = undefined;
    await sandbox?.emulator.close();
  };
  afterEach(stop);
  return {
    async start(...args) {
      running = await startSandbox(...args);
      return running;
    },
    stop,
  };
}

export function deviceGroup(sandbox: Sandbox, uniqueName: string, displayName = 'Autopilot DP · Sales · User-driven'): NewDeviceGroup {
  return {
    displayName,
    mailNickname: 'adp-sales-12345678',
    uniqueName,
    description: 'test',
    ownerServicePrincipalId: sandbox.emulator.admin.ownerServicePrincipalId as string,
  };
}

export async function caught(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error('expected a GraphError');
}
