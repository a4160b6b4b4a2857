/** Chooses the Entra credential the Graph adapter gets its tokens from, for the Graph cloud it talks to. */
import type { CallerKind } from '../provisioning/directory';
import {
  AzureAuthorityHosts,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';

export type GraphCredentialConfig =
  | { readonly kind: 'managedIdentity'; readonly clientId?: string }
  | { readonly kind: 'clientSecret'; readonly tenantId: string; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'clientCertificate'; readonly tenantId: string; readonly clientId: string; readonly certificatePath: string }
  | { readonly kind: 'default' }
  /** A fixed bearer token: for the sandbox emulator only. */
  | { readonly kind: 'static'; readonly token: string };

/**
 * The Graph origins of Microsoft's clouds and the Entra authority that issues their tokens (Microsoft Graph
 * national cloud deployments): global, US Government L4, US Government L5 (DoD), China (21Vianet).
 */
export const GRAPH_CLOUDS: Readonly<Record<string, string>> = {
  'https://graph.microsoft.com': AzureAuthorityHosts.AzurePublicCloud,
  'https://graph.microsoft.us': AzureAuthorityHosts.AzureGovernment,
  'https://dod-graph.microsoft.us': AzureAuthorityHosts.AzureGovernment,
  'https://microsoftgraph.chinacloudapi.cn': AzureAuthorityHosts.AzureChina,
};

/** The client-credentials scope of a Graph cloud: its own origin, never graph.microsoft.com for every cloud. */
export function graphScopeFor(origin: string): string {
  return `${origin}/.default`;
}

/** Who a Graph call acts as: a signed-in user (delegated) or the application itself (app-only). */

/**
 * Delegated tokens carry the `scp` claim (the user's consented scopes); app-only tokens carry `roles` instead.
 * The claims are read, not verified: this only classifies a token we hold or received. Anything that is not a
 * JWT with `scp` counts as app-only.
 */
export function callerKindOf(token: string): CallerKind {
  const payload = token.split('.')[1];
  if (payload === undefined) return 'appOnly';
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const scp = typeof claims === 'object' && claims !== null ? (claims as { readonly scp?: unknown }).scp : undefined;
    return typeof scp === 'string' && scp.trim() !== '' ? 'delegated' : 'appOnly';
  } catch {
    return 'appOnly';
  }
}

/**
 * Returns a function giving a current access token for `origin`'s cloud; @azure/identity caches and refreshes
 * behind it. `origin` must be one of GRAPH_CLOUDS unless the credential is static (the sandbox).
 */
export function tokenSourceFor(config: GraphCredentialConfig, origin: string, scope: string = graphScopeFor(origin)): () => Promise<string> {
  if (config.kind === 'static') {
    const token = config.token;
    return () => Promise.resolve(token);
  }
  const authorityHost = GRAPH_CLOUDS[origin];
  if (authorityHost === undefined) {
    throw new Error(`${origin} is not a Microsoft Graph cloud (${Object.keys(GRAPH_CLOUDS).join(', ')}); only the sandbox's static token may go elsewhere.`);
  }
  const credential = credentialFor(config, authorityHost);
  return async () => {
    const accessToken = await credential.getToken(scope);
    if (!accessToken) throw new Error(`The ${config.kind} credential returned no token for ${scope}.`);
    return accessToken.token;
  };
}

function credentialFor(config: Exclude<GraphCredentialConfig, { kind: 'static' }>, authorityHost: string): TokenCredential {
  switch (config.kind) {
    case 'managedIdentity':
      // Managed identity tokens come from the hosting Azure cloud's own endpoint, which knows its authority.
      return config.clientId ? new ManagedIdentityCredential({ clientId: config.clientId }) : new ManagedIdentityCredential();
    case 'clientSecret':
      return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, { authorityHost });
    case 'clientCertificate':
      return new ClientCertificateCredential(config.tenantId, config.clientId, config.certificatePath, { authorityHost });
    case 'default':
      return new DefaultAzureCredential({ authorityHost });
  }
}
