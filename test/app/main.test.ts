import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudAdapter } from 'botbuilder';
import { ConfigError, type Environment } from '../../src/app/config';
import { botFrameworkSettings, createAdapter, type RunningApp, startApp } from '../../src/app/main';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import { memoryLog } from '../support/memoryLog';
import { trace } from '@opentelemetry/api';
import { createServer, type Server } from 'node:http';
import { startTelemetry } from '../../src/app/telemetry';

// Nothing in this file runs in production mode with a connection string, so Application Insights' SDK must
// never even be loaded: if it were, this factory would throw and the test that loaded it would fail.
jest.mock('@azure/monitor-opentelemetry', () => {
  throw new Error('@azure/monitor-opentelemetry was loaded');
});

const APPROVER = '00000000-0000-4000-8000-0000000000a2';
const REQUESTER = '00000000-0000-4000-8000-0000000000a1';
const TENANT = '11111111-2222-3333-4444-555555555555';
const BOT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/** A personal-chat message as Teams sends it, answered in the HTTP response (no connector needed). */
function personalMessage(text: string) {
  return {
    type: 'message',
    id: 'activity-1',
    text,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/_connector', // never called: replies come back in the response
    deliveryMode: 'expectReplies',
    from: { id: '29:alex-wilber', name: 'Alex Wilber', aadObjectId: REQUESTER },
    recipient: { id: '28:bot', name: 'Autopilot groups' },
    conversation: { id: 'personal-chat-helpdesk', conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
  };
}

/** POSTs {@link personalMessage}(text) to the bot at `appUrl`, as the channel would. */
function postMessage(appUrl: string, text: string): Promise<Response> {
  return fetch(`${appUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(personalMessage(text)) });
}

describe('the composition root in sandbox mode', () => {
  let emulator: GraphEmulator;
  let directory: string;
  let app: RunningApp;
  let log: ReturnType<typeof memoryLog>;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, host: '127.0.0.1' });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'index-'));
    log = memoryLog();
    const env: Environment = {
      APP_MODE: 'sandbox',
      HOST: '127.0.0.1',
      PORT: '0',
      GRAPH_BASE_URL: emulator.url,
      SQLITE_PATH: path.join(directory, 'bot.sqlite'),
      APPROVER_IDS: APPROVER,
    };
    app = await startApp({ ...env, LOG_LEVEL: 'debug' }, { logDestination: log.destination });
  });

  afterAll(async () => {
    await app.stop();
    await emulator.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('listens on an ephemeral loopback port', () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(app.url).not.toMatch(/:0$/);
    expect(app.config.bot).toEqual({ kind: 'none' });
  });

  it('answers /healthz', async () => {
    expect(await getJson(`${app.url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('is ready: the database answers and the owner service principal resolves in the emulator', async () => {
    expect(await getJson(`${app.url}/readyz`)).toEqual({ status: 200, body: { ok: true, checks: { database: 'ok', ownerServicePrincipal: 'ok' } } });
  });

  it('runs a turn through the real bot and logs each Graph call with its ids', async () => {
    const response = await postMessage(app.url, 'help');
    expect(response.status).toBe(200);
    const replies = (await response.json()) as { activities: Array<{ type: string; attachments?: Array<{ contentType: string }> }> };
    const cards = replies.activities.flatMap((activity) => activity.attachments ?? []);
    expect(cards.map((card) => card.contentType)).toContain('application/vnd.microsoft.card.adaptive');

    const graphLines = log.entries().filter((entry) => entry.msg === 'graph call');
    expect(graphLines.length).toBeGreaterThan(0); // the readiness probe looked up the owner service principal
    expect(graphLines[0]?.graph).toMatchObject({ method: 'GET', url: expect.stringContaining('/servicePrincipals'), clientRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('gives every turn its own correlation id', async () => {
    const before = log.entries().length;
    for (const text of ['help', 'mine']) {
      const response = await postMessage(app.url, text);
      expect(response.status).toBe(200);
    }
    const turns = log.entries().slice(before).filter((entry) => entry.msg === 'turn');
    expect(turns).toHaveLength(2);
    const ids = turns.map((entry) => entry.correlationId);
    expect(ids).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe('Application Insights', () => {
  it('is not started when APPLICATIONINSIGHTS_CONNECTION_STRING is unset', async () => {
    const telemetry = await startTelemetry(undefined, { info: () => undefined, warn: () => undefined, error: () => undefined });
    expect(telemetry.enabled).toBe(false);
    expect(await telemetry.turn('turn message', {}, async () => 'ran')).toBe('ran');
    expect(telemetry.logFields()).toEqual({});
    expect(trace.getTracerProvider().getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  });

  describe('in sandbox mode, even with a connection string set', () => {
    let ingestion: Server;
    let received = 0;
    let emulator: GraphEmulator | undefined;
    let directory: string;
    let app: RunningApp | undefined;
    const log = memoryLog();

    beforeAll(async () => {
      // Where the telemetry would go if it were wrongly on: a loopback "ingestion endpoint" that counts.
      ingestion = createServer((_request, response) => {
        received += 1;
        response.end();
      });
      await new Promise<void>((resolve) => ingestion.listen(0, '127.0.0.1', resolve));
      const address = ingestion.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      emulator = await startGraphEmulator({ port: 0, host: '127.0.0.1' });
      directory = fs.mkdtempSync(path.join(os.tmpdir(), 'index-telemetry-'));
      app = await startApp({
        APP_MODE: 'sandbox', HOST: '127.0.0.1', PORT: '0', GRAPH_BASE_URL: emulator.url, SQLITE_PATH: path.join(directory, 'bot.sqlite'), APPROVER_IDS: APPROVER,
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=http://127.0.0.1:${address.port}/`,
        LOG_LEVEL: 'info',
      }, { logDestination: log.destination });
    });

    afterAll(async () => {
      // Each part on its own: a start that failed must not leave the others listening.
      await app?.stop();
      await emulator?.close();
      await new Promise((resolve) => ingestion.close(resolve));
      fs.rmSync(directory, { recursive: true, force: true });
    });

    it('sends nothing and records no span for a turn', async () => {
      if (!app) throw new Error('the bot did not start');
      expect(app.config.telemetry).toBeUndefined();
      expect((await postMessage(app.url, 'help')).status).toBe(200);
      await app.stop(); // would flush anything buffered
      expect(received).toBe(0);
      expect(log.entries().find((entry) => entry.msg === 'starting')).toMatchObject({ telemetry: false });
      expect(log.entries().filter((entry) => 'trace_id' in entry)).toEqual([]);
      expect(trace.getActiveSpan()).toBeUndefined();
    });
  });
});

describe('stopping', () => {
  it('closes the server and the database, and can be called twice', async () => {
    const emulator = await startGraphEmulator({ port: 0, host: '127.0.0.1' });
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'index-stop-'));
    const env = { APP_MODE: 'sandbox', PORT: '0', GRAPH_BASE_URL: emulator.url, SQLITE_PATH: path.join(directory, 'bot.sqlite'), APPROVER_IDS: APPROVER };
    const first = await startApp(env, { logDestination: memoryLog().destination });
    await Promise.all([first.stop(), first.stop()]);
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();
    // The same database opens again: the first instance released it cleanly.
    const second = await startApp(env, { logDestination: memoryLog().destination });
    expect((await getJson(`${second.url}/healthz`)).status).toBe(200);
    await second.stop();
    await emulator.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });
});

describe('refusing to start', () => {
  it('refuses production mode without bot credentials, before opening anything', async () => {
    await expect(startApp({ APP_MODE: 'production', APPROVER_IDS: APPROVER, PORT: '0' })).rejects.toThrow(ConfigError);
  });

  it('refuses to expose the unauthenticated sandbox beyond loopback', async () => {
    await expect(startApp({ APP_MODE: 'sandbox', HOST: '0.0.0.0', GRAPH_BASE_URL: 'http://127.0.0.1:1', APPROVER_IDS: APPROVER })).rejects.toThrow(/HOST must be a loopback address/);
  });
});

describe('production mode', () => {
  it('answers an unauthenticated activity with 401 and no internal detail', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'index-prod-'));
    const app = await startApp(
      {
        APP_MODE: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        BOT_ID,
        BOT_TENANT_ID: TENANT,
        BOT_PASSWORD: 'not-a-real-secret',
        SQLITE_PATH: path.join(directory, 'bot.sqlite'),
        APPROVER_IDS: APPROVER,
      },
      { logDestination: memoryLog().destination },
    );
    try {
      const response = await postMessage(app.url, 'help');
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', message: 'Authentication failed.' });
    } finally {
      await app.stop();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('the Bot Framework adapter', () => {
  it('maps a SingleTenant identity to botbuilder settings', () => {
    expect(botFrameworkSettings({ kind: 'SingleTenant', appId: BOT_ID, tenantId: TENANT, password: 'p' })).toEqual({
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppId: BOT_ID,
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppPassword: 'p',
    });
  });

  it('maps a user-assigned managed identity without a password', () => {
    expect(botFrameworkSettings({ kind: 'UserAssignedMsi', appId: BOT_ID, tenantId: TENANT })).toEqual({
      MicrosoftAppType: 'UserAssignedMsi',
      MicrosoftAppId: BOT_ID,
      MicrosoftAppTenantId: TENANT,
    });
  });

  it.each([
    { kind: 'none' as const },
    { kind: 'SingleTenant' as const, appId: BOT_ID, tenantId: TENANT, password: 'p' },
    { kind: 'UserAssignedMsi' as const, appId: BOT_ID, tenantId: TENANT },
  ])('builds an adapter botbuilder accepts for $kind', (auth) => {
    expect(createAdapter(auth)).toBeInstanceOf(CloudAdapter);
  });
});
