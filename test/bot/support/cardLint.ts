/**
 * Parses a card with the `adaptivecards` renderer library (2.11.3: the last one that loads in Node 20) and
 * reports what it does not know: unknown element types via parse events, unknown properties because the
 * library drops them when it serialises the card back.
 */
import * as AC from 'adaptivecards';

// Carousel rendering (unused here) pulls in swiper, an ES module jest cannot load: parsing never touches it.
// Mocked here (hoisted above the import) so every test that checks cards gets the mock with the lint.
jest.mock('swiper', () => ({}));

/**
 * Teams' dynamic typeahead: `choices.data` (a Data.Query) on a filtered Input.ChoiceSet, which Teams documents
 * for its cards whatever their version (Microsoft Learn, Typeahead search in Adaptive Cards: its example is a
 * 1.2 card); the renderer library files it under 1.6. Only that property is let through, and only its shape.
 */
const TEAMS_EXTENSION_NOTICE = /^Property "choices\.data" is supported in version 1\.6/;
const DATA_QUERY_KEYS = ['type', 'dataset'];

function isTeamsDataQuery(key: string, value: unknown): boolean {
  if (key !== 'choices.data' || typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return record['type'] === 'Data.Query' && typeof record['dataset'] === 'string' && Object.keys(record).every((each) => DATA_QUERY_KEYS.includes(each));
}

export function lintCard(card: unknown): string[] {
  const problems: string[] = [];
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const message = context.getEventAt(i).message;
    if (!TEAMS_EXTENSION_NOTICE.test(message)) problems.push(`parse: ${message}`);
  }
  const roundTrip = parsed.toJSON();
  diff(card, roundTrip, '$', problems);
  if (parsed.version?.toString() !== '1.5') problems.push(`version is ${parsed.version?.toString()}, not 1.5`);
  return problems;
}

function diff(original: unknown, serialised: unknown, path: string, problems: string[]): void {
  if (Array.isArray(original)) {
    const copy: unknown[] = Array.isArray(serialised) ? serialised : [];
    if (copy.length !== original.length) problems.push(`${path}: ${original.length - copy.length} item(s) dropped`);
    original.forEach((item, i) => diff(item, copy[i], `${path}[${i}]`, problems));
    return;
  }
  if (typeof original === 'object' && original !== null) {
    if (typeof serialised !== 'object' || serialised === null) {
      problems.push(`${path}: object dropped`);
      return;
    }
    for (const [key, value] of Object.entries(original)) {
      // Empty data objects are legal and simply not written back.
      if (key === 'data' && typeof value === 'object' && value !== null && Object.keys(value).length === 0) continue;
      // An empty list of initial choices is legal (a typeahead fetches them) and not written back either.
      if (key === 'choices' && Array.isArray(value) && value.length === 0) continue;
      if (isTeamsDataQuery(key, value)) continue;
      if (!(key in serialised)) problems.push(`${path}.${key}: unknown property`);
      else diff(value, (serialised as Record<string, unknown>)[key], `${path}.${key}`, problems);
    }
    return;
  }
  if (original !== serialised) problems.push(`${path}: ${JSON.stringify(original)} became ${JSON.stringify(serialised)}`);
}
