/**
 * Node prints process warnings (restify's dependencies trigger DEP0111 as they load) as plain text on stderr,
 * which breaks a log that is JSON line by line. The entry point holds them back before it loads anything
 * else; once the logger exists they are written, with every later one, as JSON log lines.
 */
import type { Logger } from '../shared/logger';

export interface HeldProcessWarnings {
  /** Writes the held warnings, and every later one, through the logger. */
  logTo(logger: Logger): void;
}

export function holdBackProcessWarnings(): HeldProcessWarnings {
  const early: Error[] = [];
  const holdBack = (warning: Error): void => void early.push(warning);
  process.removeAllListeners('warning');
  process.on('warning', holdBack);
  return {
    logTo(logger) {
      process.removeListener('warning', holdBack);
      const log = (warning: Error & { code?: string }): void =>
        logger.warn({ warning: { name: warning.name, code: warning.code, message: warning.message } }, 'process warning');
      process.on('warning', log);
      early.splice(0).forEach(log);
    },
  };
}
