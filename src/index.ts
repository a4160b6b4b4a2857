/**
 * The composition root: configuration → logger → store → Graph directory → provisioning → requests service
 * → bot → HTTP server. `node lib/index.js` (npm run serve) runs it until SIGINT/SIGTERM, then shuts down
 * gracefully: no new turns, in-flight turns and provisioning finish, the database is closed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { CloudAdapter, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { createBot } from './bot/app';
import { ReusingBotFrameworkAuthentication } from './botAuthentication';
import { type BotAuth, type Config, type Environment, loadConfig } from './config';
import type { DestinationStream } from 'pino';
import { createLogger } from './log';
import { createDirectoryServices } from './directoryServices';
import { createRequestsService, startSweeper } from './requests/service';
import type { RequestNotifier } from './requests/types';
import { createServer, type TurnRunner } from './server';
import { openStoreAtStartup, startupFailureText } from './startupFailure';
import { noTelemetry, startTelemetry, type Telemetry } from './telemetry';

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

export async function startApp(env: Environment, options: StartOptions = {}): Promise<RunningApp> {
  const config = loadConfig(env);
  // Every line logged while a turn runs — Graph calls and background provisioning it starts included —
  // carries that turn's correlation id, without threading it through every service.
  const turnScope = new AsyncLocalStorage<TurnScope>();
  // Log lines also carry the trace and span ids when Application Insights is on (read at write time).
  let telemetry: Telemetry = noTelemetry;
  const logger = createLogger({ level: config.logLevel, destination: options.logDestination, context: () => ({ ...turnScope.getStore(), ...telemetry.logFields() }) });
  logger.info({ mode: config.mode, host: config.server.host, port: config.server.port, store: config.store.kind, botAuth: config.bot.kind, graph: config.graph.baseUrl, telemetry: config.telemetry !== undefined }, 'starting');
  telemetry = await startTelemetry(config.telemetry, logger.child({ component: 'telemetry' }));

  const store = await openStoreAtStartup(config.store.kind === 'postgres'
    ? { ...config.store, connection: { ...config.store.connection, logger: logger.child({ component: 'store' }) } }
    : config.store);
  const { provisioning, approvers } = createDirectoryServices(config, store, logger);
  const adapter = createAdapter(config.bot);
  // The requests service and the bot need each other: the service notifies through the bot, which is built
  // from the service. The forwarder is only called after a request changes, long after both exist.
  const notifier: RequestNotifier = { notify: (event) => bot.notifier.notify(event) };
  const requestsLogger = logger.child({ component: 'requests' });
  const requests = createRequestsService({
    store,
    provisioning,
    approvers,
    notifier,
    allowSelfApproval: config.approvers.allowSelfApproval,
    // SQLite means one instance: whatever it finds half-provisioned at start-up was its own, so resume it now.
    // On PostgreSQL a young request may be in another live instance's hands; the service's default waits.
    ...(config.store.kind === 'sqlite' ? { resumeAfterMs: 0 } : {}),
    logger: requestsLogger,
  });
  const bot = createBot({
    requests,
    provisioning,
    conversations: store,
    audit: store,
    // No `storage`: no route keeps anything in teams-ai's turn state (all durable state is in the SQL store, and
    // no teams-ai AI or sign-in feature that would use it is enabled), so loading it read two never-written
    // bot_storage rows on every turn (~40 µs of a ~0.8 ms status turn, measured).
    approvers,
    approverIds: config.approvers.ids,
    adapter,
    botAppId: config.bot.kind === 'none' ? '' : config.bot.appId,
    logger: logger.child({ component: 'bot' }),
  });
  // The per-turn line carries only the fields named below, none of them a secret key, so it skips redaction:
  // with the wildcard paths of src/log.ts, pino's redaction costs ~25 µs a line (≈ 3 % of a status turn).
  const turnLogger = logger.child({}, { redact: [] });
  const turns: TurnRunner = {
    run: (context) =>
      turnScope.run({ correlationId: randomUUID() }, async () => {
        const { type, name, id } = context.activity;
        return telemetry.turn(`turn ${type}`, { 'bot.activity.type': type, 'bot.activity.name': name ?? '' }, () => {
          turnLogger.info({ activityType: type, activityName: name, activityId: id, conversationType: context.activity.conversation?.conversationType }, 'turn');
          return bot.app.run(context);
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
  const sweeper = startSweeper(requests, { intervalMs: SWEEP_INTERVAL_MS, logger: requestsLogger });
  logger.info({ url, resumed }, 'listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info({}, 'stopping: finishing in-flight turns and provisioning');
      await server.close();
      await sweeper.stop();
      await requests.idle();
      await store.close();
      await telemetry.shutdown();
      logger.info({}, 'stopped');
    })();
    return stopping;
  };
  return { config, url, stop };
}

async function main(): Promise<void> {
  let app: RunningApp;
  try {
    app = await startApp(process.env);
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

if (require.main === module) void main();
