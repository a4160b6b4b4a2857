import Database from 'better-sqlite3';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PEOPLE, ROLES, SANDBOX_APPROVER_IDS, playgroundConfig, renderPlaygroundConfig, type RoleName } from '../scripts/playground-config';
import { freeLoopbackPort as freePort } from './e2e/support/network';

const ROOT = path.join(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'start-sandbox.js');
const ROLE_NAMES: readonly RoleName[] = ['helpdesk', 'approver'];

describe('the Agents Playground configs', () => {
  it.each(ROLE_NAMES)('commits the %s config exactly as scripts/playground-config.js renders it', (role) => {
    expect(fs.readFileSync(path.join(ROOT, ROLES[role].file), 'utf8')).toBe(renderPlaygroundConfig(role));
  });

  it.each(ROLE_NAMES)('gives the %s config what the Playground schema demands', (role) => {
    const config = playgroundConfig(role);
    expect(config.users).toHaveLength(5);
    const userIds = [config.currentUser.id, ...config.users.map((user) => user.id)];
    expect(new Set(userIds).size).toBe(6);
    expect(new Set([config.currentUser.aadObjectId, ...config.users.map((user) => user.aadObjectId)]).size).toBe(6);
    expect(config.team.channels.length).toBeLessThanOrEqual(1);
    const conversationIds = [config.personalChat.id, config.groupChat.id, config.team.id, ...config.team.channels.map((channel) => channel.id)];
    expect(new Set(conversationIds).size).toBe(conversationIds.length);
  });

  it('makes each instance a different person with its own conversations', () => {
    const [helpdesk, approver] = ROLE_NAMES.map(playgroundConfig);
    expect(helpdesk?.currentUser).toEqual(PEOPLE.helpdeskAgent);
    expect(approver?.currentUser).toEqual(PEOPLE.approver);
    for (const key of ['personalChat', 'groupChat', 'team'] as const) expect(helpdesk?.[key].id).not.toBe(approver?.[key].id);
  });

  it('configures the approver instance, and only it, as the sandbox approver', () => {
    expect(SANDBOX_APPROVER_IDS).toEqual([PEOPLE.approver.aadObjectId]);
    expect(SANDBOX_APPROVER_IDS).not.toContain(PEOPLE.helpdeskAgent.aadObjectId);
  });
});

interface SandboxPorts {
  readonly bot: number;
  readonly graph: number;
  readonly helpdesk: number;
  readonly approver: number;
}

async function freeSandboxPorts(): Promise<SandboxPorts> {
  return { bot: await freePort(), graph: await freePort(), helpdesk: await freePort(), approver: await freePort() };
}

/** The variables scripts/start-sandbox.js reads its four ports from. */
function portEnv(ports: SandboxPorts): Record<string, string> {
  return {
    SANDBOX_BOT_PORT: String(ports.bot),
    SANDBOX_GRAPH_PORT: String(ports.graph),
    PLAYGROUND_HELPDESK_PORT: String(ports.helpdesk),
    PLAYGROUND_APPROVER_PORT: String(ports.approver),
  };
}

interface Run {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
}

function runSandbox(env: Record<string, string>, args: readonly string[] = []): Run {
  const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** `npm run -s admin -- …`, as the README writes it, with the environment of this test plus `env`. */
function adminCli(argv: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '-s', 'admin', '--', ...argv], { cwd: ROOT, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

async function waitForOutput(run: Run, text: string): Promise<void> {
  while (!run.output().includes(text)) {
    const exitedEarly = await Promise.race([run.exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 200))]);
    if (exitedEarly) throw new Error(`the sandbox exited before "${text}":\n${run.output()}`);
  }
}

async function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** Local addresses of the sockets listening on `port` (Linux: /proc/net/tcp and tcp6, state 0A = LISTEN). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6']
    .filter((file) => fs.existsSync(file))
    .flatMap((file) => fs.readFileSync(file, 'utf8').split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`))
    .map((fields) => fields[1]?.split(':')[0] ?? '');
}

const IPV4_LOOPBACK_HEX = '0100007F'; // 127.0.0.1 as /proc/net/tcp writes it

describe('npm start (scripts/start-sandbox.js)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-start-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a busy port, naming it and the variable that moves it', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as net.AddressInfo;
    try {
      const run = runSandbox({ SANDBOX_DATA_DIR: dataDir, ...portEnv({ ...(await freeSandboxPorts()), bot: port }) });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`port ${port} (the bot) is in use`);
      expect(run.output()).toContain('set SANDBOX_BOT_PORT to a free port');
    } finally {
      busy.close();
    }
  });

  it('refuses the same port for two parts and a port that is not a number', async () => {
    const port = String(await freePort());
    const duplicate = runSandbox({ SANDBOX_DATA_DIR: dataDir, PLAYGROUND_HELPDESK_PORT: port, PLAYGROUND_APPROVER_PORT: port });
    expect(await duplicate.exited).toBe(1);
    expect(duplicate.output()).toContain(`port ${port} is set for both the helpdesk agent's Agents Playground and the approver's Agents Playground`);

    const invalid = runSandbox({ SANDBOX_DATA_DIR: dataDir, SANDBOX_GRAPH_PORT: 'five' });
    expect(await invalid.exited).toBe(1);
    expect(invalid.output()).toContain('SANDBOX_GRAPH_PORT must be a port number between 1 and 65535 (got "five")');
  });

  it('reports a part that fails during start-up with the end of its log, and stops the others', async () => {
    const ports = await freeSandboxPorts();
    const run = runSandbox({ SANDBOX_DATA_DIR: dataDir, ...portEnv(ports), LOG_LEVEL: 'verbose' /* the bot's configuration refuses it */ });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('bot exited during start-up (code 1)');
    expect(run.output()).toContain('LOG_LEVEL: must be one of');
    expect(await isListening(ports.graph)).toBe(false);
  }, 120_000);

  it('starts the emulator, the bot and both Playgrounds on loopback, says which URL is whom, and stops them all on Ctrl-C', async () => {
    const ports = await freeSandboxPorts();
    const run = runSandbox({ SANDBOX_DATA_DIR: dataDir, ...portEnv(ports) });
    try {
      await waitForOutput(run, 'Press Ctrl-C to stop.');
      expect(run.output()).toMatch(new RegExp(`Helpdesk agent +Alex Wilber +http://127\\.0\\.0\\.1:${ports.helpdesk}`));
      expect(run.output()).toMatch(new RegExp(`Approver +Megan Bowen +http://127\\.0\\.0\\.1:${ports.approver}`));

      for (const port of [ports.helpdesk, ports.approver]) {
        const page = await fetch(`http://127.0.0.1:${port}/`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<title>Microsoft 365 Agents Playground</title>');
      }
      expect(await (await fetch(`http://127.0.0.1:${ports.bot}/readyz`)).json()).toEqual({ ok: true, checks: { database: 'ok', ownerServicePrincipal: 'ok' } });
      expect(fs.existsSync(path.join(dataDir, 'sandbox.sqlite'))).toBe(true);
      // The banner states the settings the emulator and the bot really run with.
      expect(run.output()).toContain(`Graph emulator (fake tenant, as strict as Graph): http://127.0.0.1:${ports.graph}`);
      expect(run.output()).toContain('app-only bind: refused with 500, as Intune does today');
      expect(run.output()).toContain('Health watch: every 60 s');

      // The README's admin line, as is, against this running sandbox (only SANDBOX_DATA_DIR, as npm start had it).
      const admin = await adminCli(['--sandbox', 'policies'], { SANDBOX_DATA_DIR: dataDir });
      expect(admin.code).toBe(2); // the seeded hand-made groups have findings
      expect(admin.stdout).toMatch(/^issue +Northwind Tablets +[0-9a-f]{8}… +userDriven +[0-9a-f]{8}… +intune$/m);
      expect(admin.stdout).toContain('notStaticSecurityGroup: ');
      expect(admin.stdout.split('\n').filter((line) => line.length > 0 && !line.startsWith(' ')).every((line) => line.length <= 100)).toBe(true);
      expect(`${admin.stdout}${admin.stderr}`).not.toContain('"level"');
      expect(await adminCli(['--sandbox', 'groups'], { SANDBOX_DATA_DIR: dataDir })).toMatchObject({ code: 0, stdout: 'No groups recorded yet.\n', stderr: '' });
      // Nothing is reachable from another machine: the unauthenticated bot and both Playgrounds (which would
      // listen on every interface by themselves) are bound to 127.0.0.1 only.
      if (fs.existsSync('/proc/net/tcp')) {
        for (const port of Object.values(ports)) expect(listeningAddresses(port)).toEqual([IPV4_LOOPBACK_HEX]);
      }
    } finally {
      run.child.kill('SIGINT');
    }
    expect(await run.exited).toBe(0);
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
  }, 180_000);

  it('keeps the sandbox tenant across a restart, and --reset starts the tenant and the bot database over together', async () => {
    const ports = await freeSandboxPorts();
    const env = { SANDBOX_DATA_DIR: dataDir, ...portEnv(ports) };
    const graph = `http://127.0.0.1:${ports.graph}`;
    const emulatorLog = (): string => fs.readFileSync(path.join(dataDir, 'logs', 'graph-emulator.log'), 'utf8');
    const database = path.join(dataDir, 'sandbox.sqlite');
    const tenant = async (): Promise<{ groups: { id: string; displayName: string }[]; policies: unknown[] }> => {
      const groups = (await (await fetch(`${graph}/v1.0/groups?$expand=owners`)).json()) as { value: { id: string; displayName: string }[] };
      const list = (await (await fetch(`${graph}/beta/deviceManagement/configurationPolicies`)).json()) as { value: { id: string }[] };
      const policies = await Promise.all(
        list.value.map(async (policy) => {
          const target = await fetch(`${graph}/beta/deviceManagement/configurationPolicies('${policy.id}')/retrieveEnrollmentTimeDeviceMembershipTarget`, { method: 'POST' });
          return { ...policy, target: ((await target.json()) as { value: unknown }).value };
        }),
      );
      return { groups: groups.value, policies };
    };
    /** Runs the sandbox until it is ready, gives `whileRunning` what it finds, and stops it with Ctrl-C. */
    const session = async <T>(args: readonly string[], whileRunning: (run: Run) => Promise<T>): Promise<T> => {
      const run = runSandbox(env, args);
      try {
        await waitForOutput(run, 'Press Ctrl-C to stop.');
        return await whileRunning(run);
      } finally {
        run.child.kill('SIGINT');
        expect(await run.exited).toBe(0);
      }
    };

    const first = await session([], async () => {
      expect(emulatorLog()).toContain('Seeded:');
      const made = await fetch(`${graph}/v1.0/groups`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ displayName: 'Made before the restart', mailNickname: 'made', securityEnabled: true, mailEnabled: false }),
      });
      expect(made.status).toBe(201);
      return tenant();
    });
    expect(first.groups.map((group) => group.displayName)).toContain('Made before the restart');
    expect(first.policies.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dataDir, 'graph-tenant.json'))).toBe(true);

    await session([], async () => {
      expect(emulatorLog()).toContain('Resumed the sandbox tenant from');
      expect(await tenant()).toEqual(first);
    });

    // A mark in the bot's database, to see that --reset starts it over too.
    const marked = new Database(database);
    marked.exec('CREATE TABLE reset_mark (x INTEGER)');
    marked.close();
    await session(['--reset'], async (run) => {
      expect(run.output()).toContain("Starting over: deleted the sandbox tenant and the bot's database");
      expect(emulatorLog()).toContain('Seeded:');
      const fresh = await tenant();
      expect(fresh.groups.map((group) => group.displayName)).not.toContain('Made before the restart');
      expect(fresh.groups.map((group) => group.id)).not.toEqual(expect.arrayContaining([first.groups[0]?.id]));
      expect(fresh.policies).toHaveLength(first.policies.length);
      const reopened = new Database(database, { readonly: true });
      try {
        expect(reopened.prepare("SELECT name FROM sqlite_master WHERE name = 'reset_mark'").get()).toBeUndefined();
      } finally {
        reopened.close();
      }
    });
  }, 540_000);
});
