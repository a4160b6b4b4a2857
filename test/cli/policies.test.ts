/**
 * `admin policies [--json]` and `admin policies adopt`, in-process through runCli, against a real SQLite store
 * and the emulator over HTTP: the JSON shape the issue fixes, exit codes as `check --all`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Environment, SANDBOX_GRAPH_TOKEN } from '../../src/app/config';
import { EXIT_DRIFT, EXIT_ERROR, EXIT_OK, runCli } from '../../src/cli/main';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import { openStore } from '../../src/store';

const APPROVER = '00000000-0000-4000-8000-0000000000a2';
const NOT_AN_APPROVER = '00000000-0000-4000-8000-0000000000ff';

async function cli(argv: readonly string[], env: Environment): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, env, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('admin policies', () => {
  let emulator: GraphEmulator;
  let directory: string;
  let env: Environment;

  beforeEach(async () => {
    emulator = await startGraphEmulator({ requiredToken: SANDBOX_GRAPH_TOKEN, seed: { policies: [] } });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-policies-'));
    const sqlitePath = path.join(directory, 'bot.sqlite');
    await (await openStore({ kind: 'sqlite', path: sqlitePath })).close();
    env = { APP_MODE: 'sandbox', GRAPH_BASE_URL: emulator.url, SQLITE_PATH: sqlitePath, APPROVER_IDS: APPROVER, LOG_LEVEL: 'silent', USER: 'it-admin' };
  });
  afterEach(async () => {
    await emulator.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const ownedGroup = (displayName: string, extra: Record<string, unknown> = {}) =>
    emulator.admin.addGroup({ displayName, ownerIds: [emulator.admin.ownerServicePrincipalId as string], ...extra });

  it('an empty tenant is healthy: exit 0, and --json is an empty array', async () => {
    expect(await cli(['policies'], env)).toMatchObject({ code: EXIT_OK, out: expect.stringContaining('no device-preparation policies') });
    expect(await cli(['policies', '--json'], env)).toMatchObject({ code: EXIT_OK, out: '[]\n' });
  });

  it('--json is exactly the documented shape, problems first; findings mean exit 2', async () => {
    const dynamic = ownedGroup('Dynamic devices', { groupTypes: ['DynamicMembership'], membershipRule: '(device.deviceOSType -eq "Windows")' });
    const broken = emulator.admin.addPolicy({ name: 'Kiosks', templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: [dynamic.id] });
    const empty = emulator.admin.addPolicy({ name: 'Cloud PCs', templateId: SCENARIO_INFO.automatic.templateId });
    // Both apply to someone (issue 20): the user-driven one to users, the automatic one through Windows 365.
    emulator.admin.intune.assignPolicy(broken.id, [{ kind: 'allLicensedUsers' }]);
    emulator.admin.intune.addProvisioningPolicy({ displayName: 'Cloud PCs', devicePreparationPolicyId: empty.id });

    const run = await cli(['policies', '--json'], env);
    expect(run.code).toBe(EXIT_DRIFT);
    const parsed: unknown = JSON.parse(run.out);
    expect(parsed).toEqual([
      { policyId: empty.id, policyName: 'Cloud PCs', scenario: 'automatic', groupId: null, groupSource: 'none', findings: [{ code: 'noGroup', detail: expect.any(String) }] },
      {
        policyId: broken.id,
        policyName: 'Kiosks',
        scenario: 'userDriven',
        groupId: dynamic.id,
        groupSource: 'intune',
        findings: [
          { code: 'notRecorded', detail: expect.any(String) },
          { code: 'notStaticSecurityGroup', detail: expect.any(String) },
        ],
      },
    ]);
    const text = await cli(['policies'], env);
    expect(text.code).toBe(EXIT_DRIFT);
    expect(text.out).toContain('notStaticSecurityGroup: ');
    expect(text.out).toMatch(/\n2 policies: 0 healthy, 2 with findings\.\nObject ids are shortened/);
    expect(text.out).toContain(`${broken.id.slice(0, 8)}…`);
    expect((await cli(['policies', '--wide'], env)).out).toContain(broken.id);
  });

  it('--json names an app and a script not assigned to the device group, with what to do (issue 20)', async () => {
    const devices = ownedGroup('Sales devices');
    const crm = emulator.admin.intune.addApp({ displayName: 'Litware CRM', appType: 'win32LobApp', runAsAccount: 'system' });
    const drives = emulator.admin.intune.addScript({ displayName: 'Map drives', runAsAccount: 'user' });
    const policy = emulator.admin.addPolicy({ name: 'Sales', templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: [devices.id] });
    emulator.admin.intune.selectForPolicy(policy.id, { apps: [crm], scripts: [drives] });
    emulator.admin.intune.assignPolicy(policy.id, [{ kind: 'allLicensedUsers' }]);
    const run = await cli(['policies', '--json'], env);
    expect(run.code).toBe(EXIT_DRIFT);
    const [entry] = JSON.parse(run.out) as { findings: { code: string; detail: string }[] }[];
    expect(entry?.findings).toEqual([
      { code: 'notRecorded', detail: expect.any(String) },
      { code: 'appNotAssignedToGroup', detail: '"Litware CRM" is not assigned to the device group "Sales devices": devices skip it during setup. Assign it to the device group "Sales devices" as required.' },
      {
        code: 'scriptNotAssignedToGroup',
        detail:
          '"Map drives" is not assigned to the device group "Sales devices": devices skip it during setup. Assign it to the device group "Sales devices" in Intune admin center › Devices › Scripts and remediations › Platform scripts › "Map drives" › Properties › Assignments › Edit.',
      },
      { code: 'scriptNotSystemContext', detail: expect.stringContaining('runs with the signed-in user') },
    ]);
  });

  it('adopt --as an approver records the group (exit 0); then the policy is healthy (exit 0)', async () => {
    const group = ownedGroup('Hand-made kiosks');
    const policy = emulator.admin.addPolicy({ name: 'Kiosks', templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: [group.id] });
    emulator.admin.intune.assignPolicy(policy.id, [{ kind: 'allLicensedUsers' }]);
    expect((await cli(['policies'], env)).code).toBe(EXIT_DRIFT);
    const adopted = await cli(['policies', 'adopt', policy.id, '--as', APPROVER], env);
    expect(adopted).toMatchObject({ code: EXIT_OK, out: expect.stringContaining(`Adopted: the group ${group.id}`) });
    expect(await cli(['policies', '--json'], env)).toMatchObject({ code: EXIT_OK });
  });

  it('adopt refuses a broken group (exit 2), someone who is not an approver and an unknown policy (exit 1)', async () => {
    const ownerless = emulator.admin.addGroup({ displayName: 'No owner' });
    const policy = emulator.admin.addPolicy({ name: 'Kiosks', templateId: SCENARIO_INFO.userDriven.templateId, membershipTargetIds: [ownerless.id] });
    expect(await cli(['policies', 'adopt', policy.id, '--as', APPROVER], env)).toMatchObject({ code: EXIT_DRIFT, err: expect.stringContaining('firstPartyAppNotAnOwner') });
    expect(await cli(['policies', 'adopt', policy.id, '--as', NOT_AN_APPROVER], env)).toMatchObject({ code: EXIT_ERROR, err: expect.stringContaining('is not an approver') });
    expect(await cli(['policies', 'adopt', 'nope', '--as', APPROVER], env)).toMatchObject({ code: EXIT_ERROR, err: expect.stringContaining('no device-preparation policy with the id nope') });
  });

  it('usage: adopt needs a policy id and --as; a Graph outage is exit 1', async () => {
    expect(await cli(['policies', 'adopt'], env)).toMatchObject({ code: EXIT_ERROR, err: expect.stringContaining('needs the Intune policy id') });
    expect(await cli(['policies', 'adopt', 'p-1'], env)).toMatchObject({ code: EXIT_ERROR, err: expect.stringContaining('needs --as') });
    expect(await cli(['policies', '--yaml'], env)).toMatchObject({ code: EXIT_ERROR, err: expect.stringContaining('unknown option --yaml') });
    emulator.setFaults({ failNext: { status: 500, count: 1 } });
    expect(await cli(['policies'], env)).toMatchObject({ code: EXIT_ERROR, err: expect.stringContaining('admin: ') });
  });
});
