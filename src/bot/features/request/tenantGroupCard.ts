/** What a request for a policy that Intune already gives a group answers: that group, and who can do what. */
import { SCENARIO_INFO } from '../../../domain/scenario';
import type { TenantGroupView } from '../../../requests/types';
import { type AdaptiveCard, adaptiveCard, execute, facts, heading, plain, text } from '../../cards/elements';
import { CARD_VERBS } from '../../verbs';

export function tenantGroupCard(view: TenantGroupView): AdaptiveCard {
  const body = [
    heading('This policy already has a device group in Intune'),
    text('Each policy gets exactly one group, so no second one is requested.', { isSubtle: true }),
    facts([
      ['Policy', plain(view.policyName)],
      ['Scenario', SCENARIO_INFO[view.scenario].label],
      ['Group name', view.group ? plain(view.group.displayName) : undefined],
      ['Object id', view.groupId],
    ]),
    ...view.findings.map((finding) => text(`${plain(finding.detail)} (${finding.code})`)),
    text(
      view.adoptable
        ? 'It is a correct device group. An approver can adopt it as the policy\'s one group (the button below, or `policies`); then requests for the policy answer with it.'
        : plain(view.fix ?? ''),
    ),
  ];
  return adaptiveCard(body, view.adoptable ? { actions: [execute('Adopt this group (approvers)', CARD_VERBS.adoptGroup, { policyId: view.policyId })] } : {});
}
