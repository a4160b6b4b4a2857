/**
 * A process killed (SIGKILL) between the Graph create and recording the result, then run again, still
 * leaves exactly one group: the rerun finds the group by its uniqueName-derived identity and records it.
 */
import { orderFor } from './support/names';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createProvisioningService } from '../../src/provisioning/service';
import { createMemoryRegistry } from './support/memoryRegistry';
import { SANDBOX_TOKEN, startSandbox, type Sandbox } from './support/sandbox';

const SUPPORT = path.join(__dirname, 'support');
const AT_RECORD = 'created-in-graph-now-recording';

let sandbox: Sandbox;

afterEach(async () => {
  await sandbox.emulator.close();
});

/** Runs the child until it reports it is about to record, then SIGKILLs it; resolves with its exit signal. */
function runChildUntilRecordingThenKill(emulatorUrl: string, policyName: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', path.join(__dirname, '..', 'support', 'register-ts.js'), path.join(SUPPORT, 'crashChild.ts'), emulatorUrl, SANDBOX_TOKEN, policyName], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(AT_RECORD)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal ? resolve(signal) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

it.each([
  ['a plain name', 'Contoso Crash'],
  ['a hostile name', "O'Brien ' or 1 eq 1"],
])('a SIGKILL between the Graph create and the record, then a rerun, leaves exactly one group (%s)', async (_, policyName) => {
  sandbox = await startSandbox();
  expect(await runChildUntilRecordingThenKill(sandbox.emulator.url, policyName)).toBe('SIGKILL');
  const [created] = sandbox.emulator.admin.groups();
  expect(sandbox.emulator.admin.groups()).toHaveLength(1);

  const registry = createMemoryRegistry();
  const service = createProvisioningService({ directory: sandbox.directory, registry });
  const rerun = await service.ensureGroup(orderFor(service, policyName, 'userDriven'), { aadObjectId: 'rerun', name: 'Rerun' });

  expect(sandbox.emulator.admin.groups()).toHaveLength(1);
  expect(rerun.group.groupId).toBe(created?.id);
  expect(registry.records()).toEqual([rerun.group]);
  expect((await service.ensureGroup(orderFor(service, policyName, 'userDriven'), { aadObjectId: 'again', name: 'Again' })).created).toBe(false);
  expect(sandbox.emulator.admin.groups()).toHaveLength(1);
});
