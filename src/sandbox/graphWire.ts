/** Graph's wire format for the emulator: request bodies it accepts and the JSON it answers with. */
import { z } from 'zod';
import { EXPAND_LIMIT } from '../provisioning/directory';
import type { DeletedSandboxGroup, SandboxGroup, SandboxObject, SandboxPolicy, SandboxTenant } from './tenant';

export interface GraphErrorReply {
  readonly status: number;
  readonly error: { readonly code: string; readonly message: string };
  readonly headers?: Readonly<Record<string, string>>;
}
export interface GraphSuccessReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}
export type GraphReply = GraphErrorReply | GraphSuccessReply;

export function isErrorReply(reply: GraphReply): reply is GraphErrorReply {
  return 'error' in reply;
}

export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): GraphErrorReply {
  return { status, error: { code, message }, ...(headers ? { headers } : {}) };
}

export const notFound = (id: string): GraphErrorReply =>
  graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

// Entra's mailNickname rule: ASCII 0-127 except @ ( ) \ [ ] " ; : < > , and space (control characters refused too).
const MAIL_NICKNAME = /^[\x21-\x7e]+$/;
const MAIL_NICKNAME_FORBIDDEN = /[@()\\[\]";:<>,]/;

const groupProperties = {
  displayName: z.string().min(1).max(256),
  description: z.string().max(1024).nullable(),
  mailNickname: z
    .string()
    .min(1)
    .max(64)
    .refine((value) => MAIL_NICKNAME.test(value) && !MAIL_NICKNAME_FORBIDDEN.test(value)),
  mailEnabled: z.boolean(),
  securityEnabled: z.boolean(),
  groupTypes: z.array(z.string()),
  membershipRule: z.string().nullable(),
  isAssignableToRole: z.boolean(),
  uniqueName: z.string().min(1).max(256),
  'owners@odata.bind': z.array(z.string()).max(20),
  'members@odata.bind': z.array(z.string()).max(20),
};

export const groupCreateSchema = z.object({
  ...groupProperties,
  description: groupProperties.description.optional(),
  groupTypes: groupProperties.groupTypes.optional(),
  membershipRule: groupProperties.membershipRule.optional(),
  isAssignableToRole: groupProperties.isAssignableToRole.optional(),
  uniqueName: groupProperties.uniqueName.optional(),
  'owners@odata.bind': groupProperties['owners@odata.bind'].optional(),
  'members@odata.bind': groupProperties['members@odata.bind'].optional(),
});
export type GroupCreateBody = z.infer<typeof groupCreateSchema>;

export const groupUpdateSchema = z.object(groupProperties).partial().omit({ uniqueName: true, isAssignableToRole: true });
export type GroupUpdateBody = z.infer<typeof groupUpdateSchema>;

export const referenceSchema = z.object({ '@odata.id': z.string().min(1) });
export const checkMemberGroupsBodySchema = z.object({ groupIds: z.array(z.string()).min(1).max(20) });
export const membershipTargetBodySchema = z.object({
  enrollmentTimeDeviceMembershipTargets: z
    .array(z.object({ targetType: z.literal('staticSecurityGroup'), targetId: z.string().min(1) }))
    .length(1),
});

/** A zod failure in Graph's words. */
export function invalidBody(error: z.ZodError, resource: string): GraphErrorReply {
  const property = error.issues[0]?.path.join('.') || 'body';
  return graphError(400, 'Request_BadRequest', `Invalid value specified for property '${property}' of resource '${resource}'.`);
}

const REFERENCE_PATH = /^\/(?:v1\.0|beta)\/(?:directoryObjects|servicePrincipals|users|groups|devices)\/([^/]+)\/?$/;

/**
 * The id an `@odata.id` / `@odata.bind` URL names, or undefined when it is not a directory object's URL on this
 * Graph cloud's own host (`origin`): a national cloud does not resolve graph.microsoft.com references.
 */
export function idFromReference(reference: string, origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(reference);
  } catch {
    return undefined;
  }
  const match = REFERENCE_PATH.exec(url.pathname);
  return url.origin === origin && match ? decodeURIComponent(match[1]) : undefined;
}

export function invalidReference(property: string): GraphErrorReply {
  return graphError(400, 'Request_BadRequest', `Invalid URL format specified in @odata.bind for ${property}.`);
}

export function objectJson(object: SandboxObject): Record<string, unknown> {
  return {
    '@odata.type': `#microsoft.graph.${object.type}`,
    id: object.id,
    displayName: object.displayName,
    ...(object.appId ? { appId: object.appId } : {}),
  };
}

export function groupJson(group: SandboxGroup, tenant: SandboxTenant, expand?: 'owners' | 'members'): Record<string, unknown> {
  const json: Record<string, unknown> = {
    '@odata.type': '#microsoft.graph.group',
    id: group.id,
    displayName: group.displayName,
    description: group.description,
    mail: null,
    mailNickname: group.mailNickname,
    mailEnabled: group.mailEnabled,
    securityEnabled: group.securityEnabled,
    groupTypes: [...group.groupTypes],
    membershipRule: group.membershipRule,
    isAssignableToRole: group.isAssignableToRole,
    uniqueName: group.uniqueName,
    createdDateTime: new Date(group.createdAt).toISOString(),
  };
  // Graph expands at most 20 related directory objects and gives no next link for the rest (known issues).
  if (expand === 'owners') json.owners = referencedObjects(group.ownerIds, tenant).slice(0, EXPAND_LIMIT);
  if (expand === 'members') json.members = referencedObjects(group.memberIds, tenant).slice(0, EXPAND_LIMIT);
  return json;
}

export function deletedGroupJson({ group, deletedAt }: DeletedSandboxGroup, tenant: SandboxTenant): Record<string, unknown> {
  return { ...groupJson(group, tenant), deletedDateTime: new Date(deletedAt).toISOString() };
}

export function referencedObjects(ids: readonly string[], tenant: SandboxTenant): Record<string, unknown>[] {
  return ids.flatMap((id) => {
    const object = tenant.object(id);
    if (object) return [objectJson(object)];
    const group = tenant.group(id);
    return group ? [{ '@odata.type': '#microsoft.graph.group', id: group.id, displayName: group.displayName }] : [];
  });
}

// ── Intune configuration policies (beta) ───────────────────────────────────────────────────────────────

/** The two device-preparation templates the emulator models; Graph creates other policy types it does not. */
export const policyCreateSchema = z.object({
  name: z.string().min(1).max(1024),
  description: z.string().max(1024).nullable().optional(),
  platforms: z.literal('windows10'),
  technologies: z.string().refine((value) => value.split(',').map((each) => each.trim()).includes('enrollment')),
  templateReference: z.object({ templateId: z.string().min(1) }).passthrough(),
  roleScopeTagIds: z.array(z.string()).optional(),
  settings: z.array(z.unknown()).optional(),
});
export type PolicyCreateBody = z.infer<typeof policyCreateSchema>;

/** Rename (or describe): the properties an admin edits on a policy's Basics page. */
export const policyUpdateSchema = z.object({ name: z.string().min(1).max(1024).optional(), description: z.string().max(1024).nullable().optional() });

export function policyJson(policy: SandboxPolicy): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolicy',
    id: policy.id,
    name: policy.name,
    description: policy.description,
    platforms: 'windows10',
    technologies: 'enrollment',
    createdDateTime: new Date(policy.createdAt).toISOString(),
    lastModifiedDateTime: new Date(policy.lastModifiedAt).toISOString(),
    settingCount: 0,
    roleScopeTagIds: ['0'],
    templateReference: { templateId: policy.templateId, templateFamily: 'enrollmentConfiguration' },
  };
}
