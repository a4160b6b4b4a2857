/**
 * The whole runtime configuration, read from the environment once at start-up.
 *
 * Every variable is checked and every problem is collected, so a misconfigured deployment fails with ONE
 * message that lists everything to fix instead of one error per restart.
 */
import { ManagedIdentityCredential } from '@azure/identity';
import { z } from 'zod';
import { templateProblemOf } from '../domain/naming';
import { GRAPH_CLOUDS, type GraphCredentialConfig } from '../graph/graphCredential';
import { DEFAULT_GRAPH_ATTEMPT_TIMEOUT_MS, DEFAULT_REPLICATION_READ_BUDGET_MS, GRAPH_BASE_URL } from '../graph/graphDirectory';
import { isLoopbackHost, isLoopbackUrl } from '../shared/loopback';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_QUERY_TIMEOUT_MS,
  type PostgresConnectionOptions,
  azurePostgresCaCertificates,
  entraTokenPassword,
} from '../store/postgres';

export const APP_MODES = ['sandbox', 'production'] as const;
export type AppMode = (typeof APP_MODES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const BOT_TYPES = ['SingleTenant', 'UserAssignedMsi'] as const;
export type BotType = (typeof BOT_TYPES)[number];

export const GRAPH_CREDENTIAL_KINDS = ['managedIdentity', 'clientSecret', 'clientCertificate', 'default'] as const;
export type GraphCredentialKind = (typeof GRAPH_CREDENTIAL_KINDS)[number];

export const DEFAULT_PORT = 3978;
export const DEFAULT_SQLITE_PATH = 'data/bot.sqlite';
/** The sandbox emulator does not check tokens; the directory adapter still needs something to send. */
export const SANDBOX_GRAPH_TOKEN = 'sandbox-token';

/** How the bot proves its identity to the Bot Framework (and checks incoming tokens). */
export type BotAuth =
  /** Sandbox only: every request accepted, so the server binds loopback only. */
  | { readonly kind: 'none' }
  | { readonly kind: 'SingleTenant'; readonly appId: string; readonly tenantId: string; readonly password: string }
  | { readonly kind: 'UserAssignedMsi'; readonly appId: string; readonly tenantId: string };

/** The Graph adapter's own credential type: `static` is the sandbox emulator's fixed token. */
export type GraphCredential = GraphCredentialConfig;

export const DATABASE_AUTH_KINDS = ['password', 'entra'] as const;
export const DATABASE_CA_KINDS = ['system', 'azure'] as const;

export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly connection: PostgresConnectionOptions };

export interface Config {
  readonly mode: AppMode;
  readonly server: { readonly host: string; readonly port: number };
  readonly bot: BotAuth;
  readonly graph: {
    readonly baseUrl: string;
    readonly credential: GraphCredential;
    /** How long one Graph attempt may wait for an answer (GRAPH_TIMEOUT_MS). */
    readonly timeoutMs: number;
    /** How long reads right after a write may wait out replication lag (GRAPH_REPLICATION_WAIT_MS). */
    readonly replicationWaitMs: number;
  };
  readonly store: StoreConfig;
  readonly approvers: {
    readonly ids: readonly string[];
    readonly groupId?: string;
    readonly allowSelfApproval: boolean;
  };
  readonly naming: { readonly groupNameTemplate?: string; readonly blockedWords: readonly string[] };
  /**
   * Reaching approvers who never talked to the bot (production only): the app's id in the organisation's app
   * catalog (TEAMS_APP_CATALOG_ID; unset = not reached), and the Bot Connector to address their chats at.
   */
  readonly teams: { readonly catalogAppId?: string; readonly serviceUrl: string };
  /** The tenant's device-preparation policies and the health watch (issue 14). */
  readonly inventory: {
    /** Seconds between health-watch passes (HEALTH_CHECK_INTERVAL_SECONDS); 0 turns the watch off. */
    readonly healthCheckIntervalSeconds: number;
    /** Days after which a group the bot made, whose policy never appeared in Intune, is an orphan (ORPHAN_GROUP_DAYS). */
    readonly orphanGroupDays: number;
  };
  /**
   * The Azure Bot's OAuth connection approvers sign in through, so Intune changes are made with their own
   * delegated token (OAUTH_CONNECTION_NAME; absent: no sign-in, the manual path as before). Issue 19.
   */
  readonly oauthConnection?: { readonly name: string };
  readonly logLevel: LogLevel;
  /** Application Insights; absent when APPLICATIONINSIGHTS_CONNECTION_STRING is unset and always in sandbox mode. */
  readonly telemetry?: { readonly connectionString: string };
}

/** Teams' global Bot Connector endpoint, for chats the bot starts itself (no incoming activity names one). */
export const DEFAULT_BOT_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/** Thrown by {@link loadConfig}; `problems` has one line per thing to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((problem) => `  - ${problem}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const guid = z.string().regex(GUID, 'must be a GUID such as 00000000-0000-0000-0000-000000000000');
const text = z.string().min(1);
const port = z.coerce
  .number({ invalid_type_error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');
const timeoutMs = z.coerce
  .number({ invalid_type_error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(100, 'must be between 100 and 600000 (milliseconds)')
  .max(600_000, 'must be between 100 and 600000 (milliseconds)');
const replicationWaitMs = z.coerce
  .number({ invalid_type_error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(0, 'must be between 0 and 300000 (milliseconds)')
  .max(300_000, 'must be between 0 and 300000 (milliseconds)');
export const DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS = 21_600;
export const DEFAULT_ORPHAN_GROUP_DAYS = 14;
const healthCheckIntervalSeconds = z.coerce
  .number({ invalid_type_error: 'must be a number of seconds (0 turns the health watch off)' })
  .int('must be a whole number of seconds (0 turns the health watch off)')
  .min(0, 'must be between 0 (off) and 604800 seconds (a week)')
  .max(604_800, 'must be between 0 (off) and 604800 seconds (a week)');
const orphanGroupDays = z.coerce
  .number({ invalid_type_error: 'must be a number of days' })
  .int('must be a whole number of days')
  .min(1, 'must be between 1 and 365 days')
  .max(365, 'must be between 1 and 365 days');
/** An Azure Bot OAuth connection's name, as the token service's `connectionName` query parameter. */
const oauthConnectionNameSchema = z.string().regex(/^\S+$/, 'must be the name of the Azure Bot\'s OAuth connection (no spaces)');
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);
const guidList = commaList.pipe(z.array(guid.describe('approver id')));
/** A URL whose scheme matches `protocol` (`new URL` is the parser, so what passes here opens later). */
function urlOf(protocol: RegExp, example: string) {
  return z.string().superRefine((value, context) => {
    const parsed = URL.canParse(value) ? new URL(value) : undefined;
    if (!parsed) context.addIssue({ code: z.ZodIssueCode.custom, message: `must be a URL such as ${example}` });
    else if (!protocol.test(parsed.protocol)) context.addIssue({ code: z.ZodIssueCode.custom, message: `must be a URL such as ${example}` });
  });
}
const httpUrl = urlOf(/^https?:$/, GRAPH_BASE_URL);
const httpsUrl = urlOf(/^https:$/, DEFAULT_BOT_SERVICE_URL);
const postgresUrl = urlOf(/^postgres(ql)?:$/, 'postgres://user:password@host:5432/database');
const appInsightsConnectionString = z
  .string()
  .regex(/(^|;)\s*InstrumentationKey=[0-9a-f-]{36}\s*(;|$)/i, 'must be an Application Insights connection string (InstrumentationKey=…;IngestionEndpoint=…)');
const groupNameTemplate = z.string().superRefine((value, context) => {
  const problem = templateProblemOf(value);
  if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

/** Reads variables one by one, remembering every problem instead of stopping at the first. */
class EnvironmentReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Environment) {}

  /** Empty or whitespace-only values count as unset: `FOO=` in a .env file means "not configured". */
  isSet(name: string): boolean {
    return (this.env[name] ?? '').trim().length > 0;
  }

  optional<S extends z.ZodTypeAny>(name: string, schema: S): z.output<S> | undefined {
    if (!this.isSet(name)) return undefined;
    // zod types a generic schema's result as any: it is this schema's output.
    const result = schema.safeParse((this.env[name] ?? '').trim()) as z.SafeParseReturnType<z.input<S>, z.output<S>>;
    if (result.success) return result.data;
    this.problems.push(`${name}: ${uniqueMessages(result.error).join('; ')} (got ${describeValue(name, this.env[name])})`);
    return undefined;
  }

  /** A value the configuration cannot do without; `why` says when and why it is needed. */
  required<S extends z.ZodTypeAny>(name: string, schema: S, why: string): z.output<S> | undefined {
    if (!this.isSet(name)) {
      this.problems.push(`${name} is required ${why}`);
      return undefined;
    }
    return this.optional(name, schema);
  }

  /** A value that must not be set in this situation (e.g. a password with a managed identity). */
  forbidden(name: string, why: string): void {
    if (this.isSet(name)) this.problems.push(`${name} must not be set ${why}`);
  }

  problem(message: string): void {
    this.problems.push(message);
  }
}

function uniqueMessages(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.message))];
}

/** Secrets are never echoed back, even in an error message. */
function describeValue(name: string, value: string | undefined): string {
  if (/PASSWORD|SECRET|TOKEN|DATABASE_URL/.test(name)) return 'a value that is not shown';
  return JSON.stringify(value);
}

/** Parses the environment; throws {@link ConfigError} listing every problem. */
export function loadConfig(env: Environment): Config {
  const reader = new EnvironmentReader(env);
  const mode = reader.optional('APP_MODE', z.enum(APP_MODES, { message: 'must be sandbox or production' })) ?? 'production';
  const server = readServer(reader, mode);
  const bot = mode === 'sandbox' ? readSandboxBot(reader) : readProductionBot(reader);
  const graph = mode === 'sandbox' ? readSandboxGraph(reader) : readProductionGraph(reader, bot);
  const store = readStore(reader);
  const approvers = readApprovers(reader);
  const naming = {
    groupNameTemplate: reader.optional('GROUP_NAME_TEMPLATE', groupNameTemplate),
    blockedWords: reader.optional('BLOCKED_WORDS', commaList) ?? [],
  };
  const teams = readTeams(reader, mode);
  const inventory = {
    healthCheckIntervalSeconds: reader.optional('HEALTH_CHECK_INTERVAL_SECONDS', healthCheckIntervalSeconds) ?? DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS,
    orphanGroupDays: reader.optional('ORPHAN_GROUP_DAYS', orphanGroupDays) ?? DEFAULT_ORPHAN_GROUP_DAYS,
  };
  const oauthConnectionName = reader.optional('OAUTH_CONNECTION_NAME', oauthConnectionNameSchema);
  const logLevel = reader.optional('LOG_LEVEL', z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })) ?? 'info';
  // The sandbox sends nothing anywhere, whatever the shell it was started from exports.
  const connectionString = mode === 'production' ? reader.optional('APPLICATIONINSIGHTS_CONNECTION_STRING', appInsightsConnectionString) : undefined;

  if (reader.problems.length > 0 || !bot || !graph || !store) throw new ConfigError(reader.problems);
  return {
    mode, server, bot, graph, store, approvers, naming, teams, inventory, logLevel,
    ...(oauthConnectionName ? { oauthConnection: { name: oauthConnectionName } } : {}),
    ...(connectionString ? { telemetry: { connectionString } } : {}),
  };
}

/**
 * Only the database settings, for tools that read the store and nothing else (the admin CLI's audit export
 * and group list): they need no bot identity, Graph credential or approvers. Same rules as {@link loadConfig}.
 */
export function loadStoreConfig(env: Environment): StoreConfig {
  const reader = new EnvironmentReader(env);
  const store = readStore(reader);
  if (reader.problems.length > 0 || !store) throw new ConfigError(reader.problems);
  return store;
}

function readTeams(reader: EnvironmentReader, mode: AppMode): Config['teams'] {
  if (mode === 'sandbox') {
    // The Playground hosts no chat that Graph opens: in the sandbox approvers open their chat themselves.
    reader.forbidden('TEAMS_APP_CATALOG_ID', 'in sandbox mode (the Agents Playground cannot host a chat the bot opens through Graph)');
    reader.forbidden('BOT_SERVICE_URL', 'in sandbox mode');
    return { serviceUrl: DEFAULT_BOT_SERVICE_URL };
  }
  const catalogAppId = reader.optional('TEAMS_APP_CATALOG_ID', guid);
  return { ...(catalogAppId && { catalogAppId }), serviceUrl: reader.optional('BOT_SERVICE_URL', httpsUrl) ?? DEFAULT_BOT_SERVICE_URL };
}

function readServer(reader: EnvironmentReader, mode: AppMode): Config['server'] {
  const host = reader.optional('HOST', text) ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0');
  if (mode === 'sandbox' && !isLoopbackHost(host)) {
    reader.problem(`HOST must be a loopback address (127.0.0.1, ::1 or localhost) in sandbox mode, because authentication is off (got ${JSON.stringify(host)})`);
  }
  return { host, port: reader.optional('PORT', port) ?? DEFAULT_PORT };
}

const SANDBOX_ONLY_BOT_SETTINGS = ['BOT_ID', 'BOT_PASSWORD', 'BOT_TYPE', 'BOT_TENANT_ID'] as const;

function readSandboxBot(reader: EnvironmentReader): BotAuth {
  // A half-configured identity in sandbox mode is almost certainly a production deployment with the wrong mode.
  for (const name of SANDBOX_ONLY_BOT_SETTINGS) {
    reader.forbidden(name, 'in sandbox mode (authentication is off there); set APP_MODE=production to use a bot identity');
  }
  return { kind: 'none' };
}

function readProductionBot(reader: EnvironmentReader): BotAuth | undefined {
  const why = 'in production mode: the bot refuses to run with authentication off outside the sandbox (APP_MODE=sandbox)';
  const type = reader.optional('BOT_TYPE', z.enum(BOT_TYPES, { message: `must be ${BOT_TYPES.join(' or ')}` })) ?? 'SingleTenant';
  const appId = reader.required('BOT_ID', guid, why);
  const tenantId = reader.required('BOT_TENANT_ID', guid, why);
  if (type === 'UserAssignedMsi') {
    reader.forbidden('BOT_PASSWORD', 'when BOT_TYPE is UserAssignedMsi (the managed identity is the credential)');
    return appId && tenantId ? { kind: 'UserAssignedMsi', appId, tenantId } : undefined;
  }
  const password = reader.required('BOT_PASSWORD', text, 'when BOT_TYPE is SingleTenant');
  return appId && tenantId && password ? { kind: 'SingleTenant', appId, tenantId, password } : undefined;
}

function readSandboxGraph(reader: EnvironmentReader): Config['graph'] | undefined {
  const baseUrl = reader.required('GRAPH_BASE_URL', httpUrl, 'in sandbox mode: the URL of the Graph emulator (npm start sets it)');
  if (baseUrl && !isLoopbackUrl(new URL(baseUrl))) {
    reader.problem(`GRAPH_BASE_URL must point at the local Graph emulator on a loopback address in sandbox mode (got ${JSON.stringify(baseUrl)})`);
  }
  reader.forbidden('GRAPH_CREDENTIAL', 'in sandbox mode (the emulator needs no credential)');
  const timing = readGraphTiming(reader);
  return baseUrl ? { baseUrl, credential: { kind: 'static', token: SANDBOX_GRAPH_TOKEN }, ...timing } : undefined;
}

function readProductionGraph(reader: EnvironmentReader, bot: BotAuth | undefined): Config['graph'] | undefined {
  const baseUrl = reader.optional('GRAPH_BASE_URL', httpUrl) ?? GRAPH_BASE_URL;
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:') reader.problem(`GRAPH_BASE_URL must be an https URL in production mode (got ${JSON.stringify(baseUrl)})`);
  // The token scope, the authority and the @odata.bind host all follow this origin: only Graph's own clouds.
  else if (!(url.origin in GRAPH_CLOUDS) || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    reader.problem(`GRAPH_BASE_URL must be the origin of a Microsoft Graph cloud, one of ${Object.keys(GRAPH_CLOUDS).join(', ')} (got ${JSON.stringify(baseUrl)})`);
  }
  const kind = reader.optional('GRAPH_CREDENTIAL', z.enum(GRAPH_CREDENTIAL_KINDS, { message: `must be one of ${GRAPH_CREDENTIAL_KINDS.join(', ')}` })) ?? 'managedIdentity';
  const credential = readGraphCredential(reader, kind, bot);
  const timing = readGraphTiming(reader);
  return credential ? { baseUrl, credential, ...timing } : undefined;
}

function readGraphTiming(reader: EnvironmentReader): Pick<Config['graph'], 'timeoutMs' | 'replicationWaitMs'> {
  return {
    timeoutMs: reader.optional('GRAPH_TIMEOUT_MS', timeoutMs) ?? DEFAULT_GRAPH_ATTEMPT_TIMEOUT_MS,
    replicationWaitMs: reader.optional('GRAPH_REPLICATION_WAIT_MS', replicationWaitMs) ?? DEFAULT_REPLICATION_READ_BUDGET_MS,
  };
}

function readGraphCredential(reader: EnvironmentReader, kind: GraphCredentialKind, bot: BotAuth | undefined): GraphCredential | undefined {
  const botTenantId = bot && bot.kind !== 'none' ? bot.tenantId : undefined;
  switch (kind) {
    case 'managedIdentity': {
      reader.forbidden('GRAPH_CLIENT_SECRET', 'when GRAPH_CREDENTIAL is managedIdentity');
      // The bot's user-assigned identity is the natural one to call Graph with; GRAPH_CLIENT_ID overrides it.
      const clientId = reader.optional('GRAPH_CLIENT_ID', guid) ?? (bot?.kind === 'UserAssignedMsi' ? bot.appId : undefined);
      return clientId ? { kind, clientId } : { kind };
    }
    case 'clientSecret': {
      const why = 'when GRAPH_CREDENTIAL is clientSecret';
      const tenantId = reader.optional('GRAPH_TENANT_ID', guid) ?? botTenantId;
      const clientId = reader.required('GRAPH_CLIENT_ID', guid, why);
      const clientSecret = reader.required('GRAPH_CLIENT_SECRET', text, why);
      return tenantId && clientId && clientSecret ? { kind, tenantId, clientId, clientSecret } : undefined;
    }
    case 'clientCertificate': {
      const why = 'when GRAPH_CREDENTIAL is clientCertificate';
      const tenantId = reader.optional('GRAPH_TENANT_ID', guid) ?? botTenantId;
      const clientId = reader.required('GRAPH_CLIENT_ID', guid, why);
      const certificatePath = reader.required('GRAPH_CERTIFICATE_PATH', text, `${why} (a PEM file with the private key and certificate)`);
      reader.forbidden('GRAPH_CLIENT_SECRET', why);
      return tenantId && clientId && certificatePath ? { kind, tenantId, clientId, certificatePath } : undefined;
    }
    case 'default':
      return { kind };
  }
}

const POSTGRES_ONLY_SETTINGS = ['DATABASE_AUTH', 'DATABASE_ENTRA_CLIENT_ID', 'DATABASE_CA', 'DATABASE_CONNECT_TIMEOUT_MS', 'DATABASE_QUERY_TIMEOUT_MS'] as const;

function readStore(reader: EnvironmentReader): StoreConfig | undefined {
  if (reader.isSet('DATABASE_URL') && reader.isSet('SQLITE_PATH')) {
    reader.problem('DATABASE_URL and SQLITE_PATH are both set: choose PostgreSQL (DATABASE_URL) or SQLite (SQLITE_PATH), not both');
    return undefined;
  }
  const url = reader.optional('DATABASE_URL', postgresUrl);
  const connection = readPostgresConnection(reader, url);
  if (url && connection) return { kind: 'postgres', url, connection };
  if (reader.isSet('DATABASE_URL')) return undefined;
  for (const name of POSTGRES_ONLY_SETTINGS) reader.forbidden(name, 'without DATABASE_URL (they configure PostgreSQL)');
  // App Service's /home is an SMB share: SQLite's locking is unreliable there, its WAL mode unsupported, and
  // App Service overlaps the old and new instance on every restart, so two processes would share the file.
  if (reader.isSet('WEBSITE_SITE_NAME')) {
    reader.problem('SQLite is not supported on Azure App Service (WEBSITE_SITE_NAME is set): its /home share is a network filesystem and restarts overlap two instances; set DATABASE_URL to a PostgreSQL database');
    return undefined;
  }
  return { kind: 'sqlite', path: reader.optional('SQLITE_PATH', text) ?? DEFAULT_SQLITE_PATH };
}

/**
 * DATABASE_AUTH=entra: the password is an Entra access token of a managed identity (DATABASE_ENTRA_CLIENT_ID
 * for a user-assigned one), renewed before it expires; the URL then names the PostgreSQL principal and
 * carries no password, and the server's certificate and host name must be verified (sslmode=verify-full).
 * DATABASE_CA=azure trusts only the roots Azure Database for PostgreSQL chains to.
 */
function readPostgresConnection(reader: EnvironmentReader, url: string | undefined): PostgresConnectionOptions | undefined {
  // undefined when DATABASE_AUTH is invalid: reported once, with no further complaint that follows from it.
  const auth = reader.optional('DATABASE_AUTH', z.enum(DATABASE_AUTH_KINDS, { message: `must be ${DATABASE_AUTH_KINDS.join(' or ')}` })) ??
    (reader.isSet('DATABASE_AUTH') ? undefined : 'password');
  const ca = reader.optional('DATABASE_CA', z.enum(DATABASE_CA_KINDS, { message: `must be ${DATABASE_CA_KINDS.join(' or ')}` })) ?? 'system';
  const connectTimeoutMs = reader.optional('DATABASE_CONNECT_TIMEOUT_MS', timeoutMs) ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const queryTimeoutMs = reader.optional('DATABASE_QUERY_TIMEOUT_MS', timeoutMs) ?? DEFAULT_QUERY_TIMEOUT_MS;
  const clientId = reader.optional('DATABASE_ENTRA_CLIENT_ID', guid);
  if (auth === 'password' && clientId) reader.problem('DATABASE_ENTRA_CLIENT_ID is only used with DATABASE_AUTH=entra');
  if (!url) return undefined;
  const parsed = new URL(url);
  if (auth === 'entra') {
    const why = 'with DATABASE_AUTH=entra';
    if (parsed.password !== '') reader.problem(`DATABASE_URL must not contain a password ${why} (the password is an Entra access token)`);
    if (parsed.username === '') reader.problem(`DATABASE_URL must name the PostgreSQL principal of the managed identity as its user ${why}`);
    if (parsed.searchParams.get('sslmode') !== 'verify-full') reader.problem(`DATABASE_URL must say sslmode=verify-full ${why}: a token must only be sent to a verified server`);
  }
  if (ca === 'azure' && parsed.searchParams.get('sslmode') !== 'verify-full') reader.problem('DATABASE_URL must say sslmode=verify-full with DATABASE_CA=azure');
  return {
    connectTimeoutMs,
    queryTimeoutMs,
    ...(ca === 'azure' ? { ca: azurePostgresCaCertificates() } : {}),
    ...(auth === 'entra' ? { password: entraTokenPassword(new ManagedIdentityCredential(clientId ? { clientId } : {})) } : {}),
  };
}

function readApprovers(reader: EnvironmentReader): Config['approvers'] {
  const ids = reader.optional('APPROVER_IDS', guidList);
  const groupId = reader.optional('APPROVER_GROUP_ID', guid);
  if (!reader.isSet('APPROVER_IDS') && !reader.isSet('APPROVER_GROUP_ID')) {
    reader.problem('APPROVER_IDS or APPROVER_GROUP_ID is required: nobody could approve a request (Entra object ids, comma-separated, or the object id of an Entra group)');
  } else if (ids?.length === 0 && !reader.isSet('APPROVER_GROUP_ID')) {
    reader.problem('APPROVER_IDS lists no approver');
  }
  const allowSelfApproval = reader.optional('ALLOW_SELF_APPROVAL', booleanFlag) ?? false;
  return groupId ? { ids: ids ?? [], groupId, allowSelfApproval } : { ids: ids ?? [], allowSelfApproval };
}
