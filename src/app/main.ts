/**
 * The composition root: configuration → logger → store → Bot Framework adapter → notifier → services
 * (Graph directory, provisioning, requests) → bot → HTTP server. `node lib/index.js` (npm run serve) runs it
 * until SIGINT/SIGTERM, then shuts down gracefully: no new turns, in-flight turns and provisioning finish,
 * the database is closed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { CloudAdapter, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { DestinationStream } from 'pino';
import { createBot } from '../bot/app';
import { createRequestNotifier } from '../bot/features/approval/notifier';
import { createDigestPoster } from '../bot/features/policies/digest';
import { type PersonalChatOpening, createApproverReach, createProactiveSender } from '../bot/proactive';
import { createHealthWatch, startHealthWatch } from '../requests/healthWatch';
import { ReusingBotFrameworkAuthentication } from '../http/botAuthentication';
import { createServer, type TurnRunner } from '../http/server';
import { startSweeper } from '../requests/runner';
import { type BotAuth, type Config, type Environment, loadConfig } from './config';
import { type Clock, systemClock } from '../shared/clock';
import { createLogger } from './log';
import type { HeldProcessWarnings } from './processWarnings';
import { type GraphAccess, createGraphAccess, createServices } from './services';
import { openStoreAtStartup, startupFailureText } from './startupFailure';
import { noTelemetry, startTelemetry, type Telemetry } from './telemetry';

/** The bot's name in conversations it starts (Teams shows the app's own name). */
const BOT_DISPLAY_NAME = 'Autopilot device groups';

/** How often an instance looks for requests another instance left half-provisioned. */
const SWEEP_INTERVAL_MS = 60_000;

export interface RunningApp {
  readonly config: Config;
  /** Where the server listens, e.g. `http://127.0.0.1:3978` (the real port when PORT is 0). */
  readonly url: string;
  /** Graceful shutdown; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where log lines go instead of stdout (tests read them back). */
  readonly logDestination?: DestinationStream;
  /** The process's warnings, held back until the logger exists (the bot's own process; not a test runner's). */
  readonly processWarnings?: HeldProcessWarnings;
  /** The one clock of the store, the services and the health watch (tests move it); the system's by default. */
  readonly clock?: Clock;
}

interface TurnScope {
  readonly correlationId: string;
}

/**
 * The bot's Bot Framework adapter. With no identity (sandbox only) botbuilder accepts every request, which
 * is why the configuration binds the sandbox to loopback and refuses an identity-less production start.
 * A CloudAdapter (what teams-ai's TeamsAdapter extends) whose authentication reuses the outbound clients.
 */
export function createAdapter(auth: BotAuth): CloudAdapter {
  return new CloudAdapter(new ReusingBotFrameworkAuthentication(botFrameworkSettings(auth)));
}

export function botFrameworkSettings(auth: BotAuth): ConfigurationBotFrameworkAuthenticationOptions {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'SingleTenant':
      return { MicrosoftAppType: 'SingleTenant', MicrosoftAppId: auth.appId, MicrosoftAppTenantId: auth.tenantId, MicrosoftAppPassword: auth.password };
    case 'UserAssignedMsi':
      return { MicrosoftAppType: 'UserAssignedMsi', MicrosoftAppId: auth.appId, MicrosoftAppTenantId: auth.tenantId };
  }
}

/** Opening approvers' chats through Graph, where the app is in the organisation's catalog (production only). */
function personalChatOpening(config: Config, graph: GraphAccess): { personalChats?: PersonalChatOpening } {
  if (config.bot.kind === 'none' || config.teams.catalogAppId === undefined) return {};
  return {
    personalChats: {
      installer: graph.directory,
      teamsAppId: config.teams.catalogAppId,
      serviceUrl: config.teams.serviceUrl,
      tenantId: config.bot.tenantId,
      bot: { id: `28:${config.bot.appId}`, name: BOT_DISPLAY_NAME },
    },
  };
}

export async function startApp(env: Environment, options: StartOptions = {}): Promise<RunningApp> {
  const config = loadConfig(env);
  const clock = options.clock ?? systemClock;
  // Every line logged while a turn runs — Graph calls and background provisioning it starts included —
  // carries that turn's correlation id, without threading it through every service.
  const turnScope = new AsyncLocalStorage<TurnScope>();
  // Log lines also carry the trace and span ids when Application Insights is on (read at write time).
  let telemetry: Telemetry = noTelemetry;
  const logger = createLogger({ level: config.logLevel, destination: options.logDestination, context: () => ({ ...turnScope.getStore(), ...telemetry.logFields() }) });
  options.processWarnings?.logTo(logger);
  logger.info({ mode: config.mode, host: config.server.host, port: config.server.port, store: config.store.kind, botAuth: config.bot.kind, graph: config.graph.baseUrl, telemetry: config.telemetry !== undefined }, 'starting');
  telemetry = await startTelemetry(config.telemetry, logger.child({ component: 'telemetry' }));

  const store = await openStoreAtStartup(config.store.kind === 'postgres'
    ? { ...config.store, connection: { ...config.store.connection, logger: logger.child({ component: 'store' }) }, clock }
    : { ...config.store, clock });
  const adapter = createAdapter(config.bot);
  const botAppId = config.bot.kind === 'none' ? '' : config.bot.appId;
  const botLogger = logger.child({ component: 'bot' });
  const graph = createGraphAccess(config, logger, clock);
  // The bot's proactive side needs only the adapter, the store and the directory, so it exists before the
  // services that call it.
  const sender = createProactiveSender({ adapter, botAppId, logger: botLogger });
  const reach = createApproverReach({ conversations: store, approvers: graph.approvers, ...personalChatOpening(config, graph), logger: botLogger });
  const notifier = createRequestNotifier({ sender, reach, conversations: store, approverIds: config.approvers.ids, logger: botLogger });
  const { provisioning, requests, pacedInventory } = createServices(config, store, graph, logger, { notifier, clock });
  const bot = createBot({ requests, conversations: store, approverIds: config.approvers.ids, adapter, botAppId, logger: botLogger });
  // The per-turn line carries only the fields named below, none of them a secret key, so it skips redaction:
  // with the wildcard paths of log.ts, pino's redaction costs ~25 µs a line (≈ 3 % of a status turn).
  const turnLogger = logger.child({}, { redact: [] });
  const turns: TurnRunner = {
    run: (context) =>
      turnScope.run({ correlationId: randomUUID() }, async () => {
        const { type, name, id } = context.activity;
        return telemetry.turn(`turn ${type}`, { 'bot.activity.type': type, 'bot.activity.name': name ?? '' }, () => {
          turnLogger.info({ activityType: type, activityName: name, activityId: id, conversationType: context.activity.conversation?.conversationType }, 'turn');
          return bot.run(context);
        });
      }),
  };
  const server = createServer({
    adapter,
    app: turns,
    readiness: {
      database: () => store.ping(),
      ownerServicePrincipal: async () => {
        await provisioning.ownerServicePrincipalId();
      },
    },
    logger: logger.child({ component: 'http' }),
  });

  let url: string;
  try {
    url = await server.listen(config.server.port, config.server.host);
  } catch (error) {
    await store.close();
    throw error;
  }
  const resumed = await requests.resumeInterrupted();
  const sweeper = startSweeper(requests, { intervalMs: SWEEP_INTERVAL_MS, logger: logger.child({ component: 'requests' }) });
  const watchIntervalMs = config.inventory.healthCheckIntervalSeconds * 1000;
  const watchLogger = logger.child({ component: 'healthWatch' });
  const digest = createDigestPoster({ sender, reach });
  const healthWatch = startHealthWatch(createHealthWatch({ store, inventory: pacedInventory, digest, intervalMs: watchIntervalMs, clock, logger: watchLogger }), {
    intervalMs: watchIntervalMs,
    logger: watchLogger,
  });
  logger.info({ url, resumed }, 'listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info({}, 'stopping: finishing in-flight turns and provisioning');
      await server.close();
      await sweeper.stop();
      await healthWatch.stop();
      await requests.idle();
      await store.close();
      await telemetry.shutdown();
      logger.info({}, 'stopped');
    })();
    return stopping;
  };
  return { config, url, stop };
}

/** Runs the bot as a process: start, then stop gracefully on SIGINT/SIGTERM; a start-up failure exits 1. */
export async function main(warnings: HeldProcessWarnings): Promise<void> {
  let app: RunningApp;
  try {
    app = await startApp(process.env, { processWarnings: warnings });
  } catch (error) {
    // Start-up problems are the operator's to fix: what failed and what to check, not a stack trace.
    process.stderr.write(`${startupFailureText(error, process.env.LOG_LEVEL)}\n`);
    process.exit(1);
  }
  const shutdown = (): void => {
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
