/**
 * The one-click fix's write against the emulator's Intune routes (in process): one assignment added, every
 * existing one kept exactly; nothing written where the group already has an assignment.
 */
import { createIntuneAssigner, type IntuneJsonClient } from '../../src/graph/intuneAssign';
import { GraphError } from '../../src/provisioning/graphError';
import { isErrorReply } from '../../src/sandbox/graphWire';
import { routeIntuneRequest } from '../../src/sandbox/intuneRoutes';
import { SandboxIntune, type SandboxTarget } from '../../src/sandbox/intuneState';

const DEVICES = 'devices';
let intune: SandboxIntune;
let writes: string[];

beforeEach(() => {
  intune = new SandboxIntune();
  writes = [];
});

const client = (): IntuneJsonClient => {
  const send = (method: string, pathAndQuery: string, body?: unknown) => {
    const url = new URL(pathAndQuery, 'http://emulator.invalid');
    if (method === 'POST') writes.push(url.pathname);
    const reply = routeIntuneRequest({ method, version: 'beta', path: url.pathname, query: url.searchParams, body }, { intune, policyExists: () => true });
    if (!reply) throw new Error(`no route for ${pathAndQuery}`);
    if (isErrorReply(reply)) {
      if (method === 'GET' && reply.status === 404) return undefined;
      throw new GraphError({ status: reply.status, code: reply.error.code, message: reply.error.message, clientRequestId: 'c' });
    }
    return { body: reply.body, requestId: `r${writes.length}` };
  };
  return {
    get: async (path) => send('GET', path),
    post: async (path, body) => ({ requestId: (send('POST', path, body) ?? { requestId: '' }).requestId }),
  };
};

const group = (groupId: string): SandboxTarget => ({ kind: 'group', groupId });

describe('assigning an app or a script to the device group', () => {
  it('adds one required assignment and keeps every other exactly as it was', async () => {
    const app = intune.addApp({
      displayName: 'Teams',
      appType: 'winGetApp',
      runAsAccount: 'system',
      assignments: [
        { intent: 'required', target: group('users') },
        { intent: 'available', target: { kind: 'allLicensedUsers' } },
        { intent: 'uninstall', target: group('leavers') },
      ],
    });
    const before = intune.app(app.id)?.assignments.map((each) => [each.id, each.intent, each.target]);
    const outcome = await createIntuneAssigner(client()).assignAppToGroup(app.id, DEVICES);
    expect(outcome.value).toEqual({ kind: 'assigned' });
    const after = intune.app(app.id)?.assignments.map((each) => [each.id, each.intent, each.target]);
    expect(after?.slice(0, 3)).toEqual(before);
    expect(after?.[3]?.slice(1)).toEqual(['required', group(DEVICES)]);
    expect(outcome.requestIds).toHaveLength(3);
  });

  it('assigns an AppX app for the device (device preparation needs device context)', async () => {
    const app = intune.addApp({ displayName: 'Store app', appType: 'windowsUniversalAppX' });
    await createIntuneAssigner(client()).assignAppToGroup(app.id, DEVICES);
    expect(intune.app(app.id)?.assignments[0]?.settings).toMatchObject({ useDeviceContext: true });
  });

  it('writes nothing where the group already has an assignment: required (done), available or an exclusion (never changed)', async () => {
    const assigner = createIntuneAssigner(client());
    const done = intune.addApp({ displayName: 'A', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'required', target: group(DEVICES) }] });
    const available = intune.addApp({ displayName: 'B', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'available', target: group(DEVICES) }] });
    const excluded = intune.addApp({ displayName: 'C', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'required', target: { kind: 'exclusionGroup', groupId: DEVICES } }] });
    expect((await assigner.assignAppToGroup(done.id, DEVICES)).value).toEqual({ kind: 'alreadyAssigned' });
    expect((await assigner.assignAppToGroup(available.id, DEVICES)).value).toEqual({ kind: 'otherAssignment', intent: 'available' });
    expect((await assigner.assignAppToGroup(excluded.id, DEVICES)).value).toEqual({ kind: 'otherAssignment', intent: 'exclude' });
    expect(writes).toEqual([]);
  });

  it('says so for a deleted app or script', async () => {
    const assigner = createIntuneAssigner(client());
    expect((await assigner.assignAppToGroup('gone', DEVICES)).value).toEqual({ kind: 'notFound' });
    expect((await assigner.assignScriptToGroup('gone', DEVICES)).value).toEqual({ kind: 'notFound' });
  });

  it('adds a script assignment and keeps the others', async () => {
    const script = intune.addScript({ displayName: 'Rename', runAsAccount: 'system', assignments: [group('users'), { kind: 'allDevices' }] });
    const outcome = await createIntuneAssigner(client()).assignScriptToGroup(script.id, DEVICES);
    expect(outcome.value).toEqual({ kind: 'assigned' });
    expect(intune.script(script.id)?.assignments.map((each) => each.target)).toEqual([group('users'), { kind: 'allDevices' }, group(DEVICES)]);
  });

  it('reports assignments lost by a concurrent change between its write and its read-back', async () => {
    const app = intune.addApp({ displayName: 'A', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'required', target: group('users') }] });
    const base = client();
    let posted = false;
    const racing: IntuneJsonClient = {
      get: (path) => base.get(path),
      post: async (path, body) => {
        const result = await base.post(path, body);
        posted = true;
        const current = intune.app(app.id);
        if (current) current.assignments = current.assignments.filter((each) => each.target.kind === 'group' && each.target.groupId === DEVICES);
        return result;
      },
    };
    const outcome = await createIntuneAssigner(racing).assignAppToGroup(app.id, DEVICES);
    expect(posted).toBe(true);
    expect(outcome.value).toEqual({ kind: 'assignmentsChanged', missing: 1 });
  });
});
