import type { TurnContext } from 'botbuilder';
import { requestFormCard } from './formCard';
import { formWithPreview, parseRequestForm } from './form';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';

/** "Preview group name": the same form, inputs kept, with the names the group would get. */
export async function previewRequest(_context: TurnContext, bot: BotContext, { data }: VerbInput<typeof CARD_VERBS.previewRequest>): Promise<InvokeReply> {
  const parsed = parseRequestForm(data);
  const inputs = parsed.ok ? parsed.form : parsed.view;
  return { card: requestFormCard(formWithPreview(bot, inputs)) };
}
