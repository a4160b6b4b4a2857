/**
 * Answering at once, with context (the newcomer's findings): the real Application over the real stack through
 * botbuilder's TestAdapter, as in commands.test.ts.
 */
import { VERBS } from '../../src/bot/verbs';
import { type BotWorld, approver, createBotWorldWithTeams, helpdesk, outsider, provisioned, submitted } from './support/world';
import { type Teams, cardOf, cardText, cardVerbs, visibleText } from './support/turns';

describe('answers with context', () => {
  let world: BotWorld;
  let teams: Teams;

  beforeEach(async () => {
    ({ world, teams } = await createBotWorldWithTeams());
  });
  afterEach(() => world.dispose());

  describe('request <policy>', () => {
    it('answers with the group when the policy has one, instead of a form that Submit would refuse', async () => {
      await provisioned(world, 'Contoso Sales');
      const [reply] = await teams.say(outsider, 'request contoso sales');
      expect(cardText(cardOf(reply))).toContain('This policy already has its device group');
      expect(cardVerbs(cardOf(reply))).not.toContain(VERBS.submitRequest);
    });

    it('answers with the request in progress', async () => {
      const id = await submitted(world, 'Contoso Sales');
      const [reply] = await teams.say(outsider, 'request Contoso Sales');
      expect(cardText(cardOf(reply))).toContain('This policy already has a request in progress');
      expect(cardText(cardOf(reply))).toContain(`${id}: Waiting for approval`);
    });

    it('shows the earlier rejection and its reason above the form', async () => {
      const id = await submitted(world, 'Contoso Sales');
      await world.requests.reject(id, approver, 'Use *Contoso Field* instead');
      const [reply] = await teams.say(helpdesk, 'request Contoso Sales');
      const shown = visibleText(cardText(cardOf(reply)));
      expect(shown).toMatch(new RegExp(`${id} for this policy was rejected by Aki Approver at .*: Use \\*Contoso Field\\* instead\\. You can ask again\\.`));
      expect(cardVerbs(cardOf(reply))).toEqual([VERBS.previewRequest, VERBS.submitRequest]);
    });
  });

  it('check <policy> while a request is pending names that request instead of a drift problem', async () => {
    const id = await submitted(world, 'Contoso Sales');
    const [reply] = await teams.say(approver, 'check Contoso Sales');
    expect(reply?.text).toBe(`"Contoso Sales" has no device group yet (${id}: waiting for approval). Check it once the group exists.`);
    const [never] = await teams.say(approver, 'check Nobody Asked');
    expect(never?.text).toBe('"Nobody Asked" has no device group yet. Request it first (`request Nobody Asked`), then check it.');
  });

  it('a bare REQ-n is status REQ-n', async () => {
    const id = await submitted(world, 'Contoso Sales');
    const [known] = await teams.say(outsider, id.toLowerCase());
    expect(cardText(cardOf(known))).toContain(`Status of ${id}`);
    const [unknown] = await teams.say(outsider, 'REQ-999?');
    expect(cardText(cardOf(unknown))).toContain('There is no request REQ-999.');
  });

  it.each(['what is the status of my request?', 'where are my requests', 'status of my request'])('"%s" answers with mine', async (question) => {
    await submitted(world, 'Mine One');
    const [reply] = await teams.say(helpdesk, question);
    expect(cardText(cardOf(reply))).toContain('Your requests');
    expect(cardText(cardOf(reply))).toContain('Mine One');
  });

  it.each([
    ['hi', /^Hi Hana! Type `request <policy name>`/],
    ['Hello!', /^Hi Hana!/],
    ['good morning', /^Hi Hana!/],
    ['thanks', /^You're welcome!$/],
    ['Thank you so much', /^You're welcome!$/],
  ])('"%s" gets a short friendly answer, not a guess at a command', async (said, answer) => {
    const [reply] = await teams.say(helpdesk, said);
    expect(reply?.text).toMatch(answer);
  });

  describe('cancel', () => {
    it('cancel <policy name> finds that policy\'s pending request', async () => {
      const id = await submitted(world, 'Contoso Sales');
      const [reply] = await teams.say(helpdesk, 'cancel contoso sales');
      expect(reply?.text).toBe(`${id} is cancelled.`);
      expect((await world.requests.get(id))?.state).toBe('cancelled');
      const [again] = await teams.say(helpdesk, 'cancel Contoso Sales');
      expect(again?.text).toMatch(/can no longer be changed|only a pending request can be cancelled/);
      const [none] = await teams.say(helpdesk, 'cancel Nobody Asked');
      expect(none?.text).toBe('There is no request for the policy "Nobody Asked". Type `mine` to see your requests.');
    });

    it('someone else\'s request by policy name is refused by the requests service', async () => {
      const id = await submitted(world, 'Contoso Sales');
      const [reply] = await teams.say(outsider, 'cancel Contoso Sales');
      expect(reply?.text).toBe('Only the person who asked for it can cancel a request.');
      expect((await world.requests.get(id))?.state).toBe('pending');
    });
  });

  describe('mine', () => {
    it('does not repeat "Requested by" me, and offers Details and, while pending, Cancel', async () => {
      const pending = await submitted(world, 'Mine Pending');
      const done = await provisioned(world, 'Mine Done');
      const [reply] = await teams.say(helpdesk, 'mine');
      const card = cardOf(reply);
      expect(cardText(card)).not.toContain('Requested by');
      expect(cardVerbs(card).filter((verb) => verb === VERBS.cancelRequest)).toHaveLength(1);
      expect(cardVerbs(card).filter((verb) => verb === VERBS.showRequest)).toHaveLength(2);

      const details = await teams.clickAndSee(helpdesk, VERBS.showRequest, { requestId: done });
      expect(cardText(details.posted[0])).toContain(`${done}: Done: the group exists`);

      const cancelled = await teams.click(helpdesk, VERBS.cancelRequest, { requestId: pending });
      expect(cardText(cancelled.value)).toMatch(new RegExp(`${pending}\\*\\* · Mine Pending · Cancelled by the requester`));
      expect(cardVerbs(cancelled.value)).not.toContain(VERBS.cancelRequest);
      expect((await teams.click(outsider, VERBS.cancelRequest, { requestId: done })).value).toBe('Only the person who asked for it can cancel a request.');
    });
  });
});
