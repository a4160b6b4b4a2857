/**
 * Message-turn benchmark (`npm run bench:messages`): `status <policy>` messages with deliveryMode
 * 'expectReplies' at several concurrency levels against
 *   (a) the bot itself (compiled, its own process, sandbox mode, SQLite store holding 1,000 requests) and
 *   (b) a bare restify + CloudAdapter echo bot (its own process) — the ceiling of the stack,
 * both started in this run. Prints throughput, p50/p99 latency and the bot/echo ratios; also the bot's
 * start-up time to /readyz OK and its resident memory after the load (the echo bot's beside it). Writes the
 * latency-vs-concurrency chart to docs/bench-messages.svg.
 *
 * Tuning: BENCH_MESSAGES (per level, default 2000), BENCH_CONCURRENCY_LEVELS (default 1,4,16,64),
 * BENCH_STARTS (start-up samples, default 5), BENCH_HEADLINE_CONCURRENCY (targets, default 16),
 * BENCH_CAPPED_NODE_OPTIONS (V8 heap limits of the second, memory-capped bot run at the headline level),
 * BENCH_CHART (where the SVG goes, default docs/bench-messages.svg).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startGraphEmulator } from '../src/sandbox/graphEmulator';
import { freeLoopbackPort } from '../test/e2e/support/network';
import { type ManagedProcess, ProcessSupervisor } from '../test/e2e/support/processes';
import { lineChartSvg } from './support/chart';
import { waitForOk } from './support/child';
import { runLoad, type LoadResult } from './support/load';
import { BENCH_REQUESTER, benchPolicyName, seedSqliteRequests } from './support/seed';
import { positiveIntegerFrom, positiveIntegersFrom, quantile, residentMegabytesOf, table } from './support/stats';

const SEEDED_REQUESTS = 1000;
const APPROVER_ID = '0b0b0b0b-0000-4000-8000-000000000002';
const ROOT = join(__dirname, '..', '..', '..');
const BOT_ENTRY = join(__dirname, '..', 'src', 'index.js');
const ECHO_ENTRY = join(__dirname, 'support', 'echoBotMain.js');
const DEFAULT_CHART_PATH = join(ROOT, 'docs', 'bench-messages.svg');
const START_TIMEOUT_MS = 30_000;
const ROUNDS = 4;

const TARGET_THROUGHPUT_RATIO = 0.8;
const TARGET_P99_RATIO = 1.5;
const TARGET_STARTUP_MS = 1500;
const TARGET_RSS_MB = 150;
/** A smaller young generation and an old-space cap: V8 then collects before growing the heap. */
const DEFAULT_CAPPED_NODE_OPTIONS = '--max-semi-space-size=2 --max-old-space-size=96';

interface Level {
  readonly bot: LoadResult;
  readonly echo: LoadResult;
}

/** What every bot start of the run shares. */
interface Rig {
  readonly children: ProcessSupervisor;
  readonly graphUrl: string;
  readonly sqlitePath: string;
}

function statusMessage(index: number): Record<string, unknown> {
  const user = { id: `29:bench-${index % 50}`, name: 'Bench User', aadObjectId: BENCH_REQUESTER.aadObjectId };
  return {
    type: 'message',
    id: `m-${index}`,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/', // never called: expectReplies returns the replies in the HTTP answer
    deliveryMode: 'expectReplies',
    from: user,
    recipient: { id: '28:bench-bot', name: 'Device groups' },
    conversation: { id: `a:bench-${index % 50}`, conversationType: 'personal' },
    text: `status ${benchPolicyName(index % SEEDED_REQUESTS)}`,
  };
}

function expectReplies(pattern: RegExp): (status: number, text: string) => void {
  return (status, text) => {
    if (status !== 200 || !pattern.test(text)) throw new Error(`unexpected answer ${status}: ${text.slice(0, 300)}`);
  };
}

function botEnv(port: number, graphUrl: string, sqlitePath: string, nodeOptions?: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    APP_MODE: 'sandbox',
    HOST: '127.0.0.1',
    PORT: String(port),
    GRAPH_BASE_URL: graphUrl,
    SQLITE_PATH: sqlitePath,
    APPROVER_IDS: APPROVER_ID,
    LOG_LEVEL: 'info',
  };
}

/** Starts the bot and times process start to /readyz 200 (ms); the caller stops it. */
async function timedStart(rig: Rig, nodeOptions?: string): Promise<{ ms: number; bot: ManagedProcess; url: string }> {
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const bot = rig.children.start({ name: 'bot', command: process.execPath, args: [BOT_ENTRY], env: botEnv(port, rig.graphUrl, rig.sqlitePath, nodeOptions) });
  await waitForOk(`${url}/readyz`, START_TIMEOUT_MS).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${bot.tail()}`);
  });
  return { ms: performance.now() - started, bot, url };
}

function pidOf(child: ManagedProcess): number {
  if (child.pid === undefined) throw new Error(`${child.name} did not start:\n${child.tail()}`);
  return child.pid;
}

async function startUpTimes(rig: Rig, starts: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < starts; run++) {
    const { ms: took, bot } = await timedStart(rig);
    times.push(took);
    await bot.stop();
  }
  return times;
}

/** Both runs of one round combined: requests, wall time and latencies add up. */
function combined(runs: readonly LoadResult[]): LoadResult {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return { concurrency: runs[0]?.concurrency ?? 0, requests, seconds, perSecond: requests / seconds, latencies: runs.flatMap((run) => run.latencies) };
}

/**
 * Warms both bots up at this concurrency (JIT, connection pools, SQLite page cache), then measures them in
 * alternating rounds, so that a burst of load from elsewhere on the machine hits both rather than one.
 */
async function measureLevel(botEndpoint: string, echoEndpoint: string, concurrency: number, count: number): Promise<Level> {
  const bot = { endpoint: botEndpoint, concurrency, activityFor: statusMessage, check: expectReplies(/AdaptiveCard/) };
  const echo = { endpoint: echoEndpoint, concurrency, activityFor: statusMessage, check: expectReplies(/echo: status/) };
  const warmup = Math.min(200, count);
  await runLoad({ ...echo, count: warmup });
  await runLoad({ ...bot, count: warmup });
  const perRound = Math.ceil(count / ROUNDS);
  const botRuns: LoadResult[] = [];
  const echoRuns: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [echo, bot] : [bot, echo];
    for (const target of order) (target === bot ? botRuns : echoRuns).push(await runLoad({ ...target, count: perRound }));
  }
  return { bot: combined(botRuns), echo: combined(echoRuns) };
}

const ms = (value: number): string => value.toFixed(1);
const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');
const p99 = (run: LoadResult): number => quantile(run.latencies, 0.99);

function levelsTable(results: readonly Level[]): string {
  const rows = results.map(({ bot, echo }) => [
    String(bot.concurrency),
    bot.perSecond.toFixed(0),
    echo.perSecond.toFixed(0),
    (bot.perSecond / echo.perSecond).toFixed(2),
    ms(quantile(bot.latencies, 0.5)),
    ms(quantile(echo.latencies, 0.5)),
    ms(p99(bot)),
    ms(p99(echo)),
    (p99(bot) / p99(echo)).toFixed(2),
  ]);
  return table(['C', 'bot msg/s', 'echo msg/s', 'ratio', 'bot p50 ms', 'echo p50 ms', 'bot p99 ms', 'echo p99 ms', 'p99 ratio'], rows);
}

interface Verdicts {
  readonly head: Level;
  readonly startTimes: readonly number[];
  readonly rssMb: number;
  /** The echo bot's, taken at the same moment: what the bare stack holds after the same load. */
  readonly echoRssMb: number;
  readonly capped: { readonly level: Level; readonly rssMb: number; readonly nodeOptions: string };
}

function targetsReport({ head, startTimes, rssMb, echoRssMb, capped }: Verdicts): string {
  const throughputRatio = head.bot.perSecond / head.echo.perSecond;
  const p99Ratio = p99(head.bot) / p99(head.echo);
  const startMedian = quantile(startTimes, 0.5);
  const { level } = capped;
  return [
    `At concurrency ${head.bot.concurrency}:`,
    `  throughput bot/echo   ${throughputRatio.toFixed(2)}× (target ≥ ${TARGET_THROUGHPUT_RATIO}×): ${verdict(throughputRatio >= TARGET_THROUGHPUT_RATIO)}`,
    `  p99 bot/echo          ${p99Ratio.toFixed(2)}× (target ≤ ${TARGET_P99_RATIO}×): ${verdict(p99Ratio <= TARGET_P99_RATIO)}`,
    `Start-up to /readyz OK  median ${startMedian.toFixed(0)} ms, max ${Math.max(...startTimes).toFixed(0)} ms over ${startTimes.length} starts (target ≤ ${TARGET_STARTUP_MS} ms): ${verdict(startMedian <= TARGET_STARTUP_MS)}`,
    `Bot RSS after the load  ${rssMb.toFixed(0)} MB (target ≤ ${TARGET_RSS_MB} MB): ${verdict(rssMb <= TARGET_RSS_MB)}; echo bot ${echoRssMb.toFixed(0)} MB`,
    `With NODE_OPTIONS="${capped.nodeOptions}" at concurrency ${level.bot.concurrency}:`,
    `  throughput bot/echo   ${(level.bot.perSecond / level.echo.perSecond).toFixed(2)}× (${level.bot.perSecond.toFixed(0)} vs ${level.echo.perSecond.toFixed(0)} msg/s)`,
    `  p99 bot/echo          ${(p99(level.bot) / p99(level.echo)).toFixed(2)}× (${ms(p99(level.bot))} vs ${ms(p99(level.echo))} ms)`,
    `  RSS after the load    ${capped.rssMb.toFixed(0)} MB (target ≤ ${TARGET_RSS_MB} MB): ${verdict(capped.rssMb <= TARGET_RSS_MB)}`,
  ].join('\n');
}

function writeChart(path: string, results: readonly Level[], count: number): void {
  const points = (pick: (level: Level) => LoadResult, q: number) =>
    results.map((level) => ({ x: pick(level).concurrency, y: quantile(pick(level).latencies, q) }));
  writeFileSync(
    path,
    lineChartSvg({
      title: `status turns: latency vs concurrency (${count} messages per point)`,
      xLabel: 'concurrent requests',
      yLabel: 'latency (ms)',
      logX: true,
      series: [
        { label: 'bot p99', colour: '#c0392b', points: points((level) => level.bot, 0.99) },
        { label: 'bot p50', colour: '#c0392b', dashed: true, points: points((level) => level.bot, 0.5) },
        { label: 'echo bot p99', colour: '#2471a3', points: points((level) => level.echo, 0.99) },
        { label: 'echo bot p50', colour: '#2471a3', dashed: true, points: points((level) => level.echo, 0.5) },
      ],
    }),
  );
}

async function main(): Promise<void> {
  const count = positiveIntegerFrom(process.env, 'BENCH_MESSAGES', 2000);
  const levels = positiveIntegersFrom(process.env, 'BENCH_CONCURRENCY_LEVELS', [1, 4, 16, 64]);
  const starts = positiveIntegerFrom(process.env, 'BENCH_STARTS', 5);
  const headline = positiveIntegerFrom(process.env, 'BENCH_HEADLINE_CONCURRENCY', 16);
  const cappedNodeOptions = process.env.BENCH_CAPPED_NODE_OPTIONS ?? DEFAULT_CAPPED_NODE_OPTIONS;
  const chartPath = process.env.BENCH_CHART ?? DEFAULT_CHART_PATH;
  const dir = mkdtempSync(join(tmpdir(), 'adgb-bench-messages-'));
  const emulator = await startGraphEmulator();
  const rig: Rig = { children: new ProcessSupervisor(join(dir, 'logs')), graphUrl: emulator.url, sqlitePath: join(dir, 'bot.sqlite') };
  try {
    await seedSqliteRequests(rig.sqlitePath, SEEDED_REQUESTS);
    console.log(`Store seeded with ${SEEDED_REQUESTS} requests. ${count} messages per level, concurrency ${levels.join(', ')}.\n`);
    const startTimes = await startUpTimes(rig, starts);

    const { bot, url } = await timedStart(rig);
    const echo = rig.children.start({ name: 'echo-bot', command: process.execPath, args: [ECHO_ENTRY], env: { PATH: process.env.PATH } });
    const [, echoEndpoint = ''] = await echo.waitForOutput(/echo bot listening on (\S+)/, START_TIMEOUT_MS);
    const results: Level[] = [];
    for (const concurrency of levels) {
      const level = await measureLevel(`${url}/api/messages`, echoEndpoint, concurrency, count);
      results.push(level);
      console.log(`  c=${concurrency}: bot ${level.bot.perSecond.toFixed(0)}/s, echo ${level.echo.perSecond.toFixed(0)}/s`);
    }
    const rssMb = await residentMegabytesOf(pidOf(bot));
    const echoRssMb = await residentMegabytesOf(pidOf(echo));
    await bot.stop();

    // The same headline load against a bot whose V8 heap is capped: what the memory target costs.
    const capped = await timedStart(rig, cappedNodeOptions);
    const cappedLevel = await measureLevel(`${capped.url}/api/messages`, echoEndpoint, headline, count);
    const cappedRssMb = await residentMegabytesOf(pidOf(capped.bot));

    console.log(`\n${levelsTable(results)}\n`);
    const head = results.find((level) => level.bot.concurrency === headline) ?? (results[results.length - 1]);
    console.log(targetsReport({ head, startTimes, rssMb, echoRssMb, capped: { level: cappedLevel, rssMb: cappedRssMb, nodeOptions: cappedNodeOptions } }));
    writeChart(chartPath, results, count);
    console.log(`\nChart written to ${chartPath}`);
  } finally {
    await rig.children.stopAll();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
