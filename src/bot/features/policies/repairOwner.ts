import type { TurnContext } from 'botbuilder';
import { checkReply } from './check';
import { policiesAfter } from './listPolicies';
import { plain } from '../../cards/elements';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';

/**
 * "Repair owner" on the drift card (which it updates), or on a row of the policies list or the digest (the list
 * comes back, current). The requests service lets only approvers repair.
 */
export async function repairOwner(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.repairOwner>): Promise<InvokeReply> {
  const result = await bot.requests.checkPolicy({ policyKey: data.policyKey }, actor, { repairOwner: true });
  // The policy's name as the bot recorded it, never one from the card.
  const policyName = result.kind === 'checked' ? result.report.group.policyName : data.policyKey;
  if (data.returnTo !== 'policies' || result.kind !== 'checked') return checkReply(policyName, result);
  if (result.repairRefused) return { message: result.repairRefused };
  const policy = `"${plain(policyName)}"`;
  return policiesAfter(
    bot,
    actor,
    result.report.ownerRepaired ? `Repaired: the Intune Provisioning Client owns the group of ${policy} again.` : `The group of ${policy} needed no owner repair.`,
  );
}
