/** The bot's TeamsAppInstaller over Graph: install the app for a user and find the personal chat it opens. */
import type { TeamsAppInstaller } from '../bot/ports';
import type { GraphClient } from './graphClient';
import { isGraphStatus } from './graphResponse';
import { chatSchema, userAppInstallationSchema } from './graphSchemas';
import { odataStringLiteral } from './graphUrl';

const CONFLICT = 409;

export function createTeamsAppInstaller(graph: GraphClient): TeamsAppInstaller {
  return {
    async openPersonalChat(userObjectId, teamsAppId) {
      const user = `/users/${encodeURIComponent(userObjectId)}/teamwork/installedApps`;
      try {
        await graph.call('POST', user, { body: { 'teamsApp@odata.bind': `${graph.origin}/v1.0/appCatalogs/teamsApps/${teamsAppId}` } });
      } catch (error) {
        // 409: installed already (the user removed nothing, or installed it themselves); the chat is there.
        if (!isGraphStatus(error, CONFLICT)) throw error;
      }
      const filter = `teamsApp/id eq ${odataStringLiteral(teamsAppId)}`;
      const installations = await graph.listAll(userAppInstallationSchema, `${user}?$expand=teamsApp&$filter=${encodeURIComponent(filter)}`);
      const installation = installations.value.find((each) => each.teamsApp?.id === teamsAppId);
      if (!installation) return undefined;
      const chat = await graph.callParsed(chatSchema, 'GET', `${user}/${encodeURIComponent(installation.id)}/chat`);
      return chat.value.id;
    },
  };
}
