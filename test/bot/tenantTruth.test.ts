// Carousel rendering (unused here) pulls in swiper, an ES module jest cannot load: parsing never touches it.
jest.mock('swiper', () => ({}));

/** A request for a policy Intune already gives a group, through the real bot, store and Graph adapter (issue 17). */
import { VERBS } from '../../src/bot/verbs';
import { type BotWorld, approver, createBotWorld, helpdesk } from './support/world';
import { lintCard } from './support/cardLint';
import { Teams, cardOf, cardText, cardVerbs } from './support/turns';

describe('bot: one group per policy, decided from the tenant', () => {
  let world: BotWorld;
  let teams: Teams;

  beforeEach(async () => {
    teams = new Teams(() => world.bot);
    world = await createBotWorld({ adapter: teams.adapter, brokenCases: true });
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
    expect(cardText(card)).toMatch(/cannot replace a policy's group yet/);
    expect(cardVerbs(card)).toEqual([]);
    expect(world.emulator.admin.groups()).toHaveLength(groupsBefore);
  });
});
