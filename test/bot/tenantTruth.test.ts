// Carousel rendering (unused here) pulls in swiper, an ES module jest cannot load: parsing never touches it.
jest.mock('swiper', () => ({}));

/** A request for a policy Intune already gives a group, through the real bot, store and Graph adapter (issue 17). */
import { VERBS } from '../../src/bot/verbs';
import { type BotWorld, approver, createBotWorld, helpdesk, provisioned } from './support/world';
import { lintCard } from './support/cardLint';
import { Teams, cardOf, cardText, cardVerbs } from './support/turns';

describe('bot: one group per policy, decided from the tenant', () => {
  let world: BotWorld;
  let teams: Teams;
  /** How far the emulator's clock is ahead: past the recycle bin's 30 days, Entra has purged a deleted group. */
  let daysLater: number;

  beforeEach(async () => {
    daysLater = 0;
    teams = new Teams(() => world.bot);
    world = await createBotWorld({ adapter: teams.adapter, brokenCases: true, graphClock: { now: () => new Date(Date.now() + daysLater * 24 * 60 * 60 * 1000) } });
  });
  afterEach(() => world.dispose());

  it('`request Adatum Reception` (a correct hand-made group) creates no group: it shows that group and Adopt, which works', async () => {
    const groupsBefore = world.emulator.admin.groups().length;
    await teams.say(helpdesk, 'request Adatum Reception');
    const reply = await teams.click(helpdesk, VERBS.submitRequest, { policyName: 'Adatum Reception', scenario: 'userDriven' });
    const card = reply.value;
    expect(lintCard(card)).toEqual([]);
    expect(cardText(card)).toContain('This policy already has a device group in Intune');
    expect(cardText(card)).toContain('Adatum reception devices');
    expect(cardVerbs(card)).toEqual([VERBS.adoptGroup]);
    expect(world.emulator.admin.groups()).toHaveLength(groupsBefore);
    expect(await world.store.latestRequestForPolicy('adatum reception')).toBeUndefined();

    const policy = world.emulator.admin.policies().find((each) => each.name === 'Adatum Reception');
    const adopted = await teams.click(approver, VERBS.adoptGroup, { policyId: policy?.id });
    // The answer is the card it came from, brought up to date (issue 21): the adoption on top.
    expect(cardText(adopted.value)).toContain('Adopted: Adatum reception devices is now the one group of "Adatum Reception"');
    const [status] = await teams.say(helpdesk, 'status Adatum Reception');
    expect(cardText(cardOf(status))).toContain(policy?.membershipTargetIds[0]);
    expect(world.emulator.admin.groups()).toHaveLength(groupsBefore);
  });

  it('a broken hand-made group (dynamic) gets what is wrong and the fix, no Adopt and no group', async () => {
    const groupsBefore = world.emulator.admin.groups().length;
    const reply = await teams.click(helpdesk, VERBS.submitRequest, { policyName: 'Northwind Tablets', scenario: 'userDriven' });
    const card = reply.value;
    expect(lintCard(card)).toEqual([]);
    expect(cardText(card)).toContain('notStaticSecurityGroup');
    expect(cardText(card)).toMatch(/Replace group in .+ makes the group/);
    expect(cardVerbs(card)).toEqual([]);
    expect(world.emulator.admin.groups()).toHaveLength(groupsBefore);
  });

  it('a policy whose recorded group Entra purged takes a new request: approved, its new group replaces the record', async () => {
    await provisioned(world, 'Contoso Kiosks');
    const purged = await world.store.findGroup('contoso kiosks');
    if (!purged) throw new Error('no record');
    world.emulator.admin.deleteGroup(purged.groupId);
    daysLater = 31; // past the recycle bin's 30 days: gone for good

    // Typed, the request opens the form (not "this policy already has its group") and says why.
    const [opened] = await teams.say(helpdesk, 'request Contoso Kiosks');
    const form = cardOf(opened);
    expect(cardText(form)).toContain('was deleted for good in Entra');
    expect(cardVerbs(form)).toContain(VERBS.submitRequest);

    const reply = await teams.click(helpdesk, VERBS.submitRequest, { policyName: 'Contoso Kiosks', scenario: 'userDriven' });
    expect(lintCard(reply.value)).toEqual([]);
    const request = await world.store.latestRequestForPolicy('contoso kiosks');
    expect(request).toMatchObject({ state: 'pending' });
    expect(cardText(reply.value)).toContain(request?.id);
    await teams.click(approver, VERBS.approve, { requestId: request?.id });
    await world.requests.idle();

    const [made, ...more] = world.emulator.admin.groups().filter((group) => group.uniqueName === purged.uniqueName);
    expect(more).toEqual([]);
    expect(made?.id).not.toBe(purged.groupId);
    expect(await world.store.findGroup('contoso kiosks')).toMatchObject({ groupId: made?.id });
    const [status] = await teams.say(helpdesk, 'status Contoso Kiosks');
    expect(cardText(cardOf(status))).toContain(made?.id);
    expect(cardText(cardOf(status))).not.toContain(purged.groupId);
  });

  it('`status <policy>` says plainly when Intune could not be asked, and answers from the records', async () => {
    await provisioned(world, 'Contoso Kiosks');
    world.emulator.setFaults({ failNext: { status: 503, count: 2 } });
    const [status] = await teams.say(helpdesk, 'status Contoso Kiosks');
    const card = cardOf(status);
    expect(lintCard(card)).toEqual([]);
    expect(cardText(card)).toContain('Contoso Kiosks has its device group');
    expect(cardText(card)).toMatch(/Intune could not be asked .*This is what my own records say\./);
  });
});
