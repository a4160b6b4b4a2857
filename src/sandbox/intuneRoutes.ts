/**
 * The emulator's Intune endpoints around a device-preparation policy (issue 20), over SandboxIntune: a policy's
 * settings and assignments, mobile apps and platform scripts with `$expand=assignments`, their `assign` actions
 * (which REPLACE every assignment, as reported), and Windows 365 provisioning policies. Beta only, as the
 * adapter calls them. Sources: docs/graph-fidelity.md.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { graphError, invalidBody, type GraphReply } from './graphWire';
import type { SandboxApp, SandboxIntune, SandboxScript, SandboxTarget } from './intuneState';

export interface IntuneRouteRequest {
  readonly method: string;
  readonly version: 'v1.0' | 'beta';
  /** Raw (still percent-encoded) path after the version segment. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** Where Intune's behaviour is reported to vary; the default is the stricter answer. */
export interface IntuneVariations {
  /**
   * `POST …/mobileApps/{id}/assignments` and `…/deviceManagementScripts/{id}/assignments` (documented as Create
   * assignment). `noRoute` (default): 400 "No method match route template", as Intune answers the same documented
   * POST on its other assignment collections (compliance policies, scripts, intents, app configurations);
   * `create`: 201 as documented.
   */
  readonly assignmentCreate?: 'noRoute' | 'create';
}

export interface IntuneRouteContext {
  readonly intune: SandboxIntune;
  /** Whether a configuration policy with this id exists (the directory side keeps the policies themselves). */
  readonly policyExists: (policyId: string) => boolean;
  readonly variations?: IntuneVariations;
}

type Handler = (id: string, request: IntuneRouteRequest, context: IntuneRouteContext) => GraphReply;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: Handler;
}

const ID = String.raw`(?:\/([^/()]+)|\('((?:[^']|'')+)'\))`;

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: new RegExp(String.raw`^\/deviceManagement\/configurationPolicies${ID}\/settings$`), handle: withPolicy(listPolicySettings) },
  { method: 'GET', pattern: new RegExp(String.raw`^\/deviceManagement\/configurationPolicies${ID}\/assignments$`), handle: withPolicy(listPolicyAssignments) },
  { method: 'GET', pattern: new RegExp(String.raw`^\/deviceAppManagement\/mobileApps${ID}$`), handle: withApp(getApp) },
  { method: 'GET', pattern: new RegExp(String.raw`^\/deviceAppManagement\/mobileApps${ID}\/assignments$`), handle: withApp((app) => collection(app.assignments.map(appAssignmentJson))) },
  { method: 'POST', pattern: new RegExp(String.raw`^\/deviceAppManagement\/mobileApps${ID}\/assign$`), handle: withApp(assignApp) },
  { method: 'POST', pattern: new RegExp(String.raw`^\/deviceAppManagement\/mobileApps${ID}\/assignments$`), handle: withApp(createAppAssignment) },
  { method: 'GET', pattern: new RegExp(String.raw`^\/deviceManagement\/deviceManagementScripts${ID}$`), handle: withScript(getScript) },
  { method: 'GET', pattern: new RegExp(String.raw`^\/deviceManagement\/deviceManagementScripts${ID}\/assignments$`), handle: withScript((script) => collection(script.assignments.map(scriptAssignmentJson))) },
  { method: 'POST', pattern: new RegExp(String.raw`^\/deviceManagement\/deviceManagementScripts${ID}\/assign$`), handle: withScript(assignScript) },
  { method: 'POST', pattern: new RegExp(String.raw`^\/deviceManagement\/deviceManagementScripts${ID}\/assignments$`), handle: withScript(createScriptAssignment) },
  { method: 'GET', pattern: /^\/deviceManagement\/virtualEndpoint\/provisioningPolicies()()$/, handle: listProvisioningPolicies },
];

/** The reply when this module serves the path; undefined when the path is not one of its routes. */
export function routeIntuneRequest(request: IntuneRouteRequest, context: IntuneRouteContext): GraphReply | undefined {
  for (const route of ROUTES) {
    const match = route.pattern.exec(request.path);
    if (!match || route.method !== request.method) continue;
    if (request.version !== 'beta') return graphError(400, 'BadRequest', 'This Intune resource is served on the beta endpoint.');
    const id = match[1] !== undefined ? decodeURIComponent(match[1]) : decodeURIComponent(match[2] ?? '').replace(/''/g, "'");
    return route.handle(id, request, context);
  }
  return undefined;
}

// ── configuration policies ─────────────────────────────────────────────────────────────────────────────

function withPolicy(handler: Handler): Handler {
  return (id, request, context) => (context.policyExists(id) ? handler(id, request, context) : graphError(404, 'NotFound', `No configuration policy with id '${id}'.`));
}

function listPolicySettings(id: string, _: IntuneRouteRequest, { intune }: IntuneRouteContext): GraphReply {
  return collection(intune.policySettings(id));
}

function listPolicyAssignments(id: string, _: IntuneRouteRequest, { intune }: IntuneRouteContext): GraphReply {
  return collection(
    intune.policyAssignments(id).map((assignment) => ({
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolicyAssignment',
      id: assignment.id,
      source: 'direct',
      sourceId: id,
      target: targetJson(assignment.target),
    })),
  );
}

// ── mobile apps ────────────────────────────────────────────────────────────────────────────────────────

function withApp(handler: (app: SandboxApp, request: IntuneRouteRequest, context: IntuneRouteContext) => GraphReply): Handler {
  return (id, request, context) => {
    const app = context.intune.app(id);
    return app ? handler(app, request, context) : graphError(404, 'ResourceNotFound', `The requested mobile app '${id}' was not found.`);
  };
}

function getApp(app: SandboxApp, request: IntuneRouteRequest): GraphReply {
  const expand = expandAssignments(request.query);
  if (expand === 'invalid') return unsupportedExpand(request.query);
  return { status: 200, body: { ...appJson(app), ...(expand ? { assignments: app.assignments.map(appAssignmentJson) } : {}) } };
}

const targetSchema = z
  .object({ '@odata.type': z.string().min(1), groupId: z.string().min(1).optional() })
  .passthrough()
  .transform((target, issueContext) => {
    const parsed = sandboxTarget(target['@odata.type'], target.groupId);
    if (!parsed) issueContext.addIssue({ code: z.ZodIssueCode.custom, message: 'unsupported target' });
    return parsed ?? { kind: 'allDevices' as const };
  });

const appAssignmentSchema = z.object({
  intent: z.enum(['available', 'required', 'uninstall', 'availableWithoutEnrollment']),
  target: targetSchema,
  settings: z.record(z.unknown()).nullable().optional(),
});

/** `assign` replaces the whole set: what is not in the body is gone afterwards (Intune-PowerShell-SDK#70). */
function assignApp(app: SandboxApp, request: IntuneRouteRequest): GraphReply {
  const parsed = z.object({ mobileAppAssignments: z.array(appAssignmentSchema.extend({ id: z.string().optional() })) }).safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'mobileAppAssignment');
  app.assignments = parsed.data.mobileAppAssignments.map((assignment) => ({
    // An assignment sent back keeps its id; a new one gets its own (Intune's are opaque).
    id: assignment.id ?? randomUUID(),
    intent: assignment.intent,
    target: assignment.target,
    settings: assignment.settings ?? null,
  }));
  return { status: 204 };
}

function createAppAssignment(app: SandboxApp, request: IntuneRouteRequest, context: IntuneRouteContext): GraphReply {
  if ((context.variations?.assignmentCreate ?? 'noRoute') === 'noRoute') return noRoute(`deviceAppManagement/mobileApps('${app.id}')/assignments`);
  const parsed = appAssignmentSchema.safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'mobileAppAssignment');
  const assignment = { id: `${app.id}_${app.assignments.length}`, intent: parsed.data.intent, target: parsed.data.target, settings: parsed.data.settings ?? null };
  app.assignments.push(assignment);
  return { status: 201, body: appAssignmentJson(assignment) };
}

function appJson(app: SandboxApp): Record<string, unknown> {
  return {
    '@odata.type': `#microsoft.graph.${app.appType}`,
    id: app.id,
    displayName: app.displayName,
    publisher: 'Sandbox',
    isAssigned: app.assignments.length > 0,
    publishingState: 'published',
    ...(app.runAsAccount ? { installExperience: { '@odata.type': `microsoft.graph.${app.appType === 'winGetApp' ? 'winGetAppInstallExperience' : 'win32LobAppInstallExperience'}`, runAsAccount: app.runAsAccount } } : {}),
    ...(app.useDeviceContext !== undefined ? { useDeviceContext: app.useDeviceContext } : {}),
  };
}

function appAssignmentJson(assignment: SandboxApp['assignments'][number]): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.mobileAppAssignment', id: assignment.id, intent: assignment.intent, target: targetJson(assignment.target), settings: assignment.settings, source: 'direct', sourceId: null };
}

// ── platform scripts ───────────────────────────────────────────────────────────────────────────────────

function withScript(handler: (script: SandboxScript, request: IntuneRouteRequest, context: IntuneRouteContext) => GraphReply): Handler {
  return (id, request, context) => {
    const script = context.intune.script(id);
    return script ? handler(script, request, context) : graphError(404, 'ResourceNotFound', `The requested device management script '${id}' was not found.`);
  };
}

function getScript(script: SandboxScript, request: IntuneRouteRequest): GraphReply {
  const expand = expandAssignments(request.query);
  if (expand === 'invalid') return unsupportedExpand(request.query);
  return {
    status: 200,
    body: {
      '@odata.type': '#microsoft.graph.deviceManagementScript',
      id: script.id,
      displayName: script.displayName,
      runAsAccount: script.runAsAccount,
      enforceSignatureCheck: false,
      runAs32Bit: false,
      fileName: `${script.displayName}.ps1`,
      ...(expand ? { assignments: script.assignments.map(scriptAssignmentJson) } : {}),
    },
  };
}

/** Like the apps' `assign`, it replaces every assignment of the script. */
function assignScript(script: SandboxScript, request: IntuneRouteRequest): GraphReply {
  const parsed = z
    .object({ deviceManagementScriptAssignments: z.array(z.object({ id: z.string().optional(), target: targetSchema })).optional(), deviceManagementScriptGroupAssignments: z.array(z.unknown()).optional() })
    .safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'deviceManagementScriptAssignment');
  script.assignments = (parsed.data.deviceManagementScriptAssignments ?? []).map((assignment) => ({ id: assignment.id ?? randomUUID(), target: assignment.target }));
  return { status: 204 };
}

function createScriptAssignment(script: SandboxScript, request: IntuneRouteRequest, context: IntuneRouteContext): GraphReply {
  if ((context.variations?.assignmentCreate ?? 'noRoute') === 'noRoute') return noRoute(`deviceManagement/deviceManagementScripts('${script.id}')/assignments`);
  const parsed = z.object({ target: targetSchema }).safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'deviceManagementScriptAssignment');
  const assignment = { id: `${script.id}_${script.assignments.length}`, target: parsed.data.target };
  script.assignments.push(assignment);
  return { status: 201, body: scriptAssignmentJson(assignment) };
}

function scriptAssignmentJson(assignment: SandboxScript['assignments'][number]): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.deviceManagementScriptAssignment', id: assignment.id, target: targetJson(assignment.target) };
}

// ── Windows 365 ────────────────────────────────────────────────────────────────────────────────────────

function listProvisioningPolicies(_: string, __: IntuneRouteRequest, { intune }: IntuneRouteContext): GraphReply {
  return collection(
    intune.provisioningPolicies().map((policy) => ({
      '@odata.type': '#microsoft.graph.cloudPcProvisioningPolicy',
      id: policy.id,
      displayName: policy.displayName,
      autopilotConfiguration: policy.devicePreparationPolicyId === null ? null : { devicePreparationProfileId: policy.devicePreparationPolicyId, applicationTimeoutInMinutes: 60, onFailureDeviceAccessDenied: false },
    })),
  );
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────────

function targetJson(target: SandboxTarget): Record<string, unknown> {
  const filter = { deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: 'none' };
  switch (target.kind) {
    case 'group':
      return { '@odata.type': '#microsoft.graph.groupAssignmentTarget', ...filter, groupId: target.groupId };
    case 'exclusionGroup':
      return { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', ...filter, groupId: target.groupId };
    case 'allDevices':
      return { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget', ...filter };
    case 'allLicensedUsers':
      return { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget', ...filter };
  }
}

function sandboxTarget(odataType: string, groupId: string | undefined): SandboxTarget | undefined {
  switch (odataType.replace(/^#/, '')) {
    case 'microsoft.graph.groupAssignmentTarget':
      return groupId ? { kind: 'group', groupId } : undefined;
    case 'microsoft.graph.exclusionGroupAssignmentTarget':
      return groupId ? { kind: 'exclusionGroup', groupId } : undefined;
    case 'microsoft.graph.allDevicesAssignmentTarget':
      return { kind: 'allDevices' };
    case 'microsoft.graph.allLicensedUsersAssignmentTarget':
      return { kind: 'allLicensedUsers' };
    default:
      return undefined;
  }
}

function expandAssignments(query: URLSearchParams): boolean | 'invalid' {
  const expand = query.get('$expand');
  if (expand === null) return false;
  return expand === 'assignments' ? true : 'invalid';
}

function unsupportedExpand(query: URLSearchParams): GraphReply {
  return graphError(400, 'BadRequest', `Unsupported $expand: ${query.get('$expand') ?? ''}`);
}

/** Intune's answer where a documented route is not implemented (reported for several assignment collections). */
function noRoute(path: string): GraphReply {
  return graphError(400, 'No method match route template', `No OData route exists that match template ~/singleton/navigation/key/navigation with http verb POST for request /${path}.`);
}

function collection(items: readonly unknown[]): GraphReply {
  return { status: 200, body: { value: items } };
}
