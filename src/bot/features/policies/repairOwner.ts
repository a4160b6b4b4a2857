import type { TurnContext } from 'botbuilder';
import { runCheck } from './check';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';

/** "Add the missing owner" on the drift card: the requests service lets only approvers repair. */
export async function repairOwner(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.repairOwner>): Promise<InvokeReply> {
  return runCheck(bot, data.policyName, actor, true);
}
