/** The Azure Bot's OAuth connection approvers sign in through (issue 19); optional in both modes. */
import { z } from 'zod';
import { isLoopbackUrl } from '../../../shared/loopback';
import type { EnvironmentReader } from '../reader';
import { urlOf } from '../schema';
import type { AppMode, Config } from '../types';

/** As the token service's `connectionName` query parameter names it. */
const connectionName = z.string().regex(/^\S+$/, "must be the name of the Azure Bot's OAuth connection (no spaces)");
const tokenServiceUrl = urlOf(/^http:$/, 'http://127.0.0.1:5980');

/**
 * OAUTH_CONNECTION_NAME; in the sandbox also SANDBOX_TOKEN_SERVICE_URL, the loopback stub of the Bot Framework
 * token service the sandbox bot signs people in through (botbuilder's `OAuthUrl`; npm start sets it).
 */
export function readOAuthConnection(reader: EnvironmentReader, mode: AppMode): Config['oauthConnection'] {
  const name = reader.optional('OAUTH_CONNECTION_NAME', connectionName);
  if (mode !== 'sandbox') {
    reader.forbidden('SANDBOX_TOKEN_SERVICE_URL', 'in production mode (the Bot Framework token service is used there)');
    return name ? { name } : undefined;
  }
  const url = reader.optional('SANDBOX_TOKEN_SERVICE_URL', tokenServiceUrl);
  if (url && !isLoopbackUrl(new URL(url))) reader.problem(`SANDBOX_TOKEN_SERVICE_URL must be a loopback URL (got ${JSON.stringify(url)})`);
  if (url && !name) reader.problem('SANDBOX_TOKEN_SERVICE_URL needs OAUTH_CONNECTION_NAME (the connection to sign in through)');
  if (!name) return undefined;
  return url ? { name, tokenServiceUrl: url } : { name };
}
