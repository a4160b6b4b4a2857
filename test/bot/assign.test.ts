// Carousel rendering (unused here) pulls in swiper, an ES module jest cannot load: parsing never touches it.
jest.mock('swiper', () => ({}));

/**
 * "Assign to the device group" on `policies` and the digest through botbuilder's TestAdapter, over the real stack
 * and the sandbox Graph emulator: the confirmation, the click, the list again with the finding cleared.
 */
import { VERBS } from '../../src/bot/verbs';
import { digestCard } from '../../src/bot/features/policies/digest';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { createHealthWatch } from '../../src/requests/healthWatch';
import type { HealthDigest } from '../../src/requests/ports';
import { type BotWorld, approver, createBotWorldWithTeams, helpdesk, provisioned } from './support/world';
import { lintCard } from './support/cardLint';
import { type Teams, buttonData, cardOf, cardText, cardVerbs, renderedHtml } from './support/turns';

const USER_DRIVEN = SCENARIO_INFO.userDriven.templateId;

describe('bot: assign a selected app or script to the device group', () => {
  let world: BotWorld;
  let teams: Teams;

  beforeEach(async () => {
    ({ world, teams } = await createBotWorldWithTeams({ readiness: true }));
  });
  afterEach(() => world.dispose());

  /** A group the bot made, used by its Intune policy (assigned to staff), which selects the given app. */
  async function policySelecting(appName: string) {
    await provisioned(world, 'Contoso Sales');
    const [record] = await world.store.listAllGroups();
    if (!record) throw new Error('no group');
    const { admin } = world.emulator;
    const staff = admin.addGroup({ displayName: 'Staff' });
    const app = admin.intune.addApp({ displayName: appName, appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'available', target: { kind: 'allLicensedUsers' } }] });
    const policy = admin.addPolicy({ name: 'Contoso Sales', templateId: USER_DRIVEN, membershipTargetIds: [record.groupId] });
    admin.intune.selectForPolicy(policy.id, { apps: [app] });
    admin.intune.assignPolicy(policy.id, [{ kind: 'group', groupId: staff.id }]);
    return { app, policy, record };
  }

  it('offers Assign behind a confirmation naming the app (escaped) and the group, and the list comes back with the finding cleared', async () => {
    const { app, policy, record } = await policySelecting('CRM *beta* <b>');
    const [reply] = await teams.say(approver, 'policies');
    const card = cardOf(reply);
    expect(lintCard(card)).toEqual([]);
    expect(cardText(card)).toContain('• A selected app is not assigned to the device group');
    expect(buttonData(card, VERBS.assignToGroup)).toEqual({ policyId: policy.id, kind: 'app', itemId: app.id });
    const confirmation = cardText(card).split('\n').find((line) => line.startsWith('Assign the app'));
    expect(confirmation).toContain(`to the device group "${record.displayName}" as required? One assignment is added; its other assignments stay as they are.`);
    expect(renderedHtml(confirmation ?? '')).not.toMatch(/<b>|<em>/);

    const answer = await teams.click(approver, VERBS.assignToGroup, buttonData(card, VERBS.assignToGroup));
    const after = cardText(answer.value);
    expect(after).toContain(`Assigned: the app "CRM \\*beta\\* \\<b\\>" is assigned to the device group "${record.displayName}" as required (policy "Contoso Sales"). Its other assignments are unchanged.`);
    expect(after).not.toContain('A selected app is not assigned to the device group');
    expect(cardVerbs(answer.value)).not.toContain(VERBS.assignToGroup);
    expect(world.emulator.admin.intune.app(app.id)?.assignments.map((each) => [each.intent, each.target])).toEqual([
      ['available', { kind: 'allLicensedUsers' }],
      ['required', { kind: 'group', groupId: record.groupId }],
    ]);

    // The same button clicked again (an older copy of the card): nothing is written twice.
    const again = await teams.click(approver, VERBS.assignToGroup, { policyId: policy.id, kind: 'app', itemId: app.id });
    expect(cardText(again.value)).toContain('Already assigned: the app "CRM \\*beta\\* \\<b\\>"');
    expect(world.emulator.admin.intune.app(app.id)?.assignments).toHaveLength(2);
  });

  it('refuses helpdesk staff, answers a deleted app in words and a card without ids as unreadable, all audited', async () => {
    const { app, policy } = await policySelecting('CRM');
    const refused = await teams.click(helpdesk, VERBS.assignToGroup, { policyId: policy.id, kind: 'app', itemId: app.id });
    expect(refused.value).toBe("Only approvers can assign apps and scripts to a policy's device group.");
    world.emulator.admin.intune.deleteApp(app.id);
    const gone = await teams.click(approver, VERBS.assignToGroup, { policyId: policy.id, kind: 'app', itemId: app.id });
    expect(gone.value).toBe("Intune no longer has that app: it was deleted. Remove it from the policy's allowed apps, or select the app that replaced it.");
    const unreadable = await teams.click(approver, VERBS.assignToGroup, { policyId: policy.id, kind: 'device' });
    expect(unreadable.value).toBe('This card does not name a policy and an app or script.');
    const audited = (await world.store.listAudit()).filter((entry) => entry.kind === 'denied' || entry.kind.startsWith('assign'));
    expect(audited.map((entry) => [entry.kind, entry.actor?.name])).toEqual([
      ['denied', helpdesk.name],
      ['assignRequested', approver.name],
      ['assignFailed', approver.name],
      ['denied', approver.name],
    ]);
  });

  it('escapes what Intune says in a refusal: an app in user context is assigned by hand, with the admin center path', async () => {
    const { app, policy } = await policySelecting('Notes_v2 [beta]');
    world.emulator.admin.intune.deleteApp(app.id);
    const userContext = world.emulator.admin.intune.addApp({ id: app.id, displayName: 'Notes_v2 [beta]', appType: 'win32LobApp', runAsAccount: 'user' });
    const answer = await teams.click(approver, VERBS.assignToGroup, { policyId: policy.id, kind: 'app', itemId: userContext.id });
    expect(answer.value).toMatch(/^Not assigned\. Not assigned by the bot: "Notes\\_v2 \\\[beta\\\]" is not assigned to the device group/);
    expect(answer.value).toContain('Intune admin center › Apps › All apps › "Notes\\_v2 \\[beta\\]" › Properties › Assignments › Edit.');
  });

  it('puts the Assign button on the digest row whose new finding it fixes, and it works from there', async () => {
    const { app } = await policySelecting('CRM');
    const digests: HealthDigest[] = [];
    const watch = createHealthWatch({ store: world.store, inventory: world.inventory, digest: { postDigest: async (digest) => Boolean(digests.push(digest)) }, intervalMs: 60_000 });
    expect(await watch.runPass()).toMatchObject({ kind: 'done', posted: true });
    const [digest] = digests;
    if (!digest) throw new Error('no digest');
    const card = digestCard(digest);
    expect(lintCard(card)).toEqual([]);
    const data = buttonData(card, VERBS.assignToGroup);
    expect(data).toMatchObject({ kind: 'app', itemId: app.id });
    const answer = await teams.click(approver, VERBS.assignToGroup, data);
    expect(cardText(answer.value)).toContain('Assigned: the app "CRM"');
  });
});
