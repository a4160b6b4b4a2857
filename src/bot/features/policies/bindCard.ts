import type { BindPolicyResult } from '../../../requests/types';
import type { PolicyGroupRecord } from '../../../domain/policyGroup';
import { CARD_VERBS } from '../../verbs';
import { groupDetails, groupFacts } from '../../cards/group';
import { type AdaptiveCard, type CardAction, type CardElement, adaptiveCard, execute, facts, heading, plain, text } from '../../cards/elements';
import { POLICIES_PATH, createPolicySteps, openIntune, steps } from '../../cards/intune';

/** Intune's answer as the requests service reports a bind it attempted. */
type BindResult = Extract<BindPolicyResult, { kind: 'attempted' }>['bind'];

export interface BindCardView {
  readonly group: PolicyGroupRecord;
  readonly bind: BindResult;
}

/** What each of Intune's validation codes means for the person binding, and what to do about it. */
export function explainValidationCode(code: string | undefined, policyName: string): string {
  const check = `\`check ${plain(policyName)}\``;
  switch (code) {
    case 'securityGroupNotFound':
      return `Intune cannot find the group in Microsoft Entra ID: it was deleted, or it is so new that it has not replicated yet. Type ${check}; if the group is fine, bind again in a few minutes.`;
    case 'notSecurityGroup':
      return `The group is not a security group. Device preparation needs a security group; type ${check} to see what changed.`;
    case 'notStaticSecurityGroup':
      return `The group has dynamic membership. Device preparation needs an assigned (static) group, because Intune adds the devices itself; type ${check}.`;
    case 'firstPartyAppNotAnOwner':
      return 'The Intune Provisioning Client is not an owner of the group, so Intune could not add devices to it. An approver can add it back with Repair owner, then bind again.';
    case 'securityGroupNotInCallerScope':
      return 'Your Intune role does not let you assign this group. It needs the permission "Enrollment time device membership assignment", with this group among the role assignment\'s scope groups; ask an Intune administrator to add it, then bind again.';
    default:
      return `Intune refused the group${code ? ` with the code ${plain(code)}` : ''}.`;
  }
}

/** `bind <policy>`: what Intune answered when asked to use the policy's group; a refusal is a calm how-to, not an error. */
export function bindCard(view: BindCardView): AdaptiveCard {
  const { group, bind } = view;
  const outcome = bindOutcome(view);
  const body: CardElement[] = [heading(titleOf(bind, plain(group.policyName))), groupFacts(group), ...outcome.body];
  body.push(...groupDetails(group, 'bind-details', outcome.details));
  return adaptiveCard(body, { actions: outcome.actions });
}

/** Intune's answer to a bind, for a card that shows it (Bind, Replace group): what it means, its ids, and what to do next. */
export function bindOutcome(view: BindCardView): { readonly body: readonly CardElement[]; readonly details: readonly CardElement[]; readonly actions: readonly CardAction[] } {
  const { group, bind } = view;
  const policy = plain(group.policyName);
  const body: CardElement[] = [];
  const details: CardElement[] = [];
  const actions: CardAction[] = [];
  switch (bind.outcome) {
    case 'bound':
      body.push(text('✅ Bound', { weight: 'Bolder' }), text('Intune accepted the group: devices that enroll with this policy are added to it.', { spacing: 'None' }));
      break;
    case 'validationFailed': {
      const refused = bind.statuses.filter((status) => !status.validationSucceeded);
      body.push(text('Intune checked the group and did not take it. Nothing was changed.', { weight: 'Bolder' }));
      body.push(...refused.map((status) => text(`• ${explainValidationCode(status.errorCode, group.policyName)}`)));
      details.push(...refused.map((status) => text(`Group ${status.targetId}: ${plain(status.errorCode ?? 'no code')}`, { isSubtle: true, spacing: 'Small' })));
      if (refused.some((status) => status.errorCode === 'firstPartyAppNotAnOwner')) {
        actions.push(execute('Repair owner', CARD_VERBS.repairOwner, { policyKey: group.policyKey }, { style: 'positive' }));
      }
      break;
    }
    case 'policyNotFound':
      // The title already says Intune has no such policy; the steps say what to do, once.
      body.push(createPolicySteps(group));
      actions.push(openIntune());
      break;
    case 'failed':
      if (bind.reason === 'appOnlyNotSupported') {
        body.push(text('Intune does not accept app-only binding today, so this takes a minute by hand. The group itself is ready and unchanged.'));
        body.push(
          steps([
            `Open the Intune admin center (the button below) and go to ${POLICIES_PATH}.`,
            `Open the policy "${policy}", then Properties › Device group › Edit.`,
            `Select the group **${plain(group.displayName)}**, then Review + save.`,
            `Type \`check ${policy}\` here to see that the policy uses it.`,
          ]),
        );
        actions.push(openIntune());
      } else {
        body.push(text('Intune did not take the request. The group is unchanged.', { weight: 'Bolder' }));
        body.push(
          text(
            'Binding is optional: some tenants answer 500 to an app-only token here, so you can also pick the group in the policy in the Intune admin center.',
            { isSubtle: true },
          ),
        );
        actions.push(openIntune());
      }
      details.push(text(plain(bind.message), { isSubtle: true }));
      if (bind.graphRequestId) details.push(facts([['Graph request id', bind.graphRequestId]]));
      break;
  }
  return { body, details, actions };
}

function titleOf(bind: BindResult, policy: string): string {
  switch (bind.outcome) {
    case 'bound':
      return `"${policy}" now uses its device group`;
    case 'validationFailed':
      return `Intune did not take the device group of "${policy}"`;
    case 'policyNotFound':
      return `Intune has no policy "${policy}" yet`;
    case 'failed':
      return bind.reason === 'appOnlyNotSupported' ? `Bind the device group of "${policy}" by hand in Intune` : `Could not bind the device group of "${policy}"`;
  }
}
