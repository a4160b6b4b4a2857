/**
 * Issue 20 on the wire: the real Graph client against the emulator over HTTP — $batch as documented, Intune's
 * service limits counting each request of a batch on its own, the readiness reads and the assignment write.
 */
import { createGraphClient, type GraphClient } from '../../src/graph/graphClient';
import { createGraphDirectory } from '../../src/graph/graphDirectory';
import { createIntuneReadiness } from '../../src/graph/intuneReadiness';
import type { IntuneReadinessReader } from '../../src/inventory/intune';
import { assessedReadiness, readReadiness, type ReadinessPass, type ReadinessSubject } from '../../src/inventory/readinessPass';
import { GraphError } from '../../src/provisioning/graphError';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { FAST_RETRY, SANDBOX_TOKEN } from '../provisioning/support/sandbox';

let emulator: GraphEmulator;
let graph: GraphClient;

beforeEach(async () => {
  emulator = await startGraphEmulator({ requiredToken: SANDBOX_TOKEN, seed: { policies: [] } });
  graph = createGraphClient({ baseUrl: emulator.url, credential: { kind: 'static', token: SANDBOX_TOKEN }, retry: FAST_RETRY });
});

afterEach(async () => {
  await emulator.close();
});

/** Both steps of a readiness pass, as the inventory takes them. */
async function readinessOf(reader: IntuneReadinessReader, subjects: readonly ReadinessSubject[]): Promise<ReadinessPass> {
  return assessedReadiness(await readReadiness(reader, subjects), subjects);
}

const gets = (count: number, url: (index: number) => string) => ({ requests: Array.from({ length: count }, (_, index) => ({ id: String(index + 1), method: 'GET', url: url(index) })) });

describe('$batch on the wire', () => {
  it('answers each request with its own status and request-id, and refuses more than 20', async () => {
    const group = emulator.admin.addGroup({ displayName: 'Devices' });
    const response = await graph.call('POST', '/$batch', { body: gets(2, (index) => (index === 0 ? `/groups/${group.id}` : '/groups/missing')), idempotent: true });
    const { responses } = response.body as { responses: { id: string; status: number; headers: Record<string, string>; body: { displayName?: string } }[] };
    expect(responses.map((each) => [each.id, each.status]).sort()).toEqual([['1', 200], ['2', 404]]);
    expect(responses.find((each) => each.id === '1')?.body.displayName).toBe('Devices');
    expect(responses.every((each) => typeof each.headers['request-id'] === 'string')).toBe(true);
    expect(emulator.requestLog.at(-1)?.batch).toEqual({ requests: 2, throttled: 0 });
    await expect(graph.call('POST', '/$batch', { body: gets(21, () => '/groups/x'), idempotent: true })).rejects.toMatchObject({ status: 400 });
  });

  it('counts each request of a batch against Intune\'s limits on its own: 429 with its own Retry-After inside a 200 batch', async () => {
    emulator.setFaults({ intuneThrottle: { timeScale: 0.001 } }); // no refill to speak of within the test
    const policy = emulator.admin.addPolicy({ name: 'P', templateId: SCENARIO_INFO.userDriven.templateId });
    for (let batch = 0; batch < 50; batch++) {
      await graph.call('POST', '/$batch', { version: 'beta', body: gets(20, () => `/deviceManagement/configurationPolicies/${policy.id}/settings`), idempotent: true });
    }
    const response = await graph.call('POST', '/$batch', { version: 'beta', body: gets(2, () => `/deviceManagement/configurationPolicies/${policy.id}/assignments`), idempotent: true });
    expect(response.status).toBe(200);
    const { responses } = response.body as { responses: { status: number; headers: Record<string, string> }[] };
    expect(responses.map((each) => each.status)).toEqual([429, 429]);
    expect(responses[0]?.headers['Retry-After']).toMatch(/^\d+$/);
    expect(emulator.requestLog.at(-1)?.batch).toEqual({ requests: 2, throttled: 2 });
  });
});

describe('a client that batches its reads', () => {
  it('sends the Directory reads made at the same time as one $batch, each answered on its own (404 included)', async () => {
    const groups = Array.from({ length: 25 }, (_, index) => emulator.admin.addGroup({ displayName: `G${index}` }));
    const directory = createGraphDirectory({ baseUrl: emulator.url, credential: { kind: 'static', token: SANDBOX_TOKEN }, retry: FAST_RETRY, batchReads: {} });
    emulator.clearRequestLog();
    const read = await Promise.all([...groups.map((group) => directory.getGroup(group.id)), directory.getGroup('missing')]);
    expect(read.map((each) => each.value?.displayName)).toEqual([...groups.map((group) => group.displayName), undefined]);
    expect(emulator.requestLog.map((entry) => [entry.path, entry.batch?.requests])).toEqual([
      ['/v1.0/$batch', 20],
      ['/v1.0/$batch', 6],
    ]);
  });
});

describe('readiness reads and the fix, through the real client', () => {
  it('finds what the seeded sandbox scene shows, in batched round trips', async () => {
    const sandbox = await startGraphEmulator({ requiredToken: SANDBOX_TOKEN, seed: { brokenCases: true } });
    try {
      const client = createGraphClient({ baseUrl: sandbox.url, credential: { kind: 'static', token: SANDBOX_TOKEN }, retry: FAST_RETRY });
      const subjects = sandbox.admin
        .policies()
        .filter((policy) => policy.name.startsWith('Litware'))
        .map((policy) => ({ policyId: policy.id, scenario: 'userDriven' as const, groupId: policy.membershipTargetIds[0] ?? null, groupName: null }));
      sandbox.clearRequestLog();
      const pass = await readinessOf(createIntuneReadiness(client), subjects);
      const byName = new Map(sandbox.admin.policies().map((policy) => [policy.name, (pass.findings.get(policy.id) ?? []).map((finding) => finding.code)]));
      expect(byName.get('Litware Ready')).toEqual([]);
      expect(byName.get('Litware Sales')).toEqual(['appNotAssignedToGroup']);
      expect(byName.get('Litware Kiosks')).toEqual(['scriptNotSystemContext']);
      // 6 policy reads in one batch, 3 apps in one, 2 scripts in one.
      expect(sandbox.requestLog.map((entry) => entry.batch?.requests)).toEqual([6, 3, 2]);
    } finally {
      await sandbox.close();
    }
  });

  it('adds the missing assignment without touching the others, and the next pass finds the app ready', async () => {
    const devices = emulator.admin.addGroup({ displayName: 'Devices' });
    const app = emulator.admin.intune.addApp({ displayName: 'CRM', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'available', target: { kind: 'allLicensedUsers' } }] });
    const policy = emulator.admin.addPolicy({ name: 'P', templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: [devices.id] });
    emulator.admin.intune.selectForPolicy(policy.id, { apps: [app] });
    emulator.admin.intune.assignPolicy(policy.id, [{ kind: 'allLicensedUsers' }]);
    const readiness = createIntuneReadiness(graph);
    const subject = { policyId: policy.id, scenario: 'userDriven' as const, groupId: devices.id, groupName: 'Devices' };
    expect((await readinessOf(readiness, [subject])).findings.get(policy.id)?.map((finding) => finding.code)).toEqual(['appNotAssignedToGroup']);

    expect((await readiness.assignAppToGroup(app.id, devices.id)).value).toEqual({ kind: 'assigned' });
    expect(emulator.admin.intune.app(app.id)?.assignments.map((each) => each.intent)).toEqual(['available', 'required']);
    expect((await readinessOf(readiness, [subject])).findings.get(policy.id)).toEqual([]);
  });

  it('ends with a GraphError when Intune keeps throttling past the retries', async () => {
    emulator.setFaults({ intuneThrottle: { timeScale: 0.001 } }); // a window of 5.5 hours: no refill within the test
    const subjects = Array.from({ length: 501 }, (_, index) => {
      const policy = emulator.admin.addPolicy({ name: `P${index}`, templateId: SCENARIO_INFO.userDriven.templateId });
      return { policyId: policy.id, scenario: 'userDriven' as const, groupId: null, groupName: null };
    });
    const readiness = createIntuneReadiness(graph, { maxAttempts: 2, sleep: async () => undefined });
    await expect(readinessOf(readiness, subjects)).rejects.toBeInstanceOf(GraphError);
  });
});
