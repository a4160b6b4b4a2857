import type { TurnContext } from 'botbuilder';
import { requestFormCard } from '../cards/requestForm';
import { formWithPreview } from '../commands/request';
import type { BotServices } from '../services';
import type { InvokeReply } from '../turn';
import { parseRequestForm } from './cardData';

/** "Preview group name": the same form, inputs kept, with the names the group would get. */
export async function previewRequest(_context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const parsed = parseRequestForm(data);
  const inputs = parsed.ok ? parsed.form : parsed.view;
  return { card: requestFormCard(formWithPreview(services, inputs)) };
}
