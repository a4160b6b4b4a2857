/**
 * What the inventory reads about a device-preparation policy besides its group (issue 20): what the policy
 * selects (apps and scripts), whom it is assigned to, and each selected app and script with its own assignments
 * and install context. The inventory owns this port; the Graph adapter implements it with batched reads.
 */
import type { Traced } from '../provisioning/directory';

/** An Intune assignment target (`deviceAndAppManagementAssignmentTarget`), by what it points at. */
export type AssignmentTarget =
  | { readonly kind: 'group'; readonly groupId: string }
  | { readonly kind: 'exclusionGroup'; readonly groupId: string }
  | { readonly kind: 'allDevices' }
  | { readonly kind: 'allLicensedUsers' }
  /** A target type the bot does not know (e.g. a Configuration Manager collection), by its OData type. */
  | { readonly kind: 'other'; readonly odataType: string };

/** An app the policy's `enrollment_autopilot_dpp_allowedappids` setting names. */
export interface SelectedApp {
  readonly id: string;
  /** The OData type the setting records (`win32LobApp`), without the namespace. */
  readonly declaredType: string;
}

/** What a policy's settings select; `problems` are values not in the shape Intune writes (each a sentence). */
export interface PolicySelection {
  readonly apps: readonly SelectedApp[];
  readonly scriptIds: readonly string[];
  readonly problems: readonly string[];
}

/** One policy's settings and assignments, each read on its own: one can be unreadable while the other is fine. */
export interface PolicyDetails {
  readonly selection: Readable<PolicySelection>;
  readonly assignments: Readable<readonly AssignmentTarget[]>;
}

export type Readable<T> = { readonly kind: 'read'; readonly value: T } | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * Where an app says it installs: `system`/`user` from the app itself (Win32 and WinGet `installExperience.runAsAccount`,
 * an MSI's `useDeviceContext`), `perAssignment` for AppX/MSIX (each assignment's `useDeviceContext`), `always-system`
 * for types that install only for the device (Microsoft 365 Apps, Edge), `unknown` when the app leaves it open.
 */
export type InstallContext = 'system' | 'user' | 'perAssignment' | 'alwaysSystem' | 'unknown';

export interface AppAssignment {
  /** `required`, `available`, `uninstall`, `availableWithoutEnrollment` (Intune's installIntent). */
  readonly intent: string;
  readonly target: AssignmentTarget;
  /** AppX/MSIX assignment settings: true for device context; null when the settings do not say. */
  readonly useDeviceContext: boolean | null;
}

export interface IntuneApp {
  readonly id: string;
  readonly displayName: string;
  /** Its OData type without the namespace (`win32LobApp`). */
  readonly appType: string;
  /** Whether the bot knows how this type installs; an unknown type is reported, never guessed. */
  readonly knownType: boolean;
  readonly installContext: InstallContext;
  readonly assignments: readonly AppAssignment[];
}

export interface IntuneScript {
  readonly id: string;
  readonly displayName: string;
  /** `runAsAccount`; null when the script does not say. */
  readonly runAs: 'system' | 'user' | null;
  readonly assignments: readonly AssignmentTarget[];
}

/** An app or script as read: found, gone (404), or in a shape we cannot read. */
export type Lookup<T> = { readonly kind: 'found'; readonly value: T } | { readonly kind: 'notFound' } | { readonly kind: 'unreadable'; readonly reason: string };

/** A Windows 365 provisioning policy that prepares its Cloud PCs with a device-preparation policy. */
export interface CloudPcProvisioningPolicy {
  readonly id: string;
  readonly displayName: string;
  readonly devicePreparationPolicyId: string | null;
}

/**
 * The reads, each taking every id of a pass at once so that the adapter can batch them. An id missing from a
 * result map was not asked for; throttling or an outage that outlasts the retries rejects with the GraphError.
 */
export interface IntuneReadinessReader {
  /** `…/configurationPolicies/{id}/settings` and `…/assignments` of each policy. */
  readPolicyDetails(policyIds: readonly string[]): Promise<Traced<ReadonlyMap<string, PolicyDetails>>>;
  /** `GET /beta/deviceAppManagement/mobileApps/{id}?$expand=assignments` for each id. */
  readApps(appIds: readonly string[]): Promise<Traced<ReadonlyMap<string, Lookup<IntuneApp>>>>;
  /** `GET /beta/deviceManagement/deviceManagementScripts/{id}?$expand=assignments` for each id. */
  readScripts(scriptIds: readonly string[]): Promise<Traced<ReadonlyMap<string, Lookup<IntuneScript>>>>;
  /**
   * Every Windows 365 provisioning policy (`/beta/deviceManagement/virtualEndpoint/provisioningPolicies`);
   * `undefined` when this caller may not read them (no CloudPC.Read.All), so automatic policies are not judged.
   */
  listCloudPcProvisioningPolicies(): Promise<Traced<readonly CloudPcProvisioningPolicy[] | undefined>>;
}

/**
 * The outcome of adding one required assignment of an app (or an assignment of a script) to a device group.
 * Nothing existing is ever changed: where the group already has an assignment of another kind, the admin
 * changes it in the admin center.
 */
export type AssignOutcome =
  | { readonly kind: 'assigned' }
  /** The group already has the assignment wanted; nothing was written. */
  | { readonly kind: 'alreadyAssigned' }
  /** The group has another assignment (`available`, `uninstall`, an exclusion): it is not changed. */
  | { readonly kind: 'otherAssignment'; readonly intent: string }
  | { readonly kind: 'notFound' }
  /** Read back after the write, assignments that were there before are missing (a concurrent change): reported. */
  | { readonly kind: 'assignmentsChanged'; readonly missing: number };

/** The one-click fix's write (issue 20): `assign` replaces every assignment, so the adapter posts all it read plus one. */
export interface IntuneAssigner {
  assignAppToGroup(appId: string, groupId: string): Promise<Traced<AssignOutcome>>;
  assignScriptToGroup(scriptId: string, groupId: string): Promise<Traced<AssignOutcome>>;
}
