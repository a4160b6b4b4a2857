/** What people type into a card's inputs, read the one way every verb reads them. */

/** Text a person typed, trimmed; undefined when absent, not text, or blank. */
export function optionalText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export type ReasonParse = { readonly ok: true; readonly reason?: string } | { readonly ok: false };

/** No reason (or null, or blank) is a decision without one; a reason that is not text is refused, not dropped. */
export function reasonFrom(value: unknown): ReasonParse {
  if (value !== undefined && value !== null && typeof value !== 'string') return { ok: false };
  const reason = optionalText(value);
  return reason === undefined ? { ok: true } : { ok: true, reason };
}
