import type { TurnContext } from 'botbuilder';
import { requestFormCard } from '../cards/requestForm';
import { groupExistsCard, requestCard } from '../cards/status';
import { formWithPreview } from '../commands/request';
import type { BotServices } from '../services';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf } from '../turn';
import { parseRequestForm, policyNameFrom } from './cardData';

/** "Request a group" (welcome card) or "Request it" (status card, prefilled with the policy asked about). */
export async function openRequestForm(_context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const policyName = policyNameFrom(data);
  return { card: requestFormCard(formWithPreview(services, policyName ? { policyName } : {})) };
}

/** "Preview group name": the same form, inputs kept, with the names the group would get. */
export async function previewRequest(_context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const parsed = parseRequestForm(data);
  const inputs = parsed.ok ? parsed.form : parsed.view;
  return { card: requestFormCard(formWithPreview(services, inputs)) };
}

/** "Submit request": validated again here and by the requests service; one request or group per policy. */
export async function submitRequest(context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  const parsed = parseRequestForm(data);
  if (!parsed.ok) return { card: requestFormCard(parsed.view) };
  const result = await services.requests.submit({ ...parsed.form, requester: actor });
  switch (result.kind) {
    case 'created':
      return { card: requestCard(result.request, 'Request submitted: an approver will decide, and I will message you') };
    case 'activeRequestExists':
      return { card: requestCard(result.request, 'This policy already has a request in progress') };
    case 'groupExists':
      return { card: groupExistsCard(result.group) };
    case 'invalid':
      return { card: requestFormCard(formWithPreview(services, { ...parsed.form, errors: { [result.field]: result.message } })) };
  }
}
