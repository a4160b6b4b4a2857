/**
 * Issue 21's cards read at a glance, through the real bot: who sees which buttons (an approver's own request), a
 * way back from Review to the pending list, the approvers' welcome, adopted groups said to be adopted.
 */
import { VERBS } from '../../src/bot/verbs';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { type BotWorld, type Person, approver, createBotWorldWithTeams, helpdesk, otherApprover, submitted } from './support/world';
import { type Teams, cardOf, cardText, cardVerbs } from './support/turns';

describe('bot: cards at a glance', () => {
  let world: BotWorld;
  let teams: Teams;

  beforeEach(async () => {
    ({ world, teams } = await createBotWorldWithTeams());
  });
  afterEach(() => world.dispose());

  it("shows an approver no Approve or Reject on their own request (self-approval off), and says who decides; another approver gets them", async () => {
    const id = await submitted(world, 'Contoso Own', approver);
    const own = await teams.click(approver, VERBS.refreshApproval, { requestId: id, from: 'pending' });
    expect(cardVerbs(own.value)).toEqual([VERBS.showPending]);
    expect(cardText(own.value)).toContain('You cannot decide your own request; another approver has to.');
    expect(JSON.stringify(own.value)).not.toContain('"id":"reason"');
    const other = await teams.click(otherApprover, VERBS.refreshApproval, { requestId: id });
    expect(cardVerbs(other.value)).toEqual([VERBS.approve, VERBS.reject]);
  });

  it('Review in pending opens the approval card with a way back to the list, which comes back current', async () => {
    const id = await submitted(world, 'Contoso Review');
    const [pending] = await teams.say(approver, 'pending');
    expect(cardVerbs(cardOf(pending))).toEqual([VERBS.refreshApproval]);
    const reviewed = await teams.click(approver, VERBS.refreshApproval, { requestId: id, from: 'pending' });
    expect(cardVerbs(reviewed.value)).toEqual([VERBS.approve, VERBS.reject, VERBS.showPending]);
    await world.requests.approve(id, approver);
    const back = await teams.click(approver, VERBS.showPending);
    expect(cardText(back.value)).toContain('Nothing is waiting for a decision.');
    expect((await teams.click(helpdesk, VERBS.showPending)).value).toBe('Only approvers can do that.');
  });

  const install = (person: Person) =>
    teams.send({
      type: 'conversationUpdate',
      from: { id: person.teamsId, name: person.name, aadObjectId: person.aadObjectId },
      conversation: { id: `a:${person.teamsId}`, conversationType: 'personal', isGroup: false, name: '' },
      membersAdded: [{ id: '28:bot', name: 'Device groups' }],
    });

  it("lists an approver's commands on their welcome card, and not on a helpdesk agent's", async () => {
    const [forApprover] = await install(approver);
    expect(cardText(cardOf(forApprover))).toContain('As an approver, you can also type:\npending: Requests waiting for your decision.\npolicies: ');
    const [forHelpdesk] = await install(helpdesk);
    expect(cardText(cardOf(forHelpdesk))).not.toContain('As an approver');
  });

  it('says "adopted" rather than "created" for an adopted group, with names before ids', async () => {
    const handMade = world.emulator.admin.addGroup({ displayName: 'Kiosk devices', ownerIds: [world.emulator.admin.ownerServicePrincipalId as string] });
    const policy = world.emulator.admin.addPolicy({ name: 'Contoso Kiosks', templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: [handMade.id] });
    await teams.click(approver, VERBS.adoptGroup, { policyId: policy.id });
    const shown = cardText(cardOf((await teams.say(helpdesk, 'status Contoso Kiosks'))[0]));
    expect(shown).toMatch(/Group name: Kiosk devices\nAdopted: \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC by Aki Approver\n/);
    expect(shown).not.toContain('Created:');
    expect(shown.indexOf('Group name:')).toBeLessThan(shown.indexOf(`Group object id: ${handMade.id}`));
  });
});
