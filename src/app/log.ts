/**
 * Structured JSON logs (pino). Secrets are redacted by key wherever they appear in the first levels of a
 * log object, so a carelessly logged config, request or error never leaks a password or a token.
 */
import pino, { type DestinationStream, type Logger as RootLogger } from 'pino';
import type { LogLevel } from './config';

const SECRET_KEYS = [
  'password',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'access_token',
  'authorization',
  'Authorization',
  'cookie',
  'connectionString',
  'BOT_PASSWORD',
  'GRAPH_CLIENT_SECRET',
  'DATABASE_URL',
];

/** `key`, `*.key` and `*.*.key`: pino's redaction matches explicit paths only, so list the depths we log at. */
const REDACTED_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => [
  `["${key}"]`,
  `*["${key}"]`,
  `*.*["${key}"]`,
]);

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go; stdout when omitted (tests pass a stream to read them back). */
  readonly destination?: DestinationStream;
  /** Fields added to every line, read at write time (e.g. the correlation id of the current turn). */
  readonly context?: () => object;
}

/** The process's root logger: pino, which fits the services' Logger port and adds `child` and `debug`. */
export function createLogger(options: LoggerOptions): RootLogger {
  return pino(
    {
      level: options.level,
      base: { service: 'autopilot-device-group-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      ...(options.context ? { mixin: options.context } : {}),
    },
    options.destination ?? pino.destination(1),
  );
}
