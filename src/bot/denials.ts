import type { Actor } from '../domain/actor';
import type { BotServices } from './services';

/**
 * A refusal decided in the bot itself (not an approver for `pending`, unknown request ids, junk card data):
 * logged and audited like the requests service's own denials. The caller answers the user.
 */
export async function recordDenial(services: BotServices, actor: Actor | undefined, detail: string, requestId?: string): Promise<void> {
  services.logger.warn({ actor: actor?.aadObjectId, requestId, detail }, 'denied');
  await services.audit?.appendAudit({
    kind: 'denied',
    at: services.clock().toISOString(),
    ...(actor ? { actor } : {}),
    ...(requestId ? { requestId } : {}),
    detail,
  });
}
