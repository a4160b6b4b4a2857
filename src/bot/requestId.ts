/** Request ids as people type them (`req-7`, `REQ-7`) and as card data carries them: checked, upper-cased. */
const REQUEST_ID = /^REQ-(\d{1,12})$/i;

export function parseRequestId(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const match = REQUEST_ID.exec(raw.trim());
  return match ? `REQ-${match[1]}` : undefined;
}

export function looksLikeRequestId(raw: string): boolean {
  return /^REQ-/i.test(raw.trim());
}
