/**
 * Approvers the bot never talked to are reached as Teams bots reach people: the app is installed for them
 * through Graph (the emulator serves `users/{id}/teamwork/installedApps` as Graph does), and the card goes to
 * the chat that opens, through the Bot Connector (a fake one on 127.0.0.1). When nobody can be reached, the
 * requester is told on their card and it is audited.
 */
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { TeamsAppInstaller } from '../../src/bot/ports';
import { VERBS } from '../../src/bot/verbs';
import { type FakeConnector, startFakeConnector } from './support/fakeConnector';
import { Teams, cardText } from './support/turns';
import { type BotWorld, type BotWorldOptions, type Person, approver, createBotWorld, helpdesk, otherApprover } from './support/world';

const CATALOG_APP_ID = 'a0a0a0a0-0000-4000-8000-00000000ca7a';
const TENANT_ID = 'b0b0b0b0-0000-4000-8000-000000000001';
const BOT = { id: '28:bot-app-id', name: 'Autopilot device groups' };

describe('reaching approvers the bot never talked to', () => {
  let connector: FakeConnector;
  let world: BotWorld | undefined;

  beforeEach(async () => {
    connector = await startFakeConnector();
  });
  afterEach(async () => {
    await world?.dispose();
    world = undefined;
    await connector.close();
  });

  async function worldWith(options: Partial<BotWorldOptions> = {}): Promise<BotWorld> {
    world = await createBotWorld({
      adapter: new TeamsAdapter({}),
      personalChats: (installer: TeamsAppInstaller) => ({ installer, teamsAppId: CATALOG_APP_ID, serviceUrl: connector.url, tenantId: TENANT_ID, bot: BOT }),
      ...options,
    });
    world.emulator.admin.addCatalogApp(CATALOG_APP_ID);
    return world;
  }

  function inTenant(w: BotWorld, person: Person): void {
    w.emulator.admin.addUser({ displayName: person.name, id: person.aadObjectId });
  }

  const cardsPostedTo = (chatId: string) => connector.calls.filter((call) => call.method === 'POST' && call.conversationId === chatId && call.activity['attachments']);

  it('installs the app for configured approvers, posts the card to the chat that opens, and remembers it', async () => {
    const w = await worldWith();
    for (const person of [approver, otherApprover]) inTenant(w, person);
    const submitted = await w.requests.submit({ policyName: 'Contoso Sales', scenario: 'userDriven', requester: helpdesk });
    expect(submitted).toMatchObject({ kind: 'created', approversNotified: true });

    for (const person of [approver, otherApprover]) {
      const [installation] = w.emulator.admin.installationsOf(person.aadObjectId);
      expect(installation?.teamsAppId).toBe(CATALOG_APP_ID);
      expect(cardsPostedTo(installation?.chatId ?? 'none')).toHaveLength(1);
      expect(await w.store.getPersonalConversation(person.aadObjectId)).toMatchObject({
        serviceUrl: connector.url,
        conversation: { id: installation?.chatId, conversationType: 'personal', tenantId: TENANT_ID },
      });
    }
    // The next request goes to the remembered chats: nothing is installed again.
    const installs = () => w.emulator.requestLog.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/teamwork/installedApps')).length;
    const before = installs();
    await w.requests.submit({ policyName: 'Contoso Finance', scenario: 'userDriven', requester: helpdesk });
    expect(installs()).toBe(before);
    expect(cardsPostedTo(w.emulator.admin.installationsOf(approver.aadObjectId)[0]?.chatId ?? 'none')).toHaveLength(2);
  });

  it('reaches the users of the approver group, through nested groups, and one who installed the app already (409)', async () => {
    let alice = '';
    let bob = '';
    const w = await worldWith({
      approvers: [],
      approverGroup: (tenant) => {
        alice = tenant.addUser({ displayName: 'Alice Approver' }).id;
        bob = tenant.addUser({ displayName: 'Bob Approver' }).id;
        const nested = tenant.addGroup({ displayName: 'Nested approvers', memberIds: [bob] });
        return tenant.addGroup({ displayName: 'Approvers', memberIds: [alice, nested.id] }).id;
      },
    });
    w.emulator.admin.installAppForUser(bob, CATALOG_APP_ID); // Bob installed the app himself: Graph answers 409

    expect(await w.requests.submit({ policyName: 'Contoso Sales', scenario: 'userDriven', requester: helpdesk })).toMatchObject({ approversNotified: true });
    for (const user of [alice, bob]) {
      const installations = w.emulator.admin.installationsOf(user);
      expect(installations).toHaveLength(1);
      expect(cardsPostedTo(installations[0]?.chatId ?? 'none')).toHaveLength(1);
    }
  });

  it('tells the requester on their card when no approver can be reached, and audits it', async () => {
    world = await createBotWorld({ adapter: new TeamsAdapter({}) }); // no catalog app: nobody is installed for
    const teams = new Teams(() => (world as BotWorld).bot);
    const reply = await teams.click(helpdesk, VERBS.submitRequest, { policyName: 'Contoso Sales', scenario: 'userDriven' });
    expect(cardText(reply.value)).toContain('No approver could be told about this request yet');
    const [request] = await world.store.listRequestsInStates(['pending']);
    const audit = await world.store.listAudit({ requestId: request?.id ?? 'none' });
    expect(audit.map((entry) => entry.kind)).toEqual(['requested', 'approversUnreachable']);
    expect(world.problems.map((problem) => problem.message)).toContain('no approver could be told of the request');
  });
});
