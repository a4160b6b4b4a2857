/** Parsing Action.Execute data: the only fields trusted are a request id and the user's own inputs. */
import { z } from 'zod';
import { normaliseRequestId } from '../domain/request';

const MAX_FORGED_ID_LENGTH = 64;

/** The answer to a click whose card data names no request. */
export const INVALID_CARD_MESSAGE = 'This card does not name a valid request.';

const WithRequestId = z.object({ requestId: z.string().min(1).max(MAX_FORGED_ID_LENGTH) });

/**
 * The request id a card names. A well-formed but unknown id (or any short string) still goes to the requests
 * service, which answers notFound and audits the attempt; only junk is refused here.
 */
export function requestIdFrom(data: unknown): string | undefined {
  const parsed = WithRequestId.safeParse(data);
  if (!parsed.success) return undefined;
  return normaliseRequestId(parsed.data.requestId) ?? parsed.data.requestId.trim();
}

/** Text a person typed, trimmed; undefined when absent, not text, or blank. */
export function optionalText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const WithOffset = z.object({ offset: z.coerce.number().int().min(0).max(1_000_000) });

export function offsetFrom(data: unknown): number {
  const parsed = WithOffset.safeParse(data);
  return parsed.success ? parsed.data.offset : 0;
}

const WithPolicyName = z.object({ policyName: z.string().max(1000) });

export function policyNameFrom(data: unknown): string | undefined {
  const parsed = WithPolicyName.safeParse(data);
  return parsed.success && parsed.data.policyName.trim() !== '' ? parsed.data.policyName : undefined;
}

/** No `reason` (or null, or blank) is a rejection without one; a reason that is not text is refused, not dropped. */
const WithReason = z.object({ reason: z.string().nullish() });

export type ReasonParse = { readonly ok: true; readonly reason?: string } | { readonly ok: false };

export function reasonFrom(data: unknown): ReasonParse {
  const parsed = WithReason.safeParse(data);
  if (parsed.success) {
    const reason = optionalText(parsed.data.reason);
    return reason === undefined ? { ok: true } : { ok: true, reason };
  }
  // Card data that is no object names no request either: the decision answers that, not the reason check.
  const reasonGiven = typeof data === 'object' && data !== null && 'reason' in data;
  return reasonGiven ? { ok: false } : { ok: true };
}
