// Carousel rendering (unused here) pulls in swiper, an ES module jest cannot load: parsing never touches it.
jest.mock('swiper', () => ({}));

/** `policies` and its buttons through botbuilder's TestAdapter, over the real stack and the sandbox Graph emulator. */
import { orderFor } from '../provisioning/support/names';
import { VERBS } from '../../src/bot/verbs';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { type BotWorld, approver, createBotWorld, helpdesk, otherApprover } from './support/world';
import { lintCard } from './support/cardLint';
import { Teams, buttonData, cardOf, cardText, cardVerbs } from './support/turns';

const USER_DRIVEN = SCENARIO_INFO.userDriven.templateId;

describe('bot: policies', () => {
  let world: BotWorld;
  let teams: Teams;

  beforeEach(async () => {
    teams = new Teams(() => world.bot);
    world = await createBotWorld({ adapter: teams.adapter });
  });
  afterEach(() => world.dispose());

  const ownedGroup = (displayName: string) => world.emulator.admin.addGroup({ displayName, ownerIds: [world.emulator.admin.ownerServicePrincipalId as string] });

  it('shows approvers every policy, problems first, with Adopt where a correct hand-made group fits', async () => {
    const handMade = ownedGroup('Kiosk devices');
    const policy = world.emulator.admin.addPolicy({ name: 'Contoso *Kiosks*', templateId: USER_DRIVEN, membershipTargetIds: [handMade.id] });
    const [reply] = await teams.say(approver, 'policies');
    const card = cardOf(reply);
    expect(lintCard(card)).toEqual([]);
    const shown = cardText(card);
    // The seeded policies have no group yet; the hand-made one is not recorded: a summary by problem.
    expect(shown).toContain('3 policies: 2 without a device group, 1 made by hand; 0 healthy.');
    expect(shown).toContain('Contoso \\*Kiosks\\*');
    // Plain-language headings; the codes and ids are in each row's hidden details section.
    expect(shown).toContain('• Made by hand, not by this bot');
    expect(shown).toContain('• No device group yet');
    expect(shown).toContain('Group: **Kiosk devices**');
    const rows = card.body.filter((element) => element['type'] === 'Container') as unknown as { items: Record<string, unknown>[] }[];
    const details = rows.map((row) => row.items.find((item) => item['isVisible'] === false));
    expect(details.map((section) => cardText(section))).toEqual([
      expect.stringContaining(`Group object id: ${handMade.id}`),
      expect.stringContaining('noGroup: '),
      expect.stringContaining('noGroup: '),
    ]);
    expect(cardText(details[0])).toContain('notRecorded: ');
    // The adoptable sentence only where adoption is possible: once, on the hand-made group's row.
    expect(shown.match(/adopt it as the policy's one group/g)).toHaveLength(1);
    expect(cardVerbs(card)).toEqual([VERBS.adoptGroup]);
    expect(JSON.stringify(card)).toContain(`"policyId":"${policy.id}"`);
  });

  it('adopts from the card, once, and refuses helpdesk staff (audited)', async () => {
    const handMade = ownedGroup('Kiosk devices');
    const policy = world.emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN, membershipTargetIds: [handMade.id] });
    const refused = await teams.click(helpdesk, VERBS.adoptGroup, { policyId: policy.id });
    expect(refused.value).toMatch(/^Only approvers can adopt/);
    const [first, second] = await Promise.all([
      teams.click(approver, VERBS.adoptGroup, { policyId: policy.id }),
      teams.click(otherApprover, VERBS.adoptGroup, { policyId: policy.id }),
    ]);
    // The card the click came from becomes the list as it is now: the policy adopted, no Adopt button left.
    for (const answer of [first, second]) {
      expect(cardText(answer.value)).toContain('Adopted: Kiosk devices is now the one group of "Contoso Kiosks".');
      expect(cardText(answer.value)).toContain('3 policies: 2 without a device group; 1 healthy.');
      expect(cardVerbs(answer.value)).toEqual([]);
    }
    expect(await world.store.listAllGroups()).toEqual([expect.objectContaining({ groupId: handMade.id, adopted: true })]);
    const [status] = await teams.say(helpdesk, 'status Contoso Kiosks');
    expect(cardText(cardOf(status))).toContain(handMade.id);
    expect((await world.store.listAudit()).map((entry) => entry.kind)).toEqual(expect.arrayContaining(['denied', 'groupAdopted']));
  });

  it('offers Repair owner and Restore for the groups the bot made, and they work from the card', async () => {
    const [reply] = await teams.say(approver, 'policies');
    expect(cardVerbs(cardOf(reply))).toEqual([]);
    const made = await world.provisioning.ensureGroup(orderFor(world.provisioning, 'Contoso User-driven', 'userDriven'), approver);
    const seeded = world.emulator.admin.policies().find((policy) => policy.name === 'Contoso User-driven');
    if (!seeded) throw new Error('seeded policy missing');
    seeded.membershipTargetIds = [made.group.groupId];
    world.emulator.admin.removeOwner(made.group.groupId, world.emulator.admin.ownerServicePrincipalId as string);
    const [broken] = await teams.say(approver, 'policies');
    expect(cardVerbs(cardOf(broken))).toEqual([VERBS.repairOwner]);
    expect(cardText(cardOf(broken))).toContain('• Not owned by the Intune Provisioning Client');
    // The button carries the record's key, not the name a card shows.
    expect(buttonData(cardOf(broken), VERBS.repairOwner)).toEqual({ policyKey: 'contoso user-driven', returnTo: 'policies' });
    const repaired = await teams.click(approver, VERBS.repairOwner, buttonData(cardOf(broken), VERBS.repairOwner));
    expect(world.emulator.admin.group(made.group.groupId)?.ownerIds).toContain(world.emulator.admin.ownerServicePrincipalId);
    expect(cardText(repaired.value)).toContain('Repaired: the Intune Provisioning Client owns the group of "Contoso User-driven" again.');
    expect(cardVerbs(repaired.value)).toEqual([]);

    world.emulator.admin.deleteGroup(made.group.groupId);
    const [deleted] = await teams.say(approver, 'policies');
    expect(cardVerbs(cardOf(deleted))).toEqual([VERBS.restoreGroup]);
    expect(cardText(cardOf(deleted))).toMatch(/• Deleted — restorable until \d{1,2} [A-Z][a-z]{2} \d{4}\n/);
    expect(buttonData(cardOf(deleted), VERBS.restoreGroup)).toEqual({ policyKey: 'contoso user-driven', returnTo: 'policies' });
    const restored = await teams.click(approver, VERBS.restoreGroup, buttonData(cardOf(deleted), VERBS.restoreGroup));
    expect(world.emulator.admin.group(made.group.groupId)).toBeDefined();
    expect(cardText(restored.value)).toContain('Restored: the group of "Contoso User-driven" is back');
    expect(cardVerbs(restored.value)).toEqual([]);
  });

  it('offers Replace group behind a confirmation for a dynamic group; clicked, the answer names the new group, the bind and the old group left as it is', async () => {
    world.emulator.setVariations({ appOnlyMembershipTarget: 'allow' });
    const dynamic = world.emulator.admin.addGroup({ displayName: 'Kiosk dynamic devices', ownerIds: [world.emulator.admin.ownerServicePrincipalId as string], groupTypes: ['DynamicMembership'] });
    const policy = world.emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN, membershipTargetIds: [dynamic.id] });
    const card = cardOf((await teams.say(approver, 'policies'))[0]);
    expect(cardVerbs(card)).toEqual([VERBS.replaceGroup]);
    expect(cardText(card)).toContain('"Kiosk dynamic devices", is left exactly as it is: not deleted, not changed.');
    expect(buttonData(card, VERBS.replaceGroup)).toEqual({ policyId: policy.id });

    const answer = await teams.click(approver, VERBS.replaceGroup, buttonData(card, VERBS.replaceGroup));
    const shown = cardText(answer.value);
    expect(shown).toContain('"Contoso Kiosks" has a device group of its own');
    expect(shown).toContain('✅ Bound');
    expect(shown).toContain('• **Kiosk dynamic devices**: ');
    expect(shown).toContain(`Left as it is (Kiosk dynamic devices): ${dynamic.id}`);
    const again = await teams.click(otherApprover, VERBS.replaceGroup, { policyId: policy.id });
    expect(cardText(again.value)).toContain('Already replaced by Aki Approver');
    expect(world.emulator.admin.groups()).toHaveLength(2);
  });

  it('pages ten at a time, and refuses helpdesk staff', async () => {
    for (let index = 0; index < 12; index += 1) world.emulator.admin.addPolicy({ name: `Policy ${String(index).padStart(2, '0')}`, templateId: USER_DRIVEN });
    const [first] = await teams.say(approver, 'policies');
    expect(cardText(cardOf(first))).toContain('1–10 of 14');
    expect(cardVerbs(cardOf(first))).toEqual([VERBS.policiesPage]);
    const next = await teams.click(approver, VERBS.policiesPage, { offset: 10 });
    expect(cardText(next.value)).toContain('11–14 of 14');
    expect((await teams.say(helpdesk, 'policies'))[0]?.text).toBe('Only approvers can do that.');
  });
});
