/** Each message route through botbuilder's TestAdapter driving the real Application over the real stack. */
import { VERBS } from '../../src/bot/verbs';
import { type BotWorld, approver, createBotWorldWithTeams, helpdesk, outsider, provisioned, previewedNames } from './support/world';
import { type Teams, cardOf, cardText, cardVerbs, visibleText } from './support/turns';

describe('bot commands', () => {
  let world: BotWorld;
  let teams: Teams;

  beforeEach(async () => {
    ({ world, teams } = await createBotWorldWithTeams());
  });
  afterEach(() => world.dispose());

  it('welcomes on install (the bot among the members added) and stays quiet when someone else joins', async () => {
    const install = await teams.send({
      type: 'conversationUpdate',
      from: { id: helpdesk.teamsId, name: helpdesk.name },
      conversation: { id: 'a:hana', conversationType: 'personal', isGroup: false, name: '' },
      membersAdded: [{ id: '28:bot', name: 'Device groups' }],
    });
    expect(install).toHaveLength(1);
    expect(cardVerbs(cardOf(install[0]))).toEqual([VERBS.openRequestForm, VERBS.showMine, VERBS.showHelp]);
    const someoneJoins = await teams.send({
      type: 'conversationUpdate',
      from: { id: helpdesk.teamsId, name: helpdesk.name },
      conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', isGroup: true, name: '' },
      membersAdded: [{ id: '29:new-colleague', name: 'New' }],
    });
    expect(someoneJoins).toEqual([]);
  });

  it.each(['request', 'new', 'REQUEST'])('"%s" opens an empty request form', async (text) => {
    const [reply] = await teams.say(helpdesk, text);
    const card = cardOf(reply);
    expect(cardVerbs(card)).toEqual([VERBS.previewRequest, VERBS.submitRequest]);
    const policyInput = card.body.find((element) => element['id'] === 'policyName');
    expect(policyInput).toBeDefined();
    expect(policyInput).not.toHaveProperty('value');
  });

  it('prefills the form from free text and previews the group name', async () => {
    const [reply] = await teams.say(helpdesk, 'request Contoso Sales as automatic');
    const card = JSON.stringify(cardOf(reply));
    expect(card).toContain('"value":"Contoso Sales"');
    expect(card).toContain('"value":"automatic"');
    const names = previewedNames(world, 'Contoso Sales', 'automatic');
    expect(cardText(cardOf(reply))).toContain(`Group name: ${names.displayName}`);
  });

  it("keeps a name that ends in a scenario whole, as the README's first step types it", async () => {
    const [reply] = await teams.say(helpdesk, 'request Contoso User-driven');
    const card = JSON.stringify(cardOf(reply));
    expect(card).toContain('"value":"Contoso User-driven"');
    expect(card).toContain('"value":"userDriven"');
  });

  it('says at the field why a prefilled name cannot be used', async () => {
    const [reply] = await teams.say(helpdesk, `request ${'x'.repeat(130)} user-driven`);
    expect(cardText(cardOf(reply))).toMatch(/too long: at most 120 characters/);
  });

  it('removes the @mention in a channel before routing', async () => {
    const [reply] = await teams.send({
      type: 'message',
      text: '<at>Device groups</at> status REQ-999',
      entities: [{ type: 'mention', text: '<at>Device groups</at>', mentioned: { id: '28:bot', name: 'Device groups' } }],
      from: { id: helpdesk.teamsId, name: helpdesk.name, aadObjectId: helpdesk.aadObjectId },
      conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', isGroup: true, name: '' },
    });
    expect(cardText(cardOf(reply))).toContain('There is no request REQ-999.');
  });

  it('status REQ-n and status <policy> tell where things stand; unknown ones say so', async () => {
    const id = await provisioned(world, 'Contoso Kiosks');
    const [byId] = await teams.say(outsider, `status ${id.toLowerCase()}`);
    expect(cardText(cardOf(byId))).toContain(`${id}: Done: the group exists`);
    const [byPolicy] = await teams.say(outsider, 'STATUS contoso  kiosks');
    const group = world.emulator.admin.groups()[0];
    expect(cardText(cardOf(byPolicy))).toContain(`Object id: ${group?.id}`);
    const [unknown] = await teams.say(outsider, 'status Nobody Asked');
    expect(cardText(cardOf(unknown))).toContain('No group or request for "Nobody Asked" yet');
    expect(cardVerbs(cardOf(unknown))).toEqual([VERBS.openRequestForm]);
    const [missing] = await teams.say(outsider, 'status');
    expect(missing?.text).toMatch(/status <policy name>/);
  });

  it('mine lists only my requests', async () => {
    await world.requests.submit({ policyName: 'Mine One', scenario: 'userDriven', requester: helpdesk });
    await world.requests.submit({ policyName: 'Not Mine', scenario: 'automatic', requester: outsider });
    const [reply] = await teams.say(helpdesk, 'mine');
    const text = cardText(cardOf(reply));
    expect(text).toContain('Mine One');
    expect(text).not.toContain('Not Mine');
  });

  it('pending is for approvers, with a Review button per request', async () => {
    const submitted = await world.requests.submit({ policyName: 'Waiting One', scenario: 'userDriven', requester: helpdesk });
    const [denied] = await teams.say(outsider, 'pending');
    expect(denied?.text).toBe('Only approvers can do that.');
    expect(await world.store.listAudit()).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'denied', actor: { aadObjectId: outsider.aadObjectId, name: outsider.name }, detail: 'pending: not an approver' })]),
    );
    const [reply] = await teams.say(approver, 'pending');
    const card = cardOf(reply);
    expect(cardText(card)).toContain('Waiting One');
    expect(cardVerbs(card)).toEqual([VERBS.refreshApproval]);
    expect(JSON.stringify(card)).toContain(submitted.kind === 'created' ? submitted.request.id : 'missing');
  });

  it('groups pages through every policy and its group', async () => {
    for (const name of ['Alpha', 'Bravo']) await provisioned(world, name);
    const [reply] = await teams.say(helpdesk, 'groups');
    expect(cardText(cardOf(reply))).toMatch(/Alpha[\s\S]*Bravo|Bravo[\s\S]*Alpha/);
    const beyond = await teams.click(helpdesk, VERBS.groupsPage, { offset: 10 });
    expect(cardText(beyond.value)).toContain('No groups on this page.');
    expect(cardVerbs(beyond.value)).toEqual([VERBS.groupsPage]);
    const [bad] = await teams.say(helpdesk, 'groups two');
    expect(bad?.text).toMatch(/groups <page number>/);
  });

  it('check shows the drift check as a card and offers the owner repair when the owner is gone', async () => {
    await provisioned(world, 'Drifty');
    const [healthy] = await teams.say(helpdesk, 'check drifty');
    expect(cardText(cardOf(healthy))).toContain('Healthy');
    const group = world.emulator.admin.groups()[0];
    if (!group) throw new Error('no group');
    world.emulator.admin.removeOwner(group.id, world.emulator.admin.ownerServicePrincipalId ?? 'missing');
    const [drifted] = await teams.say(helpdesk, 'check Drifty');
    expect(cardText(cardOf(drifted))).toContain('firstPartyAppNotAnOwner');
    expect(cardVerbs(cardOf(drifted))).toEqual([VERBS.repairOwner]);
    const [invalid] = await teams.say(helpdesk, 'check \u0007');
    expect(invalid?.text).toMatch(/invisible or control characters/);
  });

  it('cancel is for the requester while pending', async () => {
    const submitted = await world.requests.submit({ policyName: 'Cancel Me', scenario: 'userDriven', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(submitted.kind);
    const id = submitted.request.id;
    expect((await teams.say(outsider, `cancel ${id}`))[0]?.text).toBe('Only the person who asked for it can cancel a request.');
    expect((await teams.say(helpdesk, `cancel ${id}`))[0]?.text).toBe(`${id} is cancelled.`);
    expect((await teams.say(helpdesk, `cancel ${id}`))[0]?.text).toMatch(/only a pending request can be cancelled/);
    expect((await teams.say(helpdesk, 'cancel REQ-424242'))[0]?.text).toBe('There is no request REQ-424242.');
    // Not a request id: a policy name, whose newest request would be cancelled (answers.test.ts).
    expect((await teams.say(helpdesk, 'cancel it'))[0]?.text).toMatch(/There is no request for the policy "it"/);
    expect((await teams.say(helpdesk, 'cancel'))[0]?.text).toMatch(/cancel REQ-n/);
    expect((await world.requests.get(id))?.state).toBe('cancelled');
  });

  it('register approvals: approvers, in a channel only; stored at the channel root', async () => {
    const channel = { kind: 'channel' as const, id: '19:approvals@thread.tacv2;messageid=1700000000000' };
    expect((await teams.say(approver, 'register approvals'))[0]?.text).toMatch(/in the team channel .*@mention me and type `register approvals`/);
    expect((await teams.say(outsider, 'register approvals', channel))[0]?.text).toBe('Only approvers can do that.');
    expect(await world.store.getApprovalsChannel()).toBeUndefined();
    expect((await world.store.listAudit()).map((entry) => entry.detail)).toContain('register approvals: not an approver');
    expect((await teams.say(approver, 'Register Approvals', channel))[0]?.text).toMatch(/will be posted in this channel/);
    expect((await world.store.getApprovalsChannel())?.conversation?.id).toBe('19:approvals@thread.tacv2');
  });

  it('help lists the commands; unknown text gets help, with the command it is a slip of if any', async () => {
    const [help] = await teams.say(helpdesk, 'help');
    const shown = visibleText(cardText(cardOf(help)));
    for (const usage of ['status <policy> | status REQ-n', 'check <policy>', 'bind <policy>', 'request [policy] [as user-driven|automatic]']) {
      expect(shown).toContain(usage);
    }
    expect(shown).toContain('User-driven, Automatic or Windows 365');
    const [typo] = await teams.say(helpdesk, 'stauts Contoso');
    expect(cardText(cardOf(typo))).toContain('Did you mean **status**?');
    const [other] = await teams.say(helpdesk, 'pendng');
    expect(cardText(cardOf(other))).toContain('Did you mean **pending**?');
    const [gibberish] = await teams.say(helpdesk, 'asdfgh jkl');
    const gibberishText = visibleText(cardText(cardOf(gibberish)));
    expect(gibberishText).toContain('These are the commands I understand');
    expect(gibberishText).toContain('status <policy> | status REQ-n');
    expect(gibberishText).not.toContain('Did you mean');
  });

  it('remembers the personal chat of whoever talks to it (for notifications), not channels', async () => {
    await teams.say(helpdesk, 'help');
    await teams.say(outsider, 'help', { kind: 'channel', id: '19:general@thread.tacv2' });
    expect((await world.store.getPersonalConversation(helpdesk.aadObjectId))?.user?.id).toBe(helpdesk.teamsId);
    expect(await world.store.getPersonalConversation(outsider.aadObjectId)).toBeUndefined();
  });

  it('acts on nothing for a message without an Entra identity', async () => {
    const [reply] = await teams.send({ type: 'message', text: 'mine', from: { id: '29:anon', name: 'Anon' }, conversation: { id: 'a:anon', conversationType: 'personal', isGroup: false, name: '' } });
    expect(reply?.text).toMatch(/cannot tell who you are/);
  });
});
