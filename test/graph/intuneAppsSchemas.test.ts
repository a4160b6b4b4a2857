/** Intune JSON as Microsoft's docs and the Terraform provider's recorded requests show it, into the inventory's terms. */
import { appFrom, assignmentTargetFrom, provisioningPolicyFrom, provisioningPolicySchema, scriptFrom, selectionFromSettings } from '../../src/graph/intuneAppsSchemas';

const stringValue = (value: unknown) => ({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue', value });
const collection = (settingDefinitionId: string, values: unknown[]) => ({
  id: '0',
  settingInstance: {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance',
    settingDefinitionId,
    settingInstanceTemplateReference: { settingInstanceTemplateId: '70d22a8a-a03c-4f62-b8df-dded3e327639' },
    simpleSettingCollectionValue: values.map(stringValue),
  },
});
const choice = {
  id: '1',
  settingInstance: {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
    settingDefinitionId: 'enrollment_autopilot_dpp_deploymentmode',
    choiceSettingValue: { value: 'enrollment_autopilot_dpp_deploymentmode_0', children: [] },
  },
};

describe('a policy selection from its settings', () => {
  it('reads the allowed apps (JSON strings) and scripts (ids), skipping the other settings', () => {
    const selection = selectionFromSettings([
      choice,
      collection('enrollment_autopilot_dpp_allowedappids', ['{"id":"e83d36e1","type":"#microsoft.graph.win32LobApp"}', '{"id":"3e17a039","type":"#microsoft.graph.winGetApp"}']),
      collection('enrollment_autopilot_dpp_allowedscriptids', ['18e40aa8-88b8-41f7-b80c-a102ce073a1f']),
    ]);
    expect(selection).toEqual({
      kind: 'read',
      value: { apps: [{ id: 'e83d36e1', declaredType: 'win32LobApp' }, { id: '3e17a039', declaredType: 'winGetApp' }], scriptIds: ['18e40aa8-88b8-41f7-b80c-a102ce073a1f'], problems: [] },
    });
  });

  it('keeps the readable values and words the others: not JSON, JSON of another shape, a script value that is not text', () => {
    const selection = selectionFromSettings([
      collection('enrollment_autopilot_dpp_allowedappids', ['not json', '{"id":"a1"}', '{"id":"a2","type":"#microsoft.graph.officeSuiteApp"}']),
      collection('enrollment_autopilot_dpp_allowedscriptids', [42, 's1']),
    ]);
    expect(selection.kind === 'read' && selection.value).toEqual({
      apps: [{ id: 'a2', declaredType: 'officeSuiteApp' }],
      scriptIds: ['s1'],
      problems: [
        'The policy\'s allowed apps hold a value that is not the JSON Intune writes: "not json".',
        'The policy\'s allowed apps hold a value that is not the JSON Intune writes: "{\\"id\\":\\"a1\\"}".',
        "The policy's allowed scripts hold a value that is not a script id: 42.",
      ],
    });
  });

  it('says so when the allowed apps are not a collection, and when a settings item has no instance', () => {
    const single = selectionFromSettings([{ settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance', settingDefinitionId: 'enrollment_autopilot_dpp_allowedappids' } }]);
    expect(single.kind === 'read' && single.value.problems).toEqual(["The policy's allowed apps setting is a deviceManagementConfigurationSimpleSettingInstance, not the collection Intune writes, so it was not read."]);
    expect(selectionFromSettings([{ id: '0' }])).toEqual({ kind: 'unreadable', reason: 'settingInstance Required' });
  });
});

describe('mobile apps, scripts and targets', () => {
  const assignment = (intent: string, target: Record<string, unknown>, settings?: unknown) => ({ id: 'x', intent, target, ...(settings === undefined ? {} : { settings }) });

  it('reads a Win32 app with its install behavior and assignments (targets with or without the leading #)', () => {
    const app = appFrom({
      '@odata.type': '#microsoft.graph.win32LobApp',
      id: 'a1',
      displayName: 'Company Portal',
      installExperience: { '@odata.type': 'microsoft.graph.win32LobAppInstallExperience', runAsAccount: 'user', deviceRestartBehavior: 'suppress' },
      assignments: [assignment('required', { '@odata.type': 'microsoft.graph.groupAssignmentTarget', groupId: 'g1' }), assignment('available', { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' })],
    });
    expect(app).toEqual({
      kind: 'found',
      value: {
        id: 'a1',
        displayName: 'Company Portal',
        appType: 'win32LobApp',
        knownType: true,
        installContext: 'user',
        assignments: [
          { intent: 'required', target: { kind: 'group', groupId: 'g1' }, useDeviceContext: null },
          { intent: 'available', target: { kind: 'allLicensedUsers' }, useDeviceContext: null },
        ],
      },
    });
  });

  it('knows each app type device preparation accepts, and marks another type unknown', () => {
    const contextOf = (body: Record<string, unknown>) => {
      const app = appFrom({ id: 'a', displayName: 'A', assignments: [], ...body });
      return app.kind === 'found' ? [app.value.knownType, app.value.installContext] : app.kind;
    };
    expect(contextOf({ '@odata.type': '#microsoft.graph.winGetApp', installExperience: { runAsAccount: 'system' } })).toEqual([true, 'system']);
    expect(contextOf({ '@odata.type': '#microsoft.graph.windowsMobileMSI', useDeviceContext: false })).toEqual([true, 'user']);
    expect(contextOf({ '@odata.type': '#microsoft.graph.windowsMobileMSI', useDeviceContext: null })).toEqual([true, 'unknown']);
    expect(contextOf({ '@odata.type': '#microsoft.graph.windowsUniversalAppX' })).toEqual([true, 'perAssignment']);
    expect(contextOf({ '@odata.type': '#microsoft.graph.officeSuiteApp' })).toEqual([true, 'alwaysSystem']);
    expect(contextOf({ '@odata.type': '#microsoft.graph.iosStoreApp' })).toEqual([false, 'unknown']);
    expect(contextOf({ '@odata.type': '#microsoft.graph.win32LobApp' })).toEqual([true, 'unknown']);
  });

  it('reads an AppX assignment in device context, and an app without its assignments as unreadable', () => {
    const app = appFrom({
      '@odata.type': '#microsoft.graph.windowsUniversalAppX',
      id: 'a',
      displayName: 'A',
      assignments: [assignment('required', { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g' }, { '@odata.type': '#microsoft.graph.windowsUniversalAppXAppAssignmentSettings', useDeviceContext: true })],
    });
    expect(app.kind === 'found' && app.value.assignments[0]?.useDeviceContext).toBe(true);
    expect(appFrom({ '@odata.type': '#microsoft.graph.win32LobApp', id: 'a', displayName: 'A' })).toEqual({ kind: 'unreadable', reason: 'assignments Required' });
  });

  it('reads a platform script with runAsAccount and its assignment targets', () => {
    const script = scriptFrom({ id: 's', displayName: 'Rename', runAsAccount: 'system', assignments: [{ id: 'x', target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId: 'g' } }] });
    expect(script).toEqual({ kind: 'found', value: { id: 's', displayName: 'Rename', runAs: 'system', assignments: [{ kind: 'exclusionGroup', groupId: 'g' }] } });
  });

  it('maps every target type, an unknown one by its name', () => {
    expect(assignmentTargetFrom({ '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' })).toEqual({ kind: 'allDevices' });
    expect(assignmentTargetFrom({ '@odata.type': '#microsoft.graph.configurationManagerCollectionAssignmentTarget', collectionId: 'c' })).toEqual({ kind: 'other', odataType: 'configurationManagerCollectionAssignmentTarget' });
    // A group target without its group id is not a group target the bot can match.
    expect(assignmentTargetFrom({ '@odata.type': '#microsoft.graph.groupAssignmentTarget' })).toEqual({ kind: 'other', odataType: 'groupAssignmentTarget' });
  });

  it('reads the device-preparation policy a Windows 365 provisioning policy uses', () => {
    const parsed = provisioningPolicySchema.parse({ id: 'pp', displayName: 'Cloud PCs', autopilotConfiguration: { devicePreparationProfileId: 'p1', applicationTimeoutInMinutes: 60, onFailureDeviceAccessDenied: false } });
    expect(provisioningPolicyFrom(parsed)).toEqual({ id: 'pp', displayName: 'Cloud PCs', devicePreparationPolicyId: 'p1' });
    expect(provisioningPolicyFrom(provisioningPolicySchema.parse({ id: 'pp', displayName: 'x', autopilotConfiguration: null }))).toEqual({ id: 'pp', displayName: 'x', devicePreparationPolicyId: null });
  });
});
