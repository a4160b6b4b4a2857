// Carousel rendering (unused here) pulls in swiper, an ES module jest cannot load: parsing never touches it.
jest.mock('swiper', () => ({}));

/**
 * The health watch's digest through the bot's proactive side (a real TeamsAdapter) to a Bot Connector on
 * loopback: the approvals channel when one is registered, else the approvers' personal chats.
 */
import { TeamsAdapter } from '@microsoft/teams-ai';
import { createApproverReach, createProactiveSender } from '../../src/bot/proactive';
import { createDigestPoster, digestCard } from '../../src/bot/features/policies/digest';
import type { HealthDigest } from '../../src/requests/ports';
import type { ListedPolicy } from '../../src/requests/types';
import type { Store } from '../../src/store';
import { sqliteHarness, type StoreHarness } from '../store/support/harness';
import { lintCard } from './support/cardLint';
import { type FakeConnector, startFakeConnector } from './support/fakeConnector';
import { cardText } from './support/turns';
import { approver, otherApprover } from './support/world';

const KIOSKS: ListedPolicy = {
  policyId: 'p-1',
  policyName: 'Contoso <Kiosks>',
  scenario: 'userDriven',
  groupId: 'g-1',
  groupSource: 'intune',
  findings: [{ code: 'notRecorded', detail: 'The group g-1 was not made by this bot.' }],
  policyKey: 'contoso <kiosks>',
  recorded: false,
  group: { displayName: 'Kiosk devices', mailNickname: 'kiosks', uniqueName: null },
  actions: ['adopt'],
};
const DIGEST: HealthDigest = { newFindings: [KIOSKS], cleared: [{ policyName: 'Lobby', code: 'noGroup', detail: 'none' }], at: '2026-12-01T08:00:00.000Z' };

describe('bot: health digest', () => {
  let connector: FakeConnector;
  let harness: StoreHarness;
  let store: Store;
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

  beforeEach(async () => {
    connector = await startFakeConnector();
    harness = sqliteHarness();
    store = await harness.open();
  });
  afterEach(async () => {
    await store.close();
    await harness.dispose();
    await connector.close();
  });

  const chatOf = (id: string) => ({ channelId: 'msteams', serviceUrl: connector.url, conversation: { id, name: '', conversationType: 'personal', isGroup: false }, bot: { id: 'bot', name: 'bot' } });
  const poster = () =>
    createDigestPoster({
      sender: createProactiveSender({ adapter: new TeamsAdapter({}), botAppId: '', logger }),
      reach: createApproverReach({ conversations: store, approvers: { listApprovers: async () => [approver.aadObjectId, otherApprover.aadObjectId] }, logger }),
    });

  it('is one valid card, user text escaped, with Adopt and the cleared findings', () => {
    const card = digestCard(DIGEST);
    expect(lintCard(card)).toEqual([]);
    expect(cardText(card)).toContain('Contoso \\<Kiosks\\>');
    expect(cardText(card)).toContain('Cleared since the last digest');
    expect(JSON.stringify(card)).toContain('"verb":"policies.adopt"');
  });

  it("goes to each approver's personal chat the bot knows when no approvals channel is registered", async () => {
    expect(await poster().postDigest(DIGEST)).toBe(false);
    await store.savePersonalConversation(approver.aadObjectId, chatOf('a:aki'));
    await store.savePersonalConversation(otherApprover.aadObjectId, chatOf('a:omar'));
    expect(await poster().postDigest(DIGEST)).toBe(true);
    expect(connector.calls.map((call) => call.conversationId).sort()).toEqual(['a:aki', 'a:omar']);
  });

  it('goes to the approvals channel alone once one is registered', async () => {
    await store.savePersonalConversation(approver.aadObjectId, chatOf('a:aki'));
    await store.setApprovalsChannel({ ...chatOf('19:approvals@thread.tacv2'), conversation: { id: '19:approvals@thread.tacv2', name: 'Approvals', conversationType: 'channel', isGroup: true } }, approver.aadObjectId);
    expect(await poster().postDigest(DIGEST)).toBe(true);
    expect(connector.calls.map((call) => call.conversationId)).toEqual(['19:approvals@thread.tacv2']);
  });
});
