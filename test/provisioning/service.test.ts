/** The provisioning service through the real Graph adapter against the emulator over HTTP. */
import type { Actor } from '../../src/domain/actor';
import { parsePolicyName } from '../../src/domain/policy';
import { OWNER_APP_ID } from '../../src/provisioning/directory';
import { ForeignGroupConflictError, GroupVerificationError, OwnerServicePrincipalMissingError } from '../../src/provisioning/errors';
import { createProvisioningService, type ProvisioningServiceDeps } from '../../src/provisioning/service';
import type { ProvisioningService } from '../../src/provisioning/types';
import type { SandboxGroup } from '../../src/sandbox/tenant';
import { orderFor, previewedNames } from './support/names';
import { rejection } from './support/rejection';
import { createMemoryRegistry, type MemoryRegistry } from './support/memoryRegistry';
import { DELEGATED_TOKEN, startSandbox, type Sandbox } from './support/sandbox';


const ADA: Actor = { aadObjectId: '11111111-1111-1111-1111-111111111111', name: 'Ada' };
const FIXED_NOW = new Date('2026-11-25T10:00:00.000Z');

let sandbox: Sandbox;
let registry: MemoryRegistry;
let service: ProvisioningService;

async function setUp(
  emulatorOptions: Parameters<typeof startSandbox>[0] = {},
  serviceOptions: Partial<ProvisioningServiceDeps> = {},
  directoryOptions: Parameters<typeof startSandbox>[1] = {},
  token?: string,
): Promise<void> {
  sandbox = await startSandbox(emulatorOptions, directoryOptions, token);
  registry = createMemoryRegistry();
  service = createProvisioningService({ directory: sandbox.directory, registry, clock: { now: () => FIXED_NOW }, ...serviceOptions });
}

afterEach(async () => {
  await sandbox.emulator.close();
});

const ownerSpId = (): string => sandbox.emulator.admin.ownerServicePrincipalId as string;
const tenantGroups = (): readonly SandboxGroup[] => sandbox.emulator.admin.groups();
const writes = (): number => sandbox.emulator.requestLog.filter((entry) => entry.method !== 'GET').length;

describe('ensureGroup', () => {
  it('creates exactly the group Autopilot device preparation needs and records it', async () => {
    await setUp();
    const result = await service.ensureGroup(orderFor(service, 'Contoso  Sales', 'userDriven'), ADA);

    expect(result.created).toBe(true);
    expect(result.group).toMatchObject({
      policyKey: 'contoso sales',
      policyName: 'Contoso Sales',
      scenario: 'userDriven',
      displayName: 'Autopilot DP · Contoso Sales · User-driven',
      createdAt: FIXED_NOW.toISOString(),
      createdBy: ADA,
    });
    const [group] = tenantGroups();
    expect(tenantGroups()).toHaveLength(1);
    expect(group).toMatchObject({
      id: result.group.groupId,
      uniqueName: result.group.uniqueName,
      mailNickname: result.group.mailNickname,
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: [],
      membershipRule: null,
      isAssignableToRole: null,
      ownerIds: [ownerSpId()],
      memberIds: [],
    });
    expect(group?.description).toContain('"Contoso Sales"');
    expect(registry.records()).toEqual([result.group]);
    expect(result.graphRequestIds).toEqual(sandbox.emulator.requestLog.map((entry) => entry.requestId));
  });

  it('uses two Graph calls per new group once the owner lookup is cached', async () => {
    await setUp();
    await service.ensureGroup(orderFor(service, 'First', 'userDriven'), ADA);
    sandbox.emulator.clearRequestLog();
    const second = await service.ensureGroup(orderFor(service, 'Second', 'automatic'), ADA);
    expect(sandbox.emulator.requestLog.map((entry) => entry.method)).toEqual(['GET', 'PATCH']);
    expect(second.graphRequestIds).toHaveLength(2);
  });

  it('finds its own group again for any spelling of the policy name: the recorded one, never a second', async () => {
    await setUp();
    const first = await service.ensureGroup(orderFor(service, 'Contoso Sales', 'userDriven'), ADA);
    const again = await service.ensureGroup(orderFor(service, '  CONTOSO   sales ', 'userDriven'), { aadObjectId: 'other', name: 'Bob' });
    expect(again).toMatchObject({ group: first.group, created: false });
    expect(tenantGroups()).toHaveLength(1);
  });

  it('makes one group when several instances race on the same policy', async () => {
    await setUp();
    const services = [0, 1, 2, 3].map(() => createProvisioningService({ directory: sandbox.directory, registry }));
    const results = await Promise.all(services.map((each) => each.ensureGroup(orderFor(each, 'Race', 'userDriven'), ADA)));
    expect(tenantGroups()).toHaveLength(1);
    expect(new Set(results.map((result) => result.group.groupId))).toEqual(new Set([tenantGroups()[0]?.id]));
    expect(registry.records()).toHaveLength(1);
  });

  it('recovers a group created before a crash: verifies and records it without writing again', async () => {
    await setUp();
    const names = previewedNames(service, 'Recovered', 'userDriven');
    const existing = sandbox.emulator.admin.addGroup({ ...names, ownerIds: [ownerSpId()] });
    const result = await service.ensureGroup(orderFor(service, 'Recovered', 'userDriven'), ADA);
    expect(result.group.groupId).toBe(existing.id);
    expect(result.created).toBe(false);
    expect(registry.records()).toEqual([result.group]);
    expect(writes()).toBe(0);
    expect(tenantGroups()).toHaveLength(1);
  });

  it('upserts and reads back (204 path) when our group exists under another display name', async () => {
    await setUp({ faults: { replicationLagMs: 0 }, variations: { ownerRebindOnUpsert: 'accept' } });
    const names = previewedNames(service, 'Renamed', 'userDriven');
    const existing = sandbox.emulator.admin.addGroup({ ...names, displayName: 'Someone renamed it', ownerIds: [ownerSpId()] });
    const result = await service.ensureGroup(orderFor(service, 'Renamed', 'userDriven'), ADA);
    expect(result.group.groupId).toBe(existing.id);
    expect(sandbox.emulator.requestLog.map((entry) => `${entry.method} ${entry.status}`)).toEqual(['GET 200', 'GET 200', 'PATCH 204', 'GET 200']);
    expect(tenantGroups()).toHaveLength(1);
    expect(tenantGroups()[0]?.displayName).toBe(names.displayName);
  });

  it.each([
    ['another uniqueName', { uniqueName: 'someone-elses' }, /uniqueName is "someone-elses"/],
    ['no uniqueName, dynamic', { groupTypes: ['DynamicMembership'], membershipRule: '(device.devicePhysicalIds -any _ -eq "x")' }, /it is dynamic/],
    ['no uniqueName, not security', { securityEnabled: false }, /not a security group/],
  ])('never adopts a same-named foreign group (%s): refuses, naming it', async (_, foreignProperties, why) => {
    await setUp();
    const { displayName } = previewedNames(service, 'Sales', 'userDriven');
    const foreign = sandbox.emulator.admin.addGroup({ displayName: displayName.toUpperCase(), ...foreignProperties });
    const error = await rejection(service.ensureGroup(orderFor(service, 'Sales', 'userDriven'), ADA));
    expect(error).toBeInstanceOf(ForeignGroupConflictError);
    expect(error.message).toContain(foreign.id);
    expect(error.message).toContain(displayName.toUpperCase());
    expect(error.message).toMatch(why);
    expect(tenantGroups()).toEqual([foreign]);
    expect(registry.records()).toEqual([]);
    expect(writes()).toBe(0);
  });

  it('fails preflight with the exact admin fix when the tenant lacks the owner service principal', async () => {
    await setUp({ seed: { ownerServicePrincipal: false } });
    const error = await rejection(service.ensureGroup(orderFor(service, 'Sales', 'userDriven'), ADA));
    expect(error).toBeInstanceOf(OwnerServicePrincipalMissingError);
    expect((error as OwnerServicePrincipalMissingError).adminFix).toBe(
      `Connect-MgGraph -Scopes Application.ReadWrite.All; New-MgServicePrincipal -AppId ${OWNER_APP_ID}`,
    );
    expect(error.message).toContain(`New-MgServicePrincipal -AppId ${OWNER_APP_ID}`);
    expect(tenantGroups()).toEqual([]);
    await expect(service.ownerServicePrincipalId()).rejects.toBeInstanceOf(OwnerServicePrincipalMissingError);

    // After the admin's fix, the same service instance succeeds: a failed lookup is not cached.
    const sp = sandbox.emulator.admin.addServicePrincipal({ appId: OWNER_APP_ID, displayName: 'Intune Autopilot ConfidentialClient' });
    await expect(service.ownerServicePrincipalId()).resolves.toBe(sp.id);
    expect((await service.ensureGroup(orderFor(service, 'Sales', 'userDriven'), ADA)).created).toBe(true);
  });

  it('refuses to record a group that exists under our uniqueName but is unusable', async () => {
    await setUp();
    const names = previewedNames(service, 'Broken', 'userDriven');
    sandbox.emulator.admin.addGroup({ ...names, ownerIds: [] });
    const error = await rejection(service.ensureGroup(orderFor(service, 'Broken', 'userDriven'), ADA));
    expect(error).toBeInstanceOf(GroupVerificationError);
    expect((error as GroupVerificationError).findings.map((finding) => finding.code)).toEqual(['firstPartyAppNotAnOwner']);
    expect(registry.records()).toEqual([]);
  });

  it('rides out throttling and transient errors, still making one group', async () => {
    // The throttle's clock moves 4 ms per HTTP attempt, not with the wall clock: the three concurrent writes meet
    // an empty bucket however busy the machine is.
    let clockMs = 0;
    await setUp(
      {
        clock: { now: () => new Date(clockMs) },
        faults: { writeThrottle: { capacity: 1, refillPerSecond: 100, retryAfterPrecision: 'milliseconds' }, failNext: { count: 2, status: 503, retryAfterSeconds: 0 } },
      },
      {},
      { onRequest: () => (clockMs += 4) },
    );
    await Promise.all(['A', 'B', 'C'].map((name) => service.ensureGroup(orderFor(service, name, 'automatic'), ADA)));
    expect(tenantGroups()).toHaveLength(3);
    expect(sandbox.emulator.requestLog.some((entry) => entry.status === 429)).toBe(true);
    expect(sandbox.emulator.requestLog.some((entry) => entry.status === 503)).toBe(true);
  });

  it('waits out replication lag when reading back after a 204', async () => {
    let clockMs = 1_000;
    // Each HTTP attempt advances the emulator's clock, so the lag passes without the test sleeping.
    await setUp(
      { clock: { now: () => new Date(clockMs) }, faults: { replicationLagMs: 350 }, variations: { ownerRebindOnUpsert: 'accept', concurrentUpsert: 'accept' } },
      {},
      { onRequest: () => (clockMs += 100) },
    );
    const names = previewedNames(service, 'Lagging', 'userDriven');
    sandbox.emulator.admin.createGroup({ ...names, displayName: 'renamed, just created', ownerIds: [ownerSpId()] });
    const result = await service.ensureGroup(orderFor(service, 'Lagging', 'userDriven'), ADA);
    expect(result.group.groupId).toBe(tenantGroups()[0]?.id);
    expect(tenantGroups()).toHaveLength(1);
    expect(sandbox.emulator.requestLog.map((entry) => `${entry.method} ${entry.status}`).slice(2)).toEqual(['PATCH 204', 'GET 404', 'GET 200']);
  });
});

describe('hostile policy names', () => {
  it.each([["O'Brien"], ["' or 1 eq 1"], ['東京 営業部 🚀'], ['a & b #c %20 +d ?e=f'], ['<script>alert(1)</script>']])(
    'provisions %s with the exact name and no injection',
    async (name) => {
      await setUp();
      sandbox.emulator.admin.addGroup({ displayName: 'Autopilot DP · x · User-driven' });
      const result = await service.ensureGroup(orderFor(service, name, 'userDriven'), ADA);
      expect(result.group.displayName).toBe(`Autopilot DP · ${name} · User-driven`);
      expect(tenantGroups().filter((group) => group.id === result.group.groupId)).toHaveLength(1);
      expect((await service.ensureGroup(orderFor(service, name, 'userDriven'), ADA)).created).toBe(false);
    },
  );

  it('refuses blocked words in the preview, with a clear reason: a submission never orders such names', async () => {
    await setUp({}, { naming: { blockedWords: ['test'] } });
    const policy = parsePolicyName('Sales Test');
    if (!policy.ok) throw new Error(policy.reason);
    const names = service.previewNames(policy.value, 'userDriven');
    expect(names).toMatchObject({ ok: false, code: 'blockedWord', reason: expect.stringContaining('"test"') });
    expect(sandbox.emulator.requestLog).toEqual([]);
  });

  it('makes exactly the ordered names, whatever the naming rules are now (the approver saw these)', async () => {
    await setUp();
    const approved = orderFor(service, 'Sales Test', 'userDriven');
    const laterRules = createProvisioningService({ directory: sandbox.directory, registry, naming: { template: 'Other · {policy}', blockedWords: ['test'] } });
    const result = await laterRules.ensureGroup(approved, ADA);
    expect(result.group).toMatchObject(approved.names);
    expect(tenantGroups().map((group) => group.displayName)).toEqual([approved.names.displayName]);
  });
});

describe('checkGroup', () => {
  async function provisioned(): Promise<string> {
    await setUp();
    return (await service.ensureGroup(orderFor(service, 'Sales', 'userDriven'), ADA)).group.groupId;
  }

  it('reports a healthy group', async () => {
    await provisioned();
    const report = await service.checkGroup(registry.recordOf('sales'));
    expect(report).toMatchObject({ policyKey: 'sales', healthy: true, findings: [], ownerRepaired: false });
    expect(report.graphRequestIds.length).toBeGreaterThan(0);
  });

  it.each<[string, (groupId: string) => void, string[]]>([
    ['deleted', (id) => sandbox.emulator.admin.deleteGroup(id), ['securityGroupNotFound']],
    ['made dynamic', (id) => sandbox.emulator.admin.updateGroup(id, { groupTypes: ['DynamicMembership'], membershipRule: 'x' }), ['notStaticSecurityGroup']],
    ['owner removed', (id) => sandbox.emulator.admin.removeOwner(id, ownerSpId()), ['firstPartyAppNotAnOwner']],
    ['mail-enabled', (id) => sandbox.emulator.admin.updateGroup(id, { mailEnabled: true }), ['mailEnabled']],
    ['security disabled', (id) => sandbox.emulator.admin.updateGroup(id, { securityEnabled: false }), ['notSecurityGroup']],
    ['given a user member', (id) => sandbox.emulator.admin.addMember(id, sandbox.emulator.admin.addUser({ displayName: 'Eve' }).id), ['unexpectedMembers']],
  ])('reports a group %s, changing nothing', async (_, drift, codes) => {
    const groupId = await provisioned();
    drift(groupId);
    const before = JSON.stringify(tenantGroups());
    const report = await service.checkGroup(registry.recordOf('Sales'));
    expect(report.healthy).toBe(false);
    expect(report.findings.map((finding) => finding.code)).toEqual(codes);
    expect(JSON.stringify(tenantGroups())).toBe(before);
    expect(writes()).toBe(1);
  });

  it('accepts devices as members', async () => {
    const groupId = await provisioned();
    sandbox.emulator.admin.addMember(groupId, sandbox.emulator.admin.addDevice({ displayName: 'PC-1' }).id);
    expect((await service.checkGroup(registry.recordOf('Sales'))).healthy).toBe(true);
  });

  it('re-adds a missing owner only when asked', async () => {
    const groupId = await provisioned();
    sandbox.emulator.admin.removeOwner(groupId, ownerSpId());
    const report = await service.checkGroup(registry.recordOf('Sales'), { repairOwner: true });
    expect(report).toMatchObject({ healthy: true, ownerRepaired: true, findings: [] });
    expect(sandbox.emulator.admin.group(groupId)?.ownerIds).toEqual([ownerSpId()]);
  });

  it('reports a tenant that lost the owner service principal as a finding with the admin fix, repairing nothing', async () => {
    await provisioned();
    sandbox.emulator.admin.removeServicePrincipal(OWNER_APP_ID);
    const checker = createProvisioningService({ directory: sandbox.directory, registry });
    const report = await checker.checkGroup(registry.recordOf('Sales'), { repairOwner: true });
    expect(report).toMatchObject({ healthy: false, ownerRepaired: false });
    expect(report.findings.map((finding) => finding.code)).toEqual(['firstPartyAppNotAnOwner']);
    expect(report.findings[0]?.message).toContain(`New-MgServicePrincipal -AppId ${OWNER_APP_ID}`);
    expect(writes()).toBe(1);
  });

  it('does not claim a repair when the owner is present', async () => {
    await provisioned();
    const report = await service.checkGroup(registry.recordOf('Sales'), { repairOwner: true });
    expect(report.ownerRepaired).toBe(false);
    expect(writes()).toBe(1);
  });
});

describe('bindToPolicy', () => {
  const policyIdNamed = (name: string): string => {
    const policy = sandbox.emulator.admin.policies().find((each) => each.name === name);
    if (!policy) throw new Error(`no policy ${name}`);
    return policy.id;
  };

  it('binds the group to the Intune policy with the resolved id and reports the statuses (delegated caller)', async () => {
    await setUp({}, {}, {}, DELEGATED_TOKEN);
    const { group } = await service.ensureGroup(orderFor(service, 'contoso user-driven', 'userDriven'), ADA);
    const policyId = policyIdNamed('Contoso User-driven');
    const result = await service.bindToPolicy(group, policyId);
    expect(result).toEqual({
      outcome: 'bound',
      policyId,
      statuses: [{ targetId: group.groupId, validationSucceeded: true }],
      graphRequestIds: sandbox.emulator.requestLog.slice(-1).map((entry) => entry.requestId),
    });
    expect(sandbox.emulator.admin.policies().find((each) => each.id === policyId)?.membershipTargetIds).toEqual([group.groupId]);
  });

  it("reports Intune's validation code when the group has drifted", async () => {
    await setUp({}, {}, {}, DELEGATED_TOKEN);
    const { group } = await service.ensureGroup(orderFor(service, 'Contoso User-driven', 'userDriven'), ADA);
    sandbox.emulator.admin.removeOwner(group.groupId, ownerSpId());
    const result = await service.bindToPolicy(group, policyIdNamed('Contoso User-driven'));
    expect(result).toMatchObject({ outcome: 'validationFailed', statuses: [{ validationSucceeded: false, errorCode: 'firstPartyAppNotAnOwner' }] });
  });

  it('reports a policy Intune no longer has (deleted after it was resolved)', async () => {
    await setUp({}, {}, {}, DELEGATED_TOKEN);
    const { group } = await service.ensureGroup(orderFor(service, 'Contoso User-driven', 'userDriven'), ADA);
    expect((await service.bindToPolicy(group, '00000000-0000-4000-8000-00000000dead')).outcome).toBe('policyNotFound');
  });

  it("reports Intune's 500 as a failure, never fatal, and leaves the group alone", async () => {
    await setUp({ faults: { membershipTargetInternalError: true } });
    const { group } = await service.ensureGroup(orderFor(service, 'Contoso User-driven', 'userDriven'), ADA);
    const result = await service.bindToPolicy(group, policyIdNamed('Contoso User-driven'));
    expect(result).toMatchObject({
      outcome: 'failed',
      graphRequestId: sandbox.emulator.requestLog.at(-1)?.requestId,
      graphRequestIds: sandbox.emulator.requestLog.slice(-1).map((entry) => entry.requestId),
    });
    expect(tenantGroups().map((each) => each.id)).toEqual([group.groupId]);
    expect(registry.records()).toHaveLength(1);
  });
});
