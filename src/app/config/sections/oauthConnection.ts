/** The Azure Bot's OAuth connection approvers sign in through (issue 19); optional in both modes. */
import { z } from 'zod';
import type { EnvironmentReader } from '../reader';
import type { Config } from '../types';

/** As the token service's `connectionName` query parameter names it. */
const connectionName = z.string().regex(/^\S+$/, "must be the name of the Azure Bot's OAuth connection (no spaces)");

export function readOAuthConnection(reader: EnvironmentReader): Config['oauthConnection'] {
  const name = reader.optional('OAUTH_CONNECTION_NAME', connectionName);
  return name ? { name } : undefined;
}
