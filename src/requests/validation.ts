/**
 * Server-side checks of the free-text fields people type (Adaptive Card inputs validate client-side only).
 */
import type { NewRequestInput } from './types';

export const TICKET_MAX_LENGTH = 64;
export const JUSTIFICATION_MAX_LENGTH = 1000;
export const DECISION_REASON_MAX_LENGTH = 500;
export const GROUP_PAGE_MAX = 100;

// Control and format characters other than line breaks and tabs: invisible in a card and in the audit CSV.
const INVISIBLE = /(?![\n\r\t])[\p{Cc}\p{Cf}]/u;
const SINGLE_LINE_INVISIBLE = /[\p{Cc}\p{Cf}]/u;

type TextCheck = { readonly ok: true; readonly value: string | undefined } | { readonly ok: false; readonly message: string };

function optionalText(raw: unknown, label: string, maxLength: number, multiline: boolean): TextCheck {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (typeof raw !== 'string') return { ok: false, message: `The ${label} must be text.` };
  const value = raw.trim();
  if (value.length === 0) return { ok: true, value: undefined };
  if ([...value].length > maxLength) return { ok: false, message: `The ${label} is too long: at most ${maxLength} characters.` };
  if ((multiline ? INVISIBLE : SINGLE_LINE_INVISIBLE).test(value)) {
    return { ok: false, message: `The ${label} contains invisible or control characters; type it again.` };
  }
  return { ok: true, value };
}

export type RequestFieldsCheck =
  | { readonly ok: true; readonly ticket: string | undefined; readonly justification: string | undefined }
  | { readonly ok: false; readonly field: 'ticket' | 'justification'; readonly message: string };

export function validateRequestFields(input: Pick<NewRequestInput, 'ticket' | 'justification'>): RequestFieldsCheck {
  const ticket = optionalText(input.ticket, 'ticket number', TICKET_MAX_LENGTH, false);
  if (!ticket.ok) return { ok: false, field: 'ticket', message: ticket.message };
  const justification = optionalText(input.justification, 'justification', JUSTIFICATION_MAX_LENGTH, true);
  if (!justification.ok) return { ok: false, field: 'justification', message: justification.message };
  return { ok: true, ticket: ticket.value, justification: justification.value };
}

export function validateDecisionReason(raw: unknown): TextCheck {
  return optionalText(raw, 'reason', DECISION_REASON_MAX_LENGTH, true);
}

export type PageCheck =
  | { readonly ok: true; readonly offset: number; readonly limit: number }
  | { readonly ok: false; readonly message: string };

export function validateGroupPage(offset: number, limit: number): PageCheck {
  if (!Number.isSafeInteger(offset) || offset < 0) return { ok: false, message: 'The page offset must be a whole number ≥ 0.' };
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > GROUP_PAGE_MAX) {
    return { ok: false, message: `The page size must be a whole number from 1 to ${GROUP_PAGE_MAX}.` };
  }
  return { ok: true, offset, limit };
}
