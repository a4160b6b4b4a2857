import type { TurnContext } from 'botbuilder';
import type { BotContext } from '../../routes';
import { NO_IDENTITY_MESSAGE, actorOf, channelRootReference, conversationKindOf } from '../../turn';

export const REGISTER_APPROVALS_COMMAND = /^\s*register\s+approvals\s*$/i;

/** `register approvals`, typed in a team channel by an approver: new requests get posted there. */
export async function handleRegisterApprovals(context: TurnContext, bot: BotContext): Promise<void> {
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity(NO_IDENTITY_MESSAGE);
    return;
  }
  if (conversationKindOf(context) !== 'channel') {
    // In a channel Teams delivers only the messages that @mention the bot: without the mention nothing arrives.
    await context.sendActivity(
      'Do this in the team channel where approval requests should go: there, @mention me and type `register approvals` ' +
        '(in a channel I only see messages that @mention me).',
    );
    return;
  }
  const result = await bot.requests.registerApprovalsChannel(channelRootReference(context), actor);
  await context.sendActivity(
    result.kind === 'registered' ? 'New device group requests will be posted in this channel for approval.' : result.reason,
  );
}
