/** What a request for a policy that Intune already gives a group answers: that group, and who can do what. */
import { SCENARIO_INFO } from '../../../domain/scenario';
import type { TenantGroupView } from '../../../requests/types';
import { type AdaptiveCard, type CardElement, adaptiveCard, execute, facts, heading, plain, text, withDetails } from '../../cards/elements';
import { problemCodes, problemHeading } from '../../cards/findings';
import { CARD_VERBS } from '../../verbs';

export function tenantGroupCard(view: TenantGroupView): AdaptiveCard {
  const body: CardElement[] = [
    heading('This policy already has a device group in Intune'),
    text('Each policy gets exactly one group, so no second one is requested.', { isSubtle: true }),
    facts([
      ['Policy', plain(view.policyName)],
      ['Scenario', SCENARIO_INFO[view.scenario].label],
      ['Group name', view.group ? plain(view.group.displayName) : 'a group the bot cannot read'],
    ]),
    ...view.findings.map((finding) => text(`• ${problemHeading(finding.code)}`, { weight: 'Bolder', spacing: 'Small' })),
    text(
      view.adoptable
        ? 'It is a correct device group. An approver can adopt it as the policy\'s one group (the button below, or `policies`); then requests for the policy answer with it.'
        : plain(view.fix ?? ''),
    ),
    // Codes and object ids, for whoever looks further.
    ...withDetails('group-details', [
      facts([
        ['Group object id', view.groupId],
        ['Intune policy id', view.policyId],
      ]),
      ...problemCodes(view.findings.map((finding) => ({ code: finding.code, message: finding.detail }))),
    ]),
  ];
  return adaptiveCard(body, view.adoptable ? { actions: [execute('Adopt (approvers)', CARD_VERBS.adoptGroup, { policyId: view.policyId }, { style: 'positive' })] } : {});
}
