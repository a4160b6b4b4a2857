/**
 * Parses a card with the `adaptivecards` renderer library (2.11.3: the last one that loads in Node 20) and
 * reports what it does not know: unknown element types via parse events, unknown properties because the
 * library drops them when it serialises the card back.
 */
import * as AC from 'adaptivecards';

// Carousel rendering (unused here) pulls in swiper, an ES module jest cannot load: parsing never touches it.
// Mocked here (hoisted above the import) so every test that checks cards gets the mock with the lint.
jest.mock('swiper', () => ({}));

export function lintCard(card: unknown): string[] {
  const problems: string[] = [];
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
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
      if (!(key in serialised)) problems.push(`${path}.${key}: unknown property`);
      else diff(value, (serialised as Record<string, unknown>)[key], `${path}.${key}`, problems);
    }
    return;
  }
  if (original !== serialised) problems.push(`${path}: ${JSON.stringify(original)} became ${JSON.stringify(serialised)}`);
}
