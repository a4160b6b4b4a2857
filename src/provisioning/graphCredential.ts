/** Chooses the Entra credential the Graph adapter gets its tokens from. */
import {
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

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Returns a function giving a current access token; @azure/identity caches and refreshes behind it. */
export function tokenSourceFor(config: GraphCredentialConfig, scope: string = GRAPH_SCOPE): () => Promise<string> {
  if (config.kind === 'static') {
    const token = config.token;
    return () => Promise.resolve(token);
  }
  const credential = credentialFor(config);
  return async () => {
    const accessToken = await credential.getToken(scope);
    if (!accessToken) throw new Error(`The ${config.kind} credential returned no token for ${scope}.`);
    return accessToken.token;
  };
}

function credentialFor(config: Exclude<GraphCredentialConfig, { kind: 'static' }>): TokenCredential {
  switch (config.kind) {
    case 'managedIdentity':
      return config.clientId ? new ManagedIdentityCredential({ clientId: config.clientId }) : new ManagedIdentityCredential();
    case 'clientSecret':
      return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret);
    case 'clientCertificate':
      return new ClientCertificateCredential(config.tenantId, config.clientId, config.certificatePath);
    case 'default':
      return new DefaultAzureCredential();
  }
}
