/**
 * The whole product in this process, as `npm run serve` composes it (startApp): HTTP server, bot, requests
 * and provisioning services, a SQLite store in a temporary directory and the Graph emulator on loopback —
 * plus a second connection to the same store and direct access to the emulator's tenant, for checks.
 * The bot reaches the emulator through a {@link GraphProxy}, so a test can stop or fail a chosen call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type RunningApp } from '../../../src/app/main';
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../../src/sandbox/graphEmulator';
import { openStore, type Store } from '../../../src/store';
import { APPROVERS } from './activities';
import { startStubConnector, type StubConnector } from './connector';
import { startGraphProxy, type GraphProxy } from './graphProxy';

export interface InProcessBot {
  readonly app: RunningApp;
  readonly endpoint: string;
  readonly emulator: GraphEmulator;
  readonly proxy: GraphProxy;
  readonly connector: StubConnector;
  /** A second connection to the bot's database. */
  readonly store: Store;
  stop(): Promise<void>;
}

export interface InProcessBotOptions {
  readonly emulator?: GraphEmulatorOptions;
  /** Settings added to the bot's environment, e.g. a short GRAPH_TIMEOUT_MS. */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startInProcessBot(options: InProcessBotOptions = {}): Promise<InProcessBot> {
  const dir = mkdtempSync(join(tmpdir(), 'adgb-reliability-'));
  const sqlitePath = join(dir, 'bot.sqlite');
  const emulator = await startGraphEmulator(options.emulator);
  const proxy = await startGraphProxy(emulator.url);
  const connector = await startStubConnector();
  const app = await startApp(
    {
      APP_MODE: 'sandbox',
      HOST: '127.0.0.1',
      PORT: '0',
      GRAPH_BASE_URL: proxy.url,
      SQLITE_PATH: sqlitePath,
      APPROVER_IDS: APPROVERS.map((person) => person.aadObjectId).join(','),
      LOG_LEVEL: 'silent',
      ...options.env,
    },
  );
  const store = await openStore({ kind: 'sqlite', path: sqlitePath });
  return {
    app,
    endpoint: `${app.url}/api/messages`,
    emulator,
    proxy,
    connector,
    store,
    async stop() {
      await app.stop();
      await store.close();
      await connector.close();
      await proxy.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
