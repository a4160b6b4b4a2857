// Carousel rendering (unused here) pulls in swiper, an ES module jest cannot load: parsing never touches it.
jest.mock('swiper', () => ({}));

/** `policies` and its buttons through botbuilder's TestAdapter, over the real stack and the sandbox Graph emulator. */
import { orderFor } from '../provisioning/support/names';
import { VERBS } from '../../src/bot/verbs';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { type BotWorld, approver, createBotWorld, helpdesk, otherApprover } from './support/world';
import { lintCard } from './support/cardLint';
import { Teams, cardOf, cardText, cardVerbs } from './support/turns';

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
    // The seeded policies have no group yet; the hand-made one is not recorded: three with findings.
    expect(shown).toContain('3 policies: 3 with findings, 0 healthy.');
    expect(shown).toContain('Contoso \\*Kiosks\\*');
    expect(shown).toContain('notRecorded');
    expect(shown).toContain('noGroup');
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
    expect(first.value).toMatch(/^Adopted: "Kiosk devices"/);
    expect(second.value).toMatch(/^Adopted: "Kiosk devices"/);
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
    await teams.click(approver, VERBS.repairOwner, { policyName: 'Contoso User-driven' });
    expect(world.emulator.admin.group(made.group.groupId)?.ownerIds).toContain(world.emulator.admin.ownerServicePrincipalId);

    world.emulator.admin.deleteGroup(made.group.groupId);
    const [deleted] = await teams.say(approver, 'policies');
    expect(cardVerbs(cardOf(deleted))).toEqual([VERBS.restoreGroup]);
    await teams.click(approver, VERBS.restoreGroup, { policyName: 'Contoso User-driven' });
    expect(world.emulator.admin.group(made.group.groupId)).toBeDefined();
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
