import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../../domain/actor';
import type { CheckPolicyResult } from '../../../requests/types';
import { policyCommandInput } from '../../commandArgs';
import { noGroupMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import { type InvokeReply, replyWithCard } from '../../turn';
import { driftCard } from './driftCard';

export const CHECK_COMMAND = /^\s*check\b/i;

/** `check <policy>`: the drift check of the policy's group, as a card. */
export async function handleCheck(context: TurnContext, bot: BotContext): Promise<void> {
  const input = await policyCommandInput(context, CHECK_COMMAND, 'check <policy name>');
  if (!input) return;
  const outcome = await runCheck(bot, input.policyName, input.actor, false);
  if ('message' in outcome) await context.sendActivity(outcome.message);
  else await replyWithCard(context, outcome.card);
}

/** The drift card, or why the policy name cannot be checked. Only approvers' repairs change anything. */
export async function runCheck(bot: BotContext, policyName: string, actor: Actor, repairOwner: boolean): Promise<InvokeReply> {
  return checkReply(policyName, await bot.requests.checkPolicy(policyName, actor, { repairOwner }));
}

/** The answer to a check the requests service ran. */
export function checkReply(policyName: string, result: CheckPolicyResult): InvokeReply {
  switch (result.kind) {
    case 'invalid':
      return { message: result.message };
    case 'noGroup':
      return { message: noGroupMessage(result, 'check it') };
    case 'checked':
      return { card: driftCard({ policyName, report: result.report }) };
  }
}
