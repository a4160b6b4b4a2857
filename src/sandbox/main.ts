/**
 * Starts the sandbox Graph emulator on 127.0.0.1 (port from GRAPH_EMULATOR_PORT, default 5980) and prints
 * its URL. Set GRAPH_EMULATOR_TOKEN to make it require that bearer token.
 */
import { startGraphEmulator } from './graphEmulator';

const DEFAULT_PORT = 5980;

export function portFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`GRAPH_EMULATOR_PORT must be a port number (0-65535), not "${raw}".`);
  }
  return port;
}

async function main(): Promise<void> {
  const token = process.env.GRAPH_EMULATOR_TOKEN;
  const emulator = await startGraphEmulator({
    port: portFromEnv(process.env.GRAPH_EMULATOR_PORT),
    host: '127.0.0.1',
    ...(token ? { requiredToken: token } : {}),
  });
  process.stdout.write(`Graph emulator listening on ${emulator.url}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
