/**
 * Child process for the crash-safety test: provisions a policy's group against the emulator, then stops
 * inside recordGroup (after the Graph create, before the result is recorded) and waits to be killed.
 */
import { orderFor } from './names';
import { createGraphDirectory } from '../../../src/graph/graphDirectory';
import { createProvisioningService } from '../../../src/provisioning/service';

const AT_RECORD = 'created-in-graph-now-recording';
const [emulatorUrl, token, policyName] = process.argv.slice(2);
if (!emulatorUrl || !token || !policyName) throw new Error('usage: crashChild <emulatorUrl> <token> <policyName>');

function stopHere(): Promise<never> {
  process.stdout.write(`${AT_RECORD}\n`);
  return new Promise(() => undefined); // never records: the parent kills us here
}

const service = createProvisioningService({
  directory: createGraphDirectory({ baseUrl: emulatorUrl, credential: { kind: 'static', token } }),
  registry: { recordGroup: stopHere, replaceGroup: stopHere },
});

void service.ensureGroup(orderFor(service, policyName, 'userDriven'), { aadObjectId: 'crash-test', name: 'Crash test' });
