/** The policy→group map: what the product remembers about the one device group of a policy. */
import type { Actor } from './actor';
import type { GroupNames } from './naming';
import type { Scenario } from './scenario';

/** The Intune device-preparation policy that uses the group, once an approver bound it (`bind`). */
export interface PolicyBinding {
  readonly intunePolicyId: string;
  readonly at: string; // ISO-8601
  readonly by: Actor;
}

export interface PolicyGroupRecord extends Omit<GroupNames, 'uniqueName'> {
  /** The bot's alternate key; null for an adopted hand-made group that has none. */
  readonly uniqueName: string | null;
  readonly policyKey: string;
  readonly policyName: string;
  readonly scenario: Scenario;
  readonly groupId: string;
  readonly createdAt: string; // ISO-8601
  readonly createdBy: Actor;
  readonly binding?: PolicyBinding;
  /** True when an approver adopted a group the bot did not make (then createdAt/createdBy are the adoption's). */
  readonly adopted?: boolean;
  /** The group this one replaced as the policy's one group (Replace group, or a group Entra purged); left as it was. */
  readonly replacedGroupId?: string;
}
