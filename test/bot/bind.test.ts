/** `bind <policy>` through botbuilder's TestAdapter, over the real stack and the sandbox Graph emulator. */
import { policyKeyOf } from '../../src/domain/policy';
import { VERBS } from '../../src/bot/verbs';
import { type BotWorld, approver, createBotWorldWithTeams, helpdesk, provisioned, submitted } from './support/world';
import { type Teams, buttonData, cardOf, cardText, cardVerbs, visibleText } from './support/turns';

/** Seeded in the sandbox tenant as a user-driven device-preparation policy. */
const SEEDED_POLICY = 'Contoso User-driven';

describe('bot: bind <policy>', () => {
  let world: BotWorld;
  let teams: Teams;

  beforeEach(async () => {
    ({ world, teams } = await createBotWorldWithTeams());
    // The bot's sandbox token is app-only, which Intune refuses today: these tests are about what Intune
    // answers once it takes the call (the refusal itself has its own test below).
    world.emulator.setVariations({ appOnlyMembershipTarget: 'allow' });
  });
  afterEach(() => world.dispose());

  async function provisionedGroupId(policyName: string): Promise<string> {
    await provisioned(world, policyName);
    const group = (await world.store.findGroup(policyKeyOf(policyName)));
    if (!group) throw new Error('not provisioned');
    return group.groupId;
  }

  const seededPolicy = () => world.emulator.admin.policies().find((policy) => policy.name === SEEDED_POLICY);

  it('binds the group once the policy exists, and says so on a card', async () => {
    const groupId = await provisionedGroupId(SEEDED_POLICY);
    const [reply] = await teams.say(approver, 'bind contoso user-driven');
    const shown = cardText(cardOf(reply));
    expect(shown).toContain('"Contoso User-driven" now uses its device group');
    expect(shown).toContain(`Group object id: ${groupId}`);
    expect(seededPolicy()?.membershipTargetIds).toEqual([groupId]);
  });

  it('binds once: binding again says who bound it and when, and sends nothing to Intune', async () => {
    await provisionedGroupId(SEEDED_POLICY);
    await teams.say(approver, `bind ${SEEDED_POLICY}`);
    world.emulator.clearRequestLog();
    const [again] = await teams.say(approver, `bind ${SEEDED_POLICY}`);
    expect(again?.text).toMatch(/^The Intune policy `Contoso User-driven` already uses its device group `.+` \(bound by Aki Approver at \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC\)\. Nothing was changed\.$/);
    expect(world.emulator.requestLog.filter((entry) => entry.path.includes('setEnrollmentTimeDeviceMembershipTarget'))).toEqual([]);
  });

  it('is visible afterwards: status and groups say which Intune policy uses the group, and since when', async () => {
    await provisionedGroupId(SEEDED_POLICY);
    const [before] = await teams.say(helpdesk, `status ${SEEDED_POLICY}`);
    expect(cardText(cardOf(before))).toContain('Intune policy: not bound yet');
    await teams.say(approver, `bind ${SEEDED_POLICY}`);
    const policyId = seededPolicy()?.id;
    const [status] = await teams.say(helpdesk, `status ${SEEDED_POLICY}`);
    expect(cardText(cardOf(status))).toMatch(/Intune policy: uses this group, bound \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC by Aki Approver/);
    expect(cardText(cardOf(status))).toContain(`Intune policy id: ${policyId}`);
    const [groups] = await teams.say(helpdesk, 'groups');
    expect(cardText(cardOf(groups))).toContain('Intune policy: uses this group, bound');
    expect(await world.store.findGroup(policyKeyOf(SEEDED_POLICY))).toMatchObject({ binding: { intunePolicyId: policyId, by: { aadObjectId: approver.aadObjectId } } });
  });

  it('refuses non-approvers and audits the attempt; Intune is not asked', async () => {
    await provisionedGroupId(SEEDED_POLICY);
    world.emulator.clearRequestLog();
    const [reply] = await teams.say(helpdesk, `bind ${SEEDED_POLICY}`);
    expect(reply?.text).toBe('Only approvers can bind a group to its Intune policy.');
    expect(world.emulator.requestLog).toEqual([]);
    expect(await world.store.listAudit({ policyKey: 'contoso user-driven' })).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'denied', actor: { aadObjectId: helpdesk.aadObjectId, name: helpdesk.name } })]),
    );
  });

  it('answers clearly when there is no group yet, or no policy name at all', async () => {
    const id = await submitted(world, SEEDED_POLICY);
    expect((await teams.say(approver, `bind ${SEEDED_POLICY}`))[0]?.text).toBe(
      `"${SEEDED_POLICY}" has no device group yet (${id}: waiting for approval). Bind it once the group exists.`,
    );
    expect((await teams.say(approver, 'bind Nobody Asked'))[0]?.text).toBe(
      '"Nobody Asked" has no device group yet. Request it first (`request Nobody Asked`), then bind it.',
    );
    expect((await teams.say(approver, 'bind'))[0]?.text).toBe('Which policy? Type `bind <policy name>`.');
    expect((await teams.say(approver, 'bind \u0007'))[0]?.text).toMatch(/invisible or control characters/);
    const [anonymous] = await teams.send({ type: 'message', text: `bind ${SEEDED_POLICY}`, from: { id: '29:anon', name: 'Anon' }, conversation: { id: 'a:anon', conversationType: 'personal', isGroup: false, name: '' } });
    expect(anonymous?.text).toMatch(/cannot tell who you are/);
  });

  it('tells them to create the policy in Intune first when it does not exist yet', async () => {
    await provisionedGroupId('Contoso Kiosks');
    const shown = cardText(cardOf((await teams.say(approver, 'bind Contoso Kiosks'))[0]));
    expect(shown).toContain('Intune has no policy "Contoso Kiosks" yet');
    expect(shown).toContain('Create the User-driven · Microsoft Entra join policy "Contoso Kiosks", and choose the group');
    expect(JSON.stringify(cardOf((await teams.say(approver, 'bind Contoso Kiosks'))[0]))).toContain('"type":"Action.OpenUrl","title":"Open the Intune admin center","url":"https://intune.microsoft.com/"');
  });

  it("shows Intune's validation status with what it means, and offers the owner repair", async () => {
    const groupId = await provisionedGroupId(SEEDED_POLICY);
    world.emulator.admin.removeOwner(groupId, world.emulator.admin.ownerServicePrincipalId ?? 'missing');
    const card = cardOf((await teams.say(approver, `bind ${SEEDED_POLICY}`))[0]);
    expect(cardText(card)).toContain('• The Intune Provisioning Client is not an owner of the group');
    expect(cardText(card)).toContain(`Group ${groupId}: firstPartyAppNotAnOwner`);
    expect(cardVerbs(card)).toEqual([VERBS.repairOwner]);
    expect(seededPolicy()?.membershipTargetIds).toEqual([]);

    await teams.click(approver, VERBS.repairOwner, buttonData(card, VERBS.repairOwner));
    expect(cardText(cardOf((await teams.say(approver, `bind ${SEEDED_POLICY}`))[0]))).toContain('now uses its device group');
  });

  it('explains a dynamic group, with no repair button', async () => {
    const groupId = await provisionedGroupId(SEEDED_POLICY);
    world.emulator.admin.updateGroup(groupId, { groupTypes: ['DynamicMembership'] });
    const card = cardOf((await teams.say(approver, `bind ${SEEDED_POLICY}`))[0]);
    expect(cardText(card)).toContain('The group has dynamic membership. Device preparation needs an assigned (static) group');
    expect(cardVerbs(card)).toEqual([]);
  });

  it('says plainly that Intune refuses app-only binding today and gives the manual path', async () => {
    const groupId = await provisionedGroupId(SEEDED_POLICY);
    world.emulator.setVariations({});
    const card = cardOf((await teams.say(approver, `bind ${SEEDED_POLICY}`))[0]);
    const shown = cardText(card);
    expect(shown).toContain('Bind the device group of "Contoso User-driven" by hand in Intune');
    expect(shown).toContain('Intune does not accept app-only binding today');
    expect(shown).toContain('Devices › Windows › Windows enrollment › Device preparation policies');
    expect(shown).toContain(`Graph request id: ${world.emulator.requestLog.at(-1)?.requestId ?? 'missing'}`);
    expect(shown).not.toContain('some tenants answer 500');
    // A calm how-to: numbered steps in the default colour, and a way to the admin center.
    expect(shown).toContain('1. Open the Intune admin center (the button below)');
    expect(shown).toContain('2. Open the policy "Contoso User-driven", then Properties › Device group › Edit.');
    expect(shown).toMatch(/3\. Select the group \*\*.+\*\*, then Review \+ save\./);
    expect(JSON.stringify(card)).not.toContain('"color"');
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the Intune admin center', url: 'https://intune.microsoft.com/' }]);
    expect(cardVerbs(card)).toEqual([]);
    expect(seededPolicy()?.membershipTargetIds).toEqual([]);
    expect(await world.requests.statusOfPolicy(SEEDED_POLICY)).toMatchObject({ group: { groupId } });
  });

  it("reports Intune's 500 with Graph's request id, and leaves the group alone", async () => {
    const groupId = await provisionedGroupId(SEEDED_POLICY);
    const groupsBefore = structuredClone(world.emulator.admin.groups());
    world.emulator.setFaults({ membershipTargetInternalError: true });
    const shown = cardText(cardOf((await teams.say(approver, `bind ${SEEDED_POLICY}`))[0]));
    // The bot's token is app-only, and a 500 from Intune to an app-only caller is its refusal of app-only binding.
    expect(shown).toContain('Bind the device group of "Contoso User-driven" by hand in Intune');
    expect(shown).toContain(`Graph request id: ${world.emulator.requestLog.at(-1)?.requestId ?? 'missing'}`);
    expect(shown).toContain('The group itself is ready and unchanged');
    expect(world.emulator.admin.groups()).toEqual(groupsBefore);
    expect(await world.requests.statusOfPolicy(SEEDED_POLICY)).toMatchObject({ group: { groupId } });
  });

  it('is in the help, and a typo of it is suggested', async () => {
    expect(visibleText(cardText(cardOf((await teams.say(helpdesk, 'help'))[0])))).toContain('bind <policy>');
    expect(cardText(cardOf((await teams.say(helpdesk, 'bnid Contoso'))[0]))).toContain('Did you mean **bind**?');
  });
});
