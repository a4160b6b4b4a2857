/** The readiness assessment on its own: every finding of issue 20, and the cases where nothing may be claimed. */
import type { AppAssignment, AssignmentTarget, IntuneApp, IntuneScript, Lookup, PolicyDetails, SelectedApp } from '../../src/inventory/intune';
import { assessReadiness, MAX_SELECTED_APPS, MAX_SELECTED_SCRIPTS, type ReadinessFinding, type ReadinessInput } from '../../src/inventory/readiness';

const GROUP = 'group-devices';
const USERS = 'group-users';
const POLICY = 'policy-1';

const toDevices = (intent = 'required', useDeviceContext: boolean | null = null): AppAssignment => ({ intent, target: { kind: 'group', groupId: GROUP }, useDeviceContext });
const win32 = (id: string, overrides: Partial<IntuneApp> = {}): IntuneApp => ({
  id,
  displayName: `App ${id}`,
  appType: 'win32LobApp',
  knownType: true,
  installContext: 'system',
  assignments: [toDevices()],
  ...overrides,
});
const script = (id: string, overrides: Partial<IntuneScript> = {}): IntuneScript => ({
  id,
  displayName: `Script ${id}`,
  runAs: 'system',
  assignments: [{ kind: 'group', groupId: GROUP }],
  ...overrides,
});
const found = <T>(value: T): Lookup<T> => ({ kind: 'found', value });

interface Scene {
  readonly apps?: readonly IntuneApp[];
  readonly missingApps?: readonly string[];
  readonly scripts?: readonly IntuneScript[];
  readonly missingScripts?: readonly string[];
  readonly policyTargets?: readonly AssignmentTarget[];
  readonly problems?: readonly string[];
  readonly selectedApps?: readonly SelectedApp[];
}

function input(scene: Scene, overrides: Partial<ReadinessInput> = {}): ReadinessInput {
  const apps = scene.apps ?? [];
  const scripts = scene.scripts ?? [];
  const details: PolicyDetails = {
    selection: {
      kind: 'read',
      value: {
        apps: scene.selectedApps ?? [...apps.map((app) => ({ id: app.id, declaredType: app.appType })), ...(scene.missingApps ?? []).map((id) => ({ id, declaredType: 'win32LobApp' }))],
        scriptIds: [...scripts.map((each) => each.id), ...(scene.missingScripts ?? [])],
        problems: scene.problems ?? [],
      },
    },
    assignments: { kind: 'read', value: scene.policyTargets ?? [{ kind: 'group', groupId: USERS }] },
  };
  return {
    scenario: 'userDriven',
    deviceGroupId: GROUP,
    deviceGroupName: 'Contoso devices',
    details,
    apps: new Map<string, Lookup<IntuneApp>>([...apps.map((app) => [app.id, found(app)] as const), ...(scene.missingApps ?? []).map((id) => [id, { kind: 'notFound' }] as const)]),
    scripts: new Map<string, Lookup<IntuneScript>>([...scripts.map((each) => [each.id, found(each)] as const), ...(scene.missingScripts ?? []).map((id) => [id, { kind: 'notFound' }] as const)]),
    provisioningPolicies: [],
    policyId: POLICY,
    ...overrides,
  };
}

const codes = (findings: readonly ReadinessFinding[]): string[] => findings.map((finding) => finding.code);
const only = (findings: readonly ReadinessFinding[]): ReadinessFinding => {
  expect(findings).toHaveLength(1);
  return findings[0];
};

describe('readiness of a device-preparation policy', () => {
  it('finds nothing wrong with a ready policy: apps and scripts assigned to the device group in system context, assigned to users', () => {
    const ready = input({
      apps: [win32('a1'), win32('a2', { appType: 'winGetApp' }), win32('a3', { appType: 'officeSuiteApp', installContext: 'alwaysSystem' }), win32('a4', { appType: 'windowsUniversalAppX', installContext: 'perAssignment', assignments: [toDevices('required', true)] })],
      scripts: [script('s1')],
    });
    expect(assessReadiness(ready)).toEqual([]);
  });

  it('names an app not assigned to the device group and offers the fix; one assigned there only as available gets no fix (it is never changed)', () => {
    const findings = assessReadiness(
      input({ apps: [win32('a1', { displayName: 'Company Portal', assignments: [{ intent: 'required', target: { kind: 'group', groupId: USERS }, useDeviceContext: null }] }), win32('a2', { displayName: 'Teams', assignments: [toDevices('available')] })] }),
    );
    expect(codes(findings)).toEqual(['appNotAssignedToGroup', 'appNotAssignedToGroup']);
    expect(findings[0]?.detail).toBe('"Company Portal" is not assigned to the device group "Contoso devices": devices skip it during setup. Assign it to the device group "Contoso devices" as required.');
    expect(findings[0]?.fix).toEqual({ kind: 'app', id: 'a1', displayName: 'Company Portal' });
    expect(findings[1]?.detail).toContain('"Teams" is assigned to the device group "Contoso devices" as available, not as required');
    expect(findings[1]?.fix).toBeUndefined();
  });

  it('counts an app that excludes the device group as not assigned, even with a required assignment to it, without a fix', () => {
    const app = win32('a1', { assignments: [toDevices(), { intent: 'required', target: { kind: 'exclusionGroup', groupId: GROUP }, useDeviceContext: null }] });
    const finding = only(assessReadiness(input({ apps: [app] })));
    expect(finding.code).toBe('appNotAssignedToGroup');
    expect(finding.detail).toContain('excludes the device group "Contoso devices"');
    expect(finding.fix).toBeUndefined();
  });

  it('offers no fix for an app or script that does not run in system context, and says where to assign it by hand', () => {
    const findings = assessReadiness(
      input({ apps: [win32('a1', { displayName: 'Notes', installContext: 'user', assignments: [] })], scripts: [script('s1', { displayName: 'Drives', runAs: 'user', assignments: [] })] }),
    );
    expect(codes(findings)).toEqual(['appNotAssignedToGroup', 'appNotSystemContext', 'scriptNotAssignedToGroup', 'scriptNotSystemContext']);
    expect(findings.map((finding) => finding.fix)).toEqual([undefined, undefined, undefined, undefined]);
    expect(findings[0]?.detail).toBe(
      '"Notes" is not assigned to the device group "Contoso devices": devices skip it during setup. Assign it to the device group "Contoso devices" as required in Intune admin center › Apps › All apps › "Notes" › Properties › Assignments › Edit.',
    );
    expect(findings[2]?.detail).toContain('in Intune admin center › Devices › Scripts and remediations › Platform scripts › "Drives" › Properties › Assignments › Edit.');
  });

  it('says to remove the exclusion where an app or script excludes the device group', () => {
    const app = win32('a1', { displayName: 'Teams', assignments: [{ intent: 'required', target: { kind: 'exclusionGroup', groupId: GROUP }, useDeviceContext: null }] });
    const excluded = script('s1', { assignments: [{ kind: 'exclusionGroup', groupId: GROUP }] });
    const findings = assessReadiness(input({ apps: [app], scripts: [excluded] }));
    expect(findings.map((finding) => finding.detail.endsWith('Edit, and remove the exclusion.'))).toEqual([true, true]);
  });

  it('does not count All devices as the device group (device preparation installs what is assigned to its group)', () => {
    const app = win32('a1', { assignments: [{ intent: 'required', target: { kind: 'allDevices' }, useDeviceContext: null }] });
    expect(codes(assessReadiness(input({ apps: [app] })))).toEqual(['appNotAssignedToGroup']);
  });

  it('reports user context for Win32 and WinGet apps, for an MSI installed per user, and for an AppX assigned in user context', () => {
    const findings = assessReadiness(
      input({
        apps: [
          win32('a1', { displayName: 'Win32 user', installContext: 'user' }),
          win32('a2', { displayName: 'Store user', appType: 'winGetApp', installContext: 'user' }),
          win32('a3', { displayName: 'MSI user', appType: 'windowsMobileMSI', installContext: 'user' }),
          win32('a4', { displayName: 'AppX user', appType: 'windowsUniversalAppX', installContext: 'perAssignment', assignments: [toDevices('required', false)] }),
        ],
      }),
    );
    expect(codes(findings)).toEqual(['appNotSystemContext', 'appNotSystemContext', 'appNotSystemContext', 'appNotSystemContext']);
    expect(findings[0]?.detail).toBe('"Win32 user" installs in user context, which device preparation skips: set its install behavior to System.');
    expect(findings[2]?.detail).toContain('add the MSI again with install context Device');
    expect(findings[3]?.detail).toContain("set the assignment's install context to Device");
  });

  it('claims nothing about an app whose context is left open (an MSI without useDeviceContext)', () => {
    expect(assessReadiness(input({ apps: [win32('a1', { appType: 'windowsMobileMSI', installContext: 'unknown' })] }))).toEqual([]);
  });

  it('names a deleted app and a deleted script', () => {
    const findings = assessReadiness(input({ missingApps: ['gone-app'], missingScripts: ['gone-script'] }));
    expect(codes(findings)).toEqual(['appNotFound', 'scriptNotFound']);
    expect(findings[0]?.detail).toContain('the app gone-app, which no longer exists in Intune');
    expect(findings[1]?.detail).toContain('the script gone-script, which no longer exists in Intune');
  });

  it('reports an app type the bot does not know, asking for a check in the admin center, and nothing else about it', () => {
    const finding = only(assessReadiness(input({ apps: [win32('a1', { displayName: 'Odd', appType: 'futureApp', knownType: false, installContext: 'unknown', assignments: [] })] })));
    expect(finding.code).toBe('unknownAppType');
    expect(finding.detail).toContain('"Odd", a futureApp app the bot cannot check');
  });

  it('names a script not assigned to the device group (with the fix) and one running as the user', () => {
    const findings = assessReadiness(input({ scripts: [script('s1', { displayName: 'Rename', assignments: [{ kind: 'allDevices' }] }), script('s2', { displayName: 'Drive map', runAs: 'user' })] }));
    expect(codes(findings)).toEqual(['scriptNotAssignedToGroup', 'scriptNotSystemContext']);
    expect(findings[0]?.detail).toBe('"Rename" is not assigned to the device group "Contoso devices": devices skip it during setup. Assign it to the device group "Contoso devices".');
    expect(findings[0]?.fix).toEqual({ kind: 'script', id: 's1', displayName: 'Rename' });
    expect(findings[1]?.detail).toContain('set "Run this script using the logged on credentials" to No');
  });

  it(`allows ${MAX_SELECTED_APPS} apps and ${MAX_SELECTED_SCRIPTS} scripts, and counts one more as too many (each id once)`, () => {
    const apps = Array.from({ length: MAX_SELECTED_APPS }, (_, index) => win32(`a${index}`));
    const scripts = Array.from({ length: MAX_SELECTED_SCRIPTS }, (_, index) => script(`s${index}`));
    expect(assessReadiness(input({ apps, scripts }))).toEqual([]);
    const doubled = input({ apps, scripts, selectedApps: [...apps, apps[0]].map((app) => ({ id: app.id, declaredType: app.appType })) });
    expect(assessReadiness(doubled)).toEqual([]);
    const findings = assessReadiness(input({ apps: [...apps, win32('extra')], scripts: [...scripts, script('extra')] }));
    expect(codes(findings)).toEqual(['tooManyApps', 'tooManyScripts']);
    expect(findings[0]?.detail).toBe(`The policy selects ${MAX_SELECTED_APPS + 1} apps; device preparation installs at most ${MAX_SELECTED_APPS}. Remove 1 from its allowed apps.`);
  });

  it('judges a user-driven policy by whether it reaches users: none, only All devices, only its own device group, only an exclusion', () => {
    const notAssigned = (targets: readonly AssignmentTarget[]): string => only(assessReadiness(input({ policyTargets: targets }))).detail;
    expect(notAssigned([])).toContain('assigned to no user group');
    expect(notAssigned([{ kind: 'allDevices' }])).toContain('assigned only to All devices, which does nothing for a user-driven policy');
    expect(notAssigned([{ kind: 'group', groupId: GROUP }])).toContain('assigned only to its own device group');
    expect(notAssigned([{ kind: 'exclusionGroup', groupId: USERS }])).toContain('assigned to no user group');
    expect(assessReadiness(input({ policyTargets: [{ kind: 'allLicensedUsers' }] }))).toEqual([]);
    expect(assessReadiness(input({ policyTargets: [{ kind: 'allDevices' }, { kind: 'group', groupId: USERS }] }))).toEqual([]);
    // A target type the bot does not know may reach users: nothing is claimed.
    expect(assessReadiness(input({ policyTargets: [{ kind: 'other', odataType: 'configurationManagerCollectionAssignmentTarget' }] }))).toEqual([]);
  });

  it('judges an automatic policy by the Windows 365 provisioning policies that use it, not by its assignments', () => {
    const automatic = (provisioningPolicies: ReadinessInput['provisioningPolicies']) => assessReadiness(input({ policyTargets: [] }, { scenario: 'automatic', provisioningPolicies }));
    expect(automatic([{ id: 'pp', displayName: 'Cloud PCs', devicePreparationPolicyId: POLICY }])).toEqual([]);
    expect(codes(automatic([{ id: 'pp', displayName: 'Cloud PCs', devicePreparationPolicyId: 'another' }]))).toEqual(['policyNotAssigned']);
    // Provisioning policies this caller may not read: nothing is claimed.
    expect(automatic(undefined)).toEqual([]);
  });

  it('without a device group, checks counts, existence and context but claims no missing assignment', () => {
    const findings = assessReadiness(input({ apps: [win32('a1', { installContext: 'user', assignments: [] })], scripts: [script('s1', { assignments: [] })], missingApps: ['gone'] }, { deviceGroupId: null, deviceGroupName: null }));
    expect(codes(findings)).toEqual(['appNotSystemContext', 'appNotFound']);
  });

  it('turns settings and assignments in an unexpected shape, and odd setting values, into worded findings', () => {
    const odd = assessReadiness(input({ problems: ['The allowed apps hold a value that is not the JSON Intune writes: "not json".'] }));
    expect(odd).toEqual([{ code: 'unreadable', detail: 'The allowed apps hold a value that is not the JSON Intune writes: "not json".' }]);
    const unreadable = assessReadiness({ ...input({}), details: { selection: { kind: 'unreadable', reason: 'value Expected array' }, assignments: { kind: 'unreadable', reason: 'target Required' } } });
    expect(unreadable.map((finding) => finding.detail)).toEqual([
      "Intune returned the policy's settings in an unexpected shape, so its apps and scripts were not checked: value Expected array",
      "Intune returned the policy's assignments in an unexpected shape, so whom it applies to was not checked: target Required",
    ]);
    const appUnreadable = assessReadiness({ ...input({ selectedApps: [{ id: 'x', declaredType: 'win32LobApp' }] }), apps: new Map([['x', { kind: 'unreadable', reason: 'displayName Required' }]]) });
    expect(codes(appUnreadable)).toEqual(['unreadable']);
  });
});
