import type { TurnContext } from 'botbuilder';
import { normaliseRequestId } from '../../../domain/request';
import { noticeCard } from '../../cards/elements';
import { requestCard } from '../../cards/request';
import { policyStatusCard } from './policyStatusCard';
import type { BotContext } from '../../routes';
import { replyWithCard } from '../../turn';
import { argumentsAfter } from '../../commandArgs';

export const STATUS_COMMAND = /^\s*status\b/i;

/** `status REQ-…` asks about a request (even a malformed id, to say there is none); anything else names a policy. */
const LOOKS_LIKE_REQUEST_ID = /^REQ-/i;

/** `status REQ-n` or `status <policy>`: anyone may ask. */
export async function handleStatus(context: TurnContext, bot: BotContext): Promise<void> {
  const argument = argumentsAfter(context.activity.text, STATUS_COMMAND);
  if (argument === '') {
    await context.sendActivity('Which one? Type `status <policy name>` or `status REQ-n`.');
    return;
  }
  if (LOOKS_LIKE_REQUEST_ID.test(argument)) {
    const requestId = normaliseRequestId(argument);
    const request = requestId ? await bot.requests.get(requestId) : undefined;
    await replyWithCard(
      context,
      request ? requestCard(request, `Status of ${request.id}`) : noticeCard('Not found', `There is no request ${argument}.`),
    );
    return;
  }
  const status = await bot.requests.statusOfPolicy(argument);
  await replyWithCard(context, status.kind === 'found' ? policyStatusCard(status) : noticeCard('Not a policy name', status.message));
}
