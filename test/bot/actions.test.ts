/** Each card verb through botbuilder's TestAdapter (invokes with deliveryMode expectReplies). */
import { NO_IDENTITY_MESSAGE } from '../../src/bot/turn';
import { CARD_VERBS, VERBS } from '../../src/bot/verbs';
import { type BotWorld, type Person, approver, createBotWorldWithTeams, helpdesk, otherApprover, outsider, submitted, previewedNames } from './support/world';
import { type CardJson, type Teams, cardText, cardVerbs } from './support/turns';

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

function asCard(value: unknown): CardJson {
  return value as CardJson;
}

function inputValue(card: CardJson, id: string): unknown {
  return card.body.find((element) => element['id'] === id)?.['value'];
}

describe('bot card actions', () => {
  let world: BotWorld;
  let teams: Teams;

  beforeEach(async () => {
    ({ world, teams } = await createBotWorldWithTeams());
    // Approvers have talked to the bot: their Teams ids are known for refresh.userIds.
    for (const person of [approver, otherApprover]) await teams.say(person, 'help');
  });
  afterEach(() => world.dispose());

  async function deniedAudit(requestId?: string): Promise<string[]> {
    const entries = await world.store.listAudit(requestId ? { requestId } : {});
    return entries.filter((entry) => entry.kind === 'denied').map((entry) => entry.detail ?? '');
  }

  describe('request form', () => {
    it('opens below the welcome card (which stays), and prefilled from a status card', async () => {
      const empty = await teams.clickAndSee(helpdesk, VERBS.openRequestForm);
      expect(empty.body).toEqual({ statusCode: 200, type: MESSAGE, value: 'Opened below.' });
      expect(empty.posted.map((card) => cardVerbs(card))).toEqual([[VERBS.previewRequest, VERBS.submitRequest]]);
      const prefilled = await teams.clickAndSee(helpdesk, VERBS.openRequestForm, { policyName: 'Contoso Sales' });
      expect(inputValue(asCard(prefilled.posted[0]), 'policyName')).toBe('Contoso Sales');
    });

    it('previews the group name and keeps every input', async () => {
      const inputs = { policyName: 'Contoso Sales', scenario: 'automatic', ticket: 'INC-1', justification: 'laptops' };
      const reply = await teams.click(helpdesk, VERBS.previewRequest, inputs);
      const card = asCard(reply.value);
      expect(cardText(card)).toContain(`Group name: ${previewedNames(world, 'Contoso Sales', 'automatic').displayName}`);
      for (const [id, value] of Object.entries(inputs)) expect(inputValue(card, id)).toBe(value);
    });

    it('submits: the request is pending and the card says so', async () => {
      const reply = await teams.click(helpdesk, VERBS.submitRequest, { policyName: '  Contoso   Sales ', scenario: 'userDriven', ticket: 'INC-9' });
      expect(cardText(reply.value)).toMatch(/REQ-\d+: Waiting for approval/);
      const [request] = await world.store.listRequestsInStates(['pending']);
      expect(request).toMatchObject({ policyName: 'Contoso Sales', ticket: 'INC-9', requester: { aadObjectId: helpdesk.aadObjectId, name: helpdesk.name } });
    });

    it.each([
      ['no policy name', { scenario: 'userDriven', ticket: 'INC-1' }, 'policyName', /Enter the name of the device-preparation policy, or pick it from Intune above/],
      ['invisible characters', { policyName: 'Contoso\u200bSales', scenario: 'userDriven', ticket: 'INC-1' }, 'policyName', /invisible or control/],
      ['an unknown scenario', { policyName: 'Contoso', scenario: 'hybrid', ticket: 'INC-1' }, 'scenario', /Choose the scenario/],
      ['a ticket too long', { policyName: 'Contoso', scenario: 'userDriven', ticket: 'T'.repeat(65) }, 'ticket', /at most 64/],
      ['a justification too long', { policyName: 'Contoso', scenario: 'automatic', ticket: 'INC-1', justification: 'j'.repeat(1001) }, 'justification', /at most 1000/],
    ])('re-renders with the error at the field and the input kept for %s', async (_case, data, field, message) => {
      const reply = await teams.click(helpdesk, VERBS.submitRequest, data);
      const card = asCard(reply.value);
      const index = card.body.findIndex((element) => element['id'] === field);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(String(card.body[index + 1]?.['text'])).toMatch(message);
      expect(inputValue(card, 'ticket')).toBe(data.ticket);
      expect(await world.store.listRequestsInStates(['pending'])).toEqual([]);
    });

    it('shows the active request or the existing group instead of the form (one per policy)', async () => {
      const id = await submitted(world, 'Contoso Sales');
      const active = await teams.click(outsider, VERBS.submitRequest, { policyName: 'contoso sales', scenario: 'automatic' });
      expect(cardText(active.value)).toContain(`This policy already has a request in progress`);
      expect(cardText(active.value)).toContain(id);
      await world.requests.approve(id, approver);
      await world.requests.idle();
      const exists = await teams.click(outsider, VERBS.submitRequest, { policyName: 'CONTOSO SALES', scenario: 'userDriven' });
      expect(cardText(exists.value)).toContain('This policy already has its device group');
      expect(world.emulator.admin.groups()).toHaveLength(1);
    });
  });

  describe('approval', () => {
    it('shows approvers the buttons on refresh, and others the read-only view', async () => {
      const id = await submitted(world);
      const forApprover = await teams.click(approver, VERBS.refreshApproval, { requestId: id }, { trigger: 'automatic' });
      expect(cardVerbs(forApprover.value)).toEqual([VERBS.approve, VERBS.reject]);
      expect(asCard(forApprover.value).refresh?.userIds.sort()).toEqual([approver.teamsId, otherApprover.teamsId].sort());
      const forOther = await teams.click(outsider, VERBS.refreshApproval, { requestId: id }, { trigger: 'automatic' });
      expect(cardVerbs(forOther.value)).toEqual([VERBS.refreshApproval]);
      const clicked = await teams.click(outsider, VERBS.refreshApproval, { requestId: id });
      expect(clicked).toEqual({ statusCode: 200, type: MESSAGE, value: 'Only approvers can do that.' });
      expect(await deniedAudit(id)).toContain('approver actions: not an approver');
    });

    it('approves: the card shows who and when, and the group gets created in the background', async () => {
      const id = await submitted(world);
      const reply = await teams.click(approver, VERBS.approve, { requestId: id });
      expect(reply.type).toBe(CARD);
      expect(cardText(reply.value)).toMatch(/Approved by Aki Approver at \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC/);
      expect(cardVerbs(reply.value)).toEqual([]);
      await world.requests.idle();
      expect(await world.requests.get(id)).toMatchObject({ state: 'provisioned', decision: { kind: 'approved', by: { aadObjectId: approver.aadObjectId } } });
    });

    it('rejects with the reason typed on the card', async () => {
      const id = await submitted(world);
      const reply = await teams.click(approver, VERBS.reject, { requestId: id, reason: 'Use the existing Sales group' });
      expect(cardText(reply.value)).toContain('Rejected by Aki Approver');
      expect(cardText(reply.value)).toContain('Use the existing Sales group');
      expect(await world.requests.get(id)).toMatchObject({ state: 'rejected', decision: { reason: 'Use the existing Sales group' } });
      expect(world.emulator.admin.groups()).toEqual([]);
    });

    it('refuses a reason that is too long and changes nothing', async () => {
      const id = await submitted(world);
      const reply = await teams.click(approver, VERBS.reject, { requestId: id, reason: 'r'.repeat(501) });
      expect(reply).toMatchObject({ type: MESSAGE, value: expect.stringMatching(/at most 500/) });
      expect((await world.requests.get(id))?.state).toBe('pending');
    });

    it.each([
      ['a number', 42],
      ['an object', { text: 'no' }],
      ['a list', ['no']],
      ['a boolean', true],
    ])('refuses a reason that is %s instead of dropping it, and changes nothing', async (_kind, reason) => {
      const id = await submitted(world);
      const reply = await teams.click(approver, VERBS.reject, { requestId: id, reason });
      expect(reply).toEqual({ statusCode: 200, type: MESSAGE, value: 'The rejection reason must be text. Nothing was changed; type the reason again.' });
      expect((await world.requests.get(id))?.state).toBe('pending');
    });

    it('rejects without a reason when the reason is null', async () => {
      const id = await submitted(world);
      await teams.click(approver, VERBS.reject, { requestId: id, reason: null });
      const request = await world.requests.get(id);
      expect(request).toMatchObject({ state: 'rejected', decision: { kind: 'rejected' } });
      expect(request?.decision?.reason).toBeUndefined();
    });

    it('tells a late clicker who decided first (replay, stale card)', async () => {
      const id = await submitted(world);
      await teams.click(approver, VERBS.approve, { requestId: id });
      const late = await teams.click(otherApprover, VERBS.reject, { requestId: id, reason: 'no' });
      expect(late).toMatchObject({ type: MESSAGE, value: expect.stringMatching(new RegExp(`^${id} was already approved by Aki Approver at `)) });
      const replay = await teams.click(approver, VERBS.approve, { requestId: id });
      expect(replay.value).toMatch(/was already approved/);
      await world.requests.idle();
      expect(world.emulator.admin.groups()).toHaveLength(1);
    });

    it.each([
      ['a non-approver', outsider, 'Only approvers can approve or reject requests.'],
      ['the requester approving their own request', approver, 'You cannot decide your own request; another approver has to.'],
    ])('refuses %s, changes nothing and audits it', async (_case, clicker, message) => {
      const id = await submitted(world, 'Contoso Sales', approver);
      // Card data is trusted for the request id only: a forged "approver" in it changes nothing.
      const reply = await teams.click(clicker, VERBS.approve, { requestId: id, approver: otherApprover.aadObjectId, aadObjectId: otherApprover.aadObjectId });
      expect(reply).toEqual({ statusCode: 200, type: MESSAGE, value: message });
      expect((await world.requests.get(id))?.state).toBe('pending');
      expect((await deniedAudit(id)).length).toBe(1);
    });

    it('answers a forged or unknown request id, and junk card data, with a message and an audit entry', async () => {
      const unknown = await teams.click(approver, VERBS.approve, { requestId: 'REQ-987654' });
      expect(unknown).toEqual({ statusCode: 200, type: MESSAGE, value: 'There is no request REQ-987654.' });
      expect(await deniedAudit('REQ-987654')).toEqual(['approve: unknown request id']);
      for (const data of [{}, { requestId: 42 }, { requestId: { $ne: null } }, { requestId: 'x'.repeat(500) }]) {
        expect(await teams.click(approver, VERBS.reject, data)).toMatchObject({ type: MESSAGE, value: 'This card does not name a valid request.' });
      }
      expect((await deniedAudit()).filter((d) => d === 'reject: invalid card data')).toHaveLength(4);
    });

    it('refuses a click without an Entra identity', async () => {
      const id = await submitted(world);
      const anonymous: Person = { aadObjectId: '', name: 'Anon', teamsId: '29:anon' };
      const reply = await teams.click(anonymous, VERBS.approve, { requestId: id });
      expect(reply.value).toMatch(/cannot tell who you are/);
      expect((await world.requests.get(id))?.state).toBe('pending');
    });

    it('offers approvers Retry after a failure; the retry provisions exactly one group', async () => {
      const id = await submitted(world);
      world.emulator.setFaults({ failNext: { count: 50, status: 500 } });
      await teams.click(approver, VERBS.approve, { requestId: id });
      await world.requests.idle();
      expect((await world.requests.get(id))?.state).toBe('failed');
      const view = await teams.click(approver, VERBS.refreshApproval, { requestId: id }, { trigger: 'automatic' });
      expect(cardVerbs(view.value)).toEqual([VERBS.retry]);
      expect(cardText(view.value)).toContain('Creating the group failed');
      world.emulator.setFaults({});
      expect((await teams.click(outsider, VERBS.retry, { requestId: id })).value).toBe('Only approvers can retry provisioning.');
      const retried = await teams.click(otherApprover, VERBS.retry, { requestId: id });
      expect(retried.type).toBe(CARD);
      await world.requests.idle();
      expect((await world.requests.get(id))?.state).toBe('provisioned');
      expect(world.emulator.admin.groups()).toHaveLength(1);
    });
  });

  describe('other buttons', () => {
    it('My requests and Help on the welcome card', async () => {
      await submitted(world, 'Mine Only');
      // Each posts its card below the welcome card, which stays as it was.
      const mine = await teams.clickAndSee(helpdesk, VERBS.showMine);
      expect(mine.body.value).toBe('Opened below.');
      expect(cardText(mine.posted[0])).toContain('Mine Only');
      const help = await teams.clickAndSee(helpdesk, VERBS.showHelp);
      expect(help.body.value).toBe('Opened below.');
      expect(cardText(help.posted[0])).toContain('register approvals');
    });

    it('refuses, in the route, every click without the Entra identity its verb needs, and audits it', async () => {
      const anonymous: Person = { aadObjectId: '', name: 'Anon', teamsId: '29:anon' };
      const needIdentity = Object.values(CARD_VERBS).filter((verb) => verb.identity === 'required');
      expect(needIdentity.length).toBeGreaterThan(5);
      for (const verb of needIdentity) {
        expect(await teams.click(anonymous, verb.name, { requestId: 'REQ-1', policyName: 'Contoso', policyId: 'p-1' })).toEqual({
          statusCode: 200,
          type: MESSAGE,
          value: NO_IDENTITY_MESSAGE,
        });
      }
      expect(await deniedAudit()).toEqual(needIdentity.map((verb) => `${verb.attempt}: no Entra identity`));
    });

    it('refuses, in the route, card data its verb cannot read, and audits it', async () => {
      const junk = { requestId: { $ne: null }, policyName: 42, policyId: '', offset: 'last' };
      const reading = Object.values(CARD_VERBS).filter((verb) => !verb.data.safeParse(junk).success);
      expect(reading.map((verb) => verb.name)).toEqual(expect.arrayContaining([VERBS.approve, VERBS.showRequest, VERBS.repairOwner, VERBS.adoptGroup, VERBS.groupsPage]));
      for (const verb of reading) {
        const reply = await teams.click(approver, verb.name, junk);
        expect(reply).toEqual({ statusCode: 200, type: MESSAGE, value: verb.unreadable?.message ?? 'This card does not name a valid request.' });
      }
      expect(await deniedAudit()).toEqual(reading.map((verb) => `${verb.attempt}: ${verb.unreadable?.problem ?? 'invalid card data'}`));
    });

    it('answers a verb it does not know instead of failing the invoke', async () => {
      const reply = await teams.click(approver, 'approval.approveAll', { requestId: 'REQ-1' });
      expect(reply).toEqual({ statusCode: 200, type: MESSAGE, value: expect.stringMatching(/no longer available/) });
    });

    it('repairs a missing owner only for approvers', async () => {
      const id = await submitted(world, 'Drifty');
      await world.requests.approve(id, approver);
      await world.requests.idle();
      const group = world.emulator.admin.groups()[0];
      const owner = world.emulator.admin.ownerServicePrincipalId;
      if (!group || !owner) throw new Error('no group or owner');
      world.emulator.admin.removeOwner(group.id, owner);
      const byOutsider = await teams.click(outsider, VERBS.repairOwner, { policyKey: 'drifty' });
      expect(cardText(byOutsider.value)).toContain('firstPartyAppNotAnOwner');
      expect(world.emulator.admin.group(group.id)?.ownerIds).not.toContain(owner);
      const byApprover = await teams.click(approver, VERBS.repairOwner, { policyKey: 'drifty' });
      expect(cardText(byApprover.value)).toContain('added back as owner');
      expect(world.emulator.admin.group(group.id)?.ownerIds).toContain(owner);
    });
  });
});
