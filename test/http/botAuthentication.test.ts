import type { Activity } from 'botbuilder';
import { MAX_REUSED_CLIENTS, ReusingBotFrameworkAuthentication } from '../../src/http/botAuthentication';
import { SandboxTokenService } from '../../src/sandbox/tokenService/tokenService';
import { startTokenServiceServer } from '../../src/sandbox/tokenService/tokenServiceHttp';

const TENANT = '11111111-2222-3333-4444-555555555555';
const BOT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SERVICE_URL = 'http://127.0.0.1:9/connector-a/';

function message(serviceUrl = SERVICE_URL): Activity {
  return {
    type: 'message',
    id: 'm-1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user', name: 'User' },
    recipient: { id: '28:bot', name: 'Bot' },
    conversation: { id: 'a:chat', isGroup: false, conversationType: 'personal', name: '' },
    text: 'help',
  } as Activity;
}

async function connectorFor(auth: ReusingBotFrameworkAuthentication, serviceUrl: string): Promise<unknown> {
  const result = await auth.authenticateRequest(message(serviceUrl), '');
  if (!result.connectorFactory) throw new Error('no connector factory');
  return result.connectorFactory.create(serviceUrl, result.audience);
}

describe('ReusingBotFrameworkAuthentication', () => {
  it('hands every turn to the same service URL the same connector client, and another URL its own', async () => {
    const auth = new ReusingBotFrameworkAuthentication({});
    const first = await connectorFor(auth, SERVICE_URL);
    expect(await connectorFor(auth, SERVICE_URL)).toBe(first);
    expect(await connectorFor(auth, 'http://127.0.0.1:9/connector-b/')).not.toBe(first);
  });

  it('reuses the clients of proactive turns too (continueConversation path)', async () => {
    const auth = new ReusingBotFrameworkAuthentication({});
    const { claimsIdentity } = await auth.authenticateRequest(message(), '');
    const viaFactory = await auth.createConnectorFactory(claimsIdentity).create(SERVICE_URL);
    expect(await auth.createConnectorFactory(claimsIdentity).create(SERVICE_URL)).toBe(viaFactory);
    const tokens = await auth.createUserTokenClient(claimsIdentity);
    expect(await auth.createUserTokenClient(claimsIdentity)).toBe(tokens);
  });

  it('keeps at most MAX_REUSED_CLIENTS connectors, dropping the oldest', async () => {
    const auth = new ReusingBotFrameworkAuthentication({});
    const first = await connectorFor(auth, 'http://127.0.0.1:9/0/');
    for (let index = 1; index <= MAX_REUSED_CLIENTS; index++) await connectorFor(auth, `http://127.0.0.1:9/${index}/`);
    expect(await connectorFor(auth, 'http://127.0.0.1:9/0/')).not.toBe(first);
  });

  it('still refuses a request without a token when the bot has an identity', async () => {
    const auth = new ReusingBotFrameworkAuthentication({
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppId: BOT_ID,
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppPassword: 'not-used',
    });
    await expect(auth.authenticateRequest(message(), '')).rejects.toThrow(/Unauthorized/i);
  });

  it("asks the sandbox's token service (OAuthUrl) for a sign-in link as the sandbox bot when the request carries no identity", async () => {
    const service = new SandboxTokenService({
      tenantId: TENANT,
      people: [{ userId: '29:user', objectId: '00000000-0000-4000-8000-0000000000a2', displayName: 'User', userPrincipalName: 'user@contoso.example' }],
      connections: [{ name: 'IntuneGraph', tokenExchangeUri: `api://botid-${BOT_ID}`, scopes: ['DeviceManagementConfiguration.ReadWrite.All'], clientId: BOT_ID }],
    });
    const stub = await startTokenServiceServer(service);
    try {
      const auth = new ReusingBotFrameworkAuthentication({ OAuthUrl: stub.url }, { anonymousAppId: BOT_ID });
      const { claimsIdentity } = await auth.authenticateRequest(message(), '');
      const tokens = await auth.createUserTokenClient(claimsIdentity);
      const resource = await tokens.getSignInResource('IntuneGraph', message(), '');
      expect(resource.signInLink).toMatch(new RegExp(`^${stub.url}/sandbox/signin/`));
      expect(resource.tokenExchangeResource?.uri).toBe(`api://botid-${BOT_ID}`);
      expect(await tokens.getUserToken('29:user', 'IntuneGraph', 'msteams', '')).toMatchObject({ connectionName: 'IntuneGraph' });
    } finally {
      await stub.close();
    }
  });
});
