/**
 * Intune JSON around a device-preparation policy (issue 20), validated once at the edge and turned into the
 * inventory's terms: a policy's settings and assignments, mobile apps and platform scripts with their
 * assignments, Windows 365 provisioning policies. Sources of every shape: docs/graph-fidelity.md.
 */
import { z } from 'zod';
import type {
  AppAssignment,
  AssignmentTarget,
  CloudPcProvisioningPolicy,
  InstallContext,
  IntuneApp,
  IntuneScript,
  Lookup,
  PolicySelection,
  Readable,
  SelectedApp,
} from '../inventory/intune';

/** The settings of a device-preparation policy that select apps and scripts (Terraform provider reads both ids of each). */
export const ALLOWED_APPS_SETTINGS: ReadonlySet<string> = new Set(['enrollment_autopilot_dpp_allowedappids', 'enrollment_autopilot_dpp_allowedapps']);
export const ALLOWED_SCRIPTS_SETTINGS: ReadonlySet<string> = new Set(['enrollment_autopilot_dpp_allowedscriptids', 'enrollment_autopilot_dpp_allowedscripts']);

/** `#microsoft.graph.win32LobApp` and `microsoft.graph.win32LobApp` (both appear in Microsoft's examples) → `win32LobApp`. */
export function odataTypeName(odataType: string): string {
  return odataType.replace(/^#/, '').replace(/^microsoft\.graph\./, '');
}

const assignmentTargetSchema = z.object({ '@odata.type': z.string().min(1), groupId: z.string().min(1).nullable().optional() }).passthrough();

export function assignmentTargetFrom(target: z.infer<typeof assignmentTargetSchema>): AssignmentTarget {
  const type = odataTypeName(target['@odata.type']);
  const groupId = target.groupId ?? undefined;
  if (type === 'groupAssignmentTarget' && groupId) return { kind: 'group', groupId };
  if (type === 'exclusionGroupAssignmentTarget' && groupId) return { kind: 'exclusionGroup', groupId };
  if (type === 'allDevicesAssignmentTarget') return { kind: 'allDevices' };
  if (type === 'allLicensedUsersAssignmentTarget') return { kind: 'allLicensedUsers' };
  return { kind: 'other', odataType: type };
}

/** `GET …/configurationPolicies/{id}/assignments`: deviceManagementConfigurationPolicyAssignment items. */
export const policyAssignmentSchema = z.object({ target: assignmentTargetSchema });

/** A settings item as far as the selection needs it; other settings of the policy pass through unread. */
const settingSchema = z.object({
  settingInstance: z
    .object({
      '@odata.type': z.string(),
      settingDefinitionId: z.string(),
      simpleSettingCollectionValue: z.array(z.object({ value: z.unknown() }).passthrough()).nullable().optional(),
    })
    .passthrough(),
});

/** An allowed app as Intune writes it: a JSON string `{"id":"…","type":"#microsoft.graph.<appType>"}`. */
const allowedAppValueSchema = z.object({ id: z.string().min(1), type: z.string().min(1) });

/** What the policy's `settings` select. Values not in Intune's shape become problems; the others still count. */
export function selectionFromSettings(items: readonly unknown[]): Readable<PolicySelection> {
  const apps: SelectedApp[] = [];
  const scriptIds: string[] = [];
  const problems: string[] = [];
  for (const item of items) {
    const parsed = settingSchema.safeParse(item);
    if (!parsed.success) return { kind: 'unreadable', reason: zodIssues(parsed.error) };
    const instance = parsed.data.settingInstance;
    const isApps = ALLOWED_APPS_SETTINGS.has(instance.settingDefinitionId);
    if (!isApps && !ALLOWED_SCRIPTS_SETTINGS.has(instance.settingDefinitionId)) continue;
    const what = isApps ? 'allowed apps' : 'allowed scripts';
    const values = instance.simpleSettingCollectionValue;
    if (!values) {
      problems.push(`The policy's ${what} setting is a ${odataTypeName(instance['@odata.type'])}, not the collection Intune writes, so it was not read.`);
      continue;
    }
    for (const { value } of values) {
      if (isApps) {
        const app = allowedAppFrom(value);
        if (app) apps.push(app);
        else problems.push(`The policy's allowed apps hold a value that is not the JSON Intune writes: ${quoted(value)}.`);
      } else if (typeof value === 'string' && value.trim() !== '') {
        scriptIds.push(value.trim());
      } else {
        problems.push(`The policy's allowed scripts hold a value that is not a script id: ${quoted(value)}.`);
      }
    }
  }
  return { kind: 'read', value: { apps, scriptIds, problems } };
}

function allowedAppFrom(value: unknown): SelectedApp | undefined {
  if (typeof value !== 'string') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = allowedAppValueSchema.safeParse(json);
  return parsed.success ? { id: parsed.data.id, declaredType: odataTypeName(parsed.data.type) } : undefined;
}

const runAsSchema = z.string().nullable().optional();

const mobileAppAssignmentSchema = z.object({
  intent: z.string(),
  target: assignmentTargetSchema,
  settings: z.object({ useDeviceContext: z.boolean().nullable().optional() }).passthrough().nullable().optional(),
});

/** `GET /beta/deviceAppManagement/mobileApps/{id}?$expand=assignments`. */
export const mobileAppSchema = z.object({
  '@odata.type': z.string().min(1),
  id: z.string().min(1),
  displayName: z.string(),
  installExperience: z.object({ runAsAccount: runAsSchema }).passthrough().nullable().optional(),
  useDeviceContext: z.boolean().nullable().optional(),
  assignments: z.array(mobileAppAssignmentSchema),
});

type MobileAppJson = z.infer<typeof mobileAppSchema>;

/** How each app type the bot knows says where it installs (the types device preparation accepts). */
const INSTALL_CONTEXT: Readonly<Record<string, (app: MobileAppJson) => InstallContext>> = {
  win32LobApp: (app) => runAsContext(app.installExperience?.runAsAccount),
  win32CatalogApp: (app) => runAsContext(app.installExperience?.runAsAccount),
  winGetApp: (app) => runAsContext(app.installExperience?.runAsAccount),
  // A dual-mode MSI: true = device, false = per user; null = the package's default, which the bot cannot see.
  windowsMobileMSI: (app) => (app.useDeviceContext === true ? 'system' : app.useDeviceContext === false ? 'user' : 'unknown'),
  windowsUniversalAppX: () => 'perAssignment',
  windowsAppX: () => 'perAssignment',
  officeSuiteApp: () => 'alwaysSystem',
  windowsMicrosoftEdgeApp: () => 'alwaysSystem',
};

function runAsContext(runAs: string | null | undefined): InstallContext {
  return runAs === 'system' ? 'system' : runAs === 'user' ? 'user' : 'unknown';
}

export function appFrom(body: unknown): Lookup<IntuneApp> {
  const parsed = mobileAppSchema.safeParse(body);
  if (!parsed.success) return { kind: 'unreadable', reason: zodIssues(parsed.error) };
  const app = parsed.data;
  const appType = odataTypeName(app['@odata.type']);
  const context = INSTALL_CONTEXT[appType];
  const assignments: AppAssignment[] = app.assignments.map((assignment) => ({
    intent: assignment.intent,
    target: assignmentTargetFrom(assignment.target),
    useDeviceContext: assignment.settings?.useDeviceContext ?? null,
  }));
  return { kind: 'found', value: { id: app.id, displayName: app.displayName, appType, knownType: context !== undefined, installContext: context ? context(app) : 'unknown', assignments } };
}

/** `GET /beta/deviceManagement/deviceManagementScripts/{id}?$expand=assignments`. */
export const deviceManagementScriptSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  runAsAccount: runAsSchema,
  assignments: z.array(z.object({ target: assignmentTargetSchema })),
});

export function scriptFrom(body: unknown): Lookup<IntuneScript> {
  const parsed = deviceManagementScriptSchema.safeParse(body);
  if (!parsed.success) return { kind: 'unreadable', reason: zodIssues(parsed.error) };
  const script = parsed.data;
  const runAs = script.runAsAccount === 'system' || script.runAsAccount === 'user' ? script.runAsAccount : null;
  return { kind: 'found', value: { id: script.id, displayName: script.displayName, runAs, assignments: script.assignments.map((each) => assignmentTargetFrom(each.target)) } };
}

/** `GET /beta/deviceManagement/virtualEndpoint/provisioningPolicies` items (cloudPcProvisioningPolicy). */
export const provisioningPolicySchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  autopilotConfiguration: z.object({ devicePreparationProfileId: z.string().nullable().optional() }).passthrough().nullable().optional(),
});

export function provisioningPolicyFrom(policy: z.infer<typeof provisioningPolicySchema>): CloudPcProvisioningPolicy {
  return { id: policy.id, displayName: policy.displayName, devicePreparationPolicyId: policy.autopilotConfiguration?.devicePreparationProfileId ?? null };
}

/** A zod failure as one line: `path message; …`. */
export function zodIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'item'} ${issue.message}`).join('; ');
}

/** A value for a sentence: JSON, cut to a readable length. */
function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
