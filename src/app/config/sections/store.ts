/**
 * The database: SQLite (SQLITE_PATH, one instance) or PostgreSQL (DATABASE_URL and its DATABASE_* settings),
 * never both; SQLite is refused on Azure App Service.
 */
import { ManagedIdentityCredential } from '@azure/identity';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_QUERY_TIMEOUT_MS,
  type PostgresConnectionOptions,
  azurePostgresCaCertificates,
  entraTokenPassword,
} from '../../../store/postgres';
import type { EnvironmentReader } from '../reader';
import { guid, oneOf, text, timeoutMs, urlOf } from '../schema';
import type { StoreConfig } from '../types';

const DEFAULT_SQLITE_PATH = 'data/bot.sqlite';
const DATABASE_AUTH_KINDS = ['password', 'entra'] as const;
const DATABASE_CA_KINDS = ['system', 'azure'] as const;
const POSTGRES_ONLY_SETTINGS = ['DATABASE_AUTH', 'DATABASE_ENTRA_CLIENT_ID', 'DATABASE_CA', 'DATABASE_CONNECT_TIMEOUT_MS', 'DATABASE_QUERY_TIMEOUT_MS'] as const;

const postgresUrl = urlOf(/^postgres(ql)?:$/, 'postgres://user:password@host:5432/database');

export function readStore(reader: EnvironmentReader): StoreConfig | undefined {
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
  const auth = reader.optional('DATABASE_AUTH', oneOf(DATABASE_AUTH_KINDS)) ?? (reader.isSet('DATABASE_AUTH') ? undefined : 'password');
  const ca = reader.optional('DATABASE_CA', oneOf(DATABASE_CA_KINDS)) ?? 'system';
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
