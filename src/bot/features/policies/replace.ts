/** Replace group and Use the bot's group on a row of `policies` or the digest (approvers; the requests service decides). */
import type { TurnContext } from 'botbuilder';
import type { ReplaceGroupResult, UseBotGroupResult } from '../../../requests/types';
import type { BotContext } from '../../routes';
import { type InvokeReply, replyWithCard } from '../../turn';
import { policyCommandInput } from '../../commandArgs';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
import { actingAs, bindRefusalOf } from './bind';
import { bindCard } from './bindCard';
import { alreadyReplacedCard, replaceCard } from './replaceCard';

const POLICY_GONE = 'Intune no longer has that device-preparation policy.';

export const REPLACE_COMMAND = /^\s*replace\b/i;

/** `replace <policy>`: as the Replace group button, for a policy named by its Intune name (the service resolves it). */
export async function handleReplace(context: TurnContext, bot: BotContext): Promise<void> {
  const input = await policyCommandInput(context, REPLACE_COMMAND, 'replace <policy name>');
  if (!input) return;
  const reply = replaceReply(await bot.requests.replaceGroup(input.policyName, input.actor, actingAs(context)));
  if ('card' in reply) await replyWithCard(context, reply.card);
  else await context.sendActivity(reply.message);
}

/** "Replace group": a correct group of the policy's own, bound with the approver's own sign-in (the route asked for it first). */
export async function replaceGroup(context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.replaceGroup>): Promise<InvokeReply> {
  return replaceReply(await bot.requests.replaceGroup({ intunePolicyId: data.policyId }, actor, actingAs(context)));
}

/** "Use the bot's group": the policy's recorded group bound where Intune names another; nothing is made. */
export async function useBotGroup(context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.useBotGroup>): Promise<InvokeReply> {
  return useBotGroupReply(await bot.requests.useBotGroup(data.policyId, actor, actingAs(context)));
}

function replaceReply(result: ReplaceGroupResult): InvokeReply {
  switch (result.kind) {
    case 'replaced':
      return { card: replaceCard(result) };
    case 'alreadyReplaced':
      return { card: alreadyReplacedCard(result.group) };
    case 'nothingToReplace':
      return { message: result.reason };
    case 'notReplaced':
      return { message: `Not replaced. ${result.message}` };
    case 'notFound':
      return { message: POLICY_GONE };
    case 'forbidden':
      return { message: result.reason };
  }
}

function useBotGroupReply(result: UseBotGroupResult): InvokeReply {
  switch (result.kind) {
    case 'attempted':
      return { card: bindCard(result) };
    case 'notFound':
      return { message: POLICY_GONE };
    default:
      return { message: bindRefusalOf(result) };
  }
}
