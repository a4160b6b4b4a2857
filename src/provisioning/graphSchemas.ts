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

export const servicePrincipalSchema = z.object({
  id: z.string().min(1),
  appId: z.string(),
  displayName: z.string().nullable().optional(),
});

export function collectionSchema<T extends z.ZodTypeAny>(item: T) {
  return z.object({ value: z.array(item), '@odata.nextLink': z.string().optional() });
}

export const checkMemberGroupsSchema = z.object({ value: z.array(z.string()) });

export const configurationPolicySchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  templateReference: z.object({ templateId: z.string().nullable().optional() }).nullable().optional(),
});

export const membershipTargetResultSchema = z.object({
  validationSucceeded: z.boolean(),
  enrollmentTimeDeviceMembershipTargetValidationStatuses: z.array(
    z.object({
      targetId: z.string(),
      validationSucceeded: z.boolean(),
      targetValidationErrorCode: z.string().nullable().optional(),
    }),
  ),
});

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
