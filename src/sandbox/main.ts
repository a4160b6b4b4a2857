/**
 * Starts the sandbox Graph emulator on 127.0.0.1 (port from GRAPH_EMULATOR_PORT, default 5980) and prints
 * its URL. Set GRAPH_EMULATOR_TOKEN to make it require that bearer token. It answers as strictly as Graph; set
 * GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND=true to let an app-only token (the sandbox bot's) bind a group to its
 * Intune policy, which Intune refuses today. GRAPH_EMULATOR_STATE_FILE keeps the tenant in that file across
 * restarts (`npm start` sets it under the data folder); without it the tenant lives in memory.
 */
import path from 'node:path';
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

export function allowAppOnlyBindFromEnv(raw: string | undefined): boolean {
  if (raw === undefined || raw.trim() === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND must be true or false, not "${raw}".`);
}

/** An absolute path, or undefined (in memory) when the variable is unset or blank. */
export function stateFileFromEnv(raw: string | undefined): string | undefined {
  return raw === undefined || raw.trim() === '' ? undefined : path.resolve(raw);
}

async function main(): Promise<void> {
  const token = process.env.GRAPH_EMULATOR_TOKEN;
  const allowAppOnlyBind = allowAppOnlyBindFromEnv(process.env.GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND);
  const stateFile = stateFileFromEnv(process.env.GRAPH_EMULATOR_STATE_FILE);
  const emulator = await startGraphEmulator({
    port: portFromEnv(process.env.GRAPH_EMULATOR_PORT),
    host: '127.0.0.1',
    // A new sandbox already has the hand-made groups real tenants have, so `policies` finds something.
    seed: { brokenCases: true },
    ...(token ? { requiredToken: token } : {}),
    ...(allowAppOnlyBind ? { variations: { appOnlyMembershipTarget: 'allow' } } : {}),
    ...(stateFile ? { stateFile } : {}),
  });
  process.stdout.write(`Graph emulator listening on ${emulator.url}\n`);
  if (emulator.tenantSource === 'resumed') {
    const { admin } = emulator;
    process.stdout.write(`Resumed the sandbox tenant from ${String(stateFile)}: ${admin.groups().length} groups, ${admin.policies().length} policies.\n`);
  } else {
    process.stdout.write('Seeded: "Contoso User-driven" and "Contoso Windows 365" (no group yet), and six policies with hand-made groups, five of them broken (try `policies` as an approver).\n');
    if (stateFile) process.stdout.write(`The tenant is kept in ${stateFile}.\n`);
  }
  if (!allowAppOnlyBind) {
    process.stdout.write('App-only calls to set an Intune membership target are refused with 500, as Intune does today (GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND=true allows them).\n');
  }
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
