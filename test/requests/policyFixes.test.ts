/**
 * The one-click fix (issue 20): an approver assigns a selected app or script to its policy's device group,
 * through the real inventory, fixer and Graph adapter against the emulator over HTTP, on SQLite and PostgreSQL:
 * one assignment added and every other kept, the finding re-checked at the click, refusals and audit.
 */
import type { RequestsService } from '../../src/requests/types';
import type { GraphEmulator } from '../../src/sandbox/graphEmulator';
import type { SandboxApp, SandboxScript } from '../../src/sandbox/intuneState';
import type { Store } from '../../src/store';
import { adapterHarnesses } from '../store/support/harness';
import { EMULATED_TOKEN, registerEmulatedWorld, USER_DRIVEN } from './support/emulated';
import { approver, helpdesk, otherApprover } from './support/world';

describe.each(adapterHarnesses())('assigning to the device group on %s', (_name, factory) => {
  const run = factory ? it : it.skip;
  const world = registerEmulatedWorld(factory, { readiness: true });
  let emulator: GraphEmulator;
  let store: Store;
  let service: RequestsService;
  beforeEach(() => {
    if (factory) ({ emulator, store, service } = world.current());
  });

  /** A policy with its device group, assigned to a user group, selecting the given apps and scripts. */
  const scene = (select: { apps?: SandboxApp[]; scripts?: SandboxScript[] }) => {
    const admin = emulator.admin;
    const devices = admin.addGroup({ displayName: 'Sales devices', ownerIds: [admin.ownerServicePrincipalId as string] });
    const policy = admin.addPolicy({ name: 'Contoso Sales', templateId: USER_DRIVEN, membershipTargetIds: [devices.id] });
    admin.intune.selectForPolicy(policy.id, select);
    admin.intune.assignPolicy(policy.id, [{ kind: 'group', groupId: users.id }]);
    return { devices, policy };
  };
  let users: { id: string };
  beforeEach(() => {
    if (factory) users = emulator.admin.addGroup({ displayName: 'Sales staff' });
  });

  const assignmentsOf = (app: SandboxApp) => emulator.admin.intune.app(app.id)?.assignments.map(({ id, intent, target, settings }) => ({ id, intent, target, settings }));
  const assignWrites = () => emulator.requestLog.filter((entry) => entry.method === 'POST' && /\/assign$/.test(entry.path));
  const auditOf = async () => (await store.listAudit()).map((entry) => [entry.kind, entry.detail ?? '']);

  run('adds one required assignment to the device group and keeps every other exactly: required, available, uninstall, exclusions', async () => {
    const leavers = emulator.admin.addGroup({ displayName: 'Leavers' });
    const crm = emulator.admin.intune.addApp({
      displayName: 'Litware CRM',
      appType: 'win32LobApp',
      runAsAccount: 'system',
      assignments: [
        { intent: 'required', target: { kind: 'group', groupId: users.id } },
        { intent: 'available', target: { kind: 'allLicensedUsers' } },
        { intent: 'uninstall', target: { kind: 'group', groupId: leavers.id } },
        { intent: 'required', target: { kind: 'exclusionGroup', groupId: leavers.id } },
      ],
    });
    const { devices, policy } = scene({ apps: [crm] });
    const before = await service.listPolicies(approver);
    // The hand-made group is also not recorded: Adopt is offered beside Assign (apps and scripts do not block it).
    expect(before).toMatchObject({ kind: 'listed', policies: [{ findings: [{ code: 'notRecorded' }, { code: 'appNotAssignedToGroup', fix: { kind: 'app', id: crm.id, displayName: 'Litware CRM' } }], actions: ['adopt', 'assign'] }] });
    const kept = assignmentsOf(crm);

    const result = await service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: crm.id }, approver);
    expect(result).toEqual({ kind: 'assigned', item: { kind: 'app', displayName: 'Litware CRM', policyName: 'Contoso Sales', groupName: 'Sales devices' } });
    const after = assignmentsOf(crm);
    expect(after?.slice(0, 4)).toEqual(kept);
    expect(after?.slice(4)).toEqual([expect.objectContaining({ intent: 'required', target: { kind: 'group', groupId: devices.id } })]);
    expect(assignWrites()).toHaveLength(1);

    const [requested, assigned] = (await store.listAudit()).filter((entry) => entry.kind.startsWith('assign'));
    expect(requested).toMatchObject({ kind: 'assignRequested', actor: approver, policyKey: 'contoso sales', detail: `the app ${crm.id} to the device group "Sales devices" (${devices.id}) of Intune policy "Contoso Sales" (${policy.id})` });
    expect(assigned).toMatchObject({ kind: 'assigned', actor: approver, detail: `${requested?.detail}: "Litware CRM": one assignment added, the others kept` });
    // The Graph request ids of the re-check reads (batched: each inner answer's own), the write and its read-back.
    const ids = assigned?.graphRequestId?.split(' ') ?? [];
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(ids).toContain(assignWrites()[0]?.requestId);

    // The finding cleared; what is left is adopting the correct hand-made group.
    expect(await service.listPolicies(approver)).toMatchObject({ kind: 'listed', policies: [{ findings: [{ code: 'notRecorded' }], actions: ['adopt'] }] });
  });

  run('says "already assigned" on a second click or another approver\'s, and writes nothing', async () => {
    const crm = emulator.admin.intune.addApp({ displayName: 'Litware CRM', appType: 'winGetApp', runAsAccount: 'system' });
    const { policy } = scene({ apps: [crm] });
    expect(await service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: crm.id }, approver)).toMatchObject({ kind: 'assigned' });
    expect(await service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: crm.id }, otherApprover)).toMatchObject({ kind: 'alreadyAssigned', item: { displayName: 'Litware CRM' } });
    expect(assignWrites()).toHaveLength(1);
    expect(emulator.admin.intune.app(crm.id)?.assignments).toHaveLength(1);
    expect((await auditOf()).filter(([kind]) => kind === 'assigned').map(([, detail]) => detail.split('"Litware CRM": ').at(-1))).toEqual(['one assignment added, the others kept', 'already assigned; nothing written']);
  });

  run('assigns two approvers\' simultaneous clicks once: one assignment to the group, the others kept', async () => {
    const crm = emulator.admin.intune.addApp({ displayName: 'Litware CRM', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'available', target: { kind: 'allLicensedUsers' } }] });
    const { devices, policy } = scene({ apps: [crm] });
    const results = await Promise.all([approver, otherApprover].map((actor) => service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: crm.id }, actor)));
    expect(results.map((result) => result.kind).sort()).toEqual(expect.arrayContaining(['assigned']));
    const targets = emulator.admin.intune.app(crm.id)?.assignments.map((each) => [each.intent, each.target]);
    expect(targets).toEqual([['available', { kind: 'allLicensedUsers' }], ['required', { kind: 'group', groupId: devices.id }]]);
  });

  run('adds a script assignment and keeps the others (All devices, an exclusion)', async () => {
    const other = emulator.admin.addGroup({ displayName: 'Other' });
    const rename = emulator.admin.intune.addScript({ displayName: 'Rename device', runAsAccount: 'system', assignments: [{ kind: 'allDevices' }, { kind: 'exclusionGroup', groupId: other.id }] });
    const { devices, policy } = scene({ scripts: [rename] });
    expect(await service.assignToDeviceGroup({ policyId: policy.id, kind: 'script', itemId: rename.id }, approver)).toMatchObject({ kind: 'assigned', item: { kind: 'script', displayName: 'Rename device' } });
    expect(emulator.admin.intune.script(rename.id)?.assignments.map((each) => each.target)).toEqual([{ kind: 'allDevices' }, { kind: 'exclusionGroup', groupId: other.id }, { kind: 'group', groupId: devices.id }]);
  });

  run('refuses helpdesk staff (audited) and writes nothing', async () => {
    const crm = emulator.admin.intune.addApp({ displayName: 'Litware CRM', appType: 'win32LobApp', runAsAccount: 'system' });
    const { policy } = scene({ apps: [crm] });
    expect(await service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: crm.id }, helpdesk)).toEqual({ kind: 'forbidden', reason: "Only approvers can assign apps and scripts to a policy's device group." });
    expect(await auditOf()).toEqual([['denied', `assign the app ${crm.id} to the device group of policy ${policy.id}: Only approvers can assign apps and scripts to a policy's device group.`]]);
    expect(assignWrites()).toEqual([]);
  });

  run('answers in words when the app was deleted, the policy no longer selects it, or the policy is gone; nothing is written', async () => {
    const crm = emulator.admin.intune.addApp({ displayName: 'Litware CRM', appType: 'win32LobApp', runAsAccount: 'system' });
    const notes = emulator.admin.intune.addApp({ displayName: 'Notes', appType: 'win32LobApp', runAsAccount: 'system' });
    const { policy } = scene({ apps: [crm, notes] });
    emulator.admin.intune.deleteApp(crm.id);
    expect(await service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: crm.id }, approver)).toEqual({
      kind: 'notFound',
      message: "Intune no longer has that app: it was deleted. Remove it from the policy's allowed apps, or select the app that replaced it.",
    });
    emulator.admin.intune.selectForPolicy(policy.id, { apps: [] });
    expect(await service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: notes.id }, approver)).toEqual({ kind: 'notAssigned', reason: 'The policy no longer selects that app, so nothing was assigned.' });
    expect(await service.assignToDeviceGroup({ policyId: 'no-such-policy', kind: 'app', itemId: notes.id }, approver)).toEqual({ kind: 'notFound', message: 'Intune no longer has that device-preparation policy.' });
    expect(assignWrites()).toEqual([]);
    expect((await auditOf()).map(([kind]) => kind)).toEqual(['assignRequested', 'assignFailed', 'assignRequested', 'assignFailed', 'denied']);
  });

  run('assigns by hand, with the admin center path, an app in user context or one the group has another assignment to; never an app of an unknown type', async () => {
    const notes = emulator.admin.intune.addApp({ displayName: 'Notes', appType: 'win32LobApp', runAsAccount: 'user' });
    const { devices, policy } = scene({ apps: [notes] });
    const listed = await service.listPolicies(approver);
    // No Assign for an app assigned by hand; only the correct hand-made group's Adopt.
    expect(listed).toMatchObject({ kind: 'listed', policies: [{ actions: ['adopt'] }] });
    const userContext = await service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: notes.id }, approver);
    expect(userContext).toEqual({ kind: 'notAssigned', reason: expect.stringContaining('in Intune admin center › Apps › All apps › "Notes" › Properties › Assignments › Edit.') });

    const portal = emulator.admin.intune.addApp({ displayName: 'Portal', appType: 'winGetApp', runAsAccount: 'system', assignments: [{ intent: 'available', target: { kind: 'group', groupId: devices.id } }] });
    emulator.admin.intune.selectForPolicy(policy.id, { apps: [portal] });
    const available = await service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: portal.id }, approver);
    expect(available).toEqual({ kind: 'notAssigned', reason: expect.stringContaining('is assigned to the device group "Sales devices" as available, not as required') });
    const future = emulator.admin.intune.addApp({ displayName: 'Hologram', appType: 'futureApp' });
    emulator.admin.intune.selectForPolicy(policy.id, { apps: [future] });
    const unknownType = await service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: future.id }, approver);
    expect(unknownType).toEqual({ kind: 'notAssigned', reason: expect.stringContaining('"Hologram", a futureApp app the bot cannot check') });
    expect(assignWrites()).toEqual([]);
    expect(emulator.admin.intune.app(portal.id)?.assignments.map((each) => each.intent)).toEqual(['available']);
  });

  run('reports throttling of the write that outlasts the retries as Intune refusing, audited with its request id, and changes nothing', async () => {
    const crm = emulator.admin.intune.addApp({ displayName: 'Litware CRM', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'required', target: { kind: 'allDevices' } }] });
    const { policy } = scene({ apps: [crm] });
    // Spend the applications area's write budget (100 per 20 s); a tiny time scale keeps it from refilling.
    emulator.setFaults({ intuneThrottle: { timeScale: 0.0001 } });
    for (let index = 0; index < 100; index++) {
      await fetch(`${emulator.url}/beta/deviceAppManagement/mobileApps/spent/assign`, { method: 'POST', headers: { authorization: `Bearer ${EMULATED_TOKEN}`, 'content-type': 'application/json' }, body: '{}' });
    }
    const result = await service.assignToDeviceGroup({ policyId: policy.id, kind: 'app', itemId: crm.id }, approver);
    expect(result).toEqual({ kind: 'notAssigned', reason: expect.stringMatching(/^Intune refused the assignment: .*429.* Assign it by hand in Intune admin center › Apps › All apps › "Litware CRM" › Properties › Assignments › Edit\.$/) });
    expect(emulator.admin.intune.app(crm.id)?.assignments.map((each) => each.target)).toEqual([{ kind: 'allDevices' }]);
    const failed = (await store.listAudit()).find((entry) => entry.kind === 'assignFailed');
    const throttled = emulator.requestLog.filter((entry) => entry.status === 429 && entry.path.includes(crm.id));
    expect(throttled.length).toBeGreaterThan(0);
    expect(failed?.graphRequestId?.split(' ')).toContain(throttled.at(-1)?.requestId);
  });
});
