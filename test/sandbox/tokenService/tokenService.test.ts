/**
 * The sandbox's Bot Framework token service over HTTP: driven by botbuilder's own user-token client (what
 * teams-ai's OAuth sign-in calls, built from the `OAuthUrl` option as the bot's adapter builds it), and by
 * plain fetch where the wire itself is the point (the sign-in page, errors).
 */
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity, type UserTokenClient } from 'botframework-connector';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { graphCallerOf, issueToken, GRAPH_AUDIENCES } from '../../../src/sandbox/tokenService/delegatedToken';
import { SandboxTokenService, type SandboxPerson, type SandboxTokenServiceOptions } from '../../../src/sandbox/tokenService/tokenService';
import { createTokenServiceHandler, startTokenServiceServer } from '../../../src/sandbox/tokenService/tokenServiceHttp';
import { unsignedJwt } from '../../provisioning/support/sandbox';

const TENANT = '00000000-0000-4000-8000-000000000001';
const BOT_ID = '00000000-0000-0000-0000-0000000000b0';
const CONNECTION = 'IntuneGraph';
const CHANNEL = 'msteams';
const INTUNE_SCOPE = 'DeviceManagementConfiguration.ReadWrite.All';
const MEGAN: SandboxPerson = { userId: '29:megan-bowen', objectId: '00000000-0000-4000-8000-0000000000a2', displayName: 'Megan Bowen', userPrincipalName: 'meganb@contoso.example' };
const ALEX: SandboxPerson = { userId: '29:alex-wilber', objectId: '00000000-0000-4000-8000-0000000000a1', displayName: 'Alex <Wilber>', userPrincipalName: 'alexw@contoso.example' };

let clockMs = Date.UTC(2026, 11, 6, 12, 0, 0);
let service: SandboxTokenService;
let stub: { url: string; close(): Promise<void> };
let client: UserTokenClient;

async function start(options: Partial<SandboxTokenServiceOptions> = {}): Promise<void> {
  service = new SandboxTokenService({
    tenantId: TENANT,
    people: [MEGAN, ALEX],
    connections: [{ name: CONNECTION, tokenExchangeUri: `api://botid-${BOT_ID}`, scopes: [INTUNE_SCOPE], clientId: BOT_ID }],
    now: () => clockMs,
    ...options,
  });
  stub = await startTokenServiceServer(service);
  // As the bot's CloudAdapter makes it: OAuthUrl from the options, no credentials. Without an app id in the
  // claims botbuilder refuses to build the sign-in state, so the identity names the sandbox bot's id.
  const auth = new ConfigurationBotFrameworkAuthentication({ OAuthUrl: stub.url });
  client = await auth.createUserTokenClient(new ClaimsIdentity([{ type: AuthenticationConstants.AppIdClaim, value: BOT_ID }], AuthenticationConstants.AnonymousAuthType));
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The activity a card click arrives with, as far as the sign-in state reads it. */
function activityFrom(person: SandboxPerson): Activity {
  return {
    type: 'invoke',
    id: 'activity-1',
    channelId: CHANNEL,
    serviceUrl: 'http://127.0.0.1:1/',
    conversation: { id: 'personal-chat-approver', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: person.userId, name: person.displayName, aadObjectId: person.objectId },
    recipient: { id: `28:${BOT_ID}`, name: 'Autopilot groups' },
  } as Activity;
}

async function signInThroughPage(person: SandboxPerson): Promise<string> {
  const resource = await client.getSignInResource(CONNECTION, activityFrom(person), '');
  const page = await fetch(resource.signInLink ?? '');
  expect(page.status).toBe(200);
  const done = await fetch(resource.signInLink ?? '', { method: 'POST' });
  const html = await done.text();
  const code = /<output id="code">(\d{6})<\/output>/.exec(html)?.[1];
  if (!code) throw new Error(`no code on the page: ${html}`);
  return code;
}

function graphToken(person: SandboxPerson): string {
  const subject = { objectId: person.objectId, tenantId: TENANT, userPrincipalName: person.userPrincipalName, displayName: person.displayName };
  return issueToken(service.signer, { subject, audience: GRAPH_AUDIENCES[0], scopes: [INTUNE_SCOPE], clientId: BOT_ID, lifetimeMs: 600_000, nowMs: clockMs }).token;
}

async function ssoToken(person: SandboxPerson): Promise<string> {
  const answer = await fetch(`${stub.url}/sandbox/sso?userId=${encodeURIComponent(person.userId)}&connectionName=${CONNECTION}`);
  return ((await answer.json()) as { token: string }).token;
}

describe('sandbox token service, default (everyone signed in)', () => {
  beforeEach(() => start());
  afterEach(() => stub.close());

  it("answers GetToken with a short-lived delegated Graph token carrying the person's oid, tid and Intune scope", async () => {
    const response = await client.getUserToken(MEGAN.userId, CONNECTION, CHANNEL, '');
    expect(response).toMatchObject({ connectionName: CONNECTION, channelId: CHANNEL });
    const claims = claimsOf(response.token ?? '');
    expect(claims).toMatchObject({ oid: MEGAN.objectId, tid: TENANT, upn: MEGAN.userPrincipalName, aud: 'https://graph.microsoft.com', appid: BOT_ID });
    expect(String(claims.scp).split(' ')).toContain(INTUNE_SCOPE);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(600);
    expect(response.expiration).toBe(new Date(Number(claims.exp) * 1000).toISOString());
  });

  it('gives the Graph emulator a delegated caller for that token, and refuses it once expired', async () => {
    const { token } = await client.getUserToken(MEGAN.userId, CONNECTION, CHANNEL, '');
    expect(graphCallerOf(`Bearer ${token}`, service.signer, { tenantId: TENANT, nowMs: clockMs })).toMatchObject({ kind: 'delegated', objectId: MEGAN.objectId, scopes: [INTUNE_SCOPE] });
    expect(graphCallerOf(`Bearer ${token}`, service.signer, { tenantId: TENANT, nowMs: clockMs + 601_000 }))
      .toEqual({ kind: 'refused', reason: 'expired', code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' });
  });

  it('answers a person the sandbox does not know with 404 (botbuilder: no token)', async () => {
    await expect(client.getUserToken('29:stranger', CONNECTION, CHANNEL, '')).resolves.toBeUndefined();
  });

  it('forgets the token on SignOut until the person signs in again through the link', async () => {
    await client.signOutUser(MEGAN.userId, CONNECTION, CHANNEL);
    await expect(client.getUserToken(MEGAN.userId, CONNECTION, CHANNEL, '')).resolves.toBeUndefined();
    expect(await client.getTokenStatus(MEGAN.userId, CHANNEL, '')).toEqual([
      { channelId: CHANNEL, connectionName: CONNECTION, hasToken: false, serviceProviderDisplayName: 'Azure Active Directory v2' },
    ]);
    const code = await signInThroughPage(MEGAN);
    expect(claimsOf((await client.getUserToken(MEGAN.userId, CONNECTION, CHANNEL, code)).token ?? '').oid).toBe(MEGAN.objectId);
    // Alex was never signed out.
    expect((await client.getTokenStatus(ALEX.userId, CHANNEL, CONNECTION))[0].hasToken).toBe(true);
  });

  it('answers GetAadTokens with one token per resource, each for that audience', async () => {
    const tokens = await client.getAadTokens(MEGAN.userId, CONNECTION, ['https://graph.microsoft.com'], CHANNEL);
    expect(claimsOf(tokens['https://graph.microsoft.com'].token ?? '')).toMatchObject({ aud: 'https://graph.microsoft.com', oid: MEGAN.objectId });
  });

  it('refuses an unknown connection with a 400 ErrorResponse botbuilder raises', async () => {
    await expect(client.getUserToken(MEGAN.userId, 'Misspelt', CHANNEL, '')).rejects.toThrow('The bot has no OAuth connection named "Misspelt".');
  });
});

describe('sandbox token service, SANDBOX_SIGN_IN=ask', () => {
  beforeEach(() => start({ signIn: 'ask' }));
  afterEach(() => stub.close());

  it('answers "not signed in" until the person opens the sign-in link, then redeems the code the page shows once', async () => {
    await expect(client.getUserToken(MEGAN.userId, CONNECTION, CHANNEL, '')).resolves.toBeUndefined();
    const resource = await client.getSignInResource(CONNECTION, activityFrom(MEGAN), '');
    expect(resource.signInLink?.startsWith(`${stub.url}/sandbox/signin/`)).toBe(true);
    expect(resource.tokenExchangeResource).toMatchObject({ uri: `api://botid-${BOT_ID}` });

    const code = await signInThroughPage(MEGAN);
    await expect(client.getUserToken(MEGAN.userId, CONNECTION, CHANNEL, code === '000000' ? '000001' : '000000')).resolves.toBeUndefined();
    await expect(client.getUserToken(ALEX.userId, CONNECTION, CHANNEL, code)).resolves.toBeUndefined();
    const signedIn = await client.getUserToken(MEGAN.userId, CONNECTION, CHANNEL, code);
    expect(claimsOf(signedIn.token ?? '').oid).toBe(MEGAN.objectId);
    // Signed in now: no code needed, and the same code does not sign anyone in a second time.
    expect((await client.getUserToken(MEGAN.userId, CONNECTION, CHANNEL, '')).token).toBe(signedIn.token);
    await client.signOutUser(MEGAN.userId, CONNECTION, CHANNEL);
    await expect(client.getUserToken(MEGAN.userId, CONNECTION, CHANNEL, code)).resolves.toBeUndefined();
  });

  it('shows the person on the page, escaped, and keeps an abandoned sign-in from signing anyone in', async () => {
    const resource = await client.getSignInResource(CONNECTION, activityFrom(ALEX), '');
    const page = await (await fetch(resource.signInLink ?? '')).text();
    expect(page).toContain('Alex &#60;Wilber&#62;');
    expect(page).not.toContain('<Wilber>');
    await expect(client.getUserToken(ALEX.userId, CONNECTION, CHANNEL, '')).resolves.toBeUndefined();
  });

  it('expires sign-in links, and says so on the page', async () => {
    const resource = await client.getSignInResource(CONNECTION, activityFrom(MEGAN), '');
    clockMs += 15 * 60 * 1000;
    const page = await fetch(resource.signInLink ?? '', { method: 'POST' });
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('expired');
  });

  it("exchanges the person's own SSO token for a Graph token", async () => {
    const response = await client.exchangeToken(MEGAN.userId, CONNECTION, CHANNEL, { token: await ssoToken(MEGAN) });
    expect(claimsOf(response.token ?? '')).toMatchObject({ oid: MEGAN.objectId, aud: 'https://graph.microsoft.com' });
    expect((await client.getUserToken(MEGAN.userId, CONNECTION, CHANNEL, '')).token).toBe(response.token);
  });

  it.each([
    ['another user\'s SSO token', () => ssoToken(ALEX), 'it was issued to another user'],
    ['a hand-made unsigned JWT', () => Promise.resolve(unsignedJwt({ aud: `api://botid-${BOT_ID}`, oid: MEGAN.objectId, tid: TENANT, scp: 'access_as_user', exp: 4e9 })), 'its signature is not valid'],
    ['a Graph token instead of the SSO token', () => Promise.resolve(graphToken(MEGAN)), "its audience is not the connection's Token Exchange URL"],
  ])('refuses to exchange %s (400; botbuilder gets no token)', async (_what, token, why) => {
    const response = (await client.exchangeToken(MEGAN.userId, CONNECTION, CHANNEL, { token: await token() })) as unknown as { token?: string; error?: { message: string } };
    expect(response.token).toBeUndefined();
    expect(response.error?.message).toBe(`The token cannot be exchanged: ${why}.`);
  });

  it('refuses an expired SSO token and one from another tenant', async () => {
    const sso = await ssoToken(MEGAN);
    clockMs += 11 * 60 * 1000;
    const expired = (await client.exchangeToken(MEGAN.userId, CONNECTION, CHANNEL, { token: sso })) as unknown as { error?: { message: string } };
    expect(expired.error?.message).toBe('The token cannot be exchanged: it has expired.');

    const elsewhere = new SandboxTokenService({ tenantId: '00000000-0000-4000-8000-0000000000ff', people: [MEGAN], connections: [{ name: CONNECTION, tokenExchangeUri: `api://botid-${BOT_ID}`, scopes: [], clientId: BOT_ID }], signer: service.signer, now: () => clockMs });
    const foreign = (await client.exchangeToken(MEGAN.userId, CONNECTION, CHANNEL, { token: elsewhere.ssoTokenFor(MEGAN.userId, CONNECTION) ?? '' })) as unknown as { error?: { message: string } };
    expect(foreign.error?.message).toBe('The token cannot be exchanged: it was issued in another tenant.');
  });
});

describe('sandbox token service wire format', () => {
  beforeEach(() => start());
  afterEach(() => stub.close());

  it('answers missing parameters, unknown routes and wrong methods as errors', async () => {
    const missing = await fetch(`${stub.url}/api/usertoken/GetToken?userId=${MEGAN.userId}`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { code: 'BadArgument', message: 'Missing query parameter connectionName, channelId.' } });
    expect((await fetch(`${stub.url}/api/usertoken/Nothing`)).status).toBe(404);
    expect((await fetch(`${stub.url}/api/usertoken/GetToken?userId=a&connectionName=b&channelId=c`, { method: 'POST' })).status).toBe(405);
    const badState = await fetch(`${stub.url}/api/botsignin/GetSignInResource?state=bm90IGpzb24=`);
    expect(badState.status).toBe(400);
  });

  it('answers GetSignInUrl with the link as a JSON string', async () => {
    const state = Buffer.from(JSON.stringify({ connectionName: CONNECTION, conversation: { channelId: CHANNEL, user: { id: MEGAN.userId } }, msAppId: BOT_ID })).toString('base64');
    const answer = await fetch(`${stub.url}/api/botsignin/GetSignInUrl?state=${encodeURIComponent(state)}`);
    expect(String(await answer.json())).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/signin\/[0-9a-f-]{36}$/);
  });

  it('mounts on another server with one line, taking only its own paths', async () => {
    const handler = createTokenServiceHandler(service);
    const shared = createServer((request, response) => {
      if (handler.handles(request)) return void handler.handle(request, response);
      response.writeHead(418);
      response.end();
    });
    await new Promise<void>((resolve) => shared.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(shared.address() as AddressInfo).port}`;
      expect((await fetch(`${url}/v1.0/groups`)).status).toBe(418);
      const token = await fetch(`${url}/api/usertoken/GetToken?userId=${MEGAN.userId}&connectionName=${CONNECTION}&channelId=${CHANNEL}`);
      expect(token.status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => shared.close(() => resolve()));
    }
  });
});

describe("the approver's Intune scope (knob for securityGroupNotInCallerScope)", () => {
  it('covers every group unless the person is limited to some', () => {
    const limited = new SandboxTokenService({ tenantId: TENANT, people: [MEGAN, { ...ALEX, intuneScopeGroupIds: ['AAAA-1'] }], connections: [] });
    expect(limited.intuneScopeCovers(MEGAN.objectId, 'any-group')).toBe(true);
    expect(limited.intuneScopeCovers(ALEX.objectId, 'aaaa-1')).toBe(true);
    expect(limited.intuneScopeCovers(ALEX.objectId, 'bbbb-2')).toBe(false);
    limited.setIntuneScope(MEGAN.objectId, []);
    expect(limited.intuneScopeCovers(MEGAN.objectId, 'any-group')).toBe(false);
    limited.setIntuneScope(MEGAN.objectId, undefined);
    expect(limited.intuneScopeCovers(MEGAN.objectId, 'any-group')).toBe(true);
  });
});
