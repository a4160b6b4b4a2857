/** Where the bot listens (HOST, PORT): loopback only in the sandbox, where authentication is off. */
import { isLoopbackHost } from '../../../shared/loopback';
import type { EnvironmentReader } from '../reader';
import { text, wholeNumber } from '../schema';
import type { AppMode, Config } from '../types';

export const DEFAULT_PORT = 3978;

const port = wholeNumber({ min: 0, max: 65_535 });

export function readServer(reader: EnvironmentReader, mode: AppMode): Config['server'] {
  const host = reader.optional('HOST', text) ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0');
  if (mode === 'sandbox' && !isLoopbackHost(host)) {
    reader.problem(`HOST must be a loopback address (127.0.0.1, ::1 or localhost) in sandbox mode, because authentication is off (got ${JSON.stringify(host)})`);
  }
  return { host, port: reader.optional('PORT', port) ?? DEFAULT_PORT };
}
