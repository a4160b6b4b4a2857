/**
 * A policy's deleted group, through the real bot over the real stack (the Graph emulator keeps deleted groups
 * in a recycle bin, as Graph does): `check` and a new request offer the restore, approvers restore the same
 * group, and a second group is never made.
 */
import { policyKeyOf } from '../../src/domain/policy';
import { VERBS } from '../../src/bot/verbs';
import { type BotWorld, approver, createBotWorldWithTeams, helpdesk, outsider, provisioned } from './support/world';
import { type Teams, buttonData, cardOf, cardText, cardVerbs } from './support/turns';

describe('bot: a deleted group', () => {
  let world: BotWorld;
  let teams: Teams;

  beforeEach(async () => {
    ({ world, teams } = await createBotWorldWithTeams());
  });
  afterEach(() => world.dispose());

  async function deletedGroupOf(policyName: string): Promise<string> {
    await provisioned(world, policyName);
    const group = await world.store.findGroup(policyKeyOf(policyName));
    if (!group) throw new Error('not provisioned');
    world.emulator.admin.deleteGroup(group.groupId);
    return group.groupId;
  }

  async function audited(kind: string): Promise<string[]> {
    return (await world.store.listAudit({ policyKey: 'contoso sales' })).filter((entry) => entry.kind === kind).map((entry) => entry.detail ?? '');
  }

  it('check tells a restorable group from a gone one and offers the restore', async () => {
    await deletedGroupOf('Contoso Sales');
    const [reply] = await teams.say(helpdesk, 'check Contoso Sales');
    const card = cardOf(reply);
    expect(cardText(card)).toMatch(/was deleted on .* and is in the Entra recycle bin until/);
    expect(cardVerbs(card)).toEqual([VERBS.restoreGroup]);
  });

  it('a new request for the policy is offered the restore, never a second group', async () => {
    await deletedGroupOf('Contoso Sales');
    const submitted = await teams.click(helpdesk, VERBS.submitRequest, { policyName: 'Contoso Sales', scenario: 'userDriven' });
    expect(cardText(submitted.value)).toContain("This policy's device group was deleted");
    expect(cardVerbs(submitted.value)).toEqual([VERBS.restoreGroup]);
    expect(await world.store.listRequestsInStates(['pending'])).toEqual([]);
    expect(world.emulator.admin.groups()).toHaveLength(0);
  });

  it('approvers restore the same group with its owner; others are refused and audited', async () => {
    const groupId = await deletedGroupOf('Contoso Sales');
    const [checked] = await teams.say(helpdesk, 'check Contoso Sales');
    const restore = buttonData(cardOf(checked), VERBS.restoreGroup);
    expect(restore).toEqual({ policyKey: 'contoso sales' });
    const refused = await teams.click(outsider, VERBS.restoreGroup, restore);
    expect(refused.value).toBe('Only approvers can restore a deleted group.');
    expect(await audited('denied')).toEqual(['restore: Only approvers can restore a deleted group.']);

    const restored = await teams.click(approver, VERBS.restoreGroup, restore);
    expect(cardText(restored.value)).toContain('The device group of "Contoso Sales" is back');
    expect(cardText(restored.value)).toContain(`Group object id: ${groupId}`);
    expect(world.emulator.admin.groups().map((group) => group.id)).toEqual([groupId]);
    expect(world.emulator.admin.groups()[0]?.ownerIds).toEqual([world.emulator.admin.ownerServicePrincipalId]);
    expect(await audited('groupRestored')).toEqual([`group ${groupId}`]);

    const [healthy] = await teams.say(helpdesk, 'check Contoso Sales');
    expect(cardText(cardOf(healthy))).toContain('Healthy');
    const [again] = await teams.say(approver, 'restore Contoso Sales');
    expect(again?.text).toMatch(/not deleted/i);
    expect(await audited('restoreFailed')).toHaveLength(1);
  });
});
