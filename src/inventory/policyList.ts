/**
 * Intune's device-preparation policies by name, from one listing call and no group reads: what the intake
 * form's typeahead searches. A policy of another template is no device-preparation policy and is left out.
 */
import { type Scenario, scenarioOfTemplate } from '../domain/scenario';
import type { Directory } from '../provisioning/directory';

export interface ListedIntunePolicy {
  readonly policyId: string;
  readonly name: string;
  readonly scenario: Scenario;
}

export function createIntunePolicyList(directory: Pick<Directory, 'listDevicePreparationPolicies'>): { listPolicies(): Promise<readonly ListedIntunePolicy[]> } {
  return {
    async listPolicies() {
      const { value: policies } = await directory.listDevicePreparationPolicies();
      return policies.flatMap((policy) => {
        const scenario = scenarioOfTemplate(policy.templateId);
        return scenario ? [{ policyId: policy.id, name: policy.name, scenario }] : [];
      });
    },
  };
}
