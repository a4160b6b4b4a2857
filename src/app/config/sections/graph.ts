/**
 * How the bot reaches Microsoft Graph: the local emulator in the sandbox (no credential), a Graph cloud's
 * origin and one of four credentials in production; and how long calls may wait.
 */
import { GRAPH_CLOUDS } from '../../../graph/graphCredential';
import { DEFAULT_GRAPH_ATTEMPT_TIMEOUT_MS, DEFAULT_REPLICATION_READ_BUDGET_MS, GRAPH_BASE_URL } from '../../../graph';
import { isLoopbackUrl } from '../../../shared/loopback';
import type { EnvironmentReader } from '../reader';
import { guid, oneOf, text, timeoutMs, urlOf, wholeNumber } from '../schema';
import type { BotAuth, Config, GraphCredential } from '../types';

/** The sandbox emulator does not check tokens; the directory adapter still needs something to send. */
export const SANDBOX_GRAPH_TOKEN = 'sandbox-token';

const GRAPH_CREDENTIAL_KINDS = ['managedIdentity', 'clientSecret', 'clientCertificate', 'default'] as const;
type GraphCredentialKind = (typeof GRAPH_CREDENTIAL_KINDS)[number];

const httpUrl = urlOf(/^https?:$/, GRAPH_BASE_URL);
const replicationWaitMs = wholeNumber({ min: 0, max: 300_000, unit: 'milliseconds' });
const instances = wholeNumber({ min: 1, max: 100, unit: 'instances' });

export function readSandboxGraph(reader: EnvironmentReader): Config['graph'] | undefined {
  const baseUrl = reader.required('GRAPH_BASE_URL', httpUrl, 'in sandbox mode: the URL of the Graph emulator (npm start sets it)');
  if (baseUrl && !isLoopbackUrl(new URL(baseUrl))) {
    reader.problem(`GRAPH_BASE_URL must point at the local Graph emulator on a loopback address in sandbox mode (got ${JSON.stringify(baseUrl)})`);
  }
  reader.forbidden('GRAPH_CREDENTIAL', 'in sandbox mode (the emulator needs no credential)');
  const timing = readGraphTiming(reader);
  return baseUrl ? { baseUrl, credential: { kind: 'static', token: SANDBOX_GRAPH_TOKEN }, ...timing } : undefined;
}

export function readProductionGraph(reader: EnvironmentReader, bot: BotAuth | undefined): Config['graph'] | undefined {
  const baseUrl = reader.optional('GRAPH_BASE_URL', httpUrl) ?? GRAPH_BASE_URL;
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:') reader.problem(`GRAPH_BASE_URL must be an https URL in production mode (got ${JSON.stringify(baseUrl)})`);
  // The token scope, the authority and the @odata.bind host all follow this origin: only Graph's own clouds.
  else if (!(url.origin in GRAPH_CLOUDS) || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    reader.problem(`GRAPH_BASE_URL must be the origin of a Microsoft Graph cloud, one of ${Object.keys(GRAPH_CLOUDS).join(', ')} (got ${JSON.stringify(baseUrl)})`);
  }
  const kind = reader.optional('GRAPH_CREDENTIAL', oneOf(GRAPH_CREDENTIAL_KINDS)) ?? 'managedIdentity';
  const credential = readGraphCredential(reader, kind, bot);
  const timing = readGraphTiming(reader);
  return credential ? { baseUrl, credential, ...timing } : undefined;
}

function readGraphTiming(reader: EnvironmentReader): Pick<Config['graph'], 'timeoutMs' | 'replicationWaitMs' | 'intuneInstances'> {
  return {
    // Intune's limits are per app and tenant: instances sharing one app registration share them.
    intuneInstances: reader.optional('GRAPH_INTUNE_INSTANCES', instances) ?? 1,
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
