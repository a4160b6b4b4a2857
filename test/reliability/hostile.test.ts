/**
 * Hostile inputs against the whole bot over HTTP (startApp in this process, SQLite, Graph emulator): forged,
 * replayed and tampered card actions, self- and non-approver decisions, nasty policy names, unknown commands,
 * malformed activities and bodies. Every case has its own expected answer, and after every case the store
 * and the emulator's tenant must be exactly as before (a `denied` audit entry aside).
 */
import { VERBS } from '../../src/bot/verbs';
import { type Activity, type HttpAnswer, type Person, INTERNAL_DETAIL, aki, answerText, click, conversationOf, eve, hana, message, omar, post, submitRequest } from './support/activities';
import { startInProcessBot, type InProcessBot } from './support/inProcessBot';
import { snapshotOf } from './support/snapshot';
import { waitFor } from './support/waitFor';

interface Scene {
  /** Hana's pending request for "Contoso Kiosks". */
  readonly pending: string;
  /** Aki's own pending request (Aki is an approver). */
  readonly akisOwn: string;
  /** Hana's request approved by Aki and provisioned. */
  readonly provisioned: string;
  /** Hana's request rejected by Aki. */
  readonly rejected: string;
}

interface HostileCase {
  readonly name: string;
  readonly send: (bot: InProcessBot, scene: Scene) => Promise<HttpAnswer>;
  readonly status: number;
  /** What the person (or the HTTP client) reads. */
  readonly answer: RegExp;
}

let bot: InProcessBot;
let scene: Scene;

const say = (person: Person, text: unknown, extra: Activity = {}) => (b: InProcessBot) => post(b.endpoint, message(person, text, b.connector.url, extra));
const act = (person: Person, verb: string, data: (s: Scene) => unknown, extra: Activity = {}) => (b: InProcessBot, s: Scene) =>
  post(b.endpoint, click(person, verb, data(s), b.connector.url, extra));
const raw = (body: string | Uint8Array, contentType: string | null = 'application/json') => (b: InProcessBot) =>
  post(b.endpoint, body, { raw: true, contentType });

const INVALID_CARD = /does not name a valid request/;
const NOT_APPROVER = /Only approvers/;
const OWN_REQUEST = /cannot decide your own request/;
const NO_IDENTITY = /cannot tell who you are/;
const INVALID_NAME = /invisible or control characters/;
const NOTHING_FOR = /No group or request for/;
const NOT_ACTIVITY = /not a valid Bot Framework activity/;

const namedRequest = (id: (s: Scene) => string) => (s: Scene) => ({ requestId: id(s) });
const pendingId = namedRequest((s) => s.pending);
const form = (fields: Record<string, unknown>) => () => fields;

const CASES: readonly HostileCase[] = [
  // ── card actions naming forged, unknown or other people's requests ───────────────────────────────────
  { name: 'approve an unknown request id', send: act(aki, VERBS.approve, () => ({ requestId: 'REQ-999999' })), status: 200, answer: /There is no request REQ-999999/ },
  { name: 'approve REQ-0', send: act(aki, VERBS.approve, () => ({ requestId: 'REQ-0' })), status: 200, answer: /There is no request REQ-0/ },
  { name: 'approve an id with SQL in it', send: act(aki, VERBS.approve, (s) => ({ requestId: `${s.pending}' OR '1'='1` })), status: 200, answer: /There is no request|does not name a valid request/ },
  { name: 'approve a path-like id', send: act(aki, VERBS.approve, (s) => ({ requestId: `../${s.pending}` })), status: 200, answer: /There is no request|does not name a valid request/ },
  { name: 'approve an id with 13 digits', send: act(aki, VERBS.approve, () => ({ requestId: 'REQ-1234567890123' })), status: 200, answer: /There is no request|does not name a valid request/ },
  { name: 'approve an id of 10 kB', send: act(aki, VERBS.approve, () => ({ requestId: `REQ-${'9'.repeat(10_240)}` })), status: 200, answer: INVALID_CARD },
  { name: "cancel someone else's request (command)", send: (b, s) => say(eve, `cancel ${s.pending}`)(b), status: 200, answer: /Only the person who asked for it can cancel/ },
  { name: "retry someone else's request as a non-approver", send: act(eve, VERBS.retry, namedRequest((s) => s.provisioned)), status: 200, answer: /Only approvers can retry/ },
  { name: 'status of an unknown request id', send: say(hana, 'status REQ-999999'), status: 200, answer: /There is no request REQ-999999/ },
  { name: 'cancel an unknown request id', send: say(hana, 'cancel REQ-999999'), status: 200, answer: /There is no request REQ-999999/ },

  // ── non-approvers and self-approval ──────────────────────────────────────────────────────────────────
  { name: 'a non-approver approves', send: act(eve, VERBS.approve, pendingId), status: 200, answer: NOT_APPROVER },
  { name: 'a non-approver rejects', send: act(eve, VERBS.reject, (s) => ({ requestId: s.pending, reason: 'no' })), status: 200, answer: NOT_APPROVER },
  { name: 'the requester approves her own request', send: act(hana, VERBS.approve, pendingId), status: 200, answer: NOT_APPROVER },
  { name: 'an approver approves his own request', send: act(aki, VERBS.approve, namedRequest((s) => s.akisOwn)), status: 200, answer: OWN_REQUEST },
  { name: 'an approver rejects his own request', send: act(aki, VERBS.reject, namedRequest((s) => s.akisOwn)), status: 200, answer: OWN_REQUEST },
  { name: 'a non-approver registers the approvals channel', send: say(eve, 'register approvals', conversationOf(eve, 'channel')), status: 200, answer: /Only approvers can do that/ },
  { name: 'register approvals in a personal chat', send: say(aki, 'register approvals'), status: 200, answer: /team channel/ },

  // ── replays after a decision ─────────────────────────────────────────────────────────────────────────
  { name: 'approve again after it was provisioned', send: act(aki, VERBS.approve, namedRequest((s) => s.provisioned)), status: 200, answer: /already approved by Aki Approver/ },
  { name: 'another approver rejects after the approval', send: act(omar, VERBS.reject, namedRequest((s) => s.provisioned)), status: 200, answer: /already approved by Aki Approver/ },
  { name: 'approve after a rejection', send: act(omar, VERBS.approve, namedRequest((s) => s.rejected)), status: 200, answer: /already rejected by Aki Approver/ },
  { name: 'reject again after a rejection', send: act(aki, VERBS.reject, namedRequest((s) => s.rejected)), status: 200, answer: /already rejected by Aki Approver/ },
  { name: 'cancel after the approval (command)', send: (b, s) => say(hana, `cancel ${s.provisioned}`)(b), status: 200, answer: /already approved by Aki Approver/ },
  { name: 'retry a provisioned request', send: act(aki, VERBS.retry, namedRequest((s) => s.provisioned)), status: 200, answer: /has been provisioned; only an approved or failed request can be provisioned/ },

  // ── extra or tampered fields: only the request id and the activity's own identity count ─────────────
  { name: 'a non-approver approves with approver fields in the card data', send: act(eve, VERBS.approve, (s) => ({ requestId: s.pending, approver: aki, isApprover: true, state: 'approved' })), status: 200, answer: NOT_APPROVER },
  { name: 'a non-approver approves under an approver’s display name', send: act({ ...eve, name: aki.name }, VERBS.approve, pendingId), status: 200, answer: NOT_APPROVER },
  { name: 'a non-approver approves with an approver’s Teams id but her own object id', send: act({ ...eve, teamsId: aki.teamsId }, VERBS.approve, pendingId), status: 200, answer: NOT_APPROVER },
  { name: 'self-approval with a forged requester in the card data', send: act(aki, VERBS.approve, (s) => ({ requestId: s.akisOwn, requester: hana })), status: 200, answer: OWN_REQUEST },
  { name: 'submit with a forged state, group id and request id', send: act(hana, VERBS.submitRequest, form({ policyName: 'Contoso Kiosks', scenario: 'userDriven', state: 'provisioned', groupId: '00000000-0000-0000-0000-000000000001', requestId: 'REQ-1' })), status: 200, answer: /already has a request in progress/ },
  { name: 'approve with no Entra object id on the activity', send: act({ ...aki, aadObjectId: '' }, VERBS.approve, pendingId), status: 200, answer: NO_IDENTITY },
  { name: 'approve with a whitespace Entra object id', send: act({ ...aki, aadObjectId: '   ' }, VERBS.approve, pendingId), status: 200, answer: NO_IDENTITY },

  // ── wrong types ──────────────────────────────────────────────────────────────────────────────────────
  { name: 'request id as a number', send: act(aki, VERBS.approve, () => ({ requestId: 1 })), status: 200, answer: INVALID_CARD },
  { name: 'request id as null', send: act(aki, VERBS.approve, () => ({ requestId: null })), status: 200, answer: INVALID_CARD },
  { name: 'request id as an array', send: act(aki, VERBS.approve, (s) => ({ requestId: [s.pending] })), status: 200, answer: INVALID_CARD },
  { name: 'request id as an object', send: act(aki, VERBS.approve, (s) => ({ requestId: { id: s.pending } })), status: 200, answer: INVALID_CARD },
  { name: 'request id as a boolean', send: act(aki, VERBS.approve, () => ({ requestId: true })), status: 200, answer: INVALID_CARD },
  { name: 'card data as a bare string', send: act(aki, VERBS.approve, (s) => s.pending), status: 200, answer: INVALID_CARD },
  { name: 'card data as null', send: act(aki, VERBS.approve, () => null), status: 200, answer: INVALID_CARD },
  { name: 'card data nested 2,000 levels deep', send: act(aki, VERBS.approve, () => JSON.parse(`${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`)), status: 200, answer: INVALID_CARD },
  { name: 'policy name as a number', send: act(hana, VERBS.submitRequest, form({ policyName: 123, scenario: 'userDriven' })), status: 200, answer: /Enter the name of the device-preparation policy/ },
  { name: 'an unknown scenario', send: act(hana, VERBS.submitRequest, form({ policyName: 'Scenario Test', scenario: 'quantum' })), status: 200, answer: /Choose the scenario/ },
  { name: 'a ticket number of 65 characters', send: act(hana, VERBS.submitRequest, form({ policyName: 'Ticket Test', scenario: 'automatic', ticket: 'T'.repeat(65) })), status: 200, answer: /ticket number is too long/ },
  { name: 'a justification with a control character', send: act(hana, VERBS.submitRequest, form({ policyName: 'Justification Test', scenario: 'automatic', justification: 'fine\u0007bell' })), status: 200, answer: /justification contains invisible or control characters/ },
  { name: 'a rejection reason of 501 characters', send: act(aki, VERBS.reject, (s) => ({ requestId: s.pending, reason: 'r'.repeat(501) })), status: 200, answer: /reason is too long/ },
  { name: 'a rejection reason with a right-to-left override', send: act(aki, VERBS.reject, (s) => ({ requestId: s.pending, reason: 'ok\u202Eevorppa' })), status: 200, answer: /reason contains invisible or control characters/ },
  { name: 'message text as a number', send: say(hana, 42), status: 400, answer: /not a valid Bot Framework activity: text must be a string, not a number/ },
  { name: 'a rejection reason as a number', send: act(aki, VERBS.reject, (s) => ({ requestId: s.pending, reason: 42 })), status: 200, answer: /rejection reason must be text/ },
  { name: 'a rejection reason as an object', send: act(aki, VERBS.reject, (s) => ({ requestId: s.pending, reason: { text: 'no' } })), status: 200, answer: /rejection reason must be text/ },

  // ── missing fields ───────────────────────────────────────────────────────────────────────────────────
  { name: 'approve with empty card data', send: act(aki, VERBS.approve, () => ({})), status: 200, answer: INVALID_CARD },
  { name: 'approve with an empty request id', send: act(aki, VERBS.approve, () => ({ requestId: '' })), status: 200, answer: INVALID_CARD },
  { name: 'submit an empty form', send: act(hana, VERBS.submitRequest, form({})), status: 200, answer: /Enter the name of the device-preparation policy[\s\S]*Choose the scenario|Choose the scenario[\s\S]*Enter the name/ },
  { name: 'submit without a scenario', send: act(hana, VERBS.submitRequest, form({ policyName: 'No Scenario Policy' })), status: 200, answer: /Choose the scenario/ },
  { name: 'status without an argument', send: say(hana, 'status'), status: 200, answer: /Which one\?/ },
  { name: 'cancel without a request id', send: say(hana, 'cancel'), status: 200, answer: /Which request\?/ },
  { name: 'cancel with a malformed request id', send: say(hana, 'cancel REQ-abc'), status: 200, answer: /Which request\?/ },

  // ── policy names: quotes, OData, confusables, bidi and control characters, 10 kB, empty ──────────────
  { name: "status of a name with quotes (O'Brien's)", send: say(hana, "status O'Brien's kiosks"), status: 200, answer: NOTHING_FOR },
  { name: 'status of an OData filter injection', send: say(hana, "status x' or displayName eq 'Contoso Kiosks"), status: 200, answer: NOTHING_FOR },
  { name: 'status of an OData function injection', send: say(hana, "status Contoso Kiosks') or startswith(displayName,'A"), status: 200, answer: NOTHING_FOR },
  { name: 'status of OData query options', send: say(hana, "status $filter=displayName eq 'x'&$top=999"), status: 200, answer: NOTHING_FOR },
  { name: 'status of a Cyrillic look-alike of an existing policy', send: say(hana, 'status \u0421\u043entoso Kiosks'), status: 200, answer: NOTHING_FOR },
  { name: 'status of the full-width form of an existing policy finds that policy', send: say(hana, 'status \uFF23\uFF4F\uFF4E\uFF54\uFF4F\uFF53\uFF4F \uFF2B\uFF49\uFF4F\uFF53\uFF4B\uFF53'), status: 200, answer: /REQ-\d+/ },
  { name: 'preview a name with quotes and OData', send: act(hana, VERBS.previewRequest, form({ policyName: "O'Brien') or true", scenario: 'userDriven' })), status: 200, answer: /Autopilot DP · O'Brien'\) or true/ },
  // Escaped, so Teams shows the text rather than taking it for a tag.
  { name: 'preview a name with markup', send: act(hana, VERBS.previewRequest, form({ policyName: '<script>alert(1)</script>', scenario: 'automatic' })), status: 200, answer: /\\<script\\>alert\(1\)\\<\/script\\>/ },
  { name: 'submit a name with a right-to-left override', send: act(hana, VERBS.submitRequest, form({ policyName: 'Contoso\u202EskoisK', scenario: 'userDriven' })), status: 200, answer: INVALID_NAME },
  { name: 'submit a name with a right-to-left mark', send: act(hana, VERBS.submitRequest, form({ policyName: 'Contoso\u200FKiosks', scenario: 'userDriven' })), status: 200, answer: INVALID_NAME },
  { name: 'submit a name with a zero-width space', send: act(hana, VERBS.submitRequest, form({ policyName: 'Contoso\u200BKiosks', scenario: 'userDriven' })), status: 200, answer: INVALID_NAME },
  { name: 'submit a name with a NUL character', send: act(hana, VERBS.submitRequest, form({ policyName: 'Contoso\u0000Kiosks', scenario: 'userDriven' })), status: 200, answer: INVALID_NAME },
  { name: 'submit a name with an ANSI escape', send: act(hana, VERBS.submitRequest, form({ policyName: '\u001b[31mRed Policy', scenario: 'userDriven' })), status: 200, answer: INVALID_NAME },
  { name: 'submit a name with a lone surrogate', send: act(hana, VERBS.submitRequest, form({ policyName: 'Broken \uD800 Policy', scenario: 'userDriven' })), status: 200, answer: INVALID_NAME },
  { name: 'submit a name of 10 kB', send: act(hana, VERBS.submitRequest, form({ policyName: 'A'.repeat(10_240), scenario: 'userDriven' })), status: 200, answer: /too long/ },
  { name: 'submit a name of 121 characters', send: act(hana, VERBS.submitRequest, form({ policyName: 'B'.repeat(121), scenario: 'userDriven' })), status: 200, answer: /too long: at most 120 characters/ },
  { name: 'submit an empty name', send: act(hana, VERBS.submitRequest, form({ policyName: '', scenario: 'userDriven' })), status: 200, answer: /Enter the name of the device-preparation policy/ },
  { name: 'submit a whitespace-only name', send: act(hana, VERBS.submitRequest, form({ policyName: ' \t\u00A0 ', scenario: 'userDriven' })), status: 200, answer: /Enter the name of the device-preparation policy/ },
  { name: 'submit a name differing only in case and spacing from an active request', send: act(hana, VERBS.submitRequest, form({ policyName: '  contoso   KIOSKS ', scenario: 'userDriven' })), status: 200, answer: /already has a request in progress/ },
  { name: 'submit the name of a policy that already has its group', send: act(omar, VERBS.submitRequest, form({ policyName: 'Decided Policy', scenario: 'userDriven' })), status: 200, answer: /exactly one group; use this one/ },

  // ── unknown commands ─────────────────────────────────────────────────────────────────────────────────
  { name: 'an unknown command', send: say(hana, 'delete all groups'), status: 200, answer: /I don't know "delete all groups"/ },
  { name: 'SQL as a command', send: say(hana, 'DROP TABLE requests;'), status: 200, answer: /I don't know "DROP TABLE requests;"/ },
  { name: 'a 10 kB message', send: say(hana, 'x'.repeat(10_240)), status: 200, answer: /I don't know "x{100}/ },
  { name: 'an unknown card verb', send: act(aki, 'approval.approveAll', () => ({})), status: 200, answer: /This button is no longer available/ },
  { name: 'an invoke without a value', send: (b) => post(b.endpoint, { ...click(aki, VERBS.approve, {}, b.connector.url), value: undefined }), status: 400, answer: /not a valid Bot Framework activity: value is missing/ },

  // ── malformed activities ─────────────────────────────────────────────────────────────────────────────
  { name: 'a message with no from', send: say(hana, 'status Contoso Kiosks', { from: undefined }), status: 400, answer: /not a valid Bot Framework activity: from is missing/ },
  { name: 'a message with no conversation', send: say(hana, 'status Contoso Kiosks', { conversation: undefined }), status: 400, answer: /not a valid Bot Framework activity: conversation is missing/ },
  { name: 'a message whose from is a string', send: say(hana, 'status Contoso Kiosks', { from: 'eve' }), status: 400, answer: /not a valid Bot Framework activity: from must be an object, not a string/ },
  { name: 'an approval whose from is a string', send: act(aki, VERBS.approve, pendingId, { from: aki.aadObjectId }), status: 400, answer: /not a valid Bot Framework activity: from must be an object, not a string/ },
  { name: 'a message without a serviceUrl', send: say(hana, 'status Contoso Kiosks', { serviceUrl: undefined }), status: 400, answer: /not a valid Bot Framework activity: serviceUrl is missing/ },
  { name: 'an invoke without a name', send: act(aki, VERBS.approve, pendingId, { name: undefined }), status: 400, answer: /not a valid Bot Framework activity: name is missing/ },
  { name: 'an activity without a type', send: say(hana, 'status Contoso Kiosks', { type: undefined }), status: 400, answer: NOT_ACTIVITY },
  { name: 'an activity whose type is a number', send: say(hana, 'status Contoso Kiosks', { type: 7 }), status: 400, answer: NOT_ACTIVITY },
  { name: 'a JSON array body', send: raw('[{"type":"message"}]'), status: 400, answer: /must be a JSON object/ },
  { name: 'a JSON null body', send: raw('null'), status: 400, answer: /must be a JSON object/ },
  { name: 'a JSON string body', send: raw('"approve REQ-1"'), status: 400, answer: /must be a JSON object/ },
  { name: 'a body that is not JSON', send: raw('{"type": "message", '), status: 400, answer: /JSON/ },
  { name: 'a body that is not UTF-8', send: raw(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), status: 400, answer: /JSON|valid/ },
  { name: 'a 300 kB body', send: (b) => post(b.endpoint, message(hana, 'y'.repeat(300_000), b.connector.url)), status: 413, answer: /Request body size exceeds 262144/ },
  { name: 'content type text/plain', send: raw('{"type":"message"}', 'text/plain'), status: 415, answer: /application\/json/ },
  { name: 'no content type', send: raw('{"type":"message"}', null), status: 415, answer: /application\/json/ },
  { name: 'content type form-urlencoded', send: raw('type=message&text=hi', 'application/x-www-form-urlencoded'), status: 415, answer: /application\/json/ },
  { name: 'GET on the messaging endpoint', send: (b) => post(b.endpoint, undefined, { method: 'GET' }), status: 405, answer: /GET is not allowed/ },
];

beforeAll(async () => {
  bot = await startInProcessBot();
  const submit = (person: Person, policyName: string): Promise<string> =>
    submitRequest(bot.endpoint, person, { policyName, scenario: 'userDriven' }, bot.connector.url);
  for (const person of [hana, aki, omar, eve]) await post(bot.endpoint, message(person, 'help', bot.connector.url));
  const pending = await submit(hana, 'Contoso Kiosks');
  const akisOwn = await submit(aki, 'Aki Own Policy');
  const provisioned = await submit(hana, 'Decided Policy');
  await post(bot.endpoint, click(aki, VERBS.approve, { requestId: provisioned }, bot.connector.url));
  await waitFor(`${provisioned} provisioned`, async () => ((await bot.store.getRequest(provisioned))?.state === 'provisioned' ? true : undefined));
  const rejected = await submit(hana, 'Rejected Policy');
  await post(bot.endpoint, click(aki, VERBS.reject, { requestId: rejected, reason: 'duplicate of another policy' }, bot.connector.url));
  scene = { pending, akisOwn, provisioned, rejected };
});

afterAll(async () => {
  await bot?.stop();
});

test('the table holds at least 60 distinct cases', () => {
  expect(new Set(CASES.map((hostile) => hostile.name)).size).toBe(CASES.length);
  expect(CASES.length).toBeGreaterThanOrEqual(60);
});

test.each(CASES.map((hostile) => [hostile.name, hostile] as const))('%s', async (_name, hostile) => {
  const before = await snapshotOf(bot.store, bot.emulator);
  const answer = await hostile.send(bot, scene);
  const text = answerText(answer);
  expect({ status: answer.status, text }).toEqual({ status: hostile.status, text: expect.stringMatching(hostile.answer) });
  expect(answer.body).not.toMatch(INTERNAL_DETAIL);
  expect(await snapshotOf(bot.store, bot.emulator)).toEqual(before);
});
