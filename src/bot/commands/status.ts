import type { TurnContext } from 'botbuilder';
import { noticeCard, policyStatusCard, requestCard } from '../cards/status';
import { looksLikeRequestId, parseRequestId } from '../requestId';
import type { BotServices } from '../services';
import { replyWithCard } from '../turn';
import { argumentsAfter } from './args';

export const STATUS_COMMAND = /^\s*status\b/i;

/** `status REQ-n` or `status <policy>`: anyone may ask. */
export async function handleStatus(context: TurnContext, services: BotServices): Promise<void> {
  const argument = argumentsAfter(context.activity.text, STATUS_COMMAND);
  if (argument === '') {
    await context.sendActivity('Which one? Type `status <policy name>` or `status REQ-n`.');
    return;
  }
  if (looksLikeRequestId(argument)) {
    const requestId = parseRequestId(argument);
    const request = requestId ? await services.requests.get(requestId) : undefined;
    await replyWithCard(
      context,
      request ? requestCard(request, `Status of ${request.id}`) : noticeCard('Not found', `There is no request ${argument}.`),
    );
    return;
  }
  const { request, group } = await services.requests.statusOfPolicy(argument);
  await replyWithCard(context, policyStatusCard({ policyName: argument, request, group }));
}
