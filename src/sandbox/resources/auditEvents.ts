/**
 * Intune's audit log (`GET /deviceManagement/auditEvents`, v1.0 and beta): each change of a policy's device group,
 * with its actor as Intune records it (`auditActor`: the user's object id for a delegated call, the application's
 * type for an app-only one).
 */
import type { GraphReply } from '../graphWire';
import { page, type Route, type RouteContext, type RouteRequest } from '../route';
import type { SandboxAuditEvent } from '../tenant';

export const auditEventRoutes: readonly Route[] = [{ method: 'GET', pattern: /^\/deviceManagement\/auditEvents$/, handle: listAuditEvents }];

function listAuditEvents(_: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  return page(context.tenant.auditEvents().map(auditEventJson), request, context, '/deviceManagement/auditEvents');
}

/** The auditEvent resource's JSON; `auditActorType` uses the values Microsoft documents for Cloud PC's audit actor (ItPro, Application). */
function auditEventJson(event: SandboxAuditEvent): Record<string, unknown> {
  const person = event.actor.kind === 'delegated';
  return {
    '@odata.type': '#microsoft.graph.auditEvent',
    id: event.id,
    displayName: `${event.activity} ${event.policyName}`,
    componentName: 'DeviceConfiguration',
    actor: {
      '@odata.type': 'microsoft.graph.auditActor',
      type: person ? 'ItPro' : 'Application',
      auditActorType: person ? 'ItPro' : 'Application',
      userPermissions: [],
      applicationId: null,
      applicationDisplayName: null,
      userPrincipalName: null,
      servicePrincipalName: null,
      ipAddress: null,
      userId: event.actor.userId,
    },
    activity: event.activity,
    activityDateTime: new Date(event.activityDateTime).toISOString(),
    activityType: event.activity,
    activityOperationType: 'Action',
    activityResult: 'Success',
    correlationId: null,
    resources: [{ '@odata.type': 'microsoft.graph.auditResource', displayName: event.policyName, type: 'DeviceManagementConfigurationPolicy', resourceId: event.policyId, modifiedProperties: [] }],
    category: 'DeviceConfiguration',
  };
}
