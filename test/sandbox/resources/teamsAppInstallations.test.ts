/** Teams apps installed in a user's personal scope, and the chat each opens, over plain fetch. */
import { emulatorWire } from '../support/wire';

const wire = emulatorWire();
const { start, graph } = wire;

describe('Teams apps installed for users (proactive installation), and the users of a group', () => {
  const APP = 'c0c0c0c0-0000-4000-8000-0000000000ab';
  const bind = (appId: string, origin = wire.emulator.url) => ({ 'teamsApp@odata.bind': `${origin}/v1.0/appCatalogs/teamsApps/${appId}` });

  it('installs a catalog app once (201, then 409), lists it filtered with the app expanded, and names its chat', async () => {
    await start();
    wire.emulator.admin.addCatalogApp(APP);
    const user = wire.emulator.admin.addUser({ displayName: 'Ada' });
    const installs = `/v1.0/users/${user.id}/teamwork/installedApps`;
    expect((await graph('POST', installs, bind(APP))).status).toBe(201);
    expect(await graph('POST', installs, bind(APP))).toMatchObject({ status: 409, body: { error: { code: 'Conflict' } } });
    const listed = await graph('GET', `${installs}?$expand=teamsApp&$filter=${encodeURIComponent(`teamsApp/id eq '${APP}'`)}`);
    expect(listed.body.value).toEqual([{ '@odata.type': '#microsoft.graph.userScopeTeamsAppInstallation', id: expect.any(String), teamsApp: { id: APP, distributionMethod: 'organization' } }]);
    const chat = await graph('GET', `${installs}/${listed.body.value[0].id}/chat`);
    expect(chat).toMatchObject({ status: 200, body: { id: expect.stringMatching(/^19:/), chatType: 'oneOnOne' } });
  });

  it('refuses an app not in the catalog, a reference to another host, an unknown user and an unsupported filter', async () => {
    await start();
    wire.emulator.admin.addCatalogApp(APP);
    const user = wire.emulator.admin.addUser({ displayName: 'Ada' });
    const installs = `/v1.0/users/${user.id}/teamwork/installedApps`;
    expect((await graph('POST', installs, bind('not-in-catalog'))).status).toBe(404);
    expect((await graph('POST', installs, bind(APP, 'https://graph.microsoft.com'))).status).toBe(400);
    expect((await graph('POST', '/v1.0/users/nobody/teamwork/installedApps', bind(APP))).status).toBe(404);
    expect((await graph('GET', `${installs}?$filter=${encodeURIComponent("displayName eq 'x'")}`)).status).toBe(400);
  });
});
