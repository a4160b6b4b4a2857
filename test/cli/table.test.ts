import { type Column, type Layout, SHORT_ID_LENGTH, cut, renderTable, shownId, shownTime, wrapped } from '../../src/cli/table';

interface Row {
  readonly name: string;
  readonly id: string;
  readonly state: string;
}

const COLUMNS: readonly Column<Row>[] = [
  { title: 'NAME', value: (row) => row.name, cuttable: true },
  { title: 'ID', value: (row) => row.id, shorten: 'id' },
  { title: 'STATE', value: (row) => row.state },
];
const ROWS: readonly Row[] = [
  { name: 'Autopilot DP · Contoso User-driven devices for the Paris office', id: '3f2a9c1e-5b7d-4e0f-9a1b-2c3d4e5f6a7b', state: 'healthy' },
  { name: 'Short', id: '00000000-0000-4000-8000-000000000001', state: 'notStaticSecurityGroup' },
];

const lines = (text: string): string[] => text.trimEnd().split('\n');
const widest = (text: string): number => Math.max(...lines(text).map((line) => line.length));

describe('renderTable', () => {
  it.each([50, 60, 80])('fits %i columns by cutting the cuttable column, keeping ids and states whole', (width) => {
    const table = renderTable(COLUMNS, ROWS, { wide: false, width });
    expect(widest(table)).toBeLessThanOrEqual(width);
    expect(table).toContain('notStaticSecurityGroup');
    expect(table).toContain('3f2a9c1e…');
    expect(lines(table)[1]).toMatch(/^Autopilot.*… {2}3f2a9c1e… {2}healthy$/);
  });

  it('cuts nothing when it fits, and nothing when the output is no terminal', () => {
    const roomy = renderTable(COLUMNS, ROWS, { wide: false, width: 200 });
    expect(roomy).toContain(ROWS[0]?.name);
    expect(renderTable(COLUMNS, ROWS, { wide: false })).toContain(ROWS[0]?.name);
  });

  it('stops cutting at a readable width: then the terminal wraps rather than a name vanishing', () => {
    const table = renderTable(COLUMNS, ROWS, { wide: false, width: 20 });
    expect(lines(table)[1]?.split('  ')[0]).toHaveLength(10);
    expect(widest(table)).toBeGreaterThan(20);
  });

  it('--wide prints every value whole, whatever the terminal', () => {
    const table = renderTable(COLUMNS, ROWS, { wide: true, width: 40 });
    expect(table).toContain(ROWS[0]?.name);
    expect(table).toContain(ROWS[0]?.id);
    expect(widest(table)).toBeGreaterThan(40);
  });

  it('keeps a row on one line when a value holds a line break or a tab', () => {
    const table = renderTable(COLUMNS, [{ name: 'Two\nlines\tand a tab', id: 'p-1', state: 'ok' }], { wide: false });
    expect(lines(table)).toEqual(['NAME                 ID   STATE', 'Two lines and a tab  p-1  ok']);
  });

  it('aligns the columns under their titles and ends no line in spaces', () => {
    const table = renderTable(COLUMNS, ROWS, { wide: false, width: 80 });
    const [header, ...rows] = lines(table);
    const idAt = header?.indexOf('ID') ?? -1;
    for (const row of rows) expect(row.slice(idAt, idAt + SHORT_ID_LENGTH)).toMatch(/^[0-9a-f]{8}$/);
    expect(lines(table).filter((line) => line !== line.trimEnd())).toEqual([]);
  });
});

describe('shortening', () => {
  const narrow: Layout = { wide: false };
  it('keeps the first 8 characters of an id, and short values whole', () => {
    expect(shownId('3f2a9c1e-5b7d-4e0f-9a1b-2c3d4e5f6a7b', narrow)).toBe('3f2a9c1e…');
    expect(shownId('p-1', narrow)).toBe('p-1');
    expect(shownId('3f2a9c1e-5b7d-4e0f-9a1b-2c3d4e5f6a7b', { wide: true })).toBe('3f2a9c1e-5b7d-4e0f-9a1b-2c3d4e5f6a7b');
  });

  it('gives times to the minute, still ISO 8601 in UTC', () => {
    expect(shownTime('2026-12-06T19:57:56.477Z', narrow)).toBe('2026-12-06T19:57Z');
    expect(shownTime('2026-12-06T19:57:56.477Z', { wide: true })).toBe('2026-12-06T19:57:56.477Z');
    expect(shownTime('not a time', narrow)).toBe('not a time');
  });

  it('cuts with an ellipsis inside the width', () => {
    expect(cut('abcdef', 4)).toBe('abc…');
    expect(cut('abc', 4)).toBe('abc');
  });
});

describe('wrapped', () => {
  const sentence = 'The group has dynamic membership, so Intune refuses it: make it Assigned again or request a new group.';
  it('wraps a sentence under its indent within the width, keeping every word', () => {
    const text = wrapped(sentence, '    ', { wide: false, width: 40 });
    expect(widest(text)).toBeLessThanOrEqual(40);
    expect(lines(text).every((line) => line.startsWith('    '))).toBe(true);
    expect(lines(text).map((line) => line.trim()).join(' ')).toBe(sentence);
  });

  it('keeps it on one line with --wide or without a terminal', () => {
    expect(wrapped(sentence, '  ', { wide: true, width: 40 })).toBe(`  ${sentence}\n`);
    expect(wrapped(sentence, '  ', { wide: false })).toBe(`  ${sentence}\n`);
  });
});
