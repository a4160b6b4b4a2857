/**
 * The sliver of OData the emulator understands: quoted string literals ('' is an escaped quote) and
 * filters of the form `<property> eq|has '<literal>'`. Anything else is a 400, as Graph would answer.
 */

export interface SimpleFilter {
  readonly property: string;
  readonly operator: 'eq' | 'has';
  readonly value: string;
}

const LITERAL = String.raw`'((?:[^']|'')*)'`;
const LITERAL_ONLY = new RegExp(`^${LITERAL}$`, 'u');
const FILTER = new RegExp(String.raw`^\s*([A-Za-z][A-Za-z0-9]*)\s+(eq|has)\s+${LITERAL}\s*$`, 'u');

/** `'O''Brien'` → `O'Brien`; undefined when the text is not exactly one well-formed literal. */
export function parseStringLiteral(text: string): string | undefined {
  const match = LITERAL_ONLY.exec(text);
  return match ? unescape(match[1] as string) : undefined;
}

export function parseSimpleFilter(text: string): SimpleFilter | undefined {
  const match = FILTER.exec(text);
  if (!match) return undefined;
  return { property: match[1] as string, operator: match[2] as 'eq' | 'has', value: unescape(match[3] as string) };
}

function unescape(body: string): string {
  return body.replace(/''/g, "'");
}
