/**
 * How the PostgreSQL adapter connects (src/store/postgres.ts): an Entra-token password callback renewed before
 * expiry, connect and query timeouts that fail with a clear error and a log line, pool errors logged. Against
 * the local PostgreSQL (TEST_DATABASE_URL) with a role whose password is token-shaped, so the server checks
 * exactly what the callback returned; the connect timeout against a loopback server that never answers.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { Client } from 'pg';
import type { Logger } from '../../src/shared/logger';
import { type Store } from '../../src/store';
import { POSTGRES_ENTRA_SCOPE, PostgresTimeoutError, azurePostgresCaCertificates, entraTokenPassword, openPostgresStore } from '../../src/store/postgres';
import { TEST_DATABASE_URL } from './support/harness';

const HOUR = 60 * 60_000;

/** Shaped like an Entra access token (three base64url parts, ~1.3 KB), as PostgreSQL receives it. */
function tokenShaped(): string {
  const part = (bytes: number) => randomBytes(bytes).toString('base64url');
  return `${part(36)}.${part(700)}.${part(256)}`;
}

/** A credential handing out the given tokens in turn, each valid for an hour from the fake clock's now. */
function issuingCredential(tokens: string[], now: () => number): TokenCredential & { readonly scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      const token = tokens.shift();
      if (!token) throw new Error('no more tokens');
      return { token, expiresOnTimestamp: now() + HOUR };
    },
  };
}

function capturingLogger(): Logger & { readonly errors: { fields: object; message?: string }[]; nextError(): Promise<void> } {
  const errors: { fields: object; message?: string }[] = [];
  let waiting: (() => void) | undefined;
  return {
    errors,
    info: () => undefined,
    warn: () => undefined,
    error(fields, message) {
      errors.push({ fields, message });
      waiting?.();
    },
    nextError: () => new Promise<void>((resolve) => (waiting = resolve)),
  };
}

describe('entraTokenPassword', () => {
  it('asks for the Azure PostgreSQL audience, reuses the token, and renews it five minutes before expiry', async () => {
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const credential = issuingCredential(['first', 'second'], () => clock);
    const password = entraTokenPassword(credential, { now: () => new Date(clock) });

    expect(await password()).toBe('first');
    clock += HOUR - 6 * 60_000; // six minutes left: still good
    expect(await password()).toBe('first');
    clock += 2 * 60_000; // four minutes left: renewed
    expect(await password()).toBe('second');
    expect(credential.scopes).toEqual([POSTGRES_ENTRA_SCOPE, POSTGRES_ENTRA_SCOPE]);
  });

  it('says so when the credential has no token', async () => {
    const password = entraTokenPassword({ getToken: async () => null });
    await expect(password()).rejects.toThrow(/no Entra token for https:\/\/ossrdbms-aad\.database\.windows\.net\/\.default/);
  });
});

describe('connect timeout', () => {
  let server: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts the TCP connection and never says anything: a server that hangs, or a black-holed path.
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails with a clear error and a log line instead of waiting for ever', async () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const logger = capturingLogger();
    const opening = openPostgresStore({ url: `postgres://bot@127.0.0.1:${address.port}/adgb`, connection: { connectTimeoutMs: 300, logger } });
    await expect(opening).rejects.toThrow(PostgresTimeoutError);
    await expect(opening).rejects.toThrow('PostgreSQL did not accept a connection within 300 ms (DATABASE_CONNECT_TIMEOUT_MS)');
    expect(logger.errors).toEqual([expect.objectContaining({ fields: expect.objectContaining({ timeout: 'connect', limitMs: 300 }) })]);
  });
});

describe('verify-full: the server must chain to the given roots and match the host', () => {
  let directory: string;
  let server: Server;
  let port = 0;
  /** The certificate the fake server presents next (a self-signed one, made with openssl). */
  let presented: { key: string; cert: string };

  function selfSigned(subjectAltName: string): { key: string; cert: string } {
    const key = join(directory, 'key.pem');
    const cert = join(directory, 'cert.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=postgres', '-addext', `subjectAltName=${subjectAltName}`, '-keyout', key, '-out', cert], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  }

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'pg-tls-'));
    // PostgreSQL's TLS start: the client sends an 8-byte SSLRequest, the server answers 'S', then TLS. After the
    // handshake this server hangs up, so a verified connection fails later and differently.
    server = createServer((socket) => {
      socket.once('data', () => {
        socket.write('S');
        const tls = new TLSSocket(socket, { isServer: true, ...presented });
        tls.on('error', () => undefined);
        tls.on('secure', () => tls.destroy());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    port = address.port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  });

  const openWith = (ca: readonly string[]) =>
    openPostgresStore({ url: `postgres://bot@127.0.0.1:${port}/adgb?sslmode=verify-full`, connection: { ca, password: async () => 'token', connectTimeoutMs: 5000 } });

  it('refuses a server whose certificate does not chain to the Azure roots', async () => {
    presented = selfSigned('IP:127.0.0.1');
    await expect(openWith(azurePostgresCaCertificates())).rejects.toThrow(/self[- ]signed certificate/);
  });

  it('refuses a trusted certificate issued for another host', async () => {
    presented = selfSigned('DNS:db.example.org');
    await expect(openWith([presented.cert])).rejects.toThrow(/does not match certificate's altnames/);
  });

  it('gets past TLS with a root it was given for this host', async () => {
    presented = selfSigned('IP:127.0.0.1');
    await expect(openWith([presented.cert])).rejects.toThrow(/Connection terminated unexpectedly/);
  });
});

const url = TEST_DATABASE_URL;
if (!url) console.warn('PostgreSQL connection suite SKIPPED: set TEST_DATABASE_URL to run it.');

(url ? describe : describe.skip)('on the local PostgreSQL', () => {
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const role = `adgb_token_${suffix}`;
  const stores: Store[] = [];

  async function asAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  /** The role's URL: no password in it, as in Azure, where the password is the token. */
  function roleUrl(applicationName: string): string {
    const target = new URL(url ?? '');
    target.username = role;
    target.password = '';
    target.searchParams.set('application_name', applicationName);
    return target.toString();
  }

  async function open(options: Parameters<typeof openPostgresStore>[0]): Promise<Store> {
    const store = await openPostgresStore(options);
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    await asAdmin(async (client) => {
      const database = (await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0]?.name ?? '';
      await client.query(`CREATE ROLE ${role} LOGIN`);
      await client.query(`GRANT CREATE ON DATABASE "${database}" TO ${role}`);
    });
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  afterAll(async () => {
    await asAdmin(async (client) => {
      const database = (await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0]?.name ?? '';
      await client.query(`DROP OWNED BY ${role} CASCADE`);
      await client.query(`REVOKE ALL ON DATABASE "${database}" FROM ${role}`);
      await client.query(`DROP ROLE ${role}`);
    });
  });

  const setPassword = (password: string) => asAdmin((client) => client.query(`ALTER ROLE ${role} PASSWORD '${password}'`));

  it('logs in with the token the callback returns, and with the renewed one after the server changed', async () => {
    const [first, second] = [tokenShaped(), tokenShaped()];
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const password = entraTokenPassword(issuingCredential([first, second], () => clock), { now: () => new Date(clock) });
    await setPassword(first);
    const before = await open({ url: roleUrl('adgb-token-a'), schema: `tok_a_${suffix}`, connection: { password } });
    await before.ping();

    // The first token is about to expire and the server now only accepts the second one.
    await setPassword(second);
    clock += HOUR - 60_000;
    const after = await open({ url: roleUrl('adgb-token-b'), schema: `tok_b_${suffix}`, connection: { password } });
    await after.ping();
  });

  it('is refused by the server when the token is not the one it expects', async () => {
    await setPassword(tokenShaped());
    const stale = entraTokenPassword(issuingCredential([tokenShaped()], Date.now));
    await expect(open({ url: roleUrl('adgb-token-c'), schema: `tok_c_${suffix}`, connection: { password: stale } })).rejects.toThrow(/password authentication failed/);
  });

  it('stops a statement that waits too long, with a clear error and a log line, and recovers', async () => {
    const schema = `tok_d_${suffix}`;
    const logger = capturingLogger();
    const store = await open({ url: url ?? '', schema, connection: { queryTimeoutMs: 300, logger } });
    const request = {
      policyKey: 'p', policyName: 'P', scenario: 'userDriven' as const, requester: { aadObjectId: 'a', name: 'A' },
      names: { displayName: 'd', mailNickname: 'm', uniqueName: 'u' }, createdAt: '2026-01-01T00:00:00.000Z',
    };
    const locker = new Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE "${schema}".requests IN ACCESS EXCLUSIVE MODE`);
      await expect(store.getRequest('REQ-1')).rejects.toThrow('a PostgreSQL statement did not finish within 300 ms (DATABASE_QUERY_TIMEOUT_MS)');
      await expect(store.createRequest(request)).rejects.toThrow(PostgresTimeoutError); // inside a transaction
      expect(logger.errors).toContainEqual(expect.objectContaining({ fields: expect.objectContaining({ timeout: 'query', limitMs: 300 }) }));
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await store.createRequest(request)).request.id).toMatch(/^REQ-\d+$/);
  });

  it('logs an idle pooled connection that the server ended', async () => {
    const logger = capturingLogger();
    const store = await open({ url: `${url ?? ''}${(url ?? '').includes('?') ? '&' : '?'}application_name=adgb-idle-${suffix}`, schema: `tok_e_${suffix}`, connection: { logger } });
    await store.ping();
    const logged = logger.nextError();
    await asAdmin((client) => client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`adgb-idle-${suffix}`]));
    await logged;
    expect(logger.errors[0]?.message).toBe('PostgreSQL: an idle pooled connection failed');
  });
});
