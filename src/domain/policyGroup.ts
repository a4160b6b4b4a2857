/** The policy→group map: what the product remembers about the one device group of a policy. */
import type { Actor } from './actor';
import type { GroupNames } from './naming';
import type { Scenario } from './scenario';

export interface PolicyGroupRecord extends GroupNames {
  readonly policyKey: string;
  readonly policyName: string;
  readonly scenario: Scenario;
  readonly groupId: string;
  readonly createdAt: string; // ISO-8601
  readonly createdBy: Actor;
}
