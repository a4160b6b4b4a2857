/**
 * The compiled bot process is SIGKILLed at each step of an approval and provisioning — stopped there by
 * holding its next Graph call (before Graph applies it, or after) or its next Bot Connector call — then
 * restarted on the same SQLite file. The request must end provisioned, with exactly one group in the tenant.
 * (The step between recording the group and marking the request provisioned has no outside call to hold;
 * test/requests/integration.test.ts kills an instrumented instance there.)
 */
import { join } from 'node:path';
import { VERBS } from '../../src/bot/verbs';
import type { RequestState } from '../../src/domain/request';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import { openStore, type Store } from '../../src/store';
import { aki, answerText, click, hana, message, post } from './support/activities';
import { BotProcesses, killHard } from './support/botProcess';
import { startStubConnector, type StubConnector } from './support/connector';
import { isNameLookup, isOwnerLookup, isUpsert, startGraphProxy, type GraphProxy } from './support/graphProxy';
import { waitFor } from './support/waitFor';

interface World {
  readonly emulator: GraphEmulator;
  readonly proxy: GraphProxy;
  readonly connector: StubConnector;
}

interface CrashStep {
  readonly step: string;
  /** Arms the hold; resolves when the bot is stopped there. */
  readonly arm: (world: World) => Promise<unknown>;
  readonly stateAtKill: RequestState;
  readonly groupsAtKill: number;
}

const STEPS: readonly CrashStep[] = [
  { step: 'approved, the approval notice to the requester in flight', arm: (w) => w.connector.holdNext((call) => call.body.includes('was approved')), stateAtKill: 'approved', groupsAtKill: 0 },
  { step: 'claimed, owner service principal lookup in flight', arm: (w) => w.proxy.holdNext('before', isOwnerLookup), stateAtKill: 'provisioning', groupsAtKill: 0 },
  { step: 'claimed, looking for same-named groups', arm: (w) => w.proxy.holdNext('before', isNameLookup), stateAtKill: 'provisioning', groupsAtKill: 0 },
  { step: 'create sent, not yet applied by Graph', arm: (w) => w.proxy.holdNext('before', isUpsert), stateAtKill: 'provisioning', groupsAtKill: 0 },
  { step: 'group created by Graph, its answer not yet received', arm: (w) => w.proxy.holdNext('after', isUpsert), stateAtKill: 'provisioning', groupsAtKill: 1 },
  { step: 'provisioned, the "done" notice in flight', arm: (w) => w.connector.holdNext((call) => call.body.includes('is done')), stateAtKill: 'provisioned', groupsAtKill: 1 },
];

describe.each(STEPS.map((crash) => [crash.step, crash] as const))('SIGKILL when %s, then restart', (_step, crash) => {
  let world: World;
  let processes: BotProcesses;
  let store: Store | undefined;

  beforeEach(async () => {
    const emulator = await startGraphEmulator();
    world = { emulator, proxy: await startGraphProxy(emulator.url), connector: await startStubConnector() };
    processes = new BotProcesses();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await processes.stopAll();
    await world.proxy.close();
    await world.connector.close();
    await world.emulator.close();
  });

  test('the request ends provisioned with exactly one group', async () => {
    const sqlitePath = join(processes.dir, 'shared.sqlite');
    const env = { GRAPH_BASE_URL: world.proxy.url, SQLITE_PATH: sqlitePath };
    const first = await processes.start(env);
    const serviceUrl = world.connector.url;
    await post(first.endpoint, message(hana, 'help', serviceUrl)); // Hana's personal chat, for notices
    const submitted = answerText(await post(first.endpoint, click(hana, VERBS.submitRequest, { policyName: 'Crash Policy', scenario: 'automatic' }, serviceUrl)));
    const requestId = /REQ-\d+/.exec(submitted)?.[0] as string;
    expect(requestId).toBeDefined();

    const stopped = crash.arm(world);
    // The approver's answer may never come (the bot dies holding it): do not wait for it.
    const approval = post(first.endpoint, click(aki, VERBS.approve, { requestId }, serviceUrl)).catch(() => undefined);
    await stopped;
    await killHard(first.managed);
    await approval;

    store = await openStore({ kind: 'sqlite', path: sqlitePath });
    const uniqueName = (await store.getRequest(requestId))?.names.uniqueName;
    const groupsNamed = () => world.emulator.admin.groups().filter((group) => group.uniqueName === uniqueName);
    expect({ state: (await store.getRequest(requestId))?.state, groups: groupsNamed().length }).toEqual({
      state: crash.stateAtKill,
      groups: crash.groupsAtKill,
    });

    await store.close();
    store = undefined;
    // No backdating: a SQLite bot is the only instance, so it resumes what it finds at start-up at once.
    await processes.start(env);
    store = await openStore({ kind: 'sqlite', path: sqlitePath });
    const open = store;
    const finished = await waitFor(`${requestId} provisioned after the restart`, async () => {
      const request = await open.getRequest(requestId);
      return request?.state === 'provisioned' ? request : undefined;
    });
    expect(groupsNamed()).toHaveLength(1);
    expect(finished.groupId).toBe(groupsNamed()[0]?.id);
    expect(await open.findGroup(finished.policyKey)).toMatchObject({ groupId: finished.groupId });
  });
});
