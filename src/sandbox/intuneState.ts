/**
 * The sandbox tenant's Intune state around device-preparation policies (issue 20): mobile apps and platform
 * scripts with their assignments, each policy's settings (what it selects) and assignments, and Windows 365
 * provisioning policies. Kept apart from the directory state; the routes in intuneRoutes.ts serve it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** An assignment target as Intune stores it (`#microsoft.graph.groupAssignmentTarget`, …). */
export type SandboxTarget =
  | { readonly kind: 'group'; readonly groupId: string }
  | { readonly kind: 'exclusionGroup'; readonly groupId: string }
  | { readonly kind: 'allDevices' }
  | { readonly kind: 'allLicensedUsers' };

export interface SandboxAppAssignment {
  readonly id: string;
  readonly intent: 'available' | 'required' | 'uninstall' | 'availableWithoutEnrollment';
  readonly target: SandboxTarget;
  /** The assignment's `settings` object as sent (AppX/MSIX: `useDeviceContext`), or null. */
  readonly settings: Readonly<Record<string, unknown>> | null;
}

export interface SandboxApp {
  readonly id: string;
  displayName: string;
  /** Without the namespace: `win32LobApp`, `winGetApp`, `windowsMobileMSI`, `officeSuiteApp`, … */
  readonly appType: string;
  /** Win32 and WinGet apps: `installExperience.runAsAccount`. */
  readonly runAsAccount?: 'system' | 'user';
  /** MSI line-of-business apps: `useDeviceContext` (null: the package's default). */
  readonly useDeviceContext?: boolean | null;
  assignments: SandboxAppAssignment[];
}

export interface SandboxScriptAssignment {
  readonly id: string;
  readonly target: SandboxTarget;
}

export interface SandboxScript {
  readonly id: string;
  displayName: string;
  readonly runAsAccount: 'system' | 'user';
  assignments: SandboxScriptAssignment[];
}

export interface SandboxPolicyAssignment {
  readonly id: string;
  readonly target: SandboxTarget;
}

export interface SandboxProvisioningPolicy {
  readonly id: string;
  readonly displayName: string;
  readonly devicePreparationPolicyId: string | null;
}

/** Setting definition ids and the user-driven template's instance ids (the Terraform provider's recorded requests). */
export const ALLOWED_APPS_DEFINITION = 'enrollment_autopilot_dpp_allowedappids';
export const ALLOWED_SCRIPTS_DEFINITION = 'enrollment_autopilot_dpp_allowedscriptids';
const ALLOWED_APPS_INSTANCE_TEMPLATE = '70d22a8a-a03c-4f62-b8df-dded3e327639';
const ALLOWED_SCRIPTS_INSTANCE_TEMPLATE = '1bc67702-800c-4271-8fd9-609351cc19cf';

const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('group'), groupId: z.string() }),
  z.object({ kind: z.literal('exclusionGroup'), groupId: z.string() }),
  z.object({ kind: z.literal('allDevices') }),
  z.object({ kind: z.literal('allLicensedUsers') }),
]);

/** The Intune state as the tenant file keeps it (plain JSON), so that `npm start` resumes it too. */
export const intuneStateSchema = z.object({
  apps: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      appType: z.string(),
      runAsAccount: z.enum(['system', 'user']).optional(),
      useDeviceContext: z.boolean().nullable().optional(),
      assignments: z.array(z.object({ id: z.string(), intent: z.enum(['available', 'required', 'uninstall', 'availableWithoutEnrollment']), target: targetSchema, settings: z.record(z.unknown()).nullable() })),
    }),
  ),
  scripts: z.array(z.object({ id: z.string(), displayName: z.string(), runAsAccount: z.enum(['system', 'user']), assignments: z.array(z.object({ id: z.string(), target: targetSchema })) })),
  policySettings: z.array(z.object({ policyId: z.string(), items: z.array(z.unknown()) })),
  policyAssignments: z.array(z.object({ policyId: z.string(), assignments: z.array(z.object({ id: z.string(), target: targetSchema })) })),
  provisioningPolicies: z.array(z.object({ id: z.string(), displayName: z.string(), devicePreparationPolicyId: z.string().nullable() })),
});
export type IntuneState = z.infer<typeof intuneStateSchema>;

export class SandboxIntune {
  private readonly appsById = new Map<string, SandboxApp>();
  private readonly scriptsById = new Map<string, SandboxScript>();
  /** Settings JSON items per policy id, exactly as the settings collection answers them. */
  private readonly settingsByPolicy = new Map<string, unknown[]>();
  private readonly assignmentsByPolicy = new Map<string, SandboxPolicyAssignment[]>();
  private readonly provisioningPoliciesById = new Map<string, SandboxProvisioningPolicy>();

  constructor(state?: IntuneState) {
    if (!state) return;
    for (const app of state.apps) this.appsById.set(app.id, { ...app, assignments: [...app.assignments] });
    for (const script of state.scripts) this.scriptsById.set(script.id, { ...script, assignments: [...script.assignments] });
    for (const { policyId, items } of state.policySettings) this.settingsByPolicy.set(policyId, [...items]);
    for (const { policyId, assignments } of state.policyAssignments) this.assignmentsByPolicy.set(policyId, [...assignments]);
    for (const policy of state.provisioningPolicies) this.provisioningPoliciesById.set(policy.id, policy);
  }

  state(): IntuneState {
    return {
      apps: [...this.appsById.values()].map((app) => ({ ...app, assignments: app.assignments.map((each) => ({ ...each })) })),
      scripts: [...this.scriptsById.values()].map((script) => ({ ...script, assignments: [...script.assignments] })),
      policySettings: [...this.settingsByPolicy].map(([policyId, items]) => ({ policyId, items })),
      policyAssignments: [...this.assignmentsByPolicy].map(([policyId, assignments]) => ({ policyId, assignments })),
      provisioningPolicies: [...this.provisioningPoliciesById.values()],
    };
  }

  addApp(init: Omit<SandboxApp, 'id' | 'assignments'> & { readonly id?: string; readonly assignments?: readonly Omit<SandboxAppAssignment, 'id' | 'settings'>[] }): SandboxApp {
    const app: SandboxApp = {
      ...init,
      id: init.id ?? randomUUID(),
      assignments: (init.assignments ?? []).map((assignment) => ({ ...assignment, id: randomUUID(), settings: null })),
    };
    this.appsById.set(app.id, app);
    return app;
  }

  app(id: string): SandboxApp | undefined {
    return this.appsById.get(id);
  }

  deleteApp(id: string): void {
    this.appsById.delete(id);
  }

  addScript(init: Omit<SandboxScript, 'id' | 'assignments'> & { readonly id?: string; readonly assignments?: readonly SandboxTarget[] }): SandboxScript {
    const script: SandboxScript = { ...init, id: init.id ?? randomUUID(), assignments: (init.assignments ?? []).map((target) => ({ id: randomUUID(), target })) };
    this.scriptsById.set(script.id, script);
    return script;
  }

  script(id: string): SandboxScript | undefined {
    return this.scriptsById.get(id);
  }

  deleteScript(id: string): void {
    this.scriptsById.delete(id);
  }

  /** Writes the policy's allowed apps and scripts as Intune stores them: each app a JSON string `{"id","type"}`. */
  selectForPolicy(policyId: string, selection: { readonly apps?: readonly SandboxApp[]; readonly scripts?: readonly SandboxScript[] }): void {
    const items: unknown[] = [];
    const apps = selection.apps ?? [];
    const scripts = selection.scripts ?? [];
    if (apps.length > 0) {
      items.push(collectionSetting(ALLOWED_APPS_DEFINITION, ALLOWED_APPS_INSTANCE_TEMPLATE, apps.map((app) => JSON.stringify({ id: app.id, type: `#microsoft.graph.${app.appType}` }))));
    }
    if (scripts.length > 0) items.push(collectionSetting(ALLOWED_SCRIPTS_DEFINITION, ALLOWED_SCRIPTS_INSTANCE_TEMPLATE, scripts.map((script) => script.id)));
    this.settingsByPolicy.set(policyId, items);
  }

  /** Replaces a policy's settings items with raw JSON (for tests of values Intune would not write). */
  setPolicySettings(policyId: string, items: readonly unknown[]): void {
    this.settingsByPolicy.set(policyId, [...items]);
  }

  policySettings(policyId: string): readonly unknown[] {
    return this.settingsByPolicy.get(policyId) ?? [];
  }

  assignPolicy(policyId: string, targets: readonly SandboxTarget[]): void {
    this.assignmentsByPolicy.set(policyId, targets.map((target) => ({ id: `${policyId}_${randomUUID()}`, target })));
  }

  policyAssignments(policyId: string): readonly SandboxPolicyAssignment[] {
    return this.assignmentsByPolicy.get(policyId) ?? [];
  }

  addProvisioningPolicy(init: { readonly displayName: string; readonly devicePreparationPolicyId: string | null; readonly id?: string }): SandboxProvisioningPolicy {
    const policy = { id: init.id ?? randomUUID(), displayName: init.displayName, devicePreparationPolicyId: init.devicePreparationPolicyId };
    this.provisioningPoliciesById.set(policy.id, policy);
    return policy;
  }

  provisioningPolicies(): readonly SandboxProvisioningPolicy[] {
    return [...this.provisioningPoliciesById.values()];
  }
}

function collectionSetting(settingDefinitionId: string, settingInstanceTemplateId: string, values: readonly string[]): unknown {
  return {
    id: String(settingDefinitionId === ALLOWED_APPS_DEFINITION ? 9 : 10),
    settingInstance: {
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance',
      settingDefinitionId,
      settingInstanceTemplateReference: { settingInstanceTemplateId },
      simpleSettingCollectionValue: values.map((value) => ({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationStringSettingValue', value })),
    },
  };
}
