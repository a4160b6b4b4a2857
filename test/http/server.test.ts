/**
 * The HTTP level: the real restify server on 127.0.0.1 in sandbox mode (no bot app id) with the real bot,
 * requests service, SQLite store, provisioning and Graph adapter against the sandbox Graph emulator, and a
 * fake Bot Connector on 127.0.0.1 as serviceUrl capturing proactive messages and card updates.
 */
import { randomUUID } from 'node:crypto';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { type BotServer, createServer } from '../../src/http/server';
import { VERBS } from '../../src/bot/verbs';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { type ConnectorCall, type FakeConnector, startFakeConnector } from '../bot/support/fakeConnector';
import { type BotWorld, type BotWorldOptions, type Person, approver, createBotWorld, helpdesk, otherApprover, outsider, provisioned } from '../bot/support/world';
import { type InvokeBody, type Where, buttonData, cardText, cardVerbs, conversationOf, renderedHtml, visibleText } from '../bot/support/turns';

const BOT = { id: '28:bot', name: 'Device groups' };
const APPROVALS_CHANNEL = '19:approvals@thread.tacv2';

interface Running {
  readonly world: BotWorld;
  readonly server: BotServer;
  readonly url: string;
  readonly connector: FakeConnector;
  /** What the HTTP layer logged at warn/error level. */
  readonly httpProblems: { fields: object; message?: string }[];
  ready: boolean;
}

async function start(options: { maxBodyBytes?: number } = {}, worldOptions: Pick<BotWorldOptions, 'readiness'> = {}): Promise<Running> {
  const adapter = new TeamsAdapter({});
  const world = await createBotWorld({ adapter, ...worldOptions });
  const connector = await startFakeConnector();
  const httpProblems: Running['httpProblems'] = [];
  const running = { world, connector, httpProblems, ready: true } as Running;
  const server = createServer({
    adapter,
    app: world.bot,
    logger: {
      info: () => undefined,
      warn: (fields, message) => void httpProblems.push({ fields, message }),
      error: (fields, message) => void httpProblems.push({ fields, message }),
    },
    readiness: {
      database: () => world.store.ping(),
      graph: async () => {
        if (!running.ready) throw new Error('internal detail that must not leak');
      },
    },
    ...options,
  });
  const url = await server.listen(0, '127.0.0.1');
  return Object.assign(running, { server, url });
}

async function stop(running: Running): Promise<void> {
  await running.server.close();
  await running.world.dispose();
  await running.connector.close();
}

function activityFrom(running: Running, person: Person, where: Where | undefined, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: running.connector.url,
    from: { id: person.teamsId, name: person.name, aadObjectId: person.aadObjectId },
    recipient: BOT,
    ...conversationOf(person, where),
    ...fields,
  };
}

function post(running: Running, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Response> {
  return fetch(`${running.url}/api/messages`, { method: 'POST', headers, body });
}

async function say(running: Running, person: Person, text: string, where?: Where): Promise<Record<string, unknown>[]> {
  // In channels Teams only delivers messages that @mention the bot, with the mention as an entity.
  const mention = '<at>Device groups</at>';
  const fields =
    where?.kind === 'channel'
      ? { text: `${mention} ${text}`, entities: [{ type: 'mention', text: mention, mentioned: BOT }] }
      : { text };
  const response = await post(running, JSON.stringify(activityFrom(running, person, where, { type: 'message', deliveryMode: 'expectReplies', ...fields })));
  expect(response.status).toBe(200);
  return ((await response.json()) as { activities: Record<string, unknown>[] }).activities;
}

async function click(running: Running, person: Person, verb: string, data: Record<string, unknown>, where?: Where): Promise<InvokeBody> {
  const response = await post(
    running,
    JSON.stringify(
      activityFrom(running, person, where, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: 'card-activity',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    ),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as InvokeBody;
}

const cardIn = (activity: Record<string, unknown> | undefined): unknown =>
  (activity?.['attachments'] as { content: unknown }[] | undefined)?.[0]?.content;

const textOf = (call: ConnectorCall): string => (typeof call.activity['text'] === 'string' ? call.activity['text'] : cardText(cardIn(call.activity)));

describe('HTTP server', () => {
  let running: Running;

  beforeEach(async () => {
    running = await start();
  });
  afterEach(() => stop(running));

  it('answers health and readiness, without internal detail when not ready', async () => {
    expect(await (await fetch(`${running.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { database: 'ok', graph: 'ok' } });
    running.ready = false;
    const notReady = await fetch(`${running.url}/readyz`);
    expect(notReady.status).toBe(503);
    const body = await notReady.text();
    expect(JSON.parse(body)).toEqual({ ok: false, checks: { database: 'ok', graph: 'failed' } });
    expect(body).not.toContain('internal detail');
  });

  it.each([
    ['a wrong content type', 'text/plain', '{"type":"message"}', 415],
    ['form data', 'application/x-www-form-urlencoded', 'type=message', 415],
    ['malformed JSON', 'application/json', '{"type": "message",', 400],
    ['a JSON array', 'application/json', '[{"type":"message"}]', 400],
    ['a JSON string', 'application/json', '"message"', 400],
    ['an empty body', 'application/json', '', 400],
    ['an object that is no activity', 'application/json', '{"hello":"world"}', 400],
  ])('refuses %s with %s', async (_case, contentType, body, status) => {
    const response = await post(running, body, { 'content-type': contentType });
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).not.toMatch(/at .*\.js:\d+|node_modules|stack/i);
  });

  const message = (fields: Record<string, unknown>) => (r: Running) => activityFrom(r, helpdesk, undefined, { type: 'message', text: 'help', deliveryMode: 'expectReplies', ...fields });
  const cardAction = (fields: Record<string, unknown>) => (r: Running) =>
    activityFrom(r, helpdesk, undefined, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: VERBS.showHelp, data: {} } }, ...fields });

  it.each([
    ['a message without from', message({ from: undefined }), 'from is missing'],
    ['a message whose from is a string', message({ from: 'hana' }), 'from must be an object, not a string'],
    ['a message whose from has no id', message({ from: { name: 'Hana', aadObjectId: helpdesk.aadObjectId } }), 'from.id is missing'],
    ['a message whose from id is empty', message({ from: { id: '', aadObjectId: helpdesk.aadObjectId } }), 'from.id is empty'],
    ['a message without conversation', message({ conversation: undefined }), 'conversation is missing'],
    ['a message whose conversation id is a number', message({ conversation: { id: 7 } }), 'conversation.id must be a string, not a number'],
    ['a message without serviceUrl', message({ serviceUrl: undefined }), 'serviceUrl is missing'],
    ['a message without channelId', message({ channelId: undefined }), 'channelId is missing'],
    ['a message whose text is a number', message({ text: 42 }), 'text must be a string, not a number'],
    ['a message whose text is null', message({ text: null }), 'text must be a string, not null'],
    ['an invoke without a name', cardAction({ name: undefined }), 'name is missing'],
    ['a card action without a value', cardAction({ value: undefined }), 'value is missing'],
    ['a card action whose value is a list', cardAction({ value: [] }), 'value must be an object, not an array'],
    ['a card action whose value is a string', cardAction({ value: 'approve' }), 'value must be an object, not a string'],
  ])('refuses %s with 400 naming the field, and runs no turn', async (_case, activity, problem) => {
    const response = await post(running, JSON.stringify(activity(running)));
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: { error: 'badRequest', message: `The body is not a valid Bot Framework activity: ${problem}.` },
    });
    expect(running.connector.calls).toEqual([]);
    expect(await running.world.store.getPersonalConversation(helpdesk.aadObjectId)).toBeUndefined();
    expect(running.world.problems).toEqual([]);
    expect(running.httpProblems).toEqual([{ fields: { problem }, message: 'invalid activity refused' }]);
  });

  it('lets a message without text and an invoke other than a card action through', async () => {
    const withoutText = await post(running, JSON.stringify(message({ text: undefined })(running)));
    expect(withoutText.status).toBe(200);
    const otherInvoke = await post(running, JSON.stringify(cardAction({ name: 'task/fetch', value: undefined })(running)));
    expect(otherInvoke.status).not.toBe(400);
    expect(await running.world.store.getPersonalConversation(helpdesk.aadObjectId)).toBeDefined();
  });

  it('refuses an oversized body with 413 and keeps serving', async () => {
    await stop(running);
    running = await start({ maxBodyBytes: 4096 });
    const big = JSON.stringify(activityFrom(running, helpdesk, undefined, { type: 'message', text: 'x'.repeat(10_000) }));
    expect((await post(running, big)).status).toBe(413);
    expect((await say(running, helpdesk, 'help')).length).toBe(1);
  });

  it('answers messages with expectReplies and invokes with {statusCode, type, value}', async () => {
    const [reply] = await say(running, helpdesk, 'help');
    expect(cardText(cardIn(reply))).toContain('What I can do');
    const invoke = await click(running, helpdesk, VERBS.previewRequest, { policyName: 'Contoso Sales', scenario: 'userDriven' });
    expect(invoke.statusCode).toBe(200);
    expect(invoke.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardVerbs(invoke.value)).toEqual([VERBS.previewRequest, VERBS.submitRequest]);
  });

  it('the whole flow: request → approve → group with the right owner → requester told → status says provisioned', async () => {
    const { world, connector } = running;
    // Install in the helpdesk agent's personal chat: welcome, and the chat is remembered for notifications.
    const install = await post(
      running,
      JSON.stringify(activityFrom(running, helpdesk, undefined, { type: 'conversationUpdate', membersAdded: [BOT], deliveryMode: 'expectReplies' })),
    );
    const welcome = ((await install.json()) as { activities: Record<string, unknown>[] }).activities;
    expect(cardVerbs(cardIn(welcome[0]))).toEqual([VERBS.openRequestForm, VERBS.showMine, VERBS.showHelp]);
    // Approvers open their chats with the bot; one registers the approvals channel.
    for (const person of [approver, otherApprover]) await say(running, person, 'help');
    const registered = await say(running, approver, 'register approvals', { kind: 'channel', id: `${APPROVALS_CHANNEL};messageid=1` });
    expect(String(registered[0]?.['text'])).toMatch(/will be posted in this channel/);

    const submitted = await click(running, helpdesk, VERBS.submitRequest, { policyName: 'Contoso Sales', scenario: 'userDriven', ticket: 'INC-7' });
    const requestId = /REQ-\d+/.exec(cardText(submitted.value))?.[0];
    if (!requestId) throw new Error('no request id on the submitted card');

    const posted = connector.calls.filter((call) => call.method === 'POST' && call.conversationId === APPROVALS_CHANNEL);
    expect(posted).toHaveLength(1);
    const approvalCard = cardIn(posted[0]?.activity) as { refresh: { userIds: string[] } };
    expect(cardText(approvalCard)).toContain(`${requestId}: Waiting for approval`);
    expect(approvalCard.refresh.userIds.sort()).toEqual([approver.teamsId, otherApprover.teamsId].sort());

    const decided = await click(running, approver, VERBS.approve, { requestId }, { kind: 'channel', id: APPROVALS_CHANNEL });
    expect(cardText(decided.value)).toContain('Approved by Aki Approver');
    await world.requests.idle();

    const [group] = world.emulator.admin.groups();
    expect(group).toMatchObject({ securityEnabled: true, mailEnabled: false, groupTypes: [] });
    expect(group?.ownerIds).toEqual([world.emulator.admin.ownerServicePrincipalId]);

    // Every copy of the approval card was updated, the last time with the provisioning result.
    const updates = connector.calls.filter((call) => call.method === 'PUT' && call.activityId === posted[0]?.assignedId);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(textOf(updates[updates.length - 1])).toContain(`Group created: ${group?.displayName} (object id ${group?.id})`);

    const toRequester = connector.calls.filter((call) => call.method === 'POST' && call.conversationId === `a:${helpdesk.teamsId}`).map(textOf);
    expect(toRequester).toEqual([
      expect.stringMatching(new RegExp(`^Your request ${requestId} .* was approved by Aki Approver`)),
      expect.stringContaining(`is done: the group \`${group?.displayName}\` exists (object id ${group?.id})`),
    ]);

    const [status] = await say(running, helpdesk, 'status Contoso Sales');
    expect(cardText(cardIn(status))).toContain('has its device group');
    const [byId] = await say(running, helpdesk, `status ${requestId}`);
    expect(cardText(cardIn(byId))).toContain(`${requestId}: Done: the group exists`);
    expect(world.problems).toEqual([]);
  });

  it('without an approvals channel, posts to the approvers\' personal chats it knows, and tells the requester of a rejection', async () => {
    const { world, connector } = running;
    await say(running, helpdesk, 'help');
    await say(running, approver, 'help'); // otherApprover never talked to the bot: no chat to post to
    const submitted = await click(running, helpdesk, VERBS.submitRequest, { policyName: 'Contoso Kiosk', scenario: 'automatic' });
    const requestId = /REQ-\d+/.exec(cardText(submitted.value))?.[0] ?? 'missing';
    const posted = connector.calls.filter((call) => call.method === 'POST' && cardIn(call.activity));
    expect(posted.map((call) => call.conversationId)).toEqual([`a:${approver.teamsId}`]);

    await click(running, approver, VERBS.reject, { requestId, reason: 'Use Contoso Sales' });
    await world.requests.idle();
    const rejection = connector.calls.filter((call) => call.method === 'POST' && call.conversationId === `a:${helpdesk.teamsId}`).map(textOf);
    expect(rejection).toEqual([expect.stringMatching(/was rejected by Aki Approver at .*: Use Contoso Sales$/)]);
    expect(cardText(cardIn(connector.calls.filter((call) => call.method === 'PUT').pop()?.activity))).toContain('Rejected by Aki Approver');
  });

  it.each([
    ['a markdown link and emphasis', '[x](http://evil.example) *b*', /\\\[x\\\]\(http:\/\/evil\.example\) \\\*b\\\*/],
    ['an HTML tag and a heading mark', '<img src=x> #1 `code`', /\\<img src=x\\> \\#1 \\`code\\`/],
  ])('shows %s in every notice to the requester as typed: the policy name verbatim, the reason escaped', async (_case, hostile, escaped) => {
    const { world, connector } = running;
    await say(running, helpdesk, 'help');
    const told = (): string[] => connector.calls.filter((call) => call.method === 'POST' && call.conversationId === `a:${helpdesk.teamsId}`).map(textOf);

    const rejected = await world.requests.submit({ policyName: `Rejected ${hostile}`, scenario: 'userDriven', requester: helpdesk });
    if (rejected.kind !== 'created') throw new Error(rejected.kind);
    await click(running, approver, VERBS.reject, { requestId: rejected.request.id, reason: `Because ${hostile}` });
    const failed = await world.requests.submit({ policyName: `Failed ${hostile}`, scenario: 'userDriven', requester: helpdesk });
    if (failed.kind !== 'created') throw new Error(failed.kind);
    world.emulator.setFaults({ failNext: { count: 50, status: 500 } });
    await click(running, approver, VERBS.approve, { requestId: failed.request.id });
    await world.requests.idle();
    world.emulator.setFaults({});
    const done = await world.requests.submit({ policyName: `Done ${hostile}`, scenario: 'userDriven', requester: helpdesk });
    if (done.kind !== 'created') throw new Error(done.kind);
    await click(running, approver, VERBS.approve, { requestId: done.request.id });
    await world.requests.idle();

    const notices = told();
    expect(notices).toHaveLength(5); // rejected; approved + failed; approved + done
    for (const notice of notices) {
      // As Teams renders it: no link, emphasis or image, the policy name as code, and the typed text shown as typed.
      expect(renderedHtml(notice)).not.toMatch(/<(a|em|strong|img)\b/);
      expect(renderedHtml(notice)).toMatch(/ for the policy <code>[^<]*<\/code>/);
      expect(visibleText(notice)).toContain(hostile);
    }
    expect(notices[0]).toMatch(new RegExp(`rejected by Aki Approver at .*: Because ${escaped.source}$`));
  });

  it("walks the README's first steps in the sandbox tenant: request, approve, status, bind (refused app-only, then bound)", async () => {
    const { world } = running;
    for (const person of [helpdesk, approver]) await say(running, person, 'help');
    const [form] = await say(running, helpdesk, 'request Contoso User-driven');
    expect(JSON.stringify(cardIn(form))).toContain('"value":"Contoso User-driven"');
    expect(JSON.stringify(cardIn(form))).toContain('"value":"userDriven"');
    const submitted = await click(running, helpdesk, VERBS.submitRequest, { policyName: 'Contoso User-driven', scenario: 'userDriven' });
    const requestId = /REQ-\d+/.exec(cardText(submitted.value))?.[0] ?? 'missing';
    expect(cardVerbs((await click(running, approver, VERBS.refreshApproval, { requestId })).value)).toEqual([VERBS.approve, VERBS.reject]);
    await click(running, approver, VERBS.approve, { requestId });
    await world.requests.idle();
    const [status] = await say(running, helpdesk, 'status Contoso User-driven');
    expect(cardText(cardIn(status))).toContain('Contoso User-driven has its device group');

    const [refused] = await say(running, approver, 'bind Contoso User-driven');
    expect(cardText(cardIn(refused))).toContain('Intune does not accept app-only binding today');
    world.emulator.setVariations({ appOnlyMembershipTarget: 'allow' }); // GRAPH_EMULATOR_ALLOW_APP_ONLY_BIND=true
    const [bound] = await say(running, approver, 'bind Contoso User-driven');
    expect(cardText(cardIn(bound))).toContain('"Contoso User-driven" now uses its device group');
    const [after] = await say(running, helpdesk, 'status Contoso User-driven');
    expect(cardText(cardIn(after))).toMatch(/Intune policy: uses this group, bound .+ by Aki Approver\n/);
    expect(cardText(cardIn(after))).toMatch(/Intune policy id: \S+/);
    expect(world.problems.filter((problem) => problem.level === 'error')).toEqual([]);
  });

  it('offers Bind on every copy of the approval card once the group is made for a policy Intune has without a group; bound, the copies say by whom', async () => {
    const { world, connector } = running;
    for (const person of [helpdesk, approver]) await say(running, person, 'help');
    await say(running, approver, 'register approvals', { kind: 'channel', id: `${APPROVALS_CHANNEL};messageid=1` });
    const policyName = 'Contoso User-driven'; // seeded in the sandbox tenant, without a device group
    const submitted = await world.requests.submit({ policyName, scenario: 'userDriven', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(submitted.kind);
    const [posted] = connector.calls.filter((call) => call.method === 'POST' && call.conversationId === APPROVALS_CHANNEL);
    await click(running, approver, VERBS.approve, { requestId: submitted.request.id }, { kind: 'channel', id: APPROVALS_CHANNEL });
    await world.requests.idle();
    const latestCopy = () => cardIn(connector.calls.filter((call) => call.method === 'PUT' && call.activityId === posted?.assignedId).pop()?.activity);

    const offered = latestCopy();
    expect(cardText(offered)).toContain(`The Intune policy "${policyName}" exists and has no device group yet`);
    // Behind the confirmation (Action.ShowCard), carrying the record's key, not a name.
    expect(JSON.stringify(offered)).toContain('"type":"Action.ShowCard"');
    expect(buttonData(offered, VERBS.bindPolicy)).toEqual({ policyKey: submitted.request.policyKey });

    world.emulator.setVariations({ appOnlyMembershipTarget: 'allow' }); // as if delegated (this world has no sign-in)
    const answer = await click(running, approver, VERBS.bindPolicy, buttonData(offered, VERBS.bindPolicy), { kind: 'channel', id: APPROVALS_CHANNEL });
    expect(cardText(answer.value)).toContain('✅ Bound');
    const after = latestCopy();
    expect(cardText(after)).toContain(`✅ Bound: the Intune policy "${policyName}" uses this group (bound by Aki Approver).`);
    expect(cardVerbs(after)).not.toContain(VERBS.bindPolicy);
    expect(world.problems).toEqual([]);
  });

  it('says on the approval card to create the policy first when Intune has none yet, and offers no Bind', async () => {
    const { world, connector } = running;
    await say(running, approver, 'help');
    const submitted = await world.requests.submit({ policyName: 'Contoso Not Yet', scenario: 'automatic', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(submitted.kind);
    await click(running, approver, VERBS.approve, { requestId: submitted.request.id });
    await world.requests.idle();
    const updated = cardIn(connector.calls.filter((call) => call.method === 'PUT').pop()?.activity);
    expect(cardText(updated)).toContain('Intune has no policy "Contoso Not Yet" yet: create it, then bind the group.');
    expect(cardText(updated)).toContain('Create the Automatic · Windows 365 policy "Contoso Not Yet"');
    expect(cardVerbs(updated)).not.toContain(VERBS.bindPolicy);
  });

  it('tells the requester when an approver binds their group to the Intune policy', async () => {
    const { world, connector } = running;
    await say(running, helpdesk, 'help');
    const policyName = 'Contoso User-driven'; // seeded in the sandbox tenant
    // As if delegated: Intune refuses app-only binding by default (docs/graph-fidelity.md).
    world.emulator.setVariations({ appOnlyMembershipTarget: 'allow' });
    const submitted = await world.requests.submit({ policyName, scenario: 'userDriven', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(submitted.kind);
    await world.requests.approve(submitted.request.id, approver);
    await world.requests.idle();
    await say(running, approver, `bind ${policyName}`);
    const told = connector.calls.filter((call) => call.method === 'POST' && call.conversationId === `a:${helpdesk.teamsId}`).map(textOf);
    expect(told[told.length - 1]).toMatch(new RegExp(`^The Intune policy \`${policyName}\` now uses the group \`.*\` of your request ${submitted.request.id}`));
  });

  it('keeps every card it knows current: the requester\'s submitted card and an approver\'s card opened from pending', async () => {
    const { world, connector } = running;
    for (const person of [helpdesk, approver, otherApprover]) await say(running, person, 'help');
    // Hana submits from the form (message "card-activity" in her chat): that card becomes her request card.
    const submitted = await click(running, helpdesk, VERBS.submitRequest, { policyName: 'Contoso Fresh', scenario: 'userDriven' });
    const requestId = /REQ-\d+/.exec(cardText(submitted.value))?.[0] ?? 'missing';
    expect(cardText(submitted.value)).toContain('Waiting for approval');
    expect((submitted.value as { refresh?: { userIds: string[] } }).refresh?.userIds).toEqual([helpdesk.teamsId]);
    // Omar opens it from `pending` with Review (the list card, "card-activity" in his chat, becomes the approval card).
    const reviewed = await click(running, otherApprover, VERBS.refreshApproval, { requestId });
    expect(cardVerbs(reviewed.value)).toEqual([VERBS.approve, VERBS.reject]);

    await click(running, approver, VERBS.approve, { requestId });
    await world.requests.idle();
    const lastUpdateIn = (conversationId: string): string =>
      textOf(connector.calls.filter((call) => call.method === 'PUT' && call.conversationId === conversationId && call.activityId === 'card-activity').pop() as ConnectorCall);
    expect(lastUpdateIn(`a:${helpdesk.teamsId}`)).toContain(`${requestId}: Done: the group exists`);
    expect(lastUpdateIn(`a:${otherApprover.teamsId}`)).toContain(`${requestId}: Done: the group exists`);
    expect(lastUpdateIn(`a:${otherApprover.teamsId}`)).toContain('Approved by Aki Approver');
    // And Teams' own refresh of Hana's card answers the request as it stands.
    const refreshed = await click(running, helpdesk, VERBS.refreshRequest, { requestId });
    expect(cardText(refreshed.value)).toContain(`${requestId}: Done: the group exists`);
    expect(world.problems).toEqual([]);
  });

  it('tells a requester who never opened a personal chat in the channel thread they asked from, @mentioning them', async () => {
    const { world, connector } = running;
    await say(running, approver, 'help');
    const thread = '19:helpdesk@thread.tacv2;messageid=42';
    const submitted = await click(running, helpdesk, VERBS.submitRequest, { policyName: 'Contoso Field', scenario: 'userDriven' }, { kind: 'channel', id: thread });
    const requestId = /REQ-\d+/.exec(cardText(submitted.value))?.[0] ?? 'missing';
    expect(await world.store.getPersonalConversation(helpdesk.aadObjectId)).toBeUndefined();

    await click(running, approver, VERBS.approve, { requestId });
    await world.requests.idle();
    const inThread = connector.calls.filter((call) => call.method === 'POST' && call.conversationId === thread);
    const mention = '<at>Hana Helpdesk</at>';
    expect(inThread.map((call) => call.activity['text'])).toEqual([
      expect.stringMatching(new RegExp(`^${mention} Your request ${requestId} .* was approved by Aki Approver`)),
      expect.stringMatching(new RegExp(`^${mention} Your request ${requestId} .* is done: the group \`.*\` exists`)),
    ]);
    for (const call of inThread) {
      expect(call.activity['entities']).toEqual([{ type: 'mention', text: mention, mentioned: { id: helpdesk.teamsId, name: helpdesk.name } }]);
    }
    expect(world.problems).toEqual([]);
  });

  it('a failing chat does not stop the others from being told, and the failure is logged', async () => {
    const { world, connector } = running;
    for (const person of [helpdesk, approver, otherApprover]) await say(running, person, 'help');
    connector.failing.add(`a:${approver.teamsId}`);
    await click(running, helpdesk, VERBS.submitRequest, { policyName: 'Contoso Lab', scenario: 'userDriven' });
    expect(connector.calls.filter((call) => cardIn(call.activity)).map((call) => call.conversationId)).toEqual([`a:${otherApprover.teamsId}`]);
    expect(world.problems.map((p) => p.message)).toContain('proactive send failed');
  });

  it('20 concurrent Approve clicks from two approvers: one decision, one group, everyone else told who decided', async () => {
    const { world } = running;
    const submitted = await world.requests.submit({ policyName: 'Contoso Race', scenario: 'userDriven', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(submitted.kind);
    const requestId = submitted.request.id;
    const clickers = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? approver : otherApprover));
    const answers = await Promise.all(clickers.map((person) => click(running, person, VERBS.approve, { requestId })));
    await world.requests.idle();

    const winners = answers.filter((answer) => answer.type === 'application/vnd.microsoft.card.adaptive');
    expect(winners).toHaveLength(1);
    const request = await world.requests.get(requestId);
    const decider = request?.decision?.by.name ?? 'missing';
    const others = answers.filter((answer) => answer !== winners[0]);
    expect(others).toHaveLength(19);
    for (const answer of others) {
      expect(answer).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(new RegExp(`^${requestId} was already approved by ${decider} at `)) });
    }
    expect(request?.state).toBe('provisioned');
    expect(world.emulator.admin.groups()).toHaveLength(1);
    expect((await world.store.listAudit({ requestId })).filter((entry) => entry.kind === 'approved')).toHaveLength(1);
  });

  it('finishes the turns in flight when closing, then refuses new connections', async () => {
    const { world } = running;
    const submitted = await world.requests.submit({ policyName: 'Slow Check', scenario: 'userDriven', requester: helpdesk });
    if (submitted.kind !== 'created') throw new Error(submitted.kind);
    await world.requests.approve(submitted.request.id, approver);
    await world.requests.idle();
    world.emulator.setFaults({ latencyMs: 300 });
    const seen = world.emulator.requestLog.length;
    const inFlight = say(running, outsider, 'check Slow Check');
    while (world.emulator.requestLog.length === seen) await new Promise((resolve) => setTimeout(resolve, 10));
    await running.server.close();
    const [reply] = await inFlight;
    expect(cardText(cardIn(reply))).toContain('Healthy');
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });

  it("assigns a selected app to the policy's device group from the policies card over HTTP, and the refreshed list shows it cleared", async () => {
    await stop(running);
    running = await start({}, { readiness: true });
    const { world } = running;
    await provisioned(world, 'Contoso Sales');
    const [record] = await world.store.listAllGroups();
    if (!record) throw new Error('no group');
    const { admin } = world.emulator;
    const crm = admin.intune.addApp({ displayName: 'Litware CRM', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'uninstall', target: { kind: 'allLicensedUsers' } }] });
    const policy = admin.addPolicy({ name: 'Contoso Sales', templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: [record.groupId] });
    admin.intune.selectForPolicy(policy.id, { apps: [crm] });
    admin.intune.assignPolicy(policy.id, [{ kind: 'allLicensedUsers' }]);

    const [listed] = await say(running, approver, 'policies');
    const card = cardIn(listed);
    expect(cardText(card)).toContain('• A selected app is not assigned to the device group');
    const answer = await click(running, approver, VERBS.assignToGroup, buttonData(card, VERBS.assignToGroup));
    expect(answer.statusCode).toBe(200);
    expect(cardText(answer.value)).toContain('Assigned: the app "Litware CRM" is assigned to the device group');
    expect(cardText(answer.value)).not.toContain('A selected app is not assigned to the device group');
    expect(cardVerbs(answer.value)).not.toContain(VERBS.assignToGroup);
    expect(admin.intune.app(crm.id)?.assignments.map((each) => each.intent)).toEqual(['uninstall', 'required']);
  });

  it('answers a card action that fails unexpectedly with a Universal Actions error, short and safe, and logs it', async () => {
    const { world } = running;
    // Graph keeps failing past the adapter's retries: an outage, which no handler expects.
    world.emulator.setFaults({ failNext: { status: 500, count: 100 } });
    const answer = await click(running, approver, VERBS.policiesPage, { offset: 0 });
    expect(answer).toEqual({
      statusCode: 500,
      type: 'application/vnd.microsoft.error',
      value: { code: 'InternalServerError', message: 'Something went wrong on my side. Please try again in a moment.' },
    });
    expect(world.problems).toEqual([expect.objectContaining({ level: 'error', message: 'card action failed', fields: expect.objectContaining({ verb: VERBS.policiesPage }) })]);
    world.emulator.setFaults({});
    // The next click works again.
    expect((await click(running, approver, VERBS.policiesPage, { offset: 0 })).statusCode).toBe(200);
  });

  /** What Teams sends as someone types into the form's policy picker (Microsoft Learn, Typeahead search in Adaptive Cards). */
  async function typeahead(queryText: string, queryOptions: Record<string, unknown>, dataset = 'intunePolicies'): Promise<InvokeBody> {
    const activity = activityFrom(running, helpdesk, undefined, { type: 'invoke', name: 'application/search', value: { queryText, queryOptions, dataset } });
    const response = await post(running, JSON.stringify(activity));
    expect(response.status).toBe(200);
    return (await response.json()) as InvokeBody;
  }

  it("searches Intune's device-preparation policies as the intake form's picker is typed into, 15 at most, paged by skip/top, marking those with a group", async () => {
    const { world } = running;
    for (let index = 0; index < 20; index += 1) {
      world.emulator.admin.addPolicy({ name: `Contoso Site ${String(index).padStart(2, '0')}`, templateId: SCENARIO_INFO.automatic.templateId });
    }
    await provisioned(world, 'Contoso User-driven');

    const first = await typeahead('contoso', { skip: 0, top: 50 });
    expect(first.statusCode).toBe(200);
    expect(first.type).toBe('application/vnd.microsoft.search.searchResponse');
    const results = (first.value as { results: { title: string; value: string }[] }).results;
    expect(results).toHaveLength(15);
    expect(results[0]).toEqual({ title: 'Contoso Site 00 (Automatic · Windows 365)', value: 'Contoso Site 00' });
    const rest = ((await typeahead('contoso', { skip: 15, top: 15 })).value as { results: { title: string; value: string }[] }).results;
    expect(rest.map((result) => result.value)).toEqual(['Contoso Site 15', 'Contoso Site 16', 'Contoso Site 17', 'Contoso Site 18', 'Contoso Site 19', 'Contoso User-driven', 'Contoso Windows 365']);
    expect(rest.find((result) => result.value === 'Contoso User-driven')?.title).toBe('Contoso User-driven (User-driven · Microsoft Entra join) — has its group already');

    // What is picked is submitted as the policy name; a typed name is still taken when nothing is picked.
    const picked = await click(running, helpdesk, VERBS.submitRequest, { intunePolicy: 'Contoso Site 03', policyName: '', scenario: 'automatic' });
    expect(cardText(picked.value)).toContain('Contoso Site 03');
    const typed = await click(running, helpdesk, VERBS.submitRequest, { intunePolicy: '', policyName: 'Not In Intune Yet', scenario: 'userDriven' });
    expect(cardText(typed.value)).toContain('Not In Intune Yet');
    const both = await click(running, helpdesk, VERBS.previewRequest, { intunePolicy: 'Contoso Site 04', policyName: 'Something Else', scenario: 'userDriven' });
    expect(cardText(both.value)).toContain('You picked "Contoso Site 04" and typed another name: keep one of them.');
    expect(running.world.problems.filter((problem) => problem.level === 'error')).toEqual([]);
  });

  it('answers a typeahead for a dataset the bot does not have, and junk options, without failing', async () => {
    expect((await typeahead('x', 'junk' as unknown as Record<string, unknown>)).statusCode).toBe(200);
    const unknown = await post(running, JSON.stringify(activityFrom(running, helpdesk, undefined, { type: 'invoke', name: 'application/search', value: { queryText: 'x', dataset: 'other' } })));
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse', value: { results: [] } });
  });
});

describe('HTTP server with a bot identity', () => {
  let world: BotWorld;
  let server: BotServer;
  let url: string;

  beforeAll(async () => {
    // Credentials are never used: every request below fails before a token would be fetched or checked online.
    const adapter = new TeamsAdapter({
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppId: '00000000-0000-0000-0000-0000000000b0',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppTenantId: '00000000-0000-0000-0000-0000000000a0',
    });
    world = await createBotWorld({ adapter, botAppId: '00000000-0000-0000-0000-0000000000b0' });
    server = createServer({ adapter, app: world.bot, readiness: {} });
    url = await server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close();
    await world.dispose();
  });

  const unsignedJwt = (claims: object): string =>
    [{ alg: 'none', typ: 'JWT' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.';

  it.each([
    ['no Authorization header', undefined],
    ['a bare scheme', 'Bearer'],
    ['a Basic credential', 'Basic Zm9vOmJhcg=='],
    ['garbage', 'Bearer not.a.token'],
    ['an unsigned token from an unknown issuer', `Bearer ${unsignedJwt({ iss: 'https://evil.example', aud: 'x' })}`],
  ])('answers %s with 401 and no internal detail, and runs no turn', async (_case, authorization) => {
    const activity = {
      type: 'message',
      text: 'register approvals',
      channelId: 'msteams',
      serviceUrl: 'https://smba.example.invalid/',
      from: { id: outsider.teamsId, aadObjectId: outsider.aadObjectId },
      recipient: BOT,
      conversation: { id: 'a:olga', conversationType: 'personal' },
    };
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'unauthorized', message: 'Authentication failed.' });
    expect(await world.store.getPersonalConversation(outsider.aadObjectId)).toBeUndefined();
  });

  it('answers an unauthenticated invalid activity with the same 401, telling nothing about what is wrong', async () => {
    const invalid = { type: 'message', text: 42, channelId: 'msteams', serviceUrl: 'https://smba.example.invalid/', conversation: { id: 'a:olga' } };
    const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(invalid) });
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 401, body: { error: 'unauthorized', message: 'Authentication failed.' } });
  });
});
