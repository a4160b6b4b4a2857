/**
 * The database unavailable, through the compiled bot process on a PostgreSQL cluster of the suite's own
 * (initdb/pg_ctl in a temporary directory — never the shared cluster): unavailable at start, stopped and
 * restarted under a running bot, and stopped while a group is being created. Nothing may be lost, nothing
 * internal may reach a caller, and the policy must end with exactly one group.
 */
import { VERBS } from '../../src/bot/verbs';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import { openStore, type Store } from '../../src/store';
import { INTERNAL_DETAIL, aki, answerText, click, hana, message, post, submitRequest } from './support/activities';
import { backdateInterruptedPostgresRequests } from './support/backdate';
import { BotProcesses, type BotProcess } from './support/botProcess';
import { startStubConnector, type StubConnector } from './support/connector';
import { isUpsert, startGraphProxy, type GraphProxy } from './support/graphProxy';
import { createThrowawayPostgres, postgresBinDir, type ThrowawayPostgres } from './support/throwawayPostgres';
import { waitFor } from './support/waitFor';

const binDir = postgresBinDir();
if (!binDir) console.warn('Database-outage tests SKIPPED: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql).');
const describeWithPostgres = binDir ? describe : describe.skip;

const GENERIC_FAILURE = /Something went wrong on my side|could not process this activity/;

describeWithPostgres('PostgreSQL unavailable (a throw-away cluster stopped and restarted)', () => {
  let pg: ThrowawayPostgres;
  let emulator: GraphEmulator;
  let proxy: GraphProxy;
  let connector: StubConnector;
  let processes: BotProcesses;
  let store: Store | undefined;

  beforeAll(async () => {
    pg = await createThrowawayPostgres(binDir as string);
  });
  afterAll(() => pg?.destroy());

  beforeEach(async () => {
    emulator = await startGraphEmulator();
    proxy = await startGraphProxy(emulator.url);
    connector = await startStubConnector();
    processes = new BotProcesses();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await processes.stopAll();
    await connector.close();
    await proxy.close();
    await emulator.close();
  });

  const botEnv = (): NodeJS.ProcessEnv => ({ DATABASE_URL: pg.url, SQLITE_PATH: '', GRAPH_BASE_URL: proxy.url });
  const ready = async (bot: BotProcess): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${bot.url}/readyz`, { signal: AbortSignal.timeout(15_000) });
    return { status: response.status, body: await response.json() };
  };
  const submit = (bot: BotProcess, policyName: string): Promise<string> =>
    submitRequest(bot.endpoint, hana, { policyName, scenario: 'automatic' }, connector.url);
  const provisionedOnce = async (requestId: string): Promise<void> => {
    store ??= await openStore({ kind: 'postgres', url: pg.url });
    const open = store;
    const request = await waitFor(`${requestId} provisioned`, async () => {
      const current = await open.getRequest(requestId);
      return current?.state === 'provisioned' ? current : undefined;
    });
    const groups = emulator.admin.groups().filter((group) => group.uniqueName === request.names.uniqueName);
    expect(groups.map((group) => group.id)).toEqual([request.groupId]);
  };

  test('unavailable at start: the bot exits with one line saying what to check instead of serving; once the database is up it starts', async () => {
    pg.stop();
    const refused = processes.spawn(botEnv());
    const { port } = new URL(pg.url);
    await refused.waitForOutput(/The bot could not start: .*\n/, 30_000);
    await waitFor('the bot to exit', () => (refused.running ? undefined : true), 30_000);
    expect(refused.tail()).toContain(
      `The bot could not start: cannot open the PostgreSQL database "${new URL(pg.url).pathname.slice(1)}" at 127.0.0.1:${port}: connection refused. ` +
        'Check that PostgreSQL is running and reachable from here, and DATABASE_URL (host, port, database, user, password). (LOG_LEVEL=debug prints the stack trace)\n',
    );
    expect(refused.tail()).not.toMatch(/^\s+at /m);
    expect(refused.tail()).not.toMatch(/"msg":"listening"/);

    pg.start();
    const bot = await processes.start(botEnv());
    expect(await ready(bot)).toEqual({ status: 200, body: { ok: true, checks: { database: 'ok', ownerServicePrincipal: 'ok' } } });
  });

  test('stopped mid-run: readiness fails, turns get a plain apology, the process stays up; after the restart nothing is lost', async () => {
    pg.start();
    const bot = await processes.start(botEnv());
    await post(bot.endpoint, message(hana, 'help', connector.url));
    const requestId = await submit(bot, 'Outage Policy');

    pg.stop('immediate');
    const readiness = await ready(bot);
    expect(readiness).toEqual({ status: 503, body: { ok: false, checks: { database: expect.stringMatching(/failed|timed out/), ownerServicePrincipal: 'ok' } } });
    for (const activity of [message(hana, 'status Outage Policy', connector.url), click(aki, VERBS.approve, { requestId }, connector.url)]) {
      const answer = await post(bot.endpoint, activity);
      expect(answerText(answer)).toMatch(GENERIC_FAILURE);
      expect(answer.body).not.toMatch(INTERNAL_DETAIL);
    }
    expect(bot.managed.running).toBe(true);

    pg.start();
    await waitFor('readiness after the restart', async () => ((await ready(bot)).status === 200 ? true : undefined), 30_000, 200);
    expect(answerText(await post(bot.endpoint, message(hana, `status ${requestId}`, connector.url)))).toMatch(/Waiting for approval/);
    expect(answerText(await post(bot.endpoint, click(aki, VERBS.approve, { requestId }, connector.url)))).toMatch(requestId);
    await provisionedOnce(requestId);
  });

  test('stopped while the group is being created: after the database and the bot restart, the request ends provisioned with one group', async () => {
    pg.start();
    const bot = await processes.start(botEnv());
    const requestId = await submit(bot, 'Half Done Policy');
    const created = proxy.holdNext('after', isUpsert);
    await post(bot.endpoint, click(aki, VERBS.approve, { requestId }, connector.url));
    await created; // Graph has the group; the bot has not heard yet
    pg.stop('immediate');
    proxy.release(); // the bot now fails to record the group, and to record the failure
    await waitFor('the bot to give up on the database', () => (/background provisioning stopped/.test(bot.managed.tail()) ? true : undefined), 30_000, 100);
    await bot.managed.stop();

    pg.start();
    expect(await backdateInterruptedPostgresRequests(pg.url)).toBe(1);
    await processes.start(botEnv());
    await provisionedOnce(requestId);
  });
});
