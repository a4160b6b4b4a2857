/**
 * Acting as the approver over HTTP (issue 19): the real app in sandbox mode, its user-token client pointed at
 * the token-service stub mounted in the Graph emulator, and the Bind button clicked as Teams sends it. Every
 * wire path of the Universal Actions sign-in: signed in already, the loginRequest, the SSO retry (and its 412
 * when forged or another user's), the sign-in code (and invalidAuthCode when wrong or replayed), a
 * non-approver never asked to sign in, `sign out`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RunningApp, startApp } from '../../src/app/main';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import { SANDBOX_CONNECTION_NAME, sandboxTokenService } from '../../src/sandbox/main';
import type { SandboxTokenService } from '../../src/sandbox/tokenService/tokenService';
import { openSqliteStore } from '../../src/store/sqlite';
import { memoryLog } from '../support/memoryLog';
import { ALEX, type InvokeAnswer, MEGAN, type Person, TENANT, clickAs, confirmedOffers, sandboxAppEnv, sayAs } from './support/teamsOverHttp';

const POLICY = 'Contoso User-driven';
/** The key of the policy's record, which the Bind button carries. */
const POLICY_KEY = 'contoso user-driven';

let emulator: GraphEmulator;
let tokens: SandboxTokenService;
let app: RunningApp;
let directory: string;
let log: ReturnType<typeof memoryLog>;

async function startWorld(signIn: 'ask' | undefined): Promise<void> {
  tokens = sandboxTokenService({ SANDBOX_PEOPLE: JSON.stringify([MEGAN, ALEX]), ...(signIn && { SANDBOX_SIGN_IN: signIn }) });
  emulator = await startGraphEmulator({ tokenService: tokens });
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'signin-'));
  const sqlitePath = path.join(directory, 'bot.sqlite');
  // The bot made the policy's group earlier: a correct group, recorded, not yet bound in Intune.
  const group = emulator.admin.addGroup({ displayName: 'Autopilot DP · Contoso User-driven · User-driven', ownerIds: [emulator.admin.ownerServicePrincipalId as string] });
  const store = await openSqliteStore(sqlitePath);
  await store.recordGroup({
    policyKey: POLICY_KEY, policyName: POLICY, scenario: 'userDriven', groupId: group.id,
    displayName: group.displayName, mailNickname: 'adp-contoso', uniqueName: null,
    createdAt: '2026-01-01T00:00:00.000Z', createdBy: { aadObjectId: MEGAN.aadObjectId, name: MEGAN.name },
  });
  await store.close();
  log = memoryLog();
  app = await startApp({ ...sandboxAppEnv(emulator.url, sqlitePath, MEGAN.aadObjectId), LOG_LEVEL: 'debug' }, { logDestination: log.destination });
}

afterEach(async () => {
  await app.stop();
  await emulator.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

/** The Bind button's Action.Execute as Teams sends it, with the sign-in retry's extra fields when given. */
const clickBind = (person: Person, extra: Record<string, unknown> = {}): Promise<InvokeAnswer> => clickAs(app.url, person, 'policies.bind', { policyKey: POLICY_KEY }, extra);

const policyTarget = (): readonly string[] => emulator.admin.policies().find((policy) => policy.name === POLICY)?.membershipTargetIds ?? [];
const setCalls = () => emulator.requestLog.filter((entry) => entry.path.includes('setEnrollmentTimeDeviceMembershipTarget'));

async function signInThroughThePage(loginRequest: InvokeAnswer['body']): Promise<string> {
  const link = loginRequest.value.buttons[0].value as string;
  expect(link.startsWith(emulator.url)).toBe(true);
  const page = await (await fetch(link, { method: 'POST' })).text();
  return /<output id="code">(\d+)<\/output>/.exec(page)?.[1] ?? '';
}

describe('the Bind button, as the approver (default sandbox: people count as signed in)', () => {
  beforeEach(() => startWorld(undefined));

  it('binds with the delegated token of the approver who clicked (the emulator saw their oid)', async () => {
    const answer = await clickBind(MEGAN);
    expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(policyTarget()).toHaveLength(1);
    expect(setCalls().map((entry) => entry.caller)).toEqual([{ kind: 'delegated', objectId: MEGAN.aadObjectId }]);
  });

  it('refuses a non-approver before any sign-in: no loginRequest, nothing sent to Intune', async () => {
    const answer = await clickBind(ALEX);
    expect(answer.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(answer.body.value)).toMatch(/approver/i);
    expect(setCalls()).toHaveLength(0);
  });

  it('never writes the token into the log', async () => {
    await clickBind(MEGAN);
    const token = tokens.getToken({ userId: MEGAN.id, connectionName: SANDBOX_CONNECTION_NAME, channelId: 'msteams' });
    if (token.kind !== 'token') throw new Error('not signed in');
    expect(JSON.stringify(log.entries())).not.toContain(token.response.token.split('.')[2]);
  });
});

/** A typed message in the approver's personal chat, its replies in the HTTP response. */
const say = (person: Person, text: string) => sayAs(app.url, person, text);

describe('typed commands (default sandbox)', () => {
  beforeEach(() => startWorld(undefined));

  it('`bind <policy>` binds as the signed-in approver; `sign out` forgets the token, and the next click asks to sign in', async () => {
    const replies = await say(MEGAN, `bind ${POLICY}`);
    expect(replies.flatMap((reply) => reply.attachments ?? []).map((card) => card.contentType)).toContain('application/vnd.microsoft.card.adaptive');
    expect(setCalls().map((entry) => entry.caller)).toEqual([{ kind: 'delegated', objectId: MEGAN.aadObjectId }]);
    const signedOut = await say(MEGAN, 'sign out');
    expect(signedOut.map((reply) => reply.text).join(' ')).toMatch(/signed out/i);
    expect(tokens.tokenStatus(MEGAN.id, 'msteams')).toEqual([expect.objectContaining({ hasToken: false })]);
    expect((await clickBind(MEGAN)).body.type).toBe('application/vnd.microsoft.activity.loginRequest');
  });
});

describe('one click from `policies` (default sandbox)', () => {
  beforeEach(() => startWorld(undefined));

  /** The policies the `policies` card offers to bind, each behind a confirmation (Action.ShowCard → Bind). */
  const bindOffers = async (): Promise<unknown[]> => confirmedOffers(await say(MEGAN, 'policies'), 'policies.bind').map((data) => data['policyKey']);

  it('offers Bind behind a confirmation for the policy whose recorded group Intune does not use; confirmed, it binds as the approver and the offer is gone', async () => {
    expect(await bindOffers()).toEqual([POLICY_KEY]);
    expect(setCalls()).toHaveLength(0); // opening the confirmation changes nothing
    expect((await clickBind(MEGAN)).body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(setCalls().map((entry) => entry.caller)).toEqual([{ kind: 'delegated', objectId: MEGAN.aadObjectId }]);
    expect(await bindOffers()).toEqual([]);
  });
});

describe('the Bind button with SANDBOX_SIGN_IN=ask', () => {
  beforeEach(() => startWorld('ask'));

  it('answers the first click with a loginRequest, and the retried click with the sign-in code binds', async () => {
    const first = await clickBind(MEGAN);
    expect(first.body).toMatchObject({
      statusCode: 401,
      type: 'application/vnd.microsoft.activity.loginRequest',
      value: { connectionName: SANDBOX_CONNECTION_NAME, buttons: [{ type: 'signin' }], tokenExchangeResource: { uri: expect.stringMatching(/^api:\/\/botid-/) } },
    });
    expect(setCalls()).toHaveLength(0);
    const code = await signInThroughThePage(first.body);
    const retried = await clickBind(MEGAN, { state: code });
    expect(retried.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(setCalls().map((entry) => entry.caller)).toEqual([{ kind: 'delegated', objectId: MEGAN.aadObjectId }]);
  });

  it('binds on the SSO retry carrying Teams\' token for the approver', async () => {
    await clickBind(MEGAN);
    const sso = tokens.ssoTokenFor(MEGAN.id, SANDBOX_CONNECTION_NAME) as string;
    const retried = await clickBind(MEGAN, { authentication: { id: 'exchange-1', connectionName: SANDBOX_CONNECTION_NAME, token: sso } });
    expect(retried.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(policyTarget()).toHaveLength(1);
  });

  it('answers 412 to a forged SSO token and to another user\'s, and binds nothing', async () => {
    await clickBind(MEGAN);
    const forged = await clickBind(MEGAN, { authentication: { id: 'x', connectionName: SANDBOX_CONNECTION_NAME, token: 'a.b.c' } });
    expect(forged.body).toMatchObject({ statusCode: 412, type: 'application/vnd.microsoft.error.preconditionFailed' });
    const alexs = tokens.ssoTokenFor(ALEX.id, SANDBOX_CONNECTION_NAME) as string;
    const other = await clickBind(MEGAN, { authentication: { id: 'y', connectionName: SANDBOX_CONNECTION_NAME, token: alexs } });
    expect(other.body.statusCode).toBe(412);
    expect(setCalls()).toHaveLength(0);
  });

  it('answers invalidAuthCode to a wrong code and to a replayed one of another person, and binds nothing', async () => {
    const first = await clickBind(MEGAN);
    const wrong = await clickBind(MEGAN, { state: '000000' });
    expect(wrong.body).toMatchObject({ statusCode: 401, type: 'application/vnd.microsoft.error.invalidAuthCode' });
    const code = await signInThroughThePage(first.body);
    // Megan's code, sent with Alex's click: Alex is not an approver, so no sign-in is even tried.
    expect((await clickBind(ALEX, { state: code })).body.type).toBe('application/vnd.microsoft.activity.message');
    expect(setCalls()).toHaveLength(0);
  });

  it("refuses the click of an approver who lost approver rights after signing in, before Intune is asked", async () => {
    const first = await clickBind(MEGAN);
    await clickBind(MEGAN, { state: await signInThroughThePage(first.body) });
    await app.stop();
    app = await startApp(sandboxAppEnv(emulator.url, path.join(directory, 'bot.sqlite'), ALEX.aadObjectId), { logDestination: memoryLog().destination });
    const before = setCalls().length;
    const answer = await clickBind(MEGAN);
    expect(answer.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(setCalls()).toHaveLength(before);
  });

  it('typed `bind` answers with an OAuth card; after the sign-in code (signin/verifyState) the typed command binds as the approver', async () => {
    const first = await say(MEGAN, `bind ${POLICY}`);
    const oauthCard = first.flatMap((reply) => reply.attachments ?? []).find((card) => card.contentType === 'application/vnd.microsoft.card.oauth');
    expect(oauthCard).toBeDefined();
    expect(setCalls()).toHaveLength(0);
    const signInLink = (oauthCard?.content as { buttons: { value: string }[] }).buttons[0].value;
    const page = await (await fetch(signInLink, { method: 'POST' })).text();
    const code = /<output id="code">(\d+)<\/output>/.exec(page)?.[1] ?? '';
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'invoke', name: 'signin/verifyState', id: 'verify-1', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/_connector', deliveryMode: 'expectReplies',
        from: { id: MEGAN.id, name: MEGAN.name, aadObjectId: MEGAN.aadObjectId }, recipient: { id: '28:bot', name: 'Autopilot groups' },
        conversation: { id: `personal-${MEGAN.id}`, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } },
        value: { state: code },
      }),
    });
    expect(response.status).toBe(200);
    expect(tokens.tokenStatus(MEGAN.id, 'msteams')).toEqual([expect.objectContaining({ hasToken: true })]);
    const again = await say(MEGAN, `bind ${POLICY}`);
    expect(again.flatMap((reply) => reply.attachments ?? []).map((card) => card.contentType)).toContain('application/vnd.microsoft.card.adaptive');
    expect(setCalls().map((entry) => entry.caller)).toEqual([{ kind: 'delegated', objectId: MEGAN.aadObjectId }]);
  });
});
