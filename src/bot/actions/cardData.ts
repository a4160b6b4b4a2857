/** Parsing Action.Execute data: the only fields trusted are a request id and the user's own inputs. */
import { z } from 'zod';
import { normaliseRequestId } from '../../domain/request';
import { isScenario, type Scenario } from '../../domain/scenario';
import type { RequestField, RequestFormView } from '../cards/requestForm';

const MAX_FORGED_ID_LENGTH = 64;

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

const FormData = z.object({
  policyName: z.unknown(),
  scenario: z.unknown(),
  ticket: z.unknown(),
  justification: z.unknown(),
});

export interface ValidRequestForm {
  readonly policyName: string;
  readonly scenario: Scenario;
  readonly ticket?: string;
  readonly justification?: string;
}

export type RequestFormParse =
  | { readonly ok: true; readonly form: ValidRequestForm }
  | { readonly ok: false; readonly view: RequestFormView };

function optionalText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The form's inputs as text. Presence and type are checked here; the requests service checks the rest (name
 * rules, lengths, invisible characters). On error the view keeps what the user typed, messages at fields.
 */
export function parseRequestForm(data: unknown): RequestFormParse {
  const raw = FormData.safeParse(data ?? {});
  const fields = raw.success ? raw.data : { policyName: undefined, scenario: undefined, ticket: undefined, justification: undefined };
  const policyName = typeof fields.policyName === 'string' ? fields.policyName : undefined;
  const scenario = isScenario(fields.scenario) ? fields.scenario : undefined;
  const ticket = optionalText(fields.ticket);
  const justification = optionalText(fields.justification);
  const errors: Partial<Record<RequestField, string>> = {};
  if (policyName === undefined || policyName.trim() === '') errors.policyName = 'Enter the name of the device-preparation policy.';
  if (!scenario) errors.scenario = 'Choose the scenario of the policy.';
  const view: RequestFormView = { policyName, scenario, ticket, justification };
  if (Object.keys(errors).length > 0 || policyName === undefined || scenario === undefined) {
    return { ok: false, view: { ...view, errors } };
  }
  return { ok: true, form: { policyName, scenario, ...(ticket ? { ticket } : {}), ...(justification ? { justification } : {}) } };
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
