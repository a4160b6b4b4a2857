/**
 * A readiness pass through the Graph reader, the batch helper and the emulator's Intune routes, $batch and
 * Intune throttle, in process (the same modules the emulator serves over HTTP once they are wired in).
 */
import type { BatchTransport } from '../../src/graph/batch';
import { createIntuneReader } from '../../src/graph/intuneReader';
import { assessedReadiness, readReadiness, type ReadinessPass, type ReadinessSubject } from '../../src/inventory/readinessPass';
import { GraphError } from '../../src/provisioning/graphError';
import { handleBatch, type InnerAnswer } from '../../src/sandbox/batchRoute';
import { isErrorReply, type GraphReply } from '../../src/sandbox/graphWire';
import { routeIntuneRequest } from '../../src/sandbox/intuneRoutes';
import { SandboxIntune } from '../../src/sandbox/intuneState';
import { IntuneThrottle } from '../../src/sandbox/intuneThrottle';

const DEVICES = 'devices-group';
const USERS = 'users-group';

let intune: SandboxIntune;
let policies: Set<string>;
let throttle: IntuneThrottle | undefined;
let clock = 0;
let roundTrips = 0;

beforeEach(() => {
  intune = new SandboxIntune();
  policies = new Set();
  throttle = undefined;
  clock = 0;
  roundTrips = 0;
});

function answer(reply: GraphReply): InnerAnswer {
  return isErrorReply(reply)
    ? { status: reply.status, headers: { ...reply.headers }, body: { error: reply.error } }
    : { status: reply.status, headers: { ...reply.headers }, body: reply.body };
}

const transport: BatchTransport = {
  async post(version, body) {
    roundTrips += 1;
    const reply = handleBatch(body, (inner) => {
      const url = new URL(inner.url, 'http://emulator.invalid');
      const refused = throttle?.admit(inner.method, url.pathname);
      if (refused) return answer(refused);
      const routed = routeIntuneRequest({ method: inner.method, version, path: url.pathname, query: url.searchParams, body: inner.body }, { intune, policyExists: (id) => policies.has(id) });
      return answer(routed ?? { status: 400, error: { code: 'BadRequest', message: 'no route' } });
    });
    return { status: reply.status, headers: {}, body: isErrorReply(reply) ? { error: reply.error } : reply.body, requestId: `b${roundTrips}`, clientRequestId: 'c' };
  },
};

const reader = () =>
  createIntuneReader({
    batch: transport,
    listAll: async (path) => {
      const reply = routeIntuneRequest({ method: 'GET', version: 'beta', path, query: new URLSearchParams(), body: undefined }, { intune, policyExists: () => false });
      return { value: (reply && !isErrorReply(reply) ? (reply.body as { value: unknown[] }).value : []), requestIds: ['list'] };
    },
    // Waits are the clock's: the throttle refills as time passes, nothing sleeps.
    batchOptions: { sleep: async (ms) => void (clock += ms), now: () => clock },
  });

/** Both steps of a pass, as the inventory takes them. */
async function readinessOf(subjects: readonly ReadinessSubject[]): Promise<ReadinessPass> {
  return assessedReadiness(await readReadiness(reader(), subjects), subjects);
}

function policy(id: string): ReadinessSubject {
  policies.add(id);
  intune.assignPolicy(id, [{ kind: 'group', groupId: USERS }]);
  return { policyId: id, scenario: 'userDriven', groupId: DEVICES, groupName: 'Devices' };
}

describe('a readiness pass', () => {
  it('finds a ready policy ready, an app assigned only to users, a user-context script, and a deleted app', async () => {
    const portal = intune.addApp({ displayName: 'Company Portal', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'required', target: { kind: 'group', groupId: DEVICES } }] });
    const teams = intune.addApp({ displayName: 'Teams', appType: 'winGetApp', runAsAccount: 'system', assignments: [{ intent: 'required', target: { kind: 'group', groupId: USERS } }] });
    const gone = intune.addApp({ displayName: 'Old', appType: 'win32LobApp', runAsAccount: 'system' });
    const rename = intune.addScript({ displayName: 'Rename', runAsAccount: 'system', assignments: [{ kind: 'group', groupId: DEVICES }] });
    const drives = intune.addScript({ displayName: 'Map drives', runAsAccount: 'user', assignments: [{ kind: 'group', groupId: DEVICES }] });
    const ready = policy('ready');
    intune.selectForPolicy('ready', { apps: [portal], scripts: [rename] });
    const appToUsers = policy('app-to-users');
    intune.selectForPolicy('app-to-users', { apps: [portal, teams], scripts: [rename] });
    const userScript = policy('user-script');
    intune.selectForPolicy('user-script', { apps: [portal, gone], scripts: [drives] });
    intune.deleteApp(gone.id);

    const pass = await readinessOf([ready, appToUsers, userScript]);
    const codes = (id: string) => (pass.findings.get(id) ?? []).map((finding) => finding.code);
    expect(codes('ready')).toEqual([]);
    expect(codes('app-to-users')).toEqual(['appNotAssignedToGroup']);
    expect(pass.findings.get('app-to-users')?.[0]?.detail).toContain('"Teams" is not assigned to the device group "Devices"');
    expect(codes('user-script')).toEqual(['appNotFound', 'scriptNotSystemContext']);
    // 6 policy reads, then 3 apps and 2 scripts, each app and script read once: 3 round trips.
    expect(roundTrips).toBe(3);
  });

  it('reads 40 policies in 4 batches of 20, each shared app once', async () => {
    const app = intune.addApp({ displayName: 'Portal', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'required', target: { kind: 'group', groupId: DEVICES } }] });
    const subjects = Array.from({ length: 40 }, (_, index) => {
      const subject = policy(`p${index}`);
      intune.selectForPolicy(subject.policyId, { apps: [app] });
      return subject;
    });
    const pass = await readinessOf(subjects);
    expect([...pass.findings.values()].every((findings) => findings.length === 0)).toBe(true);
    expect(roundTrips).toBe(4 + 1);
  });

  it('waits out Intune throttling inside the batches and still finds what is wrong', async () => {
    throttle = new IntuneThrottle({}, () => clock);
    const app = intune.addApp({ displayName: 'Portal', appType: 'win32LobApp', runAsAccount: 'user', assignments: [{ intent: 'required', target: { kind: 'group', groupId: DEVICES } }] });
    // 600 policies: 1,200 reads of policies against a budget of 1,000 per 20 s.
    const subjects = Array.from({ length: 600 }, (_, index) => {
      const subject = policy(`p${index}`);
      intune.selectForPolicy(subject.policyId, { apps: [app] });
      return subject;
    });
    const pass = await readinessOf(subjects);
    expect(pass.findings.size).toBe(600);
    expect([...pass.findings.values()].every((findings) => findings.map((finding) => finding.code).join() === 'appNotSystemContext')).toBe(true);
    expect(clock).toBeGreaterThan(0);
  });

  it('ends the pass with a GraphError when throttling outlasts the retries, claiming nothing', async () => {
    throttle = new IntuneThrottle({}, () => 0); // the clock never moves: the budget never refills
    const subjects = Array.from({ length: 520 }, (_, index) => policy(`p${index}`));
    await expect(readinessOf(subjects)).rejects.toBeInstanceOf(GraphError);
  });

  it('skips a policy deleted between the list and its reads', async () => {
    const subject = policy('gone');
    policies.delete('gone');
    const pass = await readinessOf([subject]);
    expect(pass.findings.has('gone')).toBe(false);
  });
});
