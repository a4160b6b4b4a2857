#!/usr/bin/env node
'use strict';
/**
 * `npm start`: the whole product on this machine, with no tenant and nothing leaving it.
 *   1. builds lib/ when it is missing or older than src/
 *   2. the sandbox Graph emulator (a fake tenant speaking Graph's wire format)
 *   3. the bot in sandbox mode: authentication off, bound to 127.0.0.1, SQLite under the data directory,
 *      the approver's Playground user configured as the approver
 *   4. two Microsoft 365 Agents Playground instances, one per person: the helpdesk agent and the approver
 * Ctrl-C stops every child. Ports and the data directory come from the environment (see --help). The
 * emulator's tenant and the bot's database both live in the data directory, so a restart resumes both;
 * --reset deletes both first, so that they start over together.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { ROLES, SANDBOX_APPROVER_IDS } = require('./playground-config');

const ROOT = path.join(__dirname, '..');
const LOOPBACK = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;
/** The bot's environment, for `npm run admin -- --sandbox` (src/cli/sandbox.ts reads it). */
const SETTINGS_FILE = 'sandbox-settings.json';
// Every minute, so the health digest of the seeded broken groups shows up soon after an approver says hello.
const SANDBOX_HEALTH_CHECK_INTERVAL_SECONDS = '60';
/** The emulator's tenant and the bot's database: they belong together, so they are kept and reset together. */
const TENANT_FILE = 'graph-tenant.json';
const DATABASE_FILE = 'sandbox.sqlite';
const STOP_TIMEOUT_MS = 5_000;

const HELP = `Usage: npm start              (node scripts/start-sandbox.js)
       npm start -- --reset   start over: a new sandbox tenant and an empty bot database

The sandbox tenant (the Graph emulator's groups, policies, ...) and the bot's database are kept in the data
directory, so stopping and starting again resumes both.

Environment:
  SANDBOX_BOT_PORT                    the bot                              (default 3978)
  SANDBOX_GRAPH_PORT                  the Graph emulator                   (default 5980)
  PLAYGROUND_HELPDESK_PORT            Agents Playground, helpdesk agent    (default 56150)
  PLAYGROUND_APPROVER_PORT            Agents Playground, approver          (default 56151)
  SANDBOX_DATA_DIR                    tenant, SQLite database and logs     (default ./data)
  LOG_LEVEL                           the bot's log level                  (default info)
  HEALTH_CHECK_INTERVAL_SECONDS       seconds between health-watch passes  (default ${SANDBOX_HEALTH_CHECK_INTERVAL_SECONDS} here; 0: off)
  GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND  true: the emulator lets the bot bind a group to its policy,
                                      which Intune refuses app-only callers today (default false)

The admin CLI runs with the settings this script gives the bot (<data dir>/${SETTINGS_FILE}):
  npm run -s admin -- --sandbox policies`;

/** Reads a port variable; exits with a clear message when it is not one. */
function portSetting(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${name} must be a port number between 1 and 65535 (got "${raw}").`);
  return port;
}

function fail(message) {
  process.stderr.write(`\nnpm start: ${message}\n`);
  process.exit(1);
}

function settings() {
  const dataDir = path.resolve(ROOT, process.env.SANDBOX_DATA_DIR || 'data');
  return {
    dataDir,
    logDir: path.join(dataDir, 'logs'),
    tenantFile: path.join(dataDir, TENANT_FILE),
    databaseFile: path.join(dataDir, DATABASE_FILE),
    ports: {
      bot: portSetting('SANDBOX_BOT_PORT', 3978),
      graph: portSetting('SANDBOX_GRAPH_PORT', 5980),
      helpdesk: portSetting('PLAYGROUND_HELPDESK_PORT', 56150),
      approver: portSetting('PLAYGROUND_APPROVER_PORT', 56151),
    },
  };
}

/* ---------- build ---------- */

function newestMtime(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

/** lib/ is stale when an entry point is missing or any source or compiler setting changed after it was built. */
function buildIsStale() {
  const outputs = ['index.js', path.join('sandbox', 'main.js')].map((file) => path.join(ROOT, 'lib', file));
  if (!outputs.every((file) => fs.existsSync(file))) return true;
  const builtAt = Math.min(...outputs.map((file) => fs.statSync(file).mtimeMs));
  const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json'].map((entry) => path.join(ROOT, entry));
  return Math.max(...inputs.map(newestMtime)) > builtAt;
}

function buildIfNeeded() {
  if (!buildIsStale()) return;
  process.stdout.write('Building lib/ (npm run build) …\n');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) fail('the build failed (see the errors above).');
}

/* ---------- ports ---------- */

function isPortFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, LOOPBACK, () => probe.close(() => resolve(true)));
  });
}

const PORT_SETTINGS = {
  bot: ['the bot', 'SANDBOX_BOT_PORT'],
  graph: ['the Graph emulator', 'SANDBOX_GRAPH_PORT'],
  helpdesk: ["the helpdesk agent's Agents Playground", 'PLAYGROUND_HELPDESK_PORT'],
  approver: ["the approver's Agents Playground", 'PLAYGROUND_APPROVER_PORT'],
};

/** Every busy or duplicated port at once, each with the variable that moves it. */
async function checkPorts(ports) {
  const problems = [];
  const seen = new Map();
  for (const [key, port] of Object.entries(ports)) {
    const [what, variable] = PORT_SETTINGS[key];
    if (seen.has(port)) problems.push(`port ${port} is set for both ${seen.get(port)} and ${what}; set ${variable} to another port`);
    else if (!(await isPortFree(port))) problems.push(`port ${port} (${what}) is in use, perhaps by another sandbox; stop it or set ${variable} to a free port`);
    seen.set(port, what);
  }
  if (problems.length > 0) fail(`cannot start:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
}

/* ---------- children ---------- */

/** A child process whose output goes to a log file and can be waited on line by line. */
function startChild(name, args, env, logDir) {
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.createWriteStream(logFile, { flags: 'w' });
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const watchers = new Set();
  let pending = '';
  const onOutput = (chunk) => {
    log.write(chunk);
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) for (const watcher of watchers) watcher(line);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => { log.end(); resolve({ code, signal }); }));
  return {
    name,
    logFile,
    child,
    exited,
    /** Resolves with the first line matching `pattern`; rejects when the child exits first or time runs out. */
    waitForLine(pattern) {
      return race(name, logFile, exited, new Promise((resolve) => {
        const watcher = (line) => {
          const match = pattern.exec(line);
          if (match) { watchers.delete(watcher); resolve(match); }
        };
        watchers.add(watcher);
      }));
    },
  };
}

function race(name, logFile, exited, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s; see ${path.relative(ROOT, logFile)}`)), START_TIMEOUT_MS);
  });
  const early = exited.then(({ code, signal }) => {
    throw new Error(`${name} exited during start-up (${signal ?? `code ${code}`}):\n${tail(logFile)}`);
  });
  return Promise.race([promise, timeout, early]).finally(() => clearTimeout(timer));
}

function tail(file, lines = 15) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return text.trimEnd().split('\n').slice(-lines).map((line) => `    ${line}`).join('\n');
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => { response.resume(); resolve(response.statusCode ?? 0); });
    request.on('error', () => resolve(0));
    request.setTimeout(2_000, () => request.destroy());
  });
}

async function waitForHttpOk(started, url) {
  const poll = async () => {
    while ((await httpStatus(url)) !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  };
  await race(started.name, started.logFile, started.exited, poll());
}

async function stopAll(children) {
  await Promise.all(children.map(async ({ child, exited }) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(forced);
  }));
}

/* ---------- the tenant and the database ---------- */

/** The database with the files SQLite keeps beside it. */
function databaseFiles(config) {
  return ['', '-wal', '-shm', '-journal'].map((suffix) => `${config.databaseFile}${suffix}`);
}

/** Deletes the tenant and the bot's database (and only them), so that both start over. */
function reset(config) {
  for (const file of [config.tenantFile, ...databaseFiles(config)]) fs.rmSync(file, { force: true });
  process.stdout.write(`Starting over: deleted the sandbox tenant and the bot's database in ${shownPath(config.dataDir)}.\n`);
}

/** One kept without the other means the bot remembers groups the tenant never had, or the reverse. */
function warnIfMismatched(config) {
  const hasTenant = fs.existsSync(config.tenantFile);
  const hasDatabase = fs.existsSync(config.databaseFile);
  if (hasTenant === hasDatabase) return;
  const [kept, missing] = hasDatabase ? ["the bot's database", 'no sandbox tenant'] : ['a sandbox tenant', "no bot database"];
  process.stdout.write(`Note: ${shownPath(config.dataDir)} has ${kept} but ${missing}; if the bot's records and the tenant disagree, \`npm start -- --reset\` starts both over.\n`);
}

/* ---------- the sandbox ---------- */

function startGraphEmulator(config) {
  return startChild('graph-emulator', [path.join('lib', 'sandbox', 'main.js')], {
    GRAPH_EMULATOR_PORT: String(config.ports.graph),
    GRAPH_EMULATOR_STATE_FILE: config.tenantFile,
  }, config.logDir);
}

/** What the sandbox bot runs with, on top of this process's environment. */
function botEnvironment(config, graphUrl) {
  return {
    APP_MODE: 'sandbox',
    HOST: LOOPBACK,
    PORT: String(config.ports.bot),
    GRAPH_BASE_URL: graphUrl,
    SQLITE_PATH: config.databaseFile,
    APPROVER_IDS: SANDBOX_APPROVER_IDS.join(','),
    DATABASE_URL: '',
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    HEALTH_CHECK_INTERVAL_SECONDS: process.env.HEALTH_CHECK_INTERVAL_SECONDS || SANDBOX_HEALTH_CHECK_INTERVAL_SECONDS,
  };
}

/** Written whole or not at all (a new file renamed over the old), so the admin CLI never reads half of it. */
function writeSettings(config, environment) {
  const file = path.join(config.dataDir, SETTINGS_FILE);
  const settings = { about: 'The environment npm start gave the sandbox bot; read by npm run admin -- --sandbox.', environment };
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(settings, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

function startBot(config, environment) {
  return startChild('bot', [path.join('lib', 'index.js')], environment, config.logDir);
}

function startPlayground(config, roleName, botEndpoint) {
  const port = config.ports[roleName];
  const playgroundCli = require.resolve('@microsoft/m365agentsplayground/cli.js', { paths: [ROOT] });
  return startChild(`playground-${roleName}`, [
    '--require', path.join(__dirname, 'support', 'loopback-only.js'),
    playgroundCli,
    '--app-endpoint', botEndpoint,
    '--channel-id', 'msteams',
    '--port', String(port),
    '--service-url', `http://${LOOPBACK}:${port}/_connector`,
    '--disable-telemetry',
  ], {
    // Without these the Playground crashes looking for a browser and calls Azure's metadata and telemetry hosts.
    TEAMSAPPTESTER_BROWSER: 'none',
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(ROOT, ROLES[roleName].file),
    M365_AGENTS_PLAYGROUND_LOGFILE: path.join(config.logDir, `playground-${roleName}.trace.log`),
  }, config.logDir);
}

async function startPlaygroundAndWait(config, roleName, botEndpoint, children) {
  const started = startPlayground(config, roleName, botEndpoint);
  children.push(started);
  const [, port] = await started.waitForLine(/Listening on (\d+)/);
  // The Playground silently moves to a random port when its port is taken (a race after our check).
  if (Number(port) !== config.ports[roleName]) throw new Error(`${started.name} could not get port ${config.ports[roleName]}: another program took it`);
  await waitForHttpOk(started, `http://${LOOPBACK}:${port}/`);
}

/** A path relative to the working directory when it lies below it. */
function shownPath(absolute) {
  const relative = path.relative(process.cwd(), absolute);
  return relative === '' ? '.' : relative.startsWith('..') ? absolute : relative;
}

/** The banner's lines about the emulator and the watch, from the settings they really run with. */
function settingLines(environment, bindAllowed) {
  const interval = Number(environment.HEALTH_CHECK_INTERVAL_SECONDS);
  return [
    `  Graph emulator (fake tenant, as strict as Graph): ${environment.GRAPH_BASE_URL}`,
    bindAllowed
      ? '    app-only bind: allowed (GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND=true), which Intune refuses today'
      : '    app-only bind: refused with 500, as Intune does today (GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND=true allows it)',
    interval === 0
      ? '  Health watch: off (HEALTH_CHECK_INTERVAL_SECONDS=0)'
      : `  Health watch: every ${interval} s; new findings are posted in the approvals channel, else in ${ROLES.approver.user.name}'s chat with the bot`,
  ];
}

function printReady(config, environment, botEndpoint) {
  const who = (roleName) => {
    const role = ROLES[roleName];
    return `    ${role.label.padEnd(15)} ${role.user.name.padEnd(14)} http://${LOOPBACK}:${config.ports[roleName]}`;
  };
  // The emulator has accepted the variable by now (it refuses anything but true, false or empty).
  const bindAllowed = process.env.GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND === 'true';
  const bindStep = bindAllowed
    ? ['the sandbox lets the bot bind (GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND=true), and `status` names the policy.']
    : ['Intune refuses app-only binding, as in a', '             real tenant, and the card says how to bind by hand; with GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND=true it binds.'];
  process.stdout.write([
    '',
    'Sandbox ready. Open these two side by side — each browser tab is one person:',
    who('helpdesk'),
    who('approver'),
    '',
    `  Try it: 1. As ${ROLES.helpdesk.user.name}, type "request Contoso User-driven" and submit the form.`,
    `          2. As ${ROLES.approver.user.name}, click "Approver actions" on the approval card, then Approve.`,
    `          3. As ${ROLES.helpdesk.user.name}, type "status Contoso User-driven" (the group and its object id).`,
    `          4. As ${ROLES.approver.user.name}, type "bind Contoso User-driven": ${bindStep[0]}`,
    ...bindStep.slice(1),
    `          5. As ${ROLES.approver.user.name}, type "policies": the seeded hand-made groups and what is wrong with them.`,
    `  Bot (sandbox mode, authentication off, loopback only): ${botEndpoint}`,
    ...settingLines(environment, bindAllowed),
    `  Tenant, database and logs: ${shownPath(config.dataDir)}${path.sep} (kept across restarts; \`npm start -- --reset\` starts over)`,
    '  Admin CLI on this sandbox: npm run -s admin -- --sandbox policies   (or groups, check --all, audit export, help)',
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'));
}

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const unknown = process.argv.slice(2).filter((argument) => argument !== '--reset');
  if (unknown.length > 0) fail(`unknown option ${unknown.join(' ')} (see --help).`);
  const config = settings();
  // A running sandbox holds its ports: checking them first means --reset never deletes what it is using.
  await checkPorts(config.ports);
  buildIfNeeded();
  fs.mkdirSync(config.logDir, { recursive: true });
  if (process.argv.includes('--reset')) reset(config);
  else warnIfMismatched(config);

  const children = [];
  let stopping = false;
  const stop = async (exitCode) => {
    if (stopping) return;
    stopping = true;
    await stopAll([...children].reverse());
    process.exit(exitCode);
  };
  process.on('SIGINT', () => { process.stdout.write('\nStopping the sandbox …\n'); void stop(0); });
  process.on('SIGTERM', () => void stop(0));

  try {
    const emulator = startGraphEmulator(config);
    children.push(emulator);
    const [, graphUrl] = await emulator.waitForLine(/Graph emulator listening on (http:\/\/\S+)/);

    const environment = botEnvironment(config, graphUrl);
    writeSettings(config, environment);
    const bot = startBot(config, environment);
    children.push(bot);
    const botUrl = `http://${LOOPBACK}:${config.ports.bot}`;
    await waitForHttpOk(bot, `${botUrl}/healthz`);
    const botEndpoint = `${botUrl}/api/messages`;

    await Promise.all(['helpdesk', 'approver'].map((roleName) => startPlaygroundAndWait(config, roleName, botEndpoint, children)));
    printReady(config, environment, botEndpoint);

    // A child that dies later takes the sandbox down with it, saying which and why.
    const [died] = await Promise.race(children.map((started) => started.exited.then((exit) => [started, exit])));
    if (!stopping) {
      process.stderr.write(`\n${died.name} stopped unexpectedly:\n${tail(died.logFile)}\n`);
      await stop(1);
    }
  } catch (error) {
    process.stderr.write(`\nnpm start: ${error.message}\n`);
    await stop(1);
  }
}

void main();
