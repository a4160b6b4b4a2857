/**
 * The inventory through the real Graph adapter against the emulator over HTTP, with a real SQLite store: every
 * finding the issue names, the app-only fallback, Graph in unexpected shapes, an outage, a rename.
 */
import { orderFor } from '../provisioning/support/names';
import type { Actor } from '../../src/domain/actor';
import { SCENARIO_INFO } from '../../src/domain/scenario';
import { createInventory } from '../../src/inventory/inventory';
import { actionsFor } from '../../src/requests/policyInventory';
import { createTenantPolicies } from '../../src/inventory/tenant';
import type { InventoryReport, PolicyInventoryEntry } from '../../src/inventory/types';
import { GraphError } from '../../src/provisioning/graphError';
import { createGraphDirectory } from '../../src/graph/graphDirectory';
import { createProvisioningService } from '../../src/provisioning/service';
import type { SandboxGroup } from '../../src/sandbox/tenant';
import type { Store } from '../../src/store';
import { FAST_RETRY, SANDBOX_TOKEN, startSandbox, type Sandbox } from '../provisioning/support/sandbox';
import { sqliteHarness, type StoreHarness } from '../store/support/harness';
import { startRewritingProxy, type RewritingProxy } from './support/rewritingProxy';

const ADA: Actor = { aadObjectId: '11111111-1111-1111-1111-111111111111', name: 'Ada' };
const DAY_MS = 24 * 3600 * 1000;
const USER_DRIVEN = SCENARIO_INFO.userDriven.templateId;
const AUTOMATIC = SCENARIO_INFO.automatic.templateId;

let clockMs = Date.parse('2026-12-01T08:00:00Z');
const clock = { now: (): Date => new Date(clockMs) };
let sandbox: Sandbox;
let harness: StoreHarness;
let store: Store;
let proxy: RewritingProxy | undefined;

beforeEach(async () => {
  clockMs = Date.parse('2026-12-01T08:00:00Z');
  // Two policies a page: the inventory must follow @odata.nextLink.
  sandbox = await startSandbox({ clock, pageSize: 2, seed: { policies: [] } });
  harness = sqliteHarness();
  store = await harness.open();
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await store.close();
  await harness.dispose();
  await sandbox.emulator.close();
});

const tenant = () => sandbox.emulator.admin;
const ownerId = (): string => tenant().ownerServicePrincipalId as string;
const goodGroup = (displayName: string): SandboxGroup => tenant().addGroup({ displayName, ownerIds: [ownerId()] });
const inventory = (directory = sandbox.directory) => createInventory({ tenant: createTenantPolicies({ directory }), records: store, clock });
const entryNamed = (report: InventoryReport, name: string): PolicyInventoryEntry => {
  const entry = report.entries.find((each) => each.policyName === name);
  if (!entry) throw new Error(`no entry for ${name}: ${report.entries.map((each) => each.policyName).join(', ')}`);
  return entry;
};
const codes = (entry: PolicyInventoryEntry): string[] => entry.findings.map((finding) => finding.code).sort();

describe('inventory of a messy tenant', () => {
  it('finds every breakage Microsoft lists, on both templates across pages, problems first', async () => {
    const provisioning = createProvisioningService({ directory: sandbox.directory, registry: store, clock });
    const ours = await provisioning.ensureGroup(orderFor(provisioning, 'Contoso Healthy', 'userDriven'), ADA);
    const healthy = tenant().addPolicy({ name: 'Contoso Healthy', templateId: USER_DRIVEN, membershipTargetIds: [ours.group.groupId] });

    const shared = goodGroup('Shared devices');
    tenant().addPolicy({ name: 'Shared A', templateId: USER_DRIVEN, membershipTargetIds: [shared.id] });
    tenant().addPolicy({ name: 'Shared B', templateId: AUTOMATIC, membershipTargetIds: [shared.id] });
    const dynamic = tenant().addGroup({ displayName: 'Dynamic', ownerIds: [ownerId()], groupTypes: ['DynamicMembership'], membershipRule: '(device.deviceOSType -eq "Windows")' });
    tenant().addPolicy({ name: 'Dynamic policy', templateId: USER_DRIVEN, membershipTargetIds: [dynamic.id] });
    const ownerless = tenant().addGroup({ displayName: 'No owner' });
    tenant().addPolicy({ name: 'Ownerless policy', templateId: AUTOMATIC, membershipTargetIds: [ownerless.id] });
    const deleted = goodGroup('Deleted');
    tenant().addPolicy({ name: 'Deleted policy', templateId: USER_DRIVEN, membershipTargetIds: [deleted.id] });
    tenant().deleteGroup(deleted.id);
    const purged = goodGroup('Purged');
    tenant().addPolicy({ name: 'Purged policy', templateId: USER_DRIVEN, membershipTargetIds: [purged.id] });
    tenant().deleteGroup(purged.id);
    tenant().purgeGroup(purged.id);
    tenant().addPolicy({ name: 'Empty policy', templateId: AUTOMATIC });
    const handMade = goodGroup('Hand-made for Differs');
    await provisioning.ensureGroup(orderFor(provisioning, 'Differs', 'userDriven'), ADA);
    tenant().addPolicy({ name: 'Differs', templateId: USER_DRIVEN, membershipTargetIds: [handMade.id] });
    // A group the bot made 20 days ago for a policy that never appeared in Intune.
    clockMs -= 20 * DAY_MS;
    await provisioning.ensureGroup(orderFor(provisioning, 'Never Created', 'automatic'), ADA);
    clockMs += 20 * DAY_MS;

    const report = await inventory().take();

    expect(entryNamed(report, 'Contoso Healthy')).toMatchObject({
      policyId: healthy.id,
      scenario: 'userDriven',
      groupId: ours.group.groupId,
      groupSource: 'intune',
      findings: [],
      policyKey: 'contoso healthy',
      recorded: true,
    });
    const sharedA = entryNamed(report, 'Shared A');
    expect(codes(sharedA)).toEqual(['notRecorded', 'sharedGroup']);
    expect(sharedA.findings.find((finding) => finding.code === 'sharedGroup')?.detail).toContain('"Shared B"');
    expect(entryNamed(report, 'Shared B').scenario).toBe('automatic');
    expect(codes(entryNamed(report, 'Dynamic policy'))).toEqual(['notRecorded', 'notStaticSecurityGroup']);
    expect(codes(entryNamed(report, 'Ownerless policy'))).toEqual(['firstPartyAppNotAnOwner', 'notRecorded']);
    const restorable = entryNamed(report, 'Deleted policy');
    expect(codes(restorable)).toEqual(['notRecorded', 'securityGroupNotFound']);
    expect(restorable.restorableUntil).toBe(new Date(clockMs + 30 * DAY_MS).toISOString());
    expect(restorable.findings.find((finding) => finding.code === 'securityGroupNotFound')?.detail).toMatch(/can be restored/);
    const gone = entryNamed(report, 'Purged policy');
    expect(gone.findings.find((finding) => finding.code === 'securityGroupNotFound')?.detail).toMatch(/cannot be restored/);
    expect(gone.restorableUntil).toBeUndefined();
    expect(entryNamed(report, 'Empty policy')).toMatchObject({ groupId: null, groupSource: 'none', findings: [{ code: 'noGroup' }] });
    expect(codes(entryNamed(report, 'Differs'))).toEqual(['recordedGroupDiffers']);
    expect(entryNamed(report, 'Never Created')).toMatchObject({ policyId: null, groupSource: 'record', findings: [{ code: 'orphanGroup' }] });

    const firstHealthy = report.entries.findIndex((entry) => entry.findings.length === 0);
    expect(report.entries.slice(firstHealthy).every((entry) => entry.findings.length === 0)).toBe(true);
    expect(report.entries).toHaveLength(10);
    // Reads only: the inventory never spends the directory write budget.
    const inventoryCalls = sandbox.emulator.requestLog.slice(-report.graphRequestIds.length);
    expect(inventoryCalls.every((call) => call.method === 'GET' || call.path.endsWith('/retrieveEnrollmentTimeDeviceMembershipTarget'))).toBe(true);
  });

  it('checks a group whose policy is not in Intune yet, and calls it an orphan only after the configured number of days', async () => {
    const provisioning = createProvisioningService({ directory: sandbox.directory, registry: store, clock });
    const made = await provisioning.ensureGroup(orderFor(provisioning, 'Coming Soon', 'userDriven'), ADA);
    clockMs += 13 * DAY_MS;
    expect((await inventory().take()).entries).toEqual([expect.objectContaining({ policyId: null, groupId: made.group.groupId, groupSource: 'record', findings: [] })]);
    // The group is made before the policy: it is checked meanwhile all the same.
    tenant().updateGroup(made.group.groupId, { groupTypes: ['DynamicMembership'] });
    expect((await inventory().take()).entries.map((entry) => entry.findings.map((finding) => finding.code))).toEqual([['notStaticSecurityGroup']]);
    tenant().updateGroup(made.group.groupId, { groupTypes: [] });
    clockMs += 2 * DAY_MS;
    expect((await inventory().take()).entries.map((entry) => entry.findings.map((finding) => finding.code))).toEqual([['orphanGroup']]);
    const sooner = createInventory({ tenant: createTenantPolicies({ directory: sandbox.directory }), records: store, clock, orphanAfterDays: 30 });
    expect((await sooner.take()).entries.map((entry) => entry.findings)).toEqual([[]]);
  });

  it("says the bot's unbound group is deleted (Restore, or Replace once purged) rather than offering Bind for a group that is gone", async () => {
    const provisioning = createProvisioningService({ directory: sandbox.directory, registry: store, clock });
    const unbound = await provisioning.ensureGroup(orderFor(provisioning, 'Unbound Live', 'userDriven'), ADA);
    const deleted = await provisioning.ensureGroup(orderFor(provisioning, 'Unbound Deleted', 'userDriven'), ADA);
    const purged = await provisioning.ensureGroup(orderFor(provisioning, 'Unbound Purged', 'userDriven'), ADA);
    for (const name of ['Unbound Live', 'Unbound Deleted', 'Unbound Purged']) tenant().addPolicy({ name, templateId: USER_DRIVEN });
    tenant().deleteGroup(deleted.group.groupId);
    tenant().deleteGroup(purged.group.groupId);
    tenant().purgeGroup(purged.group.groupId);

    const report = await inventory().take();

    const live = entryNamed(report, 'Unbound Live');
    expect(live).toMatchObject({ groupId: null, groupSource: 'none', findings: [{ code: 'noGroup', detail: expect.stringContaining(`${unbound.group.groupId} for it is not bound`) }] });
    expect(actionsFor(live)).toEqual(['bind']);
    const restorable = entryNamed(report, 'Unbound Deleted');
    expect(restorable).toMatchObject({ groupId: deleted.group.groupId, groupSource: 'none' });
    expect(codes(restorable)).toEqual(['noGroup', 'securityGroupNotFound']);
    expect(restorable.restorableUntil).toBeDefined();
    expect(actionsFor(restorable)).toContain('restore');
    const gone = entryNamed(report, 'Unbound Purged');
    expect(gone).toMatchObject({ groupId: purged.group.groupId, groupSource: 'none' });
    expect(gone.restorableUntil).toBeUndefined();
    expect(gone.findings.find((finding) => finding.code === 'noGroup')?.detail).toContain('is deleted');
    expect(actionsFor(gone)).toContain('replace');
  });

  it('keeps one record across a rename in Intune: the same group, found under the new name', async () => {
    const provisioning = createProvisioningService({ directory: sandbox.directory, registry: store, clock });
    const made = await provisioning.ensureGroup(orderFor(provisioning, 'Contoso Sales', 'userDriven'), ADA);
    const policy = tenant().addPolicy({ name: 'Contoso Sales', templateId: USER_DRIVEN, membershipTargetIds: [made.group.groupId] });
    await inventory().take();
    tenant().updatePolicy(policy.id, { name: 'Contoso Field Sales' });

    const report = await inventory().take();
    expect(report.entries).toEqual([expect.objectContaining({ policyName: 'Contoso Field Sales', findings: [], policyKey: 'contoso sales', recorded: true })]);
    // A request under the new name resolves to this record (test/requests/policies.test.ts): no second group.
    expect((await store.findGroup('contoso field sales'))?.groupId).toBe(made.group.groupId);
    expect(await store.findGroupOfIntunePolicy(policy.id)).toMatchObject({ groupId: made.group.groupId });
  });
});

describe('where Intune will not tell an app-only caller', () => {
  it("falls back to the bot's own record and says so; without a record there is no group to name", async () => {
    sandbox.emulator.setVariations({ appOnlyMembershipTargetRead: 'refuse' });
    const provisioning = createProvisioningService({ directory: sandbox.directory, registry: store, clock });
    const made = await provisioning.ensureGroup(orderFor(provisioning, 'Contoso Kiosks', 'userDriven'), ADA);
    tenant().addPolicy({ name: 'Contoso Kiosks', templateId: USER_DRIVEN, membershipTargetIds: [made.group.groupId] });
    tenant().addPolicy({ name: 'Hand bound', templateId: USER_DRIVEN, membershipTargetIds: [goodGroup('Hand').id] });

    const report = await inventory().take();
    expect(entryNamed(report, 'Contoso Kiosks')).toMatchObject({ groupId: made.group.groupId, groupSource: 'record', findings: [] });
    expect(entryNamed(report, 'Hand bound')).toMatchObject({ groupId: null, groupSource: 'none', findings: [{ code: 'noGroup' }] });
    expect(entryNamed(report, 'Hand bound').findings[0]?.detail).toMatch(/app-only/);
  });
});

describe('bad input and faults', () => {
  it('reports a policy, a target and a group in unexpected shapes as findings, and still assesses the rest', async () => {
    // One page: the emulator's nextLink names its own origin, which the adapter would not follow from the proxy.
    await sandbox.emulator.close();
    sandbox = await startSandbox({ clock, seed: { policies: [] } });
    const fine = goodGroup('Fine');
    const odd = goodGroup('Odd group');
    tenant().addPolicy({ name: 'Fine policy', templateId: USER_DRIVEN, membershipTargetIds: [fine.id] });
    tenant().addPolicy({ name: 'Nameless', templateId: USER_DRIVEN, membershipTargetIds: [fine.id] });
    const target = tenant().addPolicy({ name: 'Odd target', templateId: AUTOMATIC, membershipTargetIds: [fine.id] });
    tenant().addPolicy({ name: 'Odd group policy', templateId: AUTOMATIC, membershipTargetIds: [odd.id] });
    const oddId = odd.id;

    proxy = await startRewritingProxy(sandbox.emulator.url, (path, body) => {
      const json = body as Record<string, unknown>;
      if (path.includes('/configurationPolicies?')) {
        const items = json['value'] as Record<string, unknown>[];
        return { ...json, value: items.map((item) => (item['name'] === 'Nameless' ? { ...item, name: 42 } : item)) };
      }
      if (path.includes(`('${target.id}')/retrieve`)) return { value: { validationSucceeded: 'maybe' } };
      if (path.startsWith(`/v1.0/groups/${oddId}`)) return { ...json, securityEnabled: 'yes' };
      return body;
    });
    const directory = createGraphDirectory({ baseUrl: proxy.url, credential: { kind: 'static', token: SANDBOX_TOKEN }, retry: FAST_RETRY });

    const report = await inventory(directory).take();
    const nameless = report.entries.find((entry) => entry.policyName === '(unnamed policy)');
    expect(nameless).toMatchObject({ scenario: null, groupId: null, findings: [{ code: 'unreadable' }] });
    expect(nameless?.policyId).toEqual(expect.any(String));
    expect(entryNamed(report, 'Odd target')).toMatchObject({ groupId: null, findings: [{ code: 'unreadable' }] });
    expect(codes(entryNamed(report, 'Odd group policy'))).toEqual(['notRecorded', 'unreadable']);
    // Neither the nameless policy's target (never read) nor the odd one counts as a second user of the fine group.
    expect(codes(entryNamed(report, 'Fine policy'))).toEqual(['notRecorded']);
  });

  const oneRetry = () => createGraphDirectory({ baseUrl: sandbox.emulator.url, credential: { kind: 'static', token: SANDBOX_TOKEN }, retry: { ...FAST_RETRY, maxRetries: 1 } });

  it('ends the run with the GraphError when Graph is down, and a later run succeeds', async () => {
    tenant().addPolicy({ name: 'Contoso', templateId: USER_DRIVEN });
    sandbox.emulator.setFaults({ failNext: { status: 503, count: 100 } });
    await expect(inventory(oneRetry()).take()).rejects.toBeInstanceOf(GraphError);
    sandbox.emulator.setFaults({});
    expect((await inventory(oneRetry()).take()).entries).toHaveLength(1);
  });

  it('ends the run with the GraphError when 503 with Retry-After outlasts the retries on a policy read, past the list', async () => {
    // 21 policies: the pace runs before each chunk, the first of 20 and the last policy.
    for (let index = 0; index < 21; index++) tenant().addPolicy({ name: `Contoso ${index}`, templateId: USER_DRIVEN });
    const directory = oneRetry();
    // Owner lookup, the list and the first chunk answer; the last policy's target read fails past its one retry.
    sandbox.emulator.setFaults({});
    const chunksPaced: (readonly string[])[] = [];
    const run = createInventory({
      tenant: createTenantPolicies({ directory }),
      records: store,
      clock,
      pace: async (policyIds) => {
        chunksPaced.push(policyIds);
        if (chunksPaced.length === 2) sandbox.emulator.setFaults({ failNext: { status: 503, retryAfterSeconds: 0, count: 2 } });
      },
    });
    await expect(run.take()).rejects.toMatchObject({ status: 503 });
    expect(sandbox.emulator.requestLog.filter((call) => call.status === 503)).toHaveLength(2);
    expect(chunksPaced.map((policyIds) => policyIds.length)).toEqual([20, 1]);
  });
});

describe("the sandbox's seeded tenant (npm start)", () => {
  it('has the broken cases a new user should see, and keeps the two Contoso policies unbound', async () => {
    await sandbox.emulator.close();
    sandbox = await startSandbox({ clock, seed: { brokenCases: true } });
    const report = await inventory().take();
    const byName = Object.fromEntries(report.entries.map((entry) => [entry.policyName, codes(entry)]));
    expect(byName).toEqual({
      'Contoso User-driven': ['noGroup'],
      'Contoso Windows 365': ['noGroup'],
      'Fabrikam Laptops': ['notRecorded', 'sharedGroup'],
      'Fabrikam Cloud PCs': ['notRecorded', 'sharedGroup'],
      'Northwind Tablets': ['notRecorded', 'notStaticSecurityGroup'],
      'Tailspin Kiosks': ['firstPartyAppNotAnOwner', 'notRecorded'],
      'Woodgrove Lab': ['notRecorded', 'securityGroupNotFound'],
      'Adatum Reception': ['notRecorded'],
      // Around apps and scripts (issue 20): hand-made groups too.
      'Litware Ready': ['notRecorded'],
      'Litware Sales': ['notRecorded'],
      'Litware Kiosks': ['notRecorded'],
    });
  });

  it('shows what the readiness check finds (issue 20): one policy ready, an app assigned only to users, a user-context script', async () => {
    await sandbox.emulator.close();
    sandbox = await startSandbox({ clock, seed: { brokenCases: true } });
    const report = await createInventory({ tenant: createTenantPolicies({ directory: sandbox.directory }), records: store, clock, readiness: sandbox.directory }).take();
    const byName = Object.fromEntries(report.entries.map((entry) => [entry.policyName, codes(entry)]));
    expect(byName['Litware Ready']).toEqual(['notRecorded']);
    expect(byName['Litware Sales']).toEqual(['appNotAssignedToGroup', 'notRecorded']);
    expect(byName['Litware Kiosks']).toEqual(['notRecorded', 'scriptNotSystemContext']);
    expect(byName['Contoso Windows 365']).toEqual(['noGroup']);
    const sales = entryNamed(report, 'Litware Sales').findings.find((finding) => finding.code === 'appNotAssignedToGroup');
    expect(sales?.detail).toBe('"Litware CRM" is not assigned to the device group "Litware sales devices": devices skip it during setup. Assign it to the device group "Litware sales devices" as required.');
    expect(sales?.fix).toEqual({ kind: 'app', id: expect.any(String), displayName: 'Litware CRM' });
  });
});
