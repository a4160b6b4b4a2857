import type { TurnContext } from 'botbuilder';
import { requestFormCard } from './formCard';
import { formWithPreview } from './form';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import { parseRequestForm } from './form';

/** "Preview group name": the same form, inputs kept, with the names the group would get. */
export async function previewRequest(_context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const parsed = parseRequestForm(data);
  const inputs = parsed.ok ? parsed.form : parsed.view;
  return { card: requestFormCard(formWithPreview(bot, inputs)) };
}
