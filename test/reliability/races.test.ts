/**
 * Races between two compiled bot processes sharing one PostgreSQL database (a fresh database on the
 * TEST_DATABASE_URL server, dropped afterwards), driven over HTTP: 50 people request the same policy at
 * once, 100 approvers approve its request at once, then 50 people request it again — exactly one request,
 * one decision and one group.
 */
import { VERBS } from '../../src/bot/verbs';
import { REQUEST_STATES } from '../../src/domain/request';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import { openStore, type Store } from '../../src/store';
import { createTestDatabase } from '../store/support/harness';
import { type Person, answerText, click, post } from './support/activities';
import { BotProcesses, type BotProcess } from './support/botProcess';
import { startStubConnector, type StubConnector } from './support/connector';
import { waitFor } from './support/waitFor';

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];
if (!TEST_DATABASE_URL) console.warn('Two-process race tests SKIPPED: set TEST_DATABASE_URL (postgres://ci:ci@127.0.0.1:5432/adgb_test) to run them.');
const describeWithPostgres = TEST_DATABASE_URL ? describe : describe.skip;

const REQUESTERS = 50;
const APPROVER_COUNT = 100;

function people(count: number, prefix: string, digit: string): Person[] {
  return Array.from({ length: count }, (_, index) => {
    const suffix = String(index).padStart(12, '0');
    return { teamsId: `29:${prefix}-${index}`, name: `${prefix} ${index}`, aadObjectId: `${digit.repeat(8)}-0000-4000-8000-${suffix}` };
  });
}

const requesters = people(REQUESTERS, 'Requester', '5');
const approvers = people(APPROVER_COUNT, 'Approver', '6');
const SPELLINGS = ['Raced Policy', 'raced policy', '  RACED   Policy ', 'Raced\u00A0Policy'];

describeWithPostgres('two bot processes on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let url: string;
  let emulator: GraphEmulator;
  let connector: StubConnector;
  let processes: BotProcesses;
  let bots: BotProcess[];
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(TEST_DATABASE_URL as string, 'adgb_rel');
    url = database.url;
    emulator = await startGraphEmulator();
    connector = await startStubConnector();
    processes = new BotProcesses();
    const env = { DATABASE_URL: url, SQLITE_PATH: '', GRAPH_BASE_URL: emulator.url, APPROVER_IDS: approvers.map((person) => person.aadObjectId).join(',') };
    // One after the other: the first applies the migrations.
    bots = [await processes.start(env)];
    bots.push(await processes.start(env));
    store = await openStore({ kind: 'postgres', url });
  });

  afterAll(async () => {
    await store?.close();
    await processes?.stopAll();
    await connector?.close();
    await emulator?.close();
    await database?.drop();
  });

  /** Sends each person's activity to the two bots in turn, all at once. */
  const allAtOnce = (activities: readonly Record<string, unknown>[]): Promise<string[]> =>
    Promise.all(activities.map(async (activity, index) => answerText(await post((bots[index % 2]).endpoint, activity))));

  const submitAll = (): Promise<string[]> =>
    allAtOnce(requesters.map((person, index) => click(person, VERBS.submitRequest, { policyName: SPELLINGS[index % SPELLINGS.length], scenario: 'userDriven' }, connector.url)));

  test('50 concurrent requests, 100 concurrent approvals, 50 more requests → one request, one decision, one group', async () => {
    const submitted = await submitAll();
    const created = submitted.filter((text) => /Request submitted/.test(text));
    expect(created).toHaveLength(1);
    expect(submitted.filter((text) => /already has a request in progress/.test(text))).toHaveLength(REQUESTERS - 1);
    const all = await store.listRequestsInStates(REQUEST_STATES);
    expect(all).toHaveLength(1);
    const requestId = (all[0] as { id: string }).id;

    const decided = await allAtOnce(approvers.map((person) => click(person, VERBS.approve, { requestId }, connector.url)));
    const refusals = decided.filter((text) => /already approved by Approver \d+/.test(text));
    expect(refusals).toHaveLength(APPROVER_COUNT - 1);

    const request = await waitFor(`${requestId} provisioned`, async () => {
      const current = await store.getRequest(requestId);
      return current?.state === 'provisioned' ? current : undefined;
    });
    const winner = approvers.findIndex((_person, index) => !/already approved/.test(decided[index]));
    expect(request.decision?.by.aadObjectId).toBe(approvers[winner]?.aadObjectId);
    expect(emulator.admin.groups().map((group) => group.id)).toEqual([request.groupId]);
    const audit = await store.listAudit({ requestId });
    expect(audit.filter((entry) => entry.kind === 'approved')).toHaveLength(1);
    expect(audit.filter((entry) => entry.kind === 'provisioned')).toHaveLength(1);

    const again = await submitAll();
    expect(again.every((text) => /exactly one group; use this one/.test(text))).toBe(true);
    expect(await store.listRequestsInStates(REQUEST_STATES)).toHaveLength(1);
    expect(emulator.admin.groups()).toHaveLength(1);
  });
});
