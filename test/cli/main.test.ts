/**
 * The admin CLI, run in-process through runCli (plus one real child process) against a real SQLite store
 * in a temp dir and the sandbox Graph emulator, seeded through the bot's own services.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Environment, SANDBOX_GRAPH_TOKEN, loadConfig } from '../../src/app/config';
import { EXIT_DRIFT, EXIT_ERROR, EXIT_OK, readableLogLine, runCli } from '../../src/cli/main';
import { SANDBOX_SETTINGS_FILE } from '../../src/cli/sandbox';
import { createGraphAccess, createServices } from '../../src/app/services';
import type { Actor } from '../../src/domain/actor';
import { createLogger } from '../../src/app/log';
import { OWNER_APP_ID } from '../../src/provisioning';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import { openStore } from '../../src/store';
import { createTestDatabase } from '../store/support/harness';

const APPROVER: Actor = { aadObjectId: '00000000-0000-4000-8000-0000000000a2', name: 'Megan Bowen' };
const HELPDESK: Actor = { aadObjectId: '00000000-0000-4000-8000-0000000000a1', name: 'Alex Wilber' };
const NOT_AN_APPROVER = '00000000-0000-4000-8000-0000000000ff';
const REPO = path.resolve(__dirname, '..', '..');

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `terminal`: what runCliProcess passes when stdout / stderr are a terminal. */
async function cli(argv: readonly string[], env: Environment, terminal: { columns?: number; interactive?: boolean } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli(argv, env, { out: (text) => (out += text), err: (text) => (err += text), ...terminal });
  return { code, out, err };
}

/** Cells before the first free-text column (sequence, at, kind, requestId, policyKey) never hold a comma. */
function csvRows(csv: string): Array<{ at: string; kind: string; requestId: string; actorId: string; actorName: string }> {
  const [header, ...lines] = csv.split('\r\n').filter((line) => line.length > 0);
  expect(header).toBe('sequence,at,kind,requestId,policyKey,actorId,actorName,graphRequestId,detail');
  return lines.map((line) => {
    const [, at = '', kind = '', requestId = '', , actorId = '', actorName = ''] = line.split(',');
    return { at, kind, requestId, actorId, actorName };
  });
}

function sandboxEnv(emulatorUrl: string, sqlitePath: string): Environment {
  return { APP_MODE: 'sandbox', GRAPH_BASE_URL: emulatorUrl, SQLITE_PATH: sqlitePath, APPROVER_IDS: APPROVER.aadObjectId, LOG_LEVEL: 'silent', USER: 'it-admin' };
}

/** Requests submitted and approved through the bot's own services, each at the given time. */
async function seed(env: Environment, requests: ReadonlyArray<{ readonly policyName: string; readonly at: string }>): Promise<void> {
  const config = loadConfig(env);
  const store = await openStore(config.store);
  let now = new Date(0);
  const silent = createLogger({ level: 'silent' });
  const { requests: service } = createServices(config, store, createGraphAccess(config, silent), silent, { clock: { now: () => now } });
  try {
    for (const request of requests) {
      now = new Date(request.at);
      const submitted = await service.submit({ policyName: request.policyName, scenario: 'userDriven', requester: HELPDESK });
      if (submitted.kind !== 'created') throw new Error(`seed: expected a created request, got ${submitted.kind}`);
      const approved = await service.approve(submitted.request.id, APPROVER);
      if (approved.kind !== 'decided') throw new Error(`seed: expected a decision, got ${approved.kind}`);
      await service.idle();
    }
  } finally {
    await store.close();
  }
}

describe('admin CLI', () => {
  let emulator: GraphEmulator;
  let directory: string;
  let env: Environment;

  beforeAll(async () => {
    // The emulator insists on the sandbox token, so the CLI is proven to call Graph as the bot does.
    emulator = await startGraphEmulator({ port: 0, host: '127.0.0.1', requiredToken: SANDBOX_GRAPH_TOKEN });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    env = sandboxEnv(emulator.url, path.join(directory, 'bot.sqlite'));
    await seed(env, [
      { policyName: 'Contoso Kiosks', at: '2026-01-10T09:00:00.000Z' },
      { policyName: 'Fabrikam Laptops', at: '2026-03-05T14:30:00.000Z' },
      { policyName: 'Northwind Tablets', at: '2026-05-20T08:15:00.000Z' },
    ]);
  });

  afterAll(async () => {
    await emulator.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  /** A bot database with nothing in it yet (the CLI refuses to create one). */
  const emptyDatabase = async (name: string): Promise<string> => {
    const file = path.join(directory, name);
    await (await openStore({ kind: 'sqlite', path: file })).close();
    return file;
  };

  const groupIdOf = async (policyName: string): Promise<string> => {
    const { out } = await cli(['groups', '--json'], env);
    const groups = JSON.parse(out) as Array<{ policyName: string; groupId: string }>;
    const group = groups.find((candidate) => candidate.policyName === policyName);
    if (!group) throw new Error(`no group recorded for ${policyName}`);
    return group.groupId;
  };

  describe('--sandbox: the settings npm start wrote for the sandbox bot', () => {
    const sandboxDir = (environment?: Environment): string => {
      const dir = fs.mkdtempSync(path.join(directory, 'sandbox-'));
      if (environment) fs.writeFileSync(path.join(dir, SANDBOX_SETTINGS_FILE), JSON.stringify({ about: 'as npm start writes it', environment }));
      return dir;
    };

    it('runs any command with the bot’s environment, found through SANDBOX_DATA_DIR alone, wherever the flag is', async () => {
      // The bot's own log level (debug: a line per Graph call) is for the server log, not the CLI's.
      const dir = sandboxDir({ ...sandboxEnv(emulator.url, String(env['SQLITE_PATH'])), LOG_LEVEL: 'debug', USER: '' });
      const groups = await cli(['--sandbox', 'groups', '--json'], { SANDBOX_DATA_DIR: dir });
      expect(groups).toMatchObject({ code: EXIT_OK, err: '' });
      expect(JSON.parse(groups.out)).toHaveLength(3);
      const check = await cli(['check', '--all', '--sandbox'], { SANDBOX_DATA_DIR: dir });
      expect(check).toMatchObject({ code: EXIT_OK, err: '' });
      expect(check.out).toContain('3 groups checked: 3 healthy, 0 with drift.');
    });

    it('says how to start a sandbox when there is none, and refuses a file npm start did not write', async () => {
      const none = sandboxDir();
      expect(await cli(['--sandbox', 'groups'], { SANDBOX_DATA_DIR: none })).toMatchObject({
        code: EXIT_ERROR,
        err: expect.stringContaining(`there is no sandbox at ${none} (no ${SANDBOX_SETTINGS_FILE}): start it with npm start`),
      });
      const broken = sandboxDir();
      fs.writeFileSync(path.join(broken, SANDBOX_SETTINGS_FILE), '{"environment": {"APP_MODE": 1}}');
      expect(await cli(['--sandbox', 'groups'], { SANDBOX_DATA_DIR: broken })).toMatchObject({ code: EXIT_ERROR, err: expect.stringContaining('is not what npm start writes') });
      expect(await cli(['--sandbox', 'groups', '--sandbox'], { SANDBOX_DATA_DIR: broken })).toMatchObject({ code: EXIT_ERROR, err: expect.stringContaining('--sandbox is given more than once') });
    });
  });

  describe('log lines', () => {
    it('go to stderr as JSON for a pipe, at the level LOG_LEVEL asks for', async () => {
      const run = await cli(['check', '--all'], { ...env, LOG_LEVEL: 'debug' });
      expect(run.code).toBe(EXIT_OK);
      expect(run.err).toMatch(/^\{"level":20,/m);
      expect(run.out).not.toContain('"level"');
    });

    it('on a terminal are warnings and errors only, each a sentence, never JSON', async () => {
      const run = await cli(['check', '--all'], { ...env, LOG_LEVEL: 'debug' }, { interactive: true });
      expect(run.code).toBe(EXIT_OK);
      expect(run.err).toBe('');
      expect(readableLogLine('{"level":40,"time":"t","msg":"Graph answered 503","err":{"message":"unavailable"}}\n')).toBe('admin: warning: Graph answered 503 (unavailable)\n');
      expect(readableLogLine('{"level":50,"msg":"store failed"}\n')).toBe('admin: error: store failed\n');
      expect(readableLogLine('not json\n')).toBe('not json\n');
    });
  });

  describe('help and bad arguments', () => {
    it('help (and no command) prints the usage on stdout, exit 0', async () => {
      for (const argv of [['help'], [], ['--help']]) {
        const run = await cli(argv, env);
        expect(run).toMatchObject({ code: EXIT_OK, err: '' });
        expect(run.out).toContain('audit export [--since ISO]');
        expect(run.out).toContain('check --all');
      }
    });

    it.each([
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['audit'], 'audit needs a subcommand: audit export'],
      [['audit', 'import'], 'unknown subcommand "audit import"'],
      [['audit', 'export', '--verbose'], 'audit export: unknown option --verbose'],
      [['audit', 'export', 'extra'], 'audit export: unexpected argument "extra"'],
      [['audit', 'export', '--since'], 'audit export: --since needs a value'],
      [['audit', 'export', '--since', '--until', '2026-01-01'], 'audit export: --since needs a value'],
      [['audit', 'export', '--since', 'yesterday'], '--since: "yesterday" is not an ISO-8601 date'],
      [['audit', 'export', '--since', '2026-02-30'], '--since: "2026-02-30" is not an ISO-8601 date'],
      [['audit', 'export', '--until', '2026-01-01T08:00:00'], '--until: "2026-01-01T08:00:00" is not an ISO-8601 date'],
      [['audit', 'export', '--since', '2026-03-01', '--until', '2026-02-01'], '--since (2026-03-01T00:00:00.000Z) must be before --until'],
      [['audit', 'export', '--request', '12'], '--request must be a request id such as REQ-12'],
      [['audit', 'export', '--out', 'a.csv', '--out', 'b.csv'], '--out is given more than once'],
      [['groups', '--json=yes'], 'groups: --json takes no value'],
      [['check'], 'check needs --all'],
      [['check', '--all', '--repair-owner'], '--repair-owner changes groups, so it needs --as'],
      [['check', '--all', '--as', 'megan'], '--as must be an Entra object id'],
      [['help', 'me'], 'help takes no arguments'],
    ])('%j is refused with a clear error, exit 1', async (argv, message) => {
      const run = await cli(argv, env);
      expect(run.code).toBe(EXIT_ERROR);
      expect(run.out).toBe('');
      expect(run.err).toContain(message);
      expect(run.err).toContain('npm run admin -- help');
    });
  });

  describe('audit export', () => {
    it('writes the whole audit log as CSV on stdout, in log order, with the bot’s actors', async () => {
      const run = await cli(['audit', 'export'], env);
      expect(run).toMatchObject({ code: EXIT_OK, err: '' });
      const rows = csvRows(run.out);
      expect(new Set(rows.map((row) => row.requestId))).toEqual(new Set(['REQ-1', 'REQ-2', 'REQ-3']));
      expect(rows.filter((row) => row.kind === 'provisioned')).toHaveLength(3);
      expect(rows.find((row) => row.kind === 'approved')).toMatchObject({ actorId: APPROVER.aadObjectId, actorName: APPROVER.name });
      expect(rows.map((row) => row.at)).toEqual([...rows.map((row) => row.at)].sort());
    });

    it('--request keeps only that request’s entries (req-2 is read as REQ-2)', async () => {
      const rows = csvRows((await cli(['audit', 'export', '--request', 'req-2'], env)).out);
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.every((row) => row.requestId === 'REQ-2')).toBe(true);
    });

    it('--since is inclusive and --until exclusive, dates meaning midnight UTC, zoned times converted', async () => {
      const since = csvRows((await cli(['audit', 'export', '--since', '2026-03-05T14:30:00Z'], env)).out);
      expect(new Set(since.map((row) => row.requestId))).toEqual(new Set(['REQ-2', 'REQ-3']));

      const until = csvRows((await cli(['audit', 'export', '--until', '2026-03-05T15:30:00+01:00'], env)).out);
      expect(new Set(until.map((row) => row.requestId))).toEqual(new Set(['REQ-1']));

      const window = csvRows((await cli(['audit', 'export', '--since=2026-02-01', '--until=2026-04-01'], env)).out);
      expect(new Set(window.map((row) => row.requestId))).toEqual(new Set(['REQ-2']));
    });

    it('an empty selection is the header row alone', async () => {
      const run = await cli(['audit', 'export', '--since', '2027-01-01'], env);
      expect(run).toEqual({ code: EXIT_OK, out: 'sequence,at,kind,requestId,policyKey,actorId,actorName,graphRequestId,detail\r\n', err: '' });
    });

    it('--out writes the file and says how many entries', async () => {
      const file = path.join(directory, 'req-1.csv');
      const run = await cli(['audit', 'export', '--request', 'REQ-1', '--out', file], env);
      const rows = csvRows(fs.readFileSync(file, 'utf8'));
      expect(run).toEqual({ code: EXIT_OK, out: `Wrote ${rows.length} audit entries to ${file}.\n`, err: '' });
      expect(rows.every((row) => row.requestId === 'REQ-1')).toBe(true);
    });

    it('--out into a missing directory is an error naming the file, exit 1', async () => {
      const file = path.join(directory, 'missing', 'audit.csv');
      const run = await cli(['audit', 'export', '--out', file], env);
      expect(run.code).toBe(EXIT_ERROR);
      expect(run.err).toContain(`cannot write ${file}`);
    });

    it('needs only the database settings: no bot identity, Graph or approvers', async () => {
      const run = await cli(['audit', 'export', '--request', 'REQ-3'], { SQLITE_PATH: env['SQLITE_PATH'] });
      expect(run.code).toBe(EXIT_OK);
      expect(csvRows(run.out).length).toBeGreaterThan(1);
    });

    it('a bad database setting is the configuration error, and a database it cannot open says what to check', async () => {
      const both = await cli(['audit', 'export'], { SQLITE_PATH: 'x.sqlite', DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' });
      expect(both.code).toBe(EXIT_ERROR);
      expect(both.err).toContain('DATABASE_URL and SQLITE_PATH are both set');

      const notADatabase = path.join(directory, 'not-a-database.sqlite');
      fs.writeFileSync(notADatabase, 'these are not the rows you are looking for');
      const unreadable = await cli(['groups'], { SQLITE_PATH: notADatabase });
      expect(unreadable.code).toBe(EXIT_ERROR);
      expect(unreadable.err).toContain(`cannot open the SQLite database ${notADatabase}`);
      expect(unreadable.err).toContain('. Check ');
    });

    it('a SQLite file that does not exist is refused, not created empty (a mistyped SQLITE_PATH)', async () => {
      const missing = path.join(directory, 'typo.sqlite');
      for (const argv of [['audit', 'export'], ['groups'], ['check', '--all']]) {
        const run = await cli(argv, { ...env, SQLITE_PATH: missing });
        expect(run).toMatchObject({ code: EXIT_ERROR, out: '' });
        expect(run.err).toContain(`there is no SQLite database at ${missing}; check SQLITE_PATH`);
      }
      expect(fs.existsSync(missing)).toBe(false);
    });
  });

  describe('groups', () => {
    it('lists every policy→group record as a table, ordered by policy name', async () => {
      const run = await cli(['groups'], env);
      expect(run.code).toBe(EXIT_OK);
      const lines = run.out.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^POLICY\s+SCENARIO\s+GROUP ID\s+DISPLAY NAME\s+CREATED\s+CREATED BY$/);
      expect(lines.slice(1, -1).map((line) => line.split(/\s{2,}/)[0])).toEqual(['Contoso Kiosks', 'Fabrikam Laptops', 'Northwind Tablets']);
      const kiosks = emulator.admin.groups().find((group) => group.displayName.includes('Contoso Kiosks'));
      if (!kiosks) throw new Error('no Contoso Kiosks group');
      // Shortened, and said so under the table; --wide prints it whole.
      expect(lines[1]).toContain(`${kiosks.id.slice(0, 8)}… `);
      expect(lines[1]).not.toContain(kiosks.id);
      expect(lines[1]).toContain(APPROVER.name);
      expect(lines.at(-1)).toContain('--wide shows them whole');
      const wide = await cli(['groups', '--wide'], env);
      expect(wide.out.split('\n')[1]).toContain(kiosks.id);
      expect(wide.out).not.toContain('shortened');
    });

    it('fits an 80-column terminal, cutting names rather than wrapping rows; --wide does not', async () => {
      const narrow = await cli(['groups'], env, { columns: 80 });
      const lines = narrow.out.trimEnd().split('\n');
      expect(lines.slice(0, -1).filter((line) => line.length > 80)).toEqual([]);
      expect(lines[1]).toMatch(/^Contoso K\S*…\s+userDriven\s+[0-9a-f]{8}…\s+Autopilot[^…]*…\s+\d{4}-\d\d-\d\dT\d\d:\d\dZ\s+Megan Bowen$/);
      const wide = await cli(['groups', '--wide'], env, { columns: 80 });
      expect(wide.out.split('\n').some((line) => line.length > 80)).toBe(true);
      expect(await cli(['groups', '--wide', '--json'], env)).toMatchObject({ code: EXIT_ERROR, err: expect.stringContaining('--json always prints whole values') });
    });

    it('--json gives the records themselves', async () => {
      const run = await cli(['groups', '--json'], env);
      const groups = JSON.parse(run.out) as Array<Record<string, unknown>>;
      expect(groups).toHaveLength(3);
      expect(groups[0]).toMatchObject({ policyName: 'Contoso Kiosks', scenario: 'userDriven', createdBy: APPROVER });
    });

    it('an empty store says so', async () => {
      const run = await cli(['groups'], { SQLITE_PATH: await emptyDatabase('empty.sqlite') });
      expect(run).toEqual({ code: EXIT_OK, out: 'No groups recorded yet.\n', err: '' });
    });
  });

  describe('check --all', () => {
    it('with no groups recorded there is nothing to check, exit 0', async () => {
      const run = await cli(['check', '--all'], { ...env, SQLITE_PATH: await emptyDatabase('empty-check.sqlite') });
      expect(run).toEqual({ code: EXIT_OK, out: 'No groups recorded yet; nothing to check.\n', err: '' });
    });

    it('needs the bot’s whole configuration (Graph, approvers), unlike the read-only commands', async () => {
      const run = await cli(['check', '--all'], { SQLITE_PATH: env['SQLITE_PATH'] });
      expect(run.code).toBe(EXIT_ERROR);
      expect(run.err).toContain('BOT_ID is required');
      expect(run.err).toContain('APPROVER_IDS or APPROVER_GROUP_ID is required');
    });

    it('all healthy: a line per group and exit 0, nothing audited', async () => {
      const before = csvRows((await cli(['audit', 'export'], env)).out).length;
      const run = await cli(['check', '--all'], env);
      expect(run.code).toBe(EXIT_OK);
      const lines = run.out.trimEnd().split('\n');
      expect(lines.slice(0, 3).map((line) => line.split(/\s{2,}/)[0])).toEqual(['ok', 'ok', 'ok']);
      expect(lines[3]).toBe('3 groups checked: 3 healthy, 0 with drift.');
      expect(csvRows((await cli(['audit', 'export'], env)).out)).toHaveLength(before);
    });

    it('a Graph that refuses the call is an error line per group and exit 1', async () => {
      const refusing = await startGraphEmulator({ port: 0, host: '127.0.0.1', requiredToken: 'another-token' });
      try {
        const run = await cli(['check', '--all'], { ...env, GRAPH_BASE_URL: refusing.url });
        expect(run.code).toBe(EXIT_ERROR);
        expect(run.out.split('\n').filter((line) => line.startsWith('error'))).toHaveLength(3);
        expect(run.out).toContain('3 groups checked: 0 healthy, 0 with drift, 3 could not be checked.');
      } finally {
        await refusing.close();
      }
    });

    describe('after the tenant admin changed the groups', () => {
      let owner: string;
      beforeAll(async () => {
        owner = emulator.admin.servicePrincipalByAppId(OWNER_APP_ID)?.id ?? '';
        const kiosks = await groupIdOf('Contoso Kiosks');
        const laptops = await groupIdOf('Fabrikam Laptops');
        const tablets = await groupIdOf('Northwind Tablets');
        emulator.admin.updateGroup(kiosks, { groupTypes: ['DynamicMembership'], membershipRule: '(device.deviceOSType -eq "Windows")' });
        emulator.admin.removeOwner(laptops, owner);
        emulator.admin.deleteGroup(tablets);
      });

      it('reports each group’s drift codes, audits driftFound under the CLI actor, exit 2', async () => {
        const run = await cli(['check', '--all'], env);
        expect(run.code).toBe(EXIT_DRIFT);
        const lines = run.out.trimEnd().split('\n');
        expect(lines[0]).toMatch(/^drift\s+Contoso Kiosks\s+\S+\s+notStaticSecurityGroup$/);
        expect(lines[1]).toMatch(/^drift\s+Fabrikam Laptops\s+\S+\s+firstPartyAppNotAnOwner$/);
        expect(lines[2]).toMatch(/^drift\s+Northwind Tablets\s+\S+\s+securityGroupNotFound$/);
        expect(lines[3]).toBe('3 groups checked: 0 healthy, 3 with drift.');

        const drift = csvRows((await cli(['audit', 'export'], env)).out).filter((row) => row.kind === 'driftFound');
        expect(drift).toHaveLength(3);
        expect(drift.every((row) => row.actorId === '' && row.actorName === 'admin CLI (it-admin)')).toBe(true);
      });

      it('--repair-owner by someone who is not an approver repairs nothing, says why, audits the refusal', async () => {
        const run = await cli(['check', '--all', '--repair-owner', '--as', NOT_AN_APPROVER], env);
        expect(run.code).toBe(EXIT_DRIFT);
        expect(run.err).toContain(`${NOT_AN_APPROVER} is not an approver`);
        expect(run.out).toMatch(/Fabrikam Laptops\s+\S+\s+firstPartyAppNotAnOwner\n/);
        expect(emulator.admin.group(await groupIdOf('Fabrikam Laptops'))?.ownerIds).not.toContain(owner);
        const denied = csvRows((await cli(['audit', 'export'], env)).out).filter((row) => row.kind === 'denied' && row.actorId === NOT_AN_APPROVER);
        expect(denied).toHaveLength(3);
      });

      it('--repair-owner --as an approver re-adds the owner, attributed to them; the others still drift', async () => {
        const run = await cli(['check', '--all', '--repair-owner', '--as', APPROVER.aadObjectId.toUpperCase()], env);
        expect(run.code).toBe(EXIT_DRIFT);
        expect(run.err).toBe('');
        expect(run.out).toMatch(/^ok\s+Fabrikam Laptops\s+\S+\s+\(owner re-added\)$/m);
        expect(run.out).toContain('3 groups checked: 1 healthy, 2 with drift.');
        expect(emulator.admin.group(await groupIdOf('Fabrikam Laptops'))?.ownerIds).toContain(owner);

        const drift = csvRows((await cli(['audit', 'export'], env)).out).filter((row) => row.kind === 'driftFound' && row.actorId === APPROVER.aadObjectId);
        expect(drift).toHaveLength(2);
        expect(drift.every((row) => row.actorName === 'admin CLI (it-admin)')).toBe(true);
      });

      it('as a real process: src/cli.ts (through the TypeScript loader) exits 2 with the report on stdout', async () => {
        const child = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            ['-r', path.join(REPO, 'test/support/register-ts.js'), path.join(REPO, 'src/cli.ts'), 'check', '--all'],
            { cwd: directory, env: { PATH: process.env['PATH'], ...env } },
            (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
          );
        });
        expect(child.stderr).toBe('');
        expect(child.code).toBe(EXIT_DRIFT);
        expect(child.stdout).toContain('3 groups checked: 1 healthy, 2 with drift.');
      });
    });
  });
});

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];
(TEST_DATABASE_URL ? describe : describe.skip)('admin CLI on PostgreSQL (DATABASE_URL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let emulator: GraphEmulator;
  let env: Environment;

  beforeAll(async () => {
    database = await createTestDatabase(TEST_DATABASE_URL as string, 'adgb_cli');
    emulator = await startGraphEmulator({ port: 0, host: '127.0.0.1', requiredToken: SANDBOX_GRAPH_TOKEN });
    env = { APP_MODE: 'sandbox', GRAPH_BASE_URL: emulator.url, DATABASE_URL: database.url, APPROVER_IDS: APPROVER.aadObjectId, LOG_LEVEL: 'silent' };
    await seed(env, [{ policyName: 'Contoso Kiosks', at: '2026-01-10T09:00:00.000Z' }]);
  });

  afterAll(async () => {
    await emulator.close();
    await database.drop();
  });

  it('exports the audit log, lists the groups and checks them from the PostgreSQL database', async () => {
    const exported = await cli(['audit', 'export', '--request', 'REQ-1'], { DATABASE_URL: env['DATABASE_URL'] });
    expect(exported.code).toBe(EXIT_OK);
    expect(csvRows(exported.out).map((row) => row.kind)).toEqual(expect.arrayContaining(['requested', 'approved', 'provisioned']));

    const groups = await cli(['groups'], { DATABASE_URL: env['DATABASE_URL'] });
    expect(groups.out).toContain('Contoso Kiosks');

    const check = await cli(['check', '--all'], env);
    expect(check).toMatchObject({ code: EXIT_OK, out: expect.stringContaining('1 group checked: 1 healthy, 0 with drift.') });
  });
});
