/**
 * The logging port shared by every service, the bot and the HTTP server: a subset of pino's API, so the
 * pino logger of src/log.ts fits as is, and tests can pass a silent or capturing one.
 */
export interface Logger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
