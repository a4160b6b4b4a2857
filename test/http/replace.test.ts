/**
 * Replace group and Use the bot's group over HTTP (issue 19): the real app in sandbox mode, its sign-in through
 * the token-service stub mounted in the Graph emulator (the default sandbox counts people as signed in), the
 * buttons of `policies` clicked as Teams sends them. Intune's target is set with the approver's delegated token.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RunningApp, startApp } from '../../src/app/main';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import { sandboxTokenService } from '../../src/sandbox/main';
import type { SandboxGroup } from '../../src/sandbox/tenant';
import { openSqliteStore } from '../../src/store/sqlite';
import { memoryLog } from '../support/memoryLog';
import { ALEX, MEGAN, clickAs, confirmedOffers, sandboxAppEnv, sayAs } from './support/teamsOverHttp';

/** Seeded in the sandbox tenant as a user-driven device-preparation policy. */
const POLICY = 'Contoso User-driven';
const DYNAMIC = { groupTypes: ['DynamicMembership'], membershipRule: '(device.deviceOSType -eq "Windows")' };

let emulator: GraphEmulator;
let app: RunningApp;
let directory: string;

/** The sandbox with the seeded policy's device group set by hand to `group`; the bot's record of it first, when given. */
async function startWorld(recorded?: (emulator: GraphEmulator) => SandboxGroup): Promise<void> {
  emulator = await startGraphEmulator({ tokenService: sandboxTokenService({ SANDBOX_PEOPLE: JSON.stringify([MEGAN, ALEX]) }) });
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'replace-'));
  const sqlitePath = path.join(directory, 'bot.sqlite');
  if (recorded) {
    const group = recorded(emulator);
    const store = await openSqliteStore(sqlitePath);
    await store.recordGroup({
      policyKey: 'contoso user-driven', policyName: POLICY, scenario: 'userDriven', groupId: group.id, displayName: group.displayName, mailNickname: 'adp-contoso',
      uniqueName: null, createdAt: '2026-01-01T00:00:00.000Z', createdBy: { aadObjectId: MEGAN.aadObjectId, name: MEGAN.name },
    });
    await store.close();
  }
  app = await startApp(sandboxAppEnv(emulator.url, sqlitePath, MEGAN.aadObjectId), { logDestination: memoryLog().destination });
}

afterEach(async () => {
  await app.stop();
  await emulator.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

const seeded = () => {
  const policy = emulator.admin.policies().find((each) => each.name === POLICY);
  if (!policy) throw new Error('the sandbox seeds this policy');
  return policy;
};
const setCalls = () => emulator.requestLog.filter((entry) => entry.path.includes('setEnrollmentTimeDeviceMembershipTarget'));
const owned = (displayName: string, extra: Partial<SandboxGroup> = {}) => emulator.admin.addGroup({ displayName, ownerIds: [emulator.admin.ownerServicePrincipalId as string], ...extra });

describe('Replace group, clicked in policies', () => {
  beforeEach(() => startWorld());

  it("replaces the policy's dynamic group with its own, bound as the approver; the old group is left as it was and the offer is gone", async () => {
    const dynamic = owned('Contoso dynamic devices', DYNAMIC);
    seeded().membershipTargetIds = [dynamic.id];
    const before = structuredClone(emulator.admin.group(dynamic.id));
    const offers = confirmedOffers(await sayAs(app.url, MEGAN, 'policies'), 'policies.replace');
    // The button carries the Intune policy id, and nothing else.
    expect(offers).toEqual([{ policyId: seeded().id }]);
    expect(setCalls()).toHaveLength(0);

    // A helpdesk agent's click is refused before any sign-in or change.
    const refused = await clickAs(app.url, ALEX, 'policies.replace', offers[0]);
    expect(refused.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: "Only approvers can replace a policy's group." });
    expect(emulator.admin.groups()).toHaveLength(1);

    const answer = await clickAs(app.url, MEGAN, 'policies.replace', offers[0]);
    expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const shown = JSON.stringify(answer.body.value);
    expect(shown).toContain('has a device group of its own');
    expect(shown).toContain('New group: **Autopilot DP · Contoso User-driven**');
    expect(shown).toContain('• **Contoso dynamic devices**: ');
    expect(shown).toContain('Nothing in it was deleted or changed');
    expect(shown).toContain(dynamic.id);
    const [made] = seeded().membershipTargetIds;
    expect(made).not.toBe(dynamic.id);
    expect(emulator.admin.group(made ?? '')).toMatchObject({ displayName: 'Autopilot DP · Contoso User-driven', groupTypes: [] });
    expect(setCalls().map((entry) => entry.caller)).toEqual([{ kind: 'delegated', objectId: MEGAN.aadObjectId }]);
    expect(emulator.admin.group(dynamic.id)).toEqual(before);

    expect(confirmedOffers(await sayAs(app.url, MEGAN, 'policies'), 'policies.replace')).toEqual([]);
    // The same click again is told whose replacement it is, and changes nothing.
    const again = await clickAs(app.url, MEGAN, 'policies.replace', offers[0]);
    expect(JSON.stringify(again.body.value)).toContain('Already replaced by Megan Bowen');
    expect(setCalls()).toHaveLength(1);
  });
});

describe('replace <policy>, typed', () => {
  beforeEach(() => startWorld());

  it('replaces as the signed-in approver; a helpdesk agent is refused without a sign-in', async () => {
    const shared = owned('Shared devices');
    seeded().membershipTargetIds = [shared.id];
    const other = emulator.admin.addPolicy({ name: 'Contoso Lobby', templateId: seeded().templateId, membershipTargetIds: [shared.id] });
    const refused = await sayAs(app.url, ALEX, `replace ${POLICY}`);
    expect(refused.map((reply) => reply.text)).toEqual(["Only approvers can replace a policy's group."]);
    const replies = await sayAs(app.url, MEGAN, `replace ${POLICY}`);
    expect(JSON.stringify(replies)).toContain('has a device group of its own');
    expect(seeded().membershipTargetIds).not.toEqual([shared.id]);
    expect(other.membershipTargetIds).toEqual([shared.id]);
    expect(setCalls().map((entry) => entry.caller)).toEqual([{ kind: 'delegated', objectId: MEGAN.aadObjectId }]);
  });
});

describe("Use the bot's group, clicked in policies", () => {
  let recorded: SandboxGroup;
  beforeEach(() => startWorld((sandbox) => (recorded = sandbox.admin.addGroup({ displayName: 'Autopilot DP · Contoso User-driven', ownerIds: [sandbox.admin.ownerServicePrincipalId as string] }))));

  it('binds the recorded group where Intune names another, as the approver, making no group', async () => {
    seeded().membershipTargetIds = [owned('Kiosk devices').id];
    const offers = confirmedOffers(await sayAs(app.url, MEGAN, 'policies'), 'policies.useBotGroup');
    expect(offers).toEqual([{ policyId: seeded().id }]);
    const groups = emulator.admin.groups().length;
    const answer = await clickAs(app.url, MEGAN, 'policies.useBotGroup', offers[0]);
    expect(JSON.stringify(answer.body.value)).toContain('now uses its device group');
    expect(seeded().membershipTargetIds).toEqual([recorded.id]);
    expect(setCalls().map((entry) => entry.caller)).toEqual([{ kind: 'delegated', objectId: MEGAN.aadObjectId }]);
    expect(emulator.admin.groups()).toHaveLength(groups);
  });
});
