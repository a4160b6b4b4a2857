/**
 * The HTTP shell: restify with POST /api/messages (Bot Framework), GET /healthz and GET /readyz.
 * Bad input is refused before the adapter sees it, and the adapter's own errors are mapped so nothing
 * internal (stack traces, token parser messages) ever reaches a caller.
 */
import type { AddressInfo } from 'node:net';
import type { Request as BotRequest, Response as BotResponse, TurnContext } from 'botbuilder';
import restify, { type Next, type Request, type Response } from 'restify';
import { checkActivity } from './activity';
import { type Logger, silentLogger } from '../shared/logger';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export const DEFAULT_READINESS_TIMEOUT_MS = 5_000;

/** Named readiness checks: each resolves when its dependency answers, rejects otherwise. */
export type ReadinessChecks = Readonly<Record<string, () => Promise<unknown>>>;

export interface Readiness {
  readonly ok: boolean;
  /** `ok`, `failed` or `timed out` per check: the reasons go to the log, not to whoever polls. */
  readonly checks: Readonly<Record<string, string>>;
}

/** The part of botbuilder's CloudAdapter the server uses. */
export interface ActivityProcessor {
  process(req: BotRequest, res: BotResponse, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

/** What runs a turn: the teams-ai Application fits. */
export interface TurnRunner {
  run(context: TurnContext): Promise<unknown>;
}

export interface ServerDeps {
  readonly adapter: ActivityProcessor;
  readonly app: TurnRunner;
  readonly readiness: ReadinessChecks;
  readonly logger?: Logger;
  readonly maxBodyBytes?: number;
  readonly readinessTimeoutMs?: number;
}

export interface BotServer {
  /** Resolves with the base URL, e.g. `http://127.0.0.1:41234` (the real port when `port` is 0). */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting requests and resolves once the turns in flight have finished. */
  close(): Promise<void>;
}

/** What the adapter wrote, held back so the server decides what the caller actually sees. */
interface CapturedResponse extends BotResponse {
  readonly result: () => { status: number; body: unknown };
}

function captureResponse(): CapturedResponse {
  let status = 200;
  let body: unknown;
  return {
    socket: undefined,
    status: (code: number) => {
      status = code;
    },
    header: () => undefined,
    send: (value?: unknown) => {
      body = value;
    },
    end: () => undefined,
    result: () => ({ status, body }),
  };
}

/** Runs every check at once, each bounded by the timeout, and never rejects. */
export async function checkReadiness(checks: ReadinessChecks, timeoutMs: number, logger: Logger): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, string]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timed out'>((resolve) => {
        timer = setTimeout(() => resolve('timed out'), timeoutMs);
      });
      try {
        const outcome = await Promise.race([check().then(() => 'ok' as const), timeout]);
        if (outcome !== 'ok') logger.warn({ check: name }, 'readiness check timed out');
        return [name, outcome];
      } catch (error) {
        logger.warn({ check: name, err: error }, 'readiness check failed');
        return [name, 'failed'];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ok: entries.every(([, outcome]) => outcome === 'ok'), checks: Object.fromEntries(entries) };
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerRecord(req: Request): Record<string, string | string[] | undefined> {
  return { ...req.headers };
}

export function createServer(deps: ServerDeps): BotServer {
  const logger = deps.logger ?? silentLogger;
  const maxBodySize = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const readinessTimeoutMs = deps.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  const server = restify.createServer({ name: 'autopilot-device-group-bot', handleUncaughtExceptions: false });
  const inFlight = new Set<Promise<void>>();
  let closing = false;

  const refuse = (res: Response, status: number, error: string, message: string): void => {
    res.status(status);
    res.json({ error, message });
  };

  const requireJson = (req: Request, res: Response, next: Next): void => {
    if (closing) {
      refuse(res, 503, 'shuttingDown', 'The bot is shutting down; try again.');
      return next(false);
    }
    if (req.getContentType() !== 'application/json') {
      refuse(res, 415, 'unsupportedMediaType', 'Send the activity as application/json.');
      return next(false);
    }
    return next();
  };

  async function processActivity(req: Request, res: Response): Promise<void> {
    if (!isPlainObject(req.body)) {
      refuse(res, 400, 'badRequest', 'The body must be a JSON object (a Bot Framework activity).');
      return;
    }
    let turnStarted = false;
    let invalid: string | undefined;
    const captured = captureResponse();
    const botRequest: BotRequest = { body: req.body, headers: headerRecord(req), method: req.method };
    try {
      await deps.adapter.process(botRequest, captured, async (context) => {
        // Checked here, once the adapter has authenticated the caller: an unauthenticated caller gets the same
        // 401 whatever it sends and so learns nothing about what the bot expects.
        const activity = checkActivity(req.body);
        if (!activity.ok) {
          invalid = activity.problem;
          return;
        }
        turnStarted = true;
        await deps.app.run(context);
      });
    } catch (error) {
      // The adapter throws (rather than answering) on activities its schema rejects.
      logger.warn({ err: error }, 'activity refused by the adapter');
      refuse(res, 400, 'badRequest', 'The body is not a valid Bot Framework activity.');
      return;
    }
    if (invalid !== undefined) {
      logger.warn({ problem: invalid }, 'invalid activity refused');
      refuse(res, 400, 'badRequest', `The body is not a valid Bot Framework activity: ${invalid}.`);
      return;
    }
    const { status, body: answer } = captured.result();
    if (status >= 400 && !turnStarted) {
      // Failing before the turn starts means the request was not authenticated or not an activity. botbuilder
      // answers some forged tokens with 500 and its internal message: never pass either on.
      logger.warn({ status }, 'activity rejected before the turn');
      if (status === 400) refuse(res, 400, 'badRequest', 'The body is not a valid Bot Framework activity.');
      else refuse(res, 401, 'unauthorized', 'Authentication failed.');
      return;
    }
    if (status >= 500) {
      logger.error({ status }, 'turn failed');
      refuse(res, 500, 'internalError', 'The bot could not process this activity.');
      return;
    }
    res.status(status);
    if (answer === undefined) res.end();
    else res.json(answer);
  }

  const readJson = [restify.plugins.bodyReader({ maxBodySize }), ...restify.plugins.jsonBodyParser({ bodyReader: true })];
  server.post('/api/messages', requireJson, ...readJson, (req: Request, res: Response, next: Next) => {
    const turn = processActivity(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'unexpected failure answering an activity');
      if (!res.headersSent) refuse(res, 500, 'internalError', 'The bot could not process this activity.');
    });
    inFlight.add(turn);
    void turn.finally(() => {
      inFlight.delete(turn);
      next();
    });
  });

  server.get('/healthz', (_req: Request, res: Response, next: Next) => {
    res.json({ status: 'ok' });
    next();
  });

  server.get('/readyz', (_req: Request, res: Response, next: Next) => {
    void checkReadiness(deps.readiness, readinessTimeoutMs, logger).then((readiness) => {
      const ok = readiness.ok && !closing;
      res.status(ok ? 200 : 503);
      res.json({ ok, checks: readiness.checks });
      next();
    });
  });

  return {
    listen(port: number, host: string): Promise<string> {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          server.server.off('error', reject);
          resolve(urlOf(server.address()));
        });
      });
    },
    async close(): Promise<void> {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
      server.server.closeIdleConnections();
      await stopped;
    },
  };
}
