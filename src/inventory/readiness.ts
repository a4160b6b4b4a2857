/**
 * Ready to enroll (issue 20): whether a device-preparation policy will deliver what it selects. Pure: from what
 * the inventory read, the findings Microsoft's device-preparation FAQ implies — a selected app or script is
 * skipped unless it is assigned to the policy's device group and runs in system context; at most 25 apps and
 * 10 scripts; a user-driven policy must be assigned to users. What cannot be read or judged is said so, never
 * guessed: an unknown app type or an app that leaves its context open gives no false finding.
 */
import type { Scenario } from '../domain/scenario';
import type { AppAssignment, AssignmentTarget, CloudPcProvisioningPolicy, IntuneApp, IntuneScript, Lookup, PolicyDetails } from './intune';

export type ReadinessCode =
  | 'appNotAssignedToGroup'
  | 'scriptNotAssignedToGroup'
  | 'appNotSystemContext'
  | 'scriptNotSystemContext'
  | 'appNotFound'
  | 'scriptNotFound'
  | 'tooManyApps'
  | 'tooManyScripts'
  | 'policyNotAssigned'
  /** A selected app of a type the bot does not know how to check. */
  | 'unknownAppType'
  | 'unreadable';

/** The findings about what a policy delivers, not about its group ('unreadable' may be either): they neither allow nor block adopting the group. */
export const DELIVERY_CODES: ReadonlySet<string> = new Set<ReadinessCode>([
  'appNotAssignedToGroup',
  'scriptNotAssignedToGroup',
  'appNotSystemContext',
  'scriptNotSystemContext',
  'appNotFound',
  'scriptNotFound',
  'tooManyApps',
  'tooManyScripts',
  'policyNotAssigned',
  'unknownAppType',
]);

/**
 * The app or script a one-click fix would assign to the device group: only where adding one assignment fixes it
 * (the group has none of it yet, and the app or script runs in system context).
 */
export interface ReadinessFix {
  readonly kind: 'app' | 'script';
  readonly id: string;
  /** Its display name, for the button's confirmation. */
  readonly displayName: string;
}

/** Where an admin assigns by hand what the bot may not (Intune admin center; Microsoft Learn, "Assign apps" and "Use PowerShell scripts"). */
export const ASSIGN_BY_HAND: Readonly<Record<ReadinessFix['kind'], (name: string) => string>> = {
  app: (name) => `Intune admin center › Apps › All apps › ${name} › Properties › Assignments › Edit`,
  script: (name) => `Intune admin center › Devices › Scripts and remediations › Platform scripts › ${name} › Properties › Assignments › Edit`,
};

export interface ReadinessFinding {
  readonly code: ReadinessCode;
  readonly detail: string;
  readonly fix?: ReadinessFix;
}

/** The setting's maximumCount (allowed apps) and the documented script limit of device preparation. */
export const MAX_SELECTED_APPS = 25;
export const MAX_SELECTED_SCRIPTS = 10;

export interface ReadinessInput {
  readonly scenario: Scenario;
  /** The policy's device group (Intune's target or the bot's record); null when it has none. */
  readonly deviceGroupId: string | null;
  /** The group's display name, to name it in sentences. */
  readonly deviceGroupName: string | null;
  readonly details: PolicyDetails;
  readonly apps: ReadonlyMap<string, Lookup<IntuneApp>>;
  readonly scripts: ReadonlyMap<string, Lookup<IntuneScript>>;
  /** Automatic policies: the Windows 365 provisioning policies that use it; undefined when they could not be read. */
  readonly provisioningPolicies: readonly CloudPcProvisioningPolicy[] | undefined;
  readonly policyId: string;
}

export function assessReadiness(input: ReadinessInput): ReadinessFinding[] {
  const findings: ReadinessFinding[] = [];
  const { details } = input;
  const group = groupLabel(input);

  if (details.selection.kind === 'unreadable') {
    findings.push({ code: 'unreadable', detail: `Intune returned the policy's settings in an unexpected shape, so its apps and scripts were not checked: ${details.selection.reason}` });
  } else {
    const selection = details.selection.value;
    for (const problem of selection.problems) findings.push({ code: 'unreadable', detail: problem });
    const appIds = unique(selection.apps.map((app) => app.id));
    const scriptIds = unique(selection.scriptIds);
    if (appIds.length > MAX_SELECTED_APPS) {
      findings.push({ code: 'tooManyApps', detail: `The policy selects ${appIds.length} apps; device preparation installs at most ${MAX_SELECTED_APPS}. Remove ${appIds.length - MAX_SELECTED_APPS} from its allowed apps.` });
    }
    if (scriptIds.length > MAX_SELECTED_SCRIPTS) {
      findings.push({ code: 'tooManyScripts', detail: `The policy selects ${scriptIds.length} scripts; device preparation runs at most ${MAX_SELECTED_SCRIPTS}. Remove ${scriptIds.length - MAX_SELECTED_SCRIPTS} from its allowed scripts.` });
    }
    for (const id of appIds) findings.push(...appFindings(id, input.apps.get(id), input.deviceGroupId, group));
    for (const id of scriptIds) findings.push(...scriptFindings(id, input.scripts.get(id), input.deviceGroupId, group));
  }

  findings.push(...assignmentFindings(input));
  return findings;
}

/** What is said of a selected app or script that was not read (deleted, or in a shape we cannot read); undefined when it was. */
function unreadSelection<T>(what: 'app' | 'script', id: string, lookup: Lookup<T> | undefined): ReadinessFinding[] | undefined {
  if (!lookup) return [];
  if (lookup.kind === 'notFound') {
    return [
      {
        code: what === 'app' ? 'appNotFound' : 'scriptNotFound',
        detail: `The policy selects the ${what} ${id}, which no longer exists in Intune: remove it from the policy's allowed ${what}s, or select the ${what} that replaced it.`,
      },
    ];
  }
  if (lookup.kind === 'unreadable') return [{ code: 'unreadable', detail: `Intune returned the selected ${what} ${id} in an unexpected shape, so it was not checked: ${lookup.reason}` }];
  return undefined;
}

function appFindings(id: string, lookup: Lookup<IntuneApp> | undefined, groupId: string | null, group: string): ReadinessFinding[] {
  const unread = unreadSelection('app', id, lookup);
  if (unread || lookup?.kind !== 'found') return unread ?? [];
  const app = lookup.value;
  const name = `"${app.displayName}"`;
  if (!app.knownType) {
    return [
      {
        code: 'unknownAppType',
        detail: `The policy selects ${name}, a ${app.appType} app the bot cannot check: make sure in the Intune admin center that it is assigned to ${group} as required and installs in system context.`,
      },
    ];
  }
  // Without a device group there is nothing to be assigned to; the missing group is reported on its own.
  if (groupId === null) return contextFinding(app, undefined);
  const toGroup = app.assignments.filter((assignment) => targetsGroup(assignment.target, groupId));
  const required = toGroup.find((assignment) => assignment.intent === 'required');
  const excluded = app.assignments.some((assignment) => assignment.target.kind === 'exclusionGroup' && assignment.target.groupId === groupId);
  if (!required || excluded) {
    // Adding an assignment fixes it only where the group has none (an existing one is never changed) and the app
    // installs for the device; otherwise the admin center is the place, and the sentence says where.
    const fixable = toGroup.length === 0 && !excluded && app.installContext !== 'user';
    const assign = `Assign it to ${group} as required`;
    return [
      {
        code: 'appNotAssignedToGroup',
        detail: `${name} ${appAssignmentProblem(toGroup, excluded, group)}: devices skip it during setup. ${fixable ? `${assign}.` : `${assign} in ${ASSIGN_BY_HAND.app(name)}${excluded ? ', and remove the exclusion' : ''}.`}`,
        ...(fixable ? { fix: { kind: 'app' as const, id: app.id, displayName: app.displayName } } : {}),
      },
      ...contextFinding(app, undefined),
    ];
  }
  return contextFinding(app, required);
}

function appAssignmentProblem(toGroup: readonly AppAssignment[], excluded: boolean, group: string): string {
  if (excluded) return `excludes ${group} in its assignments`;
  const intents = unique(toGroup.map((assignment) => assignment.intent));
  return intents.length > 0 ? `is assigned to ${group} as ${intents.join(' and ')}, not as required` : `is not assigned to ${group}`;
}

/** `assignment`: the required assignment to the device group, whose settings decide an AppX/MSIX app's context. */
function contextFinding(app: IntuneApp, assignment: AppAssignment | undefined): ReadinessFinding[] {
  const name = `"${app.displayName}"`;
  switch (app.installContext) {
    case 'user':
      return [{ code: 'appNotSystemContext', detail: `${name} installs in user context, which device preparation skips: ${userContextFix(app.appType)}` }];
    case 'perAssignment':
      return assignment && assignment.useDeviceContext !== true
        ? [{ code: 'appNotSystemContext', detail: `${name} is assigned to the device group in user context, which device preparation skips: set the assignment's install context to Device.` }]
        : [];
    default:
      return [];
  }
}

function userContextFix(appType: string): string {
  // An MSI's install context cannot be changed after the app was created (mobileApp useDeviceContext, Graph docs).
  if (appType === 'windowsMobileMSI') return 'add the MSI again with install context Device, and select that app instead.';
  return 'set its install behavior to System.';
}

function scriptFindings(id: string, lookup: Lookup<IntuneScript> | undefined, groupId: string | null, group: string): ReadinessFinding[] {
  const unread = unreadSelection('script', id, lookup);
  if (unread || lookup?.kind !== 'found') return unread ?? [];
  const script = lookup.value;
  const name = `"${script.displayName}"`;
  const findings: ReadinessFinding[] = [];
  if (groupId !== null) {
    const excluded = script.assignments.some((target) => target.kind === 'exclusionGroup' && target.groupId === groupId);
    if (excluded || !script.assignments.some((target) => targetsGroup(target, groupId))) {
      const fixable = !excluded && script.runAs !== 'user';
      findings.push({
        code: 'scriptNotAssignedToGroup',
        detail: `${name} ${excluded ? `excludes ${group} in its assignments` : `is not assigned to ${group}`}: devices skip it during setup. ${fixable ? `Assign it to ${group}.` : `Assign it to ${group} in ${ASSIGN_BY_HAND.script(name)}${excluded ? ', and remove the exclusion' : ''}.`}`,
        ...(fixable ? { fix: { kind: 'script' as const, id: script.id, displayName: script.displayName } } : {}),
      });
    }
  }
  if (script.runAs === 'user') {
    findings.push({ code: 'scriptNotSystemContext', detail: `${name} runs with the signed-in user's credentials, which device preparation skips: set "Run this script using the logged on credentials" to No.` });
  }
  return findings;
}

function assignmentFindings(input: ReadinessInput): ReadinessFinding[] {
  if (input.scenario === 'automatic') return automaticFindings(input);
  const { assignments } = input.details;
  if (assignments.kind === 'unreadable') {
    return [{ code: 'unreadable', detail: `Intune returned the policy's assignments in an unexpected shape, so whom it applies to was not checked: ${assignments.reason}` }];
  }
  const targets = assignments.value;
  // A user-driven policy applies to users: a user group or all licensed users. All devices does nothing for it,
  // nor does its own device group (devices, not users), nor an exclusion.
  const reachesUsers = targets.some((target) => target.kind === 'allLicensedUsers' || (target.kind === 'group' && target.groupId !== input.deviceGroupId));
  const unknown = targets.some((target) => target.kind === 'other');
  if (reachesUsers || unknown) return [];
  const includes = targets.filter((target) => target.kind === 'group' || target.kind === 'allDevices');
  const detail =
    includes.length === 0
      ? 'The policy is assigned to no user group, so nobody enrolls with it: assign it to the group of users who set up these devices.'
      : `The policy is assigned only to ${includes.some((target) => target.kind === 'allDevices') ? 'All devices' : 'its own device group'}, which does nothing for a user-driven policy: assign it to the group of users who set up these devices.`;
  return [{ code: 'policyNotAssigned', detail }];
}

/** Windows 365 prepares a Cloud PC with the device-preparation policy its provisioning policy names; its assignments do not apply. */
function automaticFindings(input: ReadinessInput): ReadinessFinding[] {
  if (input.provisioningPolicies === undefined) return [];
  const users = input.provisioningPolicies.filter((policy) => policy.devicePreparationPolicyId === input.policyId);
  if (users.length > 0) return [];
  return [
    {
      code: 'policyNotAssigned',
      detail: 'No Windows 365 provisioning policy uses this policy, so no Cloud PC is prepared with it: select it under Autopilot device preparation in the provisioning policy.',
    },
  ];
}

function targetsGroup(target: AssignmentTarget, groupId: string): boolean {
  return target.kind === 'group' && target.groupId === groupId;
}

function groupLabel(input: ReadinessInput): string {
  if (input.deviceGroupId === null) return "the policy's device group";
  return input.deviceGroupName ? `the device group "${input.deviceGroupName}"` : `the device group ${input.deviceGroupId}`;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
