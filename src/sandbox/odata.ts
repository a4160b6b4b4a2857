/**
 * The sliver of OData the emulator understands: quoted string literals ('' is an escaped quote) and
 * filters of the form `<property> eq|has '<literal>'` or `startsWith(<property>,'<literal>')`. Anything else
 * is a 400, as Graph would answer.
 */

export interface SimpleFilter {
  readonly property: string;
  readonly operator: 'eq' | 'has' | 'startsWith';
  readonly value: string;
}

const LITERAL = String.raw`'((?:[^']|'')*)'`;
const LITERAL_ONLY = new RegExp(`^${LITERAL}$`, 'u');
const FILTER = new RegExp(String.raw`^\s*([A-Za-z][A-Za-z0-9]*)\s+(eq|has)\s+${LITERAL}\s*$`, 'u');
const STARTS_WITH = new RegExp(String.raw`^\s*startsWith\(\s*([A-Za-z][A-Za-z0-9]*)\s*,\s*${LITERAL}\s*\)\s*$`, 'iu');

/** `'O''Brien'` → `O'Brien`; undefined when the text is not exactly one well-formed literal. */
export function parseStringLiteral(text: string): string | undefined {
  const match = LITERAL_ONLY.exec(text);
  return match ? unescape(match[1]) : undefined;
}

export function parseSimpleFilter(text: string): SimpleFilter | undefined {
  const match = FILTER.exec(text);
  if (match) return { property: match[1], operator: match[2] as 'eq' | 'has', value: unescape(match[3]) };
  const startsWith = STARTS_WITH.exec(text);
  return startsWith ? { property: startsWith[1], operator: 'startsWith', value: unescape(startsWith[2]) } : undefined;
}

function unescape(body: string): string {
  return body.replace(/''/g, "'");
}
