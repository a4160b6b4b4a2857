import type { TurnContext } from 'botbuilder';
import { welcomeCard } from './helpCard';
import type { BotContext } from '../../routes';
import { actorOf, replyWithCard } from '../../turn';

/** `membersAdded` lists everybody added, the bot included: welcome only when the bot itself was installed. */
export async function handleMembersAdded(context: TurnContext, bot: BotContext): Promise<void> {
  const botId = context.activity.recipient?.id;
  const added = context.activity.membersAdded ?? [];
  if (botId !== undefined && added.some((member) => member.id === botId)) {
    // Whoever installed it: an approver is told their commands too (the requests service knows who approves).
    const actor = actorOf(context);
    const role = actor ? await bot.requests.roleOf(actor) : 'requester';
    await replyWithCard(context, welcomeCard({ approver: role === 'approver' }));
  }
}
