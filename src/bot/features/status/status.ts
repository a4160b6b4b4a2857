import type { TurnContext } from 'botbuilder';
import { looksLikeRequestId, normaliseRequestId } from '../../../domain/request';
import { type AdaptiveCard, noticeCard, plain } from '../../cards/elements';
import { requestCard } from '../../cards/request';
import { handleMine } from './lists';
import { policyStatusCard } from './policyStatusCard';
import type { BotContext } from '../../routes';
import { replyWithCard } from '../../turn';
import { argumentsAfter } from '../../commandArgs';

export const STATUS_COMMAND = /^\s*status\b/i;
/** A request id typed on its own (`REQ-5`) asks for its status. */
export const BARE_REQUEST_ID = /^\s*REQ-?\d+\s*[?.!]?\s*$/i;
/** A question about one's own requests ("what is the status of my request?") is answered with `mine`. */
export const ABOUT_MY_REQUESTS = /\bmy\s+(?:requests?|groups?)\b/i;


/** `status REQ-n` or `status <policy>`: anyone may ask. */
export async function handleStatus(context: TurnContext, bot: BotContext): Promise<void> {
  const argument = argumentsAfter(context.activity.text, STATUS_COMMAND).replace(/\?+$/u, '').trim();
  if (ABOUT_MY_REQUESTS.test(argument)) {
    await handleMine(context, bot);
    return;
  }
  if (argument === '') {
    await context.sendActivity('Which one? Type `status <policy name>` or `status REQ-n`.');
    return;
  }
  // `status REQ-…` asks about a request (even a malformed id, to say there is none); anything else names a policy.
  if (looksLikeRequestId(argument)) {
    await replyWithCard(context, await requestStatusCard(bot, argument));
    return;
  }
  const status = await bot.requests.statusOfPolicy(argument);
  await replyWithCard(context, status.kind === 'found' ? policyStatusCard(status) : noticeCard('Not a policy name', status.message));
}

/** `REQ-5` alone: the status of that request. */
export async function handleBareRequestId(context: TurnContext, bot: BotContext): Promise<void> {
  await replyWithCard(context, await requestStatusCard(bot, (context.activity.text ?? '').trim().replace(/[?.!]+$/u, '')));
}

async function requestStatusCard(bot: BotContext, typed: string): Promise<AdaptiveCard> {
  const requestId = normaliseRequestId(typed);
  const request = requestId ? await bot.requests.get(requestId) : undefined;
  return request ? requestCard(request, `Status of ${request.id}`) : noticeCard('Not found', `There is no request ${plain(typed)}.`);
}
