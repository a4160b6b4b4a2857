/** Graph JSON as it arrives on the wire, validated once at the edge. */
import { z } from 'zod';

const ODATA_NAMESPACE = '#microsoft.graph.';

export const directoryObjectSchema = z.object({
  id: z.string().min(1),
  '@odata.type': z.string().optional(),
});

export const groupSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  mailNickname: z.string().nullable().optional(),
  uniqueName: z.string().nullable().optional(),
  securityEnabled: z.boolean(),
  mailEnabled: z.boolean(),
  groupTypes: z.array(z.string()),
  isAssignableToRole: z.boolean().nullable().optional(),
  owners: z.array(directoryObjectSchema).optional(),
});

/** A group in the directory's recycle bin (`/directory/deletedItems`). */
export const deletedGroupSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullable().optional(),
  uniqueName: z.string().nullable().optional(),
  deletedDateTime: z.string().datetime({ offset: true }),
});

export const servicePrincipalSchema = z.object({
  id: z.string().min(1),
  appId: z.string(),
  displayName: z.string().nullable().optional(),
});

/** A page of a Graph collection: its items and, when there are more, the link to the next page. */
export function collectionSchema<T>(item: z.ZodType<T, z.ZodTypeDef, unknown>): z.ZodType<{ value: T[]; '@odata.nextLink'?: string }, z.ZodTypeDef, unknown> {
  return z.object({ value: z.array(item), '@odata.nextLink': z.string().optional() });
}

export const checkMemberGroupsSchema = z.object({ value: z.array(z.string()) });

/** A user as `transitiveMembers/microsoft.graph.user?$select=id` lists them. */
export const userIdSchema = z.object({ id: z.string().min(1) });

/** `users/{id}/teamwork/installedApps?$expand=teamsApp`: an installation and the catalog app it is of. */
export const userAppInstallationSchema = z.object({ id: z.string().min(1), teamsApp: z.object({ id: z.string().min(1) }).optional() });

/** `…/installedApps/{id}/chat`: the personal chat between the user and the app's bot. */
export const chatSchema = z.object({ id: z.string().min(1) });

export const configurationPolicySchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  templateReference: z.object({ templateId: z.string().nullable().optional() }).nullable().optional(),
});

/** Whatever id and name can be read from a policy in an unexpected shape, to name it in a finding. */
export const looseIdentitySchema = z.object({ id: z.string().optional().catch(undefined), name: z.string().optional().catch(undefined) });

/** What Intune answers for a status it has no error code for: no error (the enum's default member). */
const NO_VALIDATION_ERROR = 'unknown';

const membershipTargetResult = z.object({
  validationSucceeded: z.boolean(),
  enrollmentTimeDeviceMembershipTargetValidationStatuses: z.array(
    z.object({
      targetId: z.string(),
      validationSucceeded: z.boolean(),
      targetValidationErrorCode: z
        .string()
        .nullable()
        .optional()
        .transform((code) => (code && code !== NO_VALIDATION_ERROR ? code : undefined)),
    }),
  ),
});

/**
 * set/retrieveEnrollmentTimeDeviceMembershipTarget: the beta docs show the result wrapped in `value`; accept
 * the bare result as well, as other callers of the action do.
 */
export const membershipTargetResultSchema = z
  .union([z.object({ value: membershipTargetResult }), membershipTargetResult])
  .transform((body) => ('value' in body ? body.value : body));

export const graphErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    innerError: z
      .object({ 'request-id': z.string().optional(), 'client-request-id': z.string().optional() })
      .passthrough()
      .optional(),
  }),
});

/** `#microsoft.graph.servicePrincipal` → `servicePrincipal`. */
export function shortODataType(odataType: string | undefined): string {
  if (!odataType) return 'directoryObject';
  return odataType.startsWith(ODATA_NAMESPACE) ? odataType.slice(ODATA_NAMESPACE.length) : odataType;
}
