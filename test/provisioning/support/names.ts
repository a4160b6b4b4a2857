import type { GroupNames } from '../../../src/domain/naming';
import { parsePolicyName } from '../../../src/domain/policy';
import type { Scenario } from '../../../src/domain/scenario';
import type { GroupOrder, ProvisioningService } from '../../../src/provisioning/types';

/** The names the service gives a valid policy name (previewNames takes a parsed name and answers a result). */
export function previewedNames(service: Pick<ProvisioningService, 'previewNames'>, policyName: string, scenario: Scenario): GroupNames {
  const policy = parsePolicyName(policyName);
  if (!policy.ok) throw new Error(policy.reason);
  const names = service.previewNames(policy.value, scenario);
  if (!names.ok) throw new Error(names.reason);
  return names.value;
}

/** What a submission would order for a policy name: parsed once, names from the service's own template. */
export function orderFor(service: Pick<ProvisioningService, 'previewNames'>, policyName: string, scenario: Scenario): GroupOrder {
  const policy = parsePolicyName(policyName);
  if (!policy.ok) throw new Error(policy.reason);
  const names = service.previewNames(policy.value, scenario);
  if (!names.ok) throw new Error(names.reason);
  return { policy: policy.value, scenario, names: names.value };
}
