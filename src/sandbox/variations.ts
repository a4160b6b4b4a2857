/**
 * Where Graph's behaviour is reported to vary. Every default is the stricter answer, so that what works
 * against the sandbox also works against the real Graph.
 */
export interface GraphVariations {
  /**
   * An upsert whose `owners@odata.bind` names an owner the group already has. `reject` (default): 400 "One or
   * more added object references already exist" (msgraph-bicep-types#167); `accept`: 204.
   */
  readonly ownerRebindOnUpsert?: 'reject' | 'accept';
  /**
   * An upsert of a uniqueName whose group another request created moments ago (still replicating). `conflict`
   * (default): 400 uniqueName conflict for the loser; `accept`: 204, as for any existing group.
   */
  readonly concurrentUpsert?: 'conflict' | 'accept';
  /**
   * set/clearEnrollmentTimeDeviceMembershipTarget with an app-only token. `refuse` (default): 500, as Intune
   * answers today (deploymenttheory/terraform-provider-microsoft365, known bug); `allow`: as for delegated calls.
   */
  readonly appOnlyMembershipTarget?: 'refuse' | 'allow';
  /**
   * retrieveEnrollmentTimeDeviceMembershipTarget with an app-only token. `allow` (default): no source reports
   * the read failing for app-only callers; `refuse`: 500 like set/clear, for the inventory's fallback to the
   * bot's own record.
   */
  readonly appOnlyMembershipTargetRead?: 'allow' | 'refuse';
  /**
   * How retrieveEnrollmentTimeDeviceMembershipTarget is routed. `post` (default): as the beta docs show it;
   * `get`: POST answers 400 "No OData route exists … with http verb POST" and GET answers, as a community audit
   * script (third-party) reports of some tenants.
   */
  readonly retrieveMembershipTargetMethod?: 'post' | 'get';
  /**
   * POST to an app's or a script's assignments collection (documented as Create assignment). `noRoute`
   * (default): 400 "No method match route template", as Intune answers that POST on its other assignment
   * collections; `create`: 201 as documented.
   */
  readonly intuneAssignmentCreate?: 'noRoute' | 'create';
}

export const STRICT_VARIATIONS: Required<GraphVariations> = {
  ownerRebindOnUpsert: 'reject',
  concurrentUpsert: 'conflict',
  appOnlyMembershipTarget: 'refuse',
  appOnlyMembershipTargetRead: 'allow',
  retrieveMembershipTargetMethod: 'post',
  intuneAssignmentCreate: 'noRoute',
};
