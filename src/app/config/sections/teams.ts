/** Reaching approvers who never talked to the bot: the app's catalog id and the Bot Connector (production only). */
import type { EnvironmentReader } from '../reader';
import { guid, urlOf } from '../schema';
import type { AppMode, Config } from '../types';

/** Teams' global Bot Connector endpoint, for chats the bot starts itself (no incoming activity names one). */
const DEFAULT_BOT_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

const httpsUrl = urlOf(/^https:$/, DEFAULT_BOT_SERVICE_URL);

export function readTeams(reader: EnvironmentReader, mode: AppMode): Config['teams'] {
  if (mode === 'sandbox') {
    // The Playground hosts no chat that Graph opens: in the sandbox approvers open their chat themselves.
    reader.forbidden('TEAMS_APP_CATALOG_ID', 'in sandbox mode (the Agents Playground cannot host a chat the bot opens through Graph)');
    reader.forbidden('BOT_SERVICE_URL', 'in sandbox mode');
    return { serviceUrl: DEFAULT_BOT_SERVICE_URL };
  }
  const catalogAppId = reader.optional('TEAMS_APP_CATALOG_ID', guid);
  return { ...(catalogAppId && { catalogAppId }), serviceUrl: reader.optional('BOT_SERVICE_URL', httpsUrl) ?? DEFAULT_BOT_SERVICE_URL };
}
