import type { TurnContext } from 'botbuilder';
import { welcomeCard } from './helpCard';
import { replyWithCard } from '../../turn';

/** `membersAdded` lists everybody added, the bot included: welcome only when the bot itself was installed. */
export async function handleMembersAdded(context: TurnContext): Promise<void> {
  const botId = context.activity.recipient?.id;
  const added = context.activity.membersAdded ?? [];
  if (botId !== undefined && added.some((member) => member.id === botId)) {
    await replyWithCard(context, welcomeCard());
  }
}
