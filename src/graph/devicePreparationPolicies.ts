/** Intune's device-preparation policies over Graph beta: list them, and read or set their enrollment-time device group. */
import { z } from 'zod';
import type { Directory, MembershipTargetResult, PolicyListEntry } from '../provisioning/directory';
import type { GraphClient } from './graphClient';
import { configurationPolicySchema, looseIdentitySchema, membershipTargetResultSchema } from './graphSchemas';
import { isGraphStatus } from './graphResponse';
import { odataStringLiteral } from './graphUrl';
import type { PacedRequest } from './intunePacer';

/** Intune's 400 for a verb it has no route for, naming POST. */
const NO_POST_ROUTE = /No OData route exists.*http verb POST/i;

export type DevicePreparationPolicies = Pick<
  Directory,
  'listPolicyEntries' | 'setEnrollmentTimeDeviceMembershipTarget' | 'retrieveEnrollmentTimeDeviceMembershipTarget'
>;

export function createDevicePreparationPolicies(graph: GraphClient): DevicePreparationPolicies {
  return {
    async setEnrollmentTimeDeviceMembershipTarget(policyId, groupId, options = {}) {
      const { value, requestId } = await graph.callParsed(membershipTargetResultSchema, 'POST', `${policyPath(policyId)}/setEnrollmentTimeDeviceMembershipTarget`, {
        version: 'beta',
        body: { enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: groupId }] },
        ...(options.as && { as: options.as }),
      });
      return { value: membershipTargetResultFrom(value), requestIds: [requestId] };
    },

    async listPolicyEntries() {
      const page = await graph.listAll(z.unknown(), devicePreparationPoliciesPath(), 'beta');
      return { value: page.value.map(policyEntryFrom), requestIds: page.requestIds };
    },

    async retrieveEnrollmentTimeDeviceMembershipTarget(policyId, options = {}) {
      const { url: path } = membershipTargetRead(policyId);
      const init = { version: 'beta', idempotent: true, ...(options.as && { as: options.as }) } as const; // a read, though a POST
      try {
        const { value, requestId } = await graph.callParsed(membershipTargetResultSchema, 'POST', path, init);
        return { value: membershipTargetResultFrom(value), requestIds: [requestId] };
      } catch (error) {
        // Some tenants route the documented POST nowhere and answer GET (a community audit script, third-party).
        if (!isGraphStatus(error, 400) || !NO_POST_ROUTE.test(error.message)) throw error;
        const { value, requestId } = await graph.callParsed(membershipTargetResultSchema, 'GET', path, init);
        return { value: membershipTargetResultFrom(value), requestIds: [error.requestId ?? '', requestId] };
      }
    },
  };
}

/** The request that reads a policy's enrollment-time device group (a read, though a POST: Intune counts it as one). */
export function membershipTargetRead(policyId: string): PacedRequest {
  return { method: 'POST', url: `${policyPath(policyId)}/retrieveEnrollmentTimeDeviceMembershipTarget` };
}

/** The configuration policies of the enrollment technology, where device-preparation policies are. */
function devicePreparationPoliciesPath(): string {
  const filter = encodeURIComponent(`technologies has ${odataStringLiteral('enrollment')}`);
  return `/deviceManagement/configurationPolicies?$filter=${filter}`;
}

function policyPath(policyId: string): string {
  return `/deviceManagement/configurationPolicies(${encodeURIComponent(odataStringLiteral(policyId))})`;
}

function membershipTargetResultFrom(value: z.infer<typeof membershipTargetResultSchema>): MembershipTargetResult {
  return {
    validationSucceeded: value.validationSucceeded,
    statuses: value.enrollmentTimeDeviceMembershipTargetValidationStatuses.map((status) => ({
      targetId: status.targetId,
      validationSucceeded: status.validationSucceeded,
      ...(status.targetValidationErrorCode !== undefined ? { errorCode: status.targetValidationErrorCode } : {}),
    })),
  };
}

/** One list item on its own: a readable policy, or what can be said about an item in an unexpected shape. */
function policyEntryFrom(item: unknown): PolicyListEntry {
  const parsed = configurationPolicySchema.safeParse(item);
  if (parsed.success) {
    const templateId = parsed.data.templateReference?.templateId;
    if (templateId) return { kind: 'policy', policy: { id: parsed.data.id, name: parsed.data.name, templateId } };
  }
  const loose = looseIdentitySchema.safeParse(item);
  const reason = parsed.success
    ? 'it has no templateReference.templateId'
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'item'} ${issue.message}`).join('; ');
  return { kind: 'unreadable', id: loose.success ? (loose.data.id ?? null) : null, name: loose.success ? (loose.data.name ?? null) : null, reason };
}
