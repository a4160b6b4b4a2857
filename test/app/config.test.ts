import { loadConfig, type Environment } from '../../src/app/config';
import { problemsOf } from './support/configProblems';

const TENANT = '11111111-2222-3333-4444-555555555555';
const BOT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const APPROVER = '99999999-8888-7777-6666-555555555555';
const GROUP = '12345678-1234-1234-1234-123456789abc';

const sandbox: Environment = {
  APP_MODE: 'sandbox',
  GRAPH_BASE_URL: 'http://127.0.0.1:5980',
  APPROVER_IDS: APPROVER,
};

const production: Environment = {
  APP_MODE: 'production',
  BOT_ID,
  BOT_TENANT_ID: TENANT,
  BOT_PASSWORD: 's3cret-password',
  APPROVER_IDS: APPROVER,
};


function expectOneProblem(env: Environment, pattern: RegExp): void {
  const problems = problemsOf(env);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(pattern);
}

describe('sandbox mode', () => {
  it('turns authentication off, binds loopback, uses the emulator and SQLite by default', () => {
    const config = loadConfig(sandbox);
    expect(config).toEqual({
      mode: 'sandbox',
      server: { host: '127.0.0.1', port: 3978 },
      bot: { kind: 'none' },
      graph: { baseUrl: 'http://127.0.0.1:5980', credential: { kind: 'static', token: 'sandbox-token' }, timeoutMs: 30_000, replicationWaitMs: 60_000, intuneInstances: 1 },
      store: { kind: 'sqlite', path: 'data/bot.sqlite' },
      approvers: { ids: [APPROVER], allowSelfApproval: false },
      naming: { groupNameTemplate: undefined, blockedWords: [] },
      teams: { serviceUrl: 'https://smba.trafficmanager.net/teams/' },
      inventory: { healthCheckIntervalSeconds: 21_600, orphanGroupDays: 14 },
      logLevel: 'info',
    });
  });

  it.each(['0.0.0.0', '10.0.0.4', '::'])('refuses to bind %s with authentication off', (host) => {
    expectOneProblem({ ...sandbox, HOST: host }, /^HOST must be a loopback address .* sandbox mode/);
  });

  it.each(['127.0.0.1', '::1', 'localhost'])('accepts the loopback host %s', (host) => {
    expect(loadConfig({ ...sandbox, HOST: host }).server.host).toBe(host);
  });

  it.each(['BOT_ID', 'BOT_PASSWORD', 'BOT_TYPE', 'BOT_TENANT_ID'])('rejects %s (an identity means production)', (name) => {
    expectOneProblem({ ...sandbox, [name]: 'x' }, new RegExp(`^${name} must not be set in sandbox mode`));
  });

  it('needs the emulator URL', () => {
    expectOneProblem({ ...sandbox, GRAPH_BASE_URL: undefined }, /^GRAPH_BASE_URL is required in sandbox mode/);
  });

  it('refuses a Graph URL that is not on loopback', () => {
    expectOneProblem({ ...sandbox, GRAPH_BASE_URL: 'https://graph.microsoft.com' }, /^GRAPH_BASE_URL must point at the local Graph emulator/);
  });

  it('accepts an IPv6 loopback emulator URL', () => {
    expect(loadConfig({ ...sandbox, GRAPH_BASE_URL: 'http://[::1]:5980' }).graph.baseUrl).toBe('http://[::1]:5980');
  });

  it('rejects a Graph credential (the emulator needs none)', () => {
    expectOneProblem({ ...sandbox, GRAPH_CREDENTIAL: 'clientSecret' }, /^GRAPH_CREDENTIAL must not be set in sandbox mode/);
  });
});

describe('production mode', () => {
  it('is the default mode and refuses to start without bot credentials, listing every missing value at once', () => {
    const problems = problemsOf({});
    expect(problems).toEqual([
      expect.stringMatching(/^BOT_ID is required in production mode: the bot refuses to run with authentication off/),
      expect.stringMatching(/^BOT_TENANT_ID is required in production mode/),
      expect.stringMatching(/^BOT_PASSWORD is required when BOT_TYPE is SingleTenant/),
      expect.stringMatching(/^APPROVER_IDS or APPROVER_GROUP_ID is required/),
    ]);
  });

  it('puts every problem in the error message', () => {
    expect(() => loadConfig({})).toThrow(/Invalid configuration \(4 problems\):\n {2}- BOT_ID[\s\S]*\n {2}- APPROVER_IDS or APPROVER_GROUP_ID/);
  });

  it('reads a SingleTenant bot with a Graph managed identity and listens on every interface', () => {
    const config = loadConfig(production);
    expect(config.mode).toBe('production');
    expect(config.server).toEqual({ host: '0.0.0.0', port: 3978 });
    expect(config.bot).toEqual({ kind: 'SingleTenant', appId: BOT_ID, tenantId: TENANT, password: 's3cret-password' });
    expect(config.graph).toEqual({ baseUrl: 'https://graph.microsoft.com', credential: { kind: 'managedIdentity' }, timeoutMs: 30_000, replicationWaitMs: 60_000, intuneInstances: 1 });
  });

  it('reads a UserAssignedMsi bot and calls Graph with the same identity', () => {
    const config = loadConfig({ ...production, BOT_TYPE: 'UserAssignedMsi', BOT_PASSWORD: undefined });
    expect(config.bot).toEqual({ kind: 'UserAssignedMsi', appId: BOT_ID, tenantId: TENANT });
    expect(config.graph.credential).toEqual({ kind: 'managedIdentity', clientId: BOT_ID });
  });

  it('lets GRAPH_CLIENT_ID choose another managed identity', () => {
    const config = loadConfig({ ...production, GRAPH_CLIENT_ID: GROUP });
    expect(config.graph.credential).toEqual({ kind: 'managedIdentity', clientId: GROUP });
  });

  it('rejects a password with a managed identity bot', () => {
    expectOneProblem({ ...production, BOT_TYPE: 'UserAssignedMsi' }, /^BOT_PASSWORD must not be set when BOT_TYPE is UserAssignedMsi/);
  });

  it('rejects an unknown bot type (multi-tenant bots are no longer created by Azure)', () => {
    expectOneProblem({ ...production, BOT_TYPE: 'MultiTenant' }, /^BOT_TYPE: must be SingleTenant or UserAssignedMsi \(got "MultiTenant"\)/);
  });

  it.each(['BOT_ID', 'BOT_TENANT_ID'])('rejects a %s that is not a GUID', (name) => {
    expectOneProblem({ ...production, [name]: 'my-bot' }, new RegExp(`^${name}: must be a GUID`));
  });

  it('treats empty values as unset', () => {
    expectOneProblem({ ...production, BOT_PASSWORD: '   ' }, /^BOT_PASSWORD is required/);
  });

  it('never echoes a secret in a problem', () => {
    const problems = problemsOf({ ...production, DATABASE_URL: 'mysql://admin:hunter2@db/prod' });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: must be a URL such as postgres:\/\/.*not shown/)]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('requires an https Graph URL', () => {
    expectOneProblem({ ...production, GRAPH_BASE_URL: 'http://graph.example.test' }, /^GRAPH_BASE_URL must be an https URL/);
  });

  it.each(['https://graph.microsoft.com', 'https://graph.microsoft.us', 'https://dod-graph.microsoft.us', 'https://microsoftgraph.chinacloudapi.cn/'])(
    'accepts the Microsoft Graph cloud %s',
    (baseUrl) => {
      expect(loadConfig({ ...production, GRAPH_BASE_URL: baseUrl }).graph.baseUrl).toBe(baseUrl);
    },
  );

  it.each(['https://graph.example.test', 'https://graph.microsoft.com.evil.example', 'https://graph.microsoft.com/v1.0', 'https://graph.microsoft.com:8443'])(
    'refuses %s: only the Microsoft Graph clouds, as origins',
    (baseUrl) => {
      expectOneProblem({ ...production, GRAPH_BASE_URL: baseUrl }, /^GRAPH_BASE_URL must be the origin of a Microsoft Graph cloud, one of https:\/\/graph\.microsoft\.com, https:\/\/graph\.microsoft\.us/);
    },
  );

  it('rejects a Graph URL that is not a URL', () => {
    expectOneProblem({ ...production, GRAPH_BASE_URL: 'graph' }, /^GRAPH_BASE_URL: must be a URL/);
  });

  it('rejects an unknown Graph credential kind', () => {
    expectOneProblem({ ...production, GRAPH_CREDENTIAL: 'password' }, /^GRAPH_CREDENTIAL: must be one of managedIdentity, clientSecret, clientCertificate, default/);
  });

  it('reads a client secret credential, defaulting the tenant to the bot tenant', () => {
    const config = loadConfig({ ...production, GRAPH_CREDENTIAL: 'clientSecret', GRAPH_CLIENT_ID: GROUP, GRAPH_CLIENT_SECRET: 'graph-secret' });
    expect(config.graph.credential).toEqual({ kind: 'clientSecret', tenantId: TENANT, clientId: GROUP, clientSecret: 'graph-secret' });
  });

  it('lists what a client secret credential misses', () => {
    expect(problemsOf({ ...production, GRAPH_CREDENTIAL: 'clientSecret' })).toEqual([
      expect.stringMatching(/^GRAPH_CLIENT_ID is required when GRAPH_CREDENTIAL is clientSecret/),
      expect.stringMatching(/^GRAPH_CLIENT_SECRET is required when GRAPH_CREDENTIAL is clientSecret/),
    ]);
  });

  it('reads a certificate credential with its own tenant', () => {
    const env = { ...production, GRAPH_CREDENTIAL: 'clientCertificate', GRAPH_TENANT_ID: GROUP, GRAPH_CLIENT_ID: GROUP, GRAPH_CERTIFICATE_PATH: '/certs/graph.pem' };
    expect(loadConfig(env).graph.credential).toEqual({ kind: 'clientCertificate', tenantId: GROUP, clientId: GROUP, certificatePath: '/certs/graph.pem' });
  });

  it('needs the certificate path and refuses a secret beside a certificate', () => {
    expect(problemsOf({ ...production, GRAPH_CREDENTIAL: 'clientCertificate', GRAPH_CLIENT_ID: GROUP, GRAPH_CLIENT_SECRET: 'x' })).toEqual([
      expect.stringMatching(/^GRAPH_CERTIFICATE_PATH is required when GRAPH_CREDENTIAL is clientCertificate/),
      expect.stringMatching(/^GRAPH_CLIENT_SECRET must not be set when GRAPH_CREDENTIAL is clientCertificate/),
    ]);
  });

  it('rejects a client secret beside a managed identity', () => {
    expectOneProblem({ ...production, GRAPH_CLIENT_SECRET: 'x' }, /^GRAPH_CLIENT_SECRET must not be set when GRAPH_CREDENTIAL is managedIdentity/);
  });

  it('accepts the default Azure credential chain', () => {
    expect(loadConfig({ ...production, GRAPH_CREDENTIAL: 'default' }).graph.credential).toEqual({ kind: 'default' });
  });
});

describe('settings shared by both modes', () => {
  it('rejects an unknown mode', () => {
    const problems = problemsOf({ ...production, APP_MODE: 'dev' });
    expect(problems).toEqual([expect.stringMatching(/^APP_MODE: must be sandbox or production \(got "dev"\)/)]);
  });

  it.each([
    ['abc', /must be a number/],
    ['70000', /must be between 0 and 65535/],
    ['-1', /must be between 0 and 65535/],
    ['80.5', /must be a whole number/],
  ])('rejects PORT=%s', (value, pattern) => {
    expectOneProblem({ ...sandbox, PORT: value }, new RegExp(`^PORT: ${pattern.source}`));
  });

  it('reads PORT and HOST', () => {
    expect(loadConfig({ ...production, PORT: '8080', HOST: '::' }).server).toEqual({ host: '::', port: 8080 });
  });

  it('rejects an unknown log level', () => {
    expectOneProblem({ ...sandbox, LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/);
  });

  it('reads the Graph timeout per attempt in both modes', () => {
    expect(loadConfig({ ...sandbox, GRAPH_TIMEOUT_MS: '500' }).graph.timeoutMs).toBe(500);
    expect(loadConfig({ ...production, GRAPH_TIMEOUT_MS: '120000' }).graph.timeoutMs).toBe(120_000);
  });

  it('reaches approvers through the app catalog only in production, with the global Bot Connector unless set', () => {
    expect(loadConfig(production).teams).toEqual({ serviceUrl: 'https://smba.trafficmanager.net/teams/' });
    const catalogAppId = '0f0f0f0f-0000-4000-8000-000000000abc';
    expect(loadConfig({ ...production, TEAMS_APP_CATALOG_ID: catalogAppId, BOT_SERVICE_URL: 'https://smba.trafficmanager.net/emea/' }).teams).toEqual({
      catalogAppId,
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
    });
    expectOneProblem({ ...production, TEAMS_APP_CATALOG_ID: 'my-app' }, /^TEAMS_APP_CATALOG_ID: must be a GUID/);
    expectOneProblem({ ...production, BOT_SERVICE_URL: 'http://smba.example' }, /^BOT_SERVICE_URL: must be a URL such as https:/);
    expectOneProblem({ ...sandbox, TEAMS_APP_CATALOG_ID: catalogAppId }, /^TEAMS_APP_CATALOG_ID .*sandbox mode/);
  });

  it('reads how long reads after a write wait out replication, 60 s unless set', () => {
    expect(loadConfig(sandbox).graph.replicationWaitMs).toBe(60_000);
    expect(loadConfig({ ...production, GRAPH_REPLICATION_WAIT_MS: '0' }).graph.replicationWaitMs).toBe(0);
    expect(loadConfig({ ...sandbox, GRAPH_REPLICATION_WAIT_MS: '2000' }).graph.replicationWaitMs).toBe(2000);
  });

  it('reads how many instances share the Intune budget, one unless set', () => {
    expect(loadConfig(production).graph.intuneInstances).toBe(1);
    expect(loadConfig({ ...production, GRAPH_INTUNE_INSTANCES: '3' }).graph.intuneInstances).toBe(3);
  });

  it.each(['0', '101', '1.5', 'two'])('rejects GRAPH_INTUNE_INSTANCES=%s', (value) => {
    expectOneProblem({ ...production, GRAPH_INTUNE_INSTANCES: value }, /^GRAPH_INTUNE_INSTANCES: must be (between 1 and 100|a whole number|a number) /);
  });

  it.each(['-1', '300001', '1.5', 'a while'])('rejects GRAPH_REPLICATION_WAIT_MS=%s', (value) => {
    expectOneProblem({ ...sandbox, GRAPH_REPLICATION_WAIT_MS: value }, /^GRAPH_REPLICATION_WAIT_MS: must be (between 0 and 300000|a whole number|a number) /);
  });

  it.each(['0', '99', '600001', '2.5', 'soon'])('rejects GRAPH_TIMEOUT_MS=%s', (value) => {
    expectOneProblem({ ...sandbox, GRAPH_TIMEOUT_MS: value }, /^GRAPH_TIMEOUT_MS: must be (between 100 and 600000|a whole number|a number) /);
  });

  it('reads the log level', () => {
    expect(loadConfig({ ...sandbox, LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('rejects approver ids that are not GUIDs', () => {
    expectOneProblem({ ...sandbox, APPROVER_IDS: `${APPROVER},alice@contoso.com` }, /^APPROVER_IDS: must be a GUID/);
  });

  it('rejects an approver list with no entry', () => {
    expectOneProblem({ ...sandbox, APPROVER_IDS: ' , ,' }, /^APPROVER_IDS lists no approver/);
  });

  it('rejects an approver group id that is not a GUID', () => {
    expectOneProblem({ ...sandbox, APPROVER_IDS: undefined, APPROVER_GROUP_ID: 'Helpdesk Leads' }, /^APPROVER_GROUP_ID: must be a GUID/);
  });

  it('reads approver ids, an approver group and self-approval together', () => {
    const config = loadConfig({ ...sandbox, APPROVER_IDS: ` ${APPROVER} , ${BOT_ID} `, APPROVER_GROUP_ID: GROUP, ALLOW_SELF_APPROVAL: 'true' });
    expect(config.approvers).toEqual({ ids: [APPROVER, BOT_ID], groupId: GROUP, allowSelfApproval: true });
  });

  it('accepts a group alone', () => {
    expect(loadConfig({ ...sandbox, APPROVER_IDS: undefined, APPROVER_GROUP_ID: GROUP }).approvers).toEqual({ ids: [], groupId: GROUP, allowSelfApproval: false });
  });

  it('rejects a self-approval flag that is not a boolean', () => {
    expectOneProblem({ ...sandbox, ALLOW_SELF_APPROVAL: 'sometimes' }, /^ALLOW_SELF_APPROVAL: must be true or false/);
  });

  it('reads PostgreSQL, with a password and the default timeouts', () => {
    expect(loadConfig({ ...sandbox, DATABASE_URL: 'postgres://ci:ci@127.0.0.1:5432/adgb' }).store).toEqual({
      kind: 'postgres',
      url: 'postgres://ci:ci@127.0.0.1:5432/adgb',
      connection: { connectTimeoutMs: 10_000, queryTimeoutMs: 30_000 },
    });
  });

  describe('PostgreSQL in Azure (Entra token, verified TLS)', () => {
    const azure = {
      ...sandbox,
      DATABASE_URL: 'postgres://adgb-bot@adgb-pg.postgres.database.azure.com:5432/autopilot?sslmode=verify-full',
      DATABASE_AUTH: 'entra',
      DATABASE_ENTRA_CLIENT_ID: GROUP,
      DATABASE_CA: 'azure',
      DATABASE_CONNECT_TIMEOUT_MS: '5000',
      DATABASE_QUERY_TIMEOUT_MS: '15000',
    };

    it('takes the password from a token callback and trusts only the Azure roots', () => {
      const store = loadConfig(azure).store;
      if (store.kind !== 'postgres') throw new Error('expected PostgreSQL');
      expect(store.connection).toEqual({ connectTimeoutMs: 5000, queryTimeoutMs: 15000, ca: expect.any(Array), password: expect.any(Function) });
      expect(store.connection.ca).toHaveLength(3);
    });

    it('refuses a password in the URL, a missing user and an unverified server, one line each', () => {
      expect(problemsOf({ ...azure, DATABASE_URL: 'postgres://:hunter2@adgb-pg.postgres.database.azure.com/autopilot?sslmode=require' })).toEqual([
        expect.stringMatching(/^DATABASE_URL must not contain a password with DATABASE_AUTH=entra/),
        expect.stringMatching(/^DATABASE_URL must name the PostgreSQL principal/),
        expect.stringMatching(/^DATABASE_URL must say sslmode=verify-full with DATABASE_AUTH=entra/),
        expect.stringMatching(/^DATABASE_URL must say sslmode=verify-full with DATABASE_CA=azure/),
      ]);
    });

    it('rejects bad values with one message each', () => {
      expect(problemsOf({ ...azure, DATABASE_AUTH: 'kerberos', DATABASE_CA: 'mine', DATABASE_QUERY_TIMEOUT_MS: '5s' })).toEqual([
        'DATABASE_AUTH: must be password or entra (got "kerberos")',
        'DATABASE_CA: must be system or azure (got "mine")',
        'DATABASE_QUERY_TIMEOUT_MS: must be a number of milliseconds (got "5s")',
      ]);
    });

    it('refuses PostgreSQL settings without DATABASE_URL', () => {
      expectOneProblem({ ...sandbox, DATABASE_AUTH: 'entra' }, /^DATABASE_AUTH must not be set without DATABASE_URL/);
    });
  });

  it('refuses SQLite on Azure App Service, whose /home is a network share', () => {
    expectOneProblem({ ...sandbox, WEBSITE_SITE_NAME: 'adgb-bot' }, /^SQLite is not supported on Azure App Service .* set DATABASE_URL/);
  });

  describe('Application Insights', () => {
    const connectionString = 'InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

    it('is on in production when its connection string is set', () => {
      expect(loadConfig({ ...production, APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }).telemetry).toEqual({ connectionString });
      expect(loadConfig(production).telemetry).toBeUndefined();
    });

    it('is always off in sandbox mode', () => {
      expect(loadConfig({ ...sandbox, APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }).telemetry).toBeUndefined();
    });

    it('rejects something that is not a connection string', () => {
      expectOneProblem({ ...production, APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://example.com' }, /^APPLICATIONINSIGHTS_CONNECTION_STRING: must be an Application Insights connection string/);
    });
  });

  it('reads a SQLite path', () => {
    expect(loadConfig({ ...sandbox, SQLITE_PATH: '/var/lib/bot/bot.sqlite' }).store).toEqual({ kind: 'sqlite', path: '/var/lib/bot/bot.sqlite' });
  });

  it('refuses both databases at once', () => {
    expectOneProblem({ ...sandbox, DATABASE_URL: 'postgres://a@b/c', SQLITE_PATH: 'x.sqlite' }, /^DATABASE_URL and SQLITE_PATH are both set/);
  });

  it('rejects a database URL that is not a URL', () => {
    expectOneProblem({ ...sandbox, DATABASE_URL: 'host=db user=bot' }, /^DATABASE_URL: must be a URL/);
  });

  it('reads the naming template and blocked words', () => {
    const config = loadConfig({ ...sandbox, GROUP_NAME_TEMPLATE: 'ADP {policy} ({scenario})', BLOCKED_WORDS: 'test, temp ,,' });
    expect(config.naming).toEqual({ groupNameTemplate: 'ADP {policy} ({scenario})', blockedWords: ['test', 'temp'] });
  });

  it.each([
    ['Autopilot devices', /\{policy\} exactly once/],
    ['{policy} {owner}', /only use the placeholders/],
  ])('rejects the naming template %j', (template, pattern) => {
    expectOneProblem({ ...sandbox, GROUP_NAME_TEMPLATE: template }, new RegExp(`^GROUP_NAME_TEMPLATE: .*${pattern.source}`));
  });

  it('collects problems from every part in one error', () => {
    const problems = problemsOf({ APP_MODE: 'sandbox', HOST: '0.0.0.0', PORT: 'x', LOG_LEVEL: 'loud', ALLOW_SELF_APPROVAL: '2' });
    expect(problems.map((problem) => problem.split(/[ :]/)[0])).toEqual(['HOST', 'PORT', 'GRAPH_BASE_URL', 'APPROVER_IDS', 'ALLOW_SELF_APPROVAL', 'LOG_LEVEL']);
  });
});
