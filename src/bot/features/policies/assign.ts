/** "Assign" on a row of `policies` or the digest: one app or script assigned to the policy's device group. */
import type { TurnContext } from 'botbuilder';
import type { AssignedItem } from '../../../requests/types';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
import { plain } from '../../cards/elements';
import { policiesAfter } from './listPolicies';

export async function assignToGroup(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.assignToGroup>): Promise<InvokeReply> {
  const result = await bot.requests.assignToDeviceGroup({ policyId: data.policyId, kind: data.kind, itemId: data.itemId }, actor);
  switch (result.kind) {
    case 'assigned':
      return policiesAfter(bot, actor, `Assigned: ${assignedLine(result.item)}. Its other assignments are unchanged.`);
    case 'alreadyAssigned':
      return policiesAfter(bot, actor, `Already assigned: ${assignedLine(result.item)}. Nothing was changed.`);
    case 'notAssigned':
      return { message: `Not assigned. ${plain(result.reason)}` };
    case 'notFound':
      return { message: plain(result.message) };
    case 'forbidden':
      return { message: result.reason };
  }
}

/** `the app "Litware CRM" is assigned to the device group "Sales devices" as required (policy "Litware Sales")` */
function assignedLine(item: AssignedItem): string {
  return `the ${item.kind} "${plain(item.displayName)}" is assigned to the device group "${plain(item.groupName)}"${item.kind === 'app' ? ' as required' : ''} (policy "${plain(item.policyName)}")`;
}
