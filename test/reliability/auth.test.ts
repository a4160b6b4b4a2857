/**
 * Authentication, through the compiled bot process: in production mode with a bot identity every request
 * without a valid Bot Framework token is refused with 401 and a fixed message (no parser or library detail);
 * sandbox mode (authentication off) cannot be bound to anything but loopback. The processes run with the
 * network guard: checking a forged token makes botbuilder try to fetch signing keys, which must never
 * leave the machine.
 */
import { generateKeyPairSync, createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { INTERNAL_DETAIL, click, hana, message, post } from './support/activities';
import { BotProcesses, type BotProcess } from './support/botProcess';
import { VERBS } from '../../src/bot/verbs';

const BOT_ID = '5a5a5a5a-0000-4000-8000-00000000b071';
const TENANT_ID = '5a5a5a5a-0000-4000-8000-0000000071d0';
const SERVICE_URL = 'http://127.0.0.1:9/';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A well-formed RS256 JWT signed with a key nobody trusts. */
function forgedJwt(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT', kid: 'forged-key' }): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  return `${signingInput}.${base64url(signature)}`;
}

const now = Math.floor(Date.now() / 1000);
const plausibleClaims = { iss: 'https://api.botframework.com', aud: BOT_ID, serviceurl: SERVICE_URL, nbf: now - 60, exp: now + 3600 };

const TOKENS: ReadonlyArray<readonly [string, string | undefined]> = [
  ['no Authorization header', undefined],
  ['an empty Bearer token', 'Bearer '],
  ['a Basic credential', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
  ['a token that is not a JWT', 'Bearer not-a-jwt'],
  ['a JWT with garbage segments', 'Bearer aaa.bbb.ccc'],
  ['an unsigned JWT (alg none)', `Bearer ${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(plausibleClaims))}.`],
  ['a forged JWT from an unknown issuer', `Bearer ${forgedJwt({ ...plausibleClaims, iss: 'https://evil.example/' })}`],
  ['a forged JWT for another bot', `Bearer ${forgedJwt({ ...plausibleClaims, aud: '00000000-0000-4000-8000-000000000000' })}`],
  ['a forged JWT with Bot Framework claims', `Bearer ${forgedJwt(plausibleClaims)}`],
  ['an expired forged JWT', `Bearer ${forgedJwt({ ...plausibleClaims, nbf: now - 7200, exp: now - 3600 })}`],
  ['a forged Entra ID token for the tenant', `Bearer ${forgedJwt({ ...plausibleClaims, iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`, azp: BOT_ID })}`],
];

describe('production mode with a bot identity', () => {
  const processes = new BotProcesses();
  let bot: BotProcess;

  beforeAll(async () => {
    bot = await processes.start({
      APP_MODE: 'production',
      HOST: '127.0.0.1',
      BOT_ID,
      BOT_TENANT_ID: TENANT_ID,
      BOT_PASSWORD: 'not-a-real-secret',
      // Never called in this suite: no request gets far enough to provision anything. Production accepts only
      // Graph's own clouds; the network guard would refuse the call anyway.
      GRAPH_BASE_URL: 'https://graph.microsoft.com',
      GRAPH_CREDENTIAL: 'clientSecret',
      GRAPH_CLIENT_ID: BOT_ID,
      GRAPH_CLIENT_SECRET: 'not-a-real-secret',
    });
  });
  afterAll(() => processes.stopAll());

  const activities = (): ReadonlyArray<readonly [string, Record<string, unknown>]> => [
    ['a message', message(hana, 'status Contoso Kiosks', SERVICE_URL)],
    ['a card action', click(hana, VERBS.approve, { requestId: 'REQ-1' }, SERVICE_URL)],
  ];

  test.each(TOKENS)('%s → 401 with a fixed message', async (_name, authorization) => {
    for (const [, activity] of activities()) {
      const response = await fetch(bot.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(30_000),
      });
      const body = await response.text();
      expect({ status: response.status, body: JSON.parse(body) }).toEqual({
        status: 401,
        body: { error: 'unauthorized', message: 'Authentication failed.' },
      });
      expect(body).not.toMatch(INTERNAL_DETAIL);
    }
  });

  test('bad bodies are still refused before authentication, without detail', async () => {
    expect(await post(bot.endpoint, 'nope', { raw: true, contentType: 'text/plain' })).toMatchObject({ status: 415 });
    expect(await post(bot.endpoint, '[]', { raw: true })).toMatchObject({ status: 400 });
  });

  test('nothing left the machine: the only attempts were botbuilder fetching signing keys, and the guard refused them', () => {
    const hosts = new Set(processes.networkViolations().map((line) => (JSON.parse(line) as { host: string }).host));
    expect([...hosts].every((host) => ['login.botframework.com', 'login.microsoftonline.com'].includes(host))).toBe(true);
  });
});

describe('sandbox mode is reachable on loopback only', () => {
  const processes = new BotProcesses();
  afterAll(() => processes.stopAll());

  test.each([
    ['0.0.0.0', /HOST must be a loopback address/],
    ['::', /HOST must be a loopback address/],
    ['192.168.1.10', /HOST must be a loopback address/],
  ])('HOST=%s is refused at start with the reason', async (host, reason) => {
    const managed = processes.spawn({ HOST: host, GRAPH_BASE_URL: 'http://127.0.0.1:9' });
    await managed.waitForOutput(reason, 30_000);
    await managed.stop();
    expect(managed.tail()).not.toMatch(/"msg":"listening"/);
  });

  test('a Graph URL off loopback is refused in sandbox mode', async () => {
    const managed = processes.spawn({ GRAPH_BASE_URL: 'https://graph.microsoft.com' });
    await managed.waitForOutput(/GRAPH_BASE_URL must point at the local Graph emulator on a loopback address/, 30_000);
    await managed.stop();
    expect(managed.tail()).not.toMatch(/"msg":"listening"/);
  });

  test('a bot identity in sandbox mode is refused (a production deployment with the wrong mode)', async () => {
    const managed = processes.spawn({ GRAPH_BASE_URL: 'http://127.0.0.1:9', BOT_ID, BOT_PASSWORD: 'x' });
    await managed.waitForOutput(/BOT_ID must not be set in sandbox mode/, 30_000);
    await managed.stop();
  });

  test('production mode without an identity refuses to start', async () => {
    const managed = processes.spawn({ APP_MODE: 'production', HOST: '127.0.0.1' });
    await managed.waitForOutput(/BOT_ID is required in production mode/, 30_000);
    await managed.stop();
    expect(managed.tail()).not.toMatch(/"msg":"listening"/);
  });

  test('the sandbox bot’s socket is bound to 127.0.0.1, not to every interface', async () => {
    const bot = await processes.start({ GRAPH_BASE_URL: 'http://127.0.0.1:9' });
    const port = Number(new URL(bot.url).port);
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    const listening = [readFileSync('/proc/net/tcp', 'utf8'), readFileSync('/proc/net/tcp6', 'utf8')]
      .join('\n')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A') // 0A: LISTEN
      .map((fields) => fields[1]?.split(':')[0]);
    expect(listening).toEqual(['0100007F']); // 127.0.0.1, and nothing else
  });
});
