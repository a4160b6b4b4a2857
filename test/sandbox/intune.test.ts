/**
 * The emulator's Intune modules on their own (issue 20): policy settings and assignments, apps and scripts with
 * their assignments, `assign` replacing the whole set, the documented-but-refused POST to the assignments
 * collections, $batch, and Intune's service limits. (On the wire through the emulator: once wired in.)
 */
import { handleBatch, type InnerRequest } from '../../src/sandbox/batchRoute';
import { isErrorReply, type GraphReply } from '../../src/sandbox/graphWire';
import { routeIntuneRequest, type IntuneRouteContext, type IntuneRouteRequest } from '../../src/sandbox/intuneRoutes';
import { intuneStateSchema, SandboxIntune } from '../../src/sandbox/intuneState';
import { seedReadinessCases } from '../../src/sandbox/readinessSeed';
import { INTUNE_LIMITS } from '../../src/graph/intuneLimits';
import { IntuneThrottle } from '../../src/sandbox/intuneThrottle';

const POLICY = 'p1';
let intune: SandboxIntune;
let context: IntuneRouteContext;

beforeEach(() => {
  intune = new SandboxIntune();
  context = { intune, policyExists: (id) => id === POLICY };
});

function call(method: string, pathAndQuery: string, body?: unknown, version: 'beta' | 'v1.0' = 'beta', routeContext = context): GraphReply | undefined {
  const url = new URL(pathAndQuery, 'http://emulator.invalid');
  const request: IntuneRouteRequest = { method, version, path: url.pathname, query: url.searchParams, body };
  return routeIntuneRequest(request, routeContext);
}

const bodyOf = (reply: GraphReply | undefined): Record<string, unknown> => {
  if (!reply || isErrorReply(reply)) throw new Error(`expected a success, got ${JSON.stringify(reply)}`);
  return reply.body as Record<string, unknown>;
};

describe('Intune routes of the emulator', () => {
  it('answers a policy\'s settings as Intune writes them (each app a JSON string) and its assignments, by id and by key', () => {
    const app = intune.addApp({ displayName: 'Portal', appType: 'win32LobApp', runAsAccount: 'system' });
    const script = intune.addScript({ displayName: 'Rename', runAsAccount: 'system' });
    intune.selectForPolicy(POLICY, { apps: [app], scripts: [script] });
    intune.assignPolicy(POLICY, [{ kind: 'group', groupId: 'users' }]);
    const settings = bodyOf(call('GET', `/deviceManagement/configurationPolicies/${POLICY}/settings`)).value as { settingInstance: { simpleSettingCollectionValue: { value: string }[] } }[];
    expect(settings[0]?.settingInstance.simpleSettingCollectionValue[0]?.value).toBe(JSON.stringify({ id: app.id, type: '#microsoft.graph.win32LobApp' }));
    expect(settings[1]?.settingInstance.simpleSettingCollectionValue[0]?.value).toBe(script.id);
    const assignments = bodyOf(call('GET', `/deviceManagement/configurationPolicies('${POLICY}')/assignments`)).value as { target: unknown }[];
    expect(assignments[0]?.target).toMatchObject({ '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'users' });
    expect(call('GET', '/deviceManagement/configurationPolicies/other/settings')).toMatchObject({ status: 404 });
    expect(call('GET', `/deviceManagement/configurationPolicies/${POLICY}/settings`, undefined, 'v1.0')).toMatchObject({ status: 400 });
  });

  it('reads an app with $expand=assignments (Win32 with its installExperience), 404 for a deleted one, 400 for another expand', () => {
    const app = intune.addApp({ displayName: 'Portal', appType: 'win32LobApp', runAsAccount: 'user', assignments: [{ intent: 'required', target: { kind: 'group', groupId: 'g' } }] });
    const json = bodyOf(call('GET', `/deviceAppManagement/mobileApps/${app.id}?$expand=assignments`));
    expect(json).toMatchObject({ '@odata.type': '#microsoft.graph.win32LobApp', installExperience: { runAsAccount: 'user' }, assignments: [{ intent: 'required', target: { groupId: 'g' } }] });
    expect(bodyOf(call('GET', `/deviceAppManagement/mobileApps/${app.id}`)).assignments).toBeUndefined();
    expect(call('GET', `/deviceAppManagement/mobileApps/${app.id}?$expand=categories`)).toMatchObject({ status: 400 });
    intune.deleteApp(app.id);
    expect(call('GET', `/deviceAppManagement/mobileApps/${app.id}?$expand=assignments`)).toMatchObject({ status: 404 });
  });

  it('replaces every assignment of an app on assign: what the body leaves out is gone', () => {
    const app = intune.addApp({ displayName: 'Portal', appType: 'winGetApp', runAsAccount: 'system', assignments: [{ intent: 'available', target: { kind: 'allLicensedUsers' } }] });
    const reply = call('POST', `/deviceAppManagement/mobileApps/${app.id}/assign`, {
      mobileAppAssignments: [{ '@odata.type': '#microsoft.graph.mobileAppAssignment', intent: 'required', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'devices' } }],
    });
    expect(reply).toEqual({ status: 204 });
    expect(intune.app(app.id)?.assignments.map((each) => [each.intent, each.target])).toEqual([['required', { kind: 'group', groupId: 'devices' }]]);
    expect(call('POST', `/deviceAppManagement/mobileApps/${app.id}/assign`, { mobileAppAssignments: [{ intent: 'sometimes', target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] })).toMatchObject({ status: 400 });
  });

  it('refuses assign bodies in other shapes with 400 and changes nothing; an assignment sent back keeps its id, a new one gets its own', () => {
    const app = intune.addApp({ displayName: 'Portal', appType: 'winGetApp', runAsAccount: 'system', assignments: [{ intent: 'available', target: { kind: 'allLicensedUsers' } }] });
    const script = intune.addScript({ displayName: 'Rename', runAsAccount: 'system', assignments: [{ kind: 'allDevices' }] });
    const group = (groupId?: string) => ({ '@odata.type': '#microsoft.graph.groupAssignmentTarget', ...(groupId ? { groupId } : {}) });
    const appPath = `/deviceAppManagement/mobileApps/${app.id}/assign`;
    const scriptPath = `/deviceManagement/deviceManagementScripts/${script.id}/assign`;
    for (const body of [{}, { mobileAppAssignments: {} }, { mobileAppAssignments: [{ target: group('devices') }] }, { mobileAppAssignments: [{ intent: 'required', target: group() }] }, { mobileAppAssignments: [{ intent: 'required', target: { '@odata.type': '#microsoft.graph.somethingElse' } }] }]) {
      expect(call('POST', appPath, body)).toMatchObject({ status: 400 });
    }
    for (const body of [{ deviceManagementScriptAssignments: 'all' }, { deviceManagementScriptAssignments: [{}] }, { deviceManagementScriptAssignments: [{ target: group() }] }]) {
      expect(call('POST', scriptPath, body)).toMatchObject({ status: 400 });
    }
    expect(intune.app(app.id)?.assignments.map((each) => each.target)).toEqual([{ kind: 'allLicensedUsers' }]);
    expect(intune.script(script.id)?.assignments.map((each) => each.target)).toEqual([{ kind: 'allDevices' }]);

    const [kept] = intune.app(app.id)?.assignments ?? [];
    const sentBack = { id: kept?.id, intent: 'available', target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } };
    expect(call('POST', appPath, { mobileAppAssignments: [sentBack, { intent: 'required', target: group('a') }, { intent: 'required', target: group('b') }] })).toEqual({ status: 204 });
    const ids = intune.app(app.id)?.assignments.map((each) => each.id) ?? [];
    expect(ids[0]).toBe(kept?.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('refuses the documented POST to the assignments collections as Intune does, unless told to create', () => {
    const app = intune.addApp({ displayName: 'Portal', appType: 'win32LobApp', runAsAccount: 'system' });
    const script = intune.addScript({ displayName: 'Rename', runAsAccount: 'system' });
    const body = { intent: 'required', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'devices' } };
    expect(call('POST', `/deviceAppManagement/mobileApps/${app.id}/assignments`, body)).toMatchObject({ status: 400, error: { code: 'No method match route template' } });
    expect(call('POST', `/deviceManagement/deviceManagementScripts/${script.id}/assignments`, body)).toMatchObject({ status: 400 });
    const creating = { ...context, variations: { assignmentCreate: 'create' as const } };
    expect(call('POST', `/deviceAppManagement/mobileApps/${app.id}/assignments`, body, 'beta', creating)).toMatchObject({ status: 201 });
    expect(intune.app(app.id)?.assignments).toHaveLength(1);
  });

  it('reads a script with runAsAccount and its assignments, and replaces them on assign', () => {
    const script = intune.addScript({ displayName: 'Drive map', runAsAccount: 'user', assignments: [{ kind: 'allDevices' }] });
    expect(bodyOf(call('GET', `/deviceManagement/deviceManagementScripts/${script.id}?$expand=assignments`))).toMatchObject({ runAsAccount: 'user', assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] });
    expect(call('POST', `/deviceManagement/deviceManagementScripts/${script.id}/assign`, { deviceManagementScriptAssignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'devices' } }] })).toEqual({ status: 204 });
    expect(intune.script(script.id)?.assignments.map((each) => each.target)).toEqual([{ kind: 'group', groupId: 'devices' }]);
  });

  it('lists Windows 365 provisioning policies with the device-preparation policy each uses, and leaves other paths alone', () => {
    intune.addProvisioningPolicy({ displayName: 'Cloud PCs', devicePreparationPolicyId: POLICY });
    expect(bodyOf(call('GET', '/deviceManagement/virtualEndpoint/provisioningPolicies')).value).toEqual([expect.objectContaining({ displayName: 'Cloud PCs', autopilotConfiguration: expect.objectContaining({ devicePreparationProfileId: POLICY }) })]);
    expect(call('GET', '/groups/1')).toBeUndefined();
  });
});

describe('$batch of the emulator', () => {
  const echo = (request: InnerRequest) => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: { url: request.url } });
  const requests = (count: number) => Array.from({ length: count }, (_, index) => ({ id: String(index + 1), method: 'GET', url: `/things/${index}` }));

  it('answers each request with its own status, in another order than asked', () => {
    const reply = handleBatch({ requests: requests(3) }, (request) => (request.url === '/things/1' ? { status: 404, headers: {}, body: { error: { code: 'NotFound', message: 'x' } } } : echo(request)));
    const responses = bodyOf(reply).responses as { id: string; status: number }[];
    expect(responses.map((response) => [response.id, response.status])).toEqual([['3', 200], ['2', 404], ['1', 200]]);
  });

  it('refuses more than 20 requests, duplicate ids and a nested batch with 400; a body without Content-Type is that request\'s 400', () => {
    expect(handleBatch({ requests: requests(21) }, echo)).toMatchObject({ status: 400 });
    expect(handleBatch({ requests: [...requests(1), ...requests(1)] }, echo)).toMatchObject({ status: 400 });
    expect(handleBatch({ requests: [{ id: '1', method: 'POST', url: '/$batch', body: {}, headers: { 'Content-Type': 'application/json' } }] }, echo)).toMatchObject({ status: 400 });
    const responses = bodyOf(handleBatch({ requests: [{ id: '1', method: 'POST', url: '/act', body: {} }] }, echo)).responses as { status: number }[];
    expect(responses[0]?.status).toBe(400);
  });

  it('answers 424 for a request whose dependency failed, without running it', () => {
    const ran: string[] = [];
    const reply = handleBatch({ requests: [{ id: '1', method: 'GET', url: '/fails' }, { id: '2', method: 'GET', url: '/after', dependsOn: ['1'] }] }, (request) => {
      ran.push(request.url);
      return { status: 500, headers: {}, body: undefined };
    });
    expect(ran).toEqual(['/fails']);
    expect((bodyOf(reply).responses as { id: string; status: number }[]).find((response) => response.id === '2')?.status).toBe(424);
  });
});

describe('Intune service limits of the emulator', () => {
  it(`lets ${INTUNE_LIMITS.deviceConfigV2.any} reads of policies through per window, then 429 with Retry-After; refills with time`, () => {
    let clock = 0;
    const throttle = new IntuneThrottle({}, () => clock);
    for (let index = 0; index < INTUNE_LIMITS.deviceConfigV2.any; index++) expect(throttle.admit('GET', '/deviceManagement/configurationPolicies/p/settings')).toBeUndefined();
    const refused = throttle.admit('GET', '/deviceManagement/configurationPolicies/p/assignments');
    expect(refused).toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
    // Another area has its own budget; the directory is not Intune's.
    expect(throttle.admit('GET', '/deviceAppManagement/mobileApps/a')).toBeUndefined();
    expect(throttle.admit('GET', '/groups/g')).toBeUndefined();
    clock += 20_000;
    expect(throttle.admit('GET', '/deviceManagement/configurationPolicies/p/settings')).toBeUndefined();
  });

  it(`counts a POST (even a read such as retrieve…) against the write limit of ${INTUNE_LIMITS.deviceConfigV2.write}`, () => {
    const throttle = new IntuneThrottle({}, () => 0);
    const path = "/deviceManagement/configurationPolicies('p')/retrieveEnrollmentTimeDeviceMembershipTarget";
    for (let index = 0; index < INTUNE_LIMITS.deviceConfigV2.write; index++) expect(throttle.admit('POST', path)).toBeUndefined();
    expect(throttle.admit('POST', path)).toMatchObject({ status: 429 });
    expect(throttle.admit('GET', '/deviceManagement/configurationPolicies/p/settings')).toBeUndefined();
  });

  it('counts an assign as a write of its area: apps against the applications limit, scripts against the devices limit', () => {
    const throttle = new IntuneThrottle({}, () => 0);
    for (let index = 0; index < INTUNE_LIMITS.applications.write; index++) expect(throttle.admit('POST', '/deviceAppManagement/mobileApps/a/assign')).toBeUndefined();
    expect(throttle.admit('POST', '/deviceAppManagement/mobileApps/a/assign')).toMatchObject({ status: 429 });
    expect(throttle.admit('GET', '/deviceAppManagement/mobileApps/a')).toBeUndefined();
    expect(throttle.admit('POST', '/deviceManagement/deviceManagementScripts/s/assign')).toBeUndefined();
  });

  it('keeps the ratios with a shorter window (timeScale) for tests and the benchmark', () => {
    let clock = 0;
    const throttle = new IntuneThrottle({ timeScale: 20, retryAfterPrecision: 'milliseconds' }, () => clock);
    for (let index = 0; index < INTUNE_LIMITS.devices.any; index++) throttle.admit('GET', '/deviceManagement/deviceManagementScripts/s');
    expect(throttle.admit('GET', '/deviceManagement/deviceManagementScripts/s')).toMatchObject({ status: 429, headers: { 'Retry-After': '0.001' } });
    clock += 1_000;
    expect(throttle.admit('GET', '/deviceManagement/deviceManagementScripts/s')).toBeUndefined();
  });
});

describe('the sandbox scene for readiness', () => {
  it('seeds three policies around shared apps and scripts, each assigned to the staff group', () => {
    let next = 0;
    const policies: { id: string; name: string; templateId: string; membershipTargetIds?: readonly string[] }[] = [];
    const groups: { id: string; displayName: string }[] = [];
    seedReadinessCases(
      {
        ownerServicePrincipalId: 'owner',
        addGroup: (init) => {
          const group = { id: `g${next++}`, displayName: init.displayName };
          groups.push(group);
          return group;
        },
        addPolicy: (init) => {
          const created = { id: `p${next++}`, ...init };
          policies.push(created);
          return created;
        },
        policies: () => policies,
      },
      intune,
    );
    expect(policies.map((each) => each.name)).toEqual(['Litware Ready', 'Litware Sales', 'Litware Kiosks']);
    const staff = groups.find((group) => group.displayName === 'Litware staff');
    for (const each of policies) {
      expect(intune.policyAssignments(each.id).map((assignment) => assignment.target)).toEqual([{ kind: 'group', groupId: staff?.id }]);
      expect(intune.policySettings(each.id)).toHaveLength(2);
    }
  });
});

describe('the Intune state on disk', () => {
  it('comes back the same from its plain-JSON state', () => {
    const app = intune.addApp({ displayName: 'Portal', appType: 'windowsMobileMSI', useDeviceContext: null, assignments: [{ intent: 'required', target: { kind: 'group', groupId: 'g' } }] });
    const script = intune.addScript({ displayName: 'Rename', runAsAccount: 'user', assignments: [{ kind: 'allDevices' }] });
    intune.selectForPolicy(POLICY, { apps: [app], scripts: [script] });
    intune.assignPolicy(POLICY, [{ kind: 'allLicensedUsers' }]);
    intune.addProvisioningPolicy({ displayName: 'Cloud PCs', devicePreparationPolicyId: POLICY });
    const state = intuneStateSchema.parse(JSON.parse(JSON.stringify(intune.state())));
    expect(new SandboxIntune(state).state()).toEqual(intune.state());
  });
});
