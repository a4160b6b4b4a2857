/**
 * Plain-text tables that fit the terminal they are printed on: object ids shortened to their first
 * characters, and the columns that may be cut (names, details) cut with "…" until the rows fit. `--wide`
 * prints every value whole, for copying an id or for a wide window.
 */

export interface Column<Row> {
  readonly title: string;
  readonly value: (row: Row) => string;
  /**
   * Shown shorter unless wide: an object id (a GUID) by its first {@link SHORT_ID_LENGTH} characters, enough to
   * tell it apart by eye; an ISO time to the minute.
   */
  readonly shorten?: 'id' | 'time';
  /** May be cut to fit the terminal; the other columns are always shown whole. */
  readonly cuttable?: boolean;
}

export interface Layout {
  /** Every value whole (`--wide`). */
  readonly wide: boolean;
  /** The terminal's width in characters; undefined when the output is not a terminal (nothing is cut then). */
  readonly width?: number;
}

export const SHORT_ID_LENGTH = 8;
const GAP = '  ';
const ELLIPSIS = '…';
/** A cut column keeps at least this much (or its title), so it still says something. */
const MIN_CUT_WIDTH = 10;

/** `3f2a9c1e-…` for a GUID, unless the layout is wide. */
export function shownId(id: string, layout: Layout): string {
  return layout.wide || id.length <= SHORT_ID_LENGTH + 1 ? id : `${id.slice(0, SHORT_ID_LENGTH)}${ELLIPSIS}`;
}

/** `2026-12-06T19:57:56.477Z` → `2026-12-06T19:57Z` (still ISO 8601, UTC), unless the layout is wide. */
export function shownTime(iso: string, layout: Layout): string {
  const toTheMinute = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})[:.\d]*Z$/.exec(iso);
  return layout.wide || !toTheMinute ? iso : `${toTheMinute[1]}Z`;
}

/** `text`, cut with "…" to at most `width` characters. */
export function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}${ELLIPSIS}`;
}

/** The table's lines, header first, each ending in a newline. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], layout: Layout): string {
  const cells = rows.map((row) => columns.map((column) => shown(column, row, layout)));
  const widths = columnWidths(columns, [columns.map((column) => column.title), ...cells], layout);
  return [columns.map((column) => column.title), ...cells]
    .map((row) => `${row.map((cell, index) => cut(cell, widths[index]).padEnd(widths[index])).join(GAP).trimEnd()}\n`)
    .join('');
}

function shown<Row>(column: Column<Row>, row: Row, layout: Layout): string {
  // One line per row whatever a name holds (a policy named in Intune can carry a line break or a tab).
  const value = column.value(row).replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
  if (column.shorten === 'id') return shownId(value, layout);
  return column.shorten === 'time' ? shownTime(value, layout) : value;
}

/** Each column as wide as its widest cell; then, to fit the terminal, the widest cuttable column narrowed first. */
function columnWidths<Row>(columns: readonly Column<Row>[], rows: readonly string[][], layout: Layout): number[] {
  const widths = columns.map((_, index) => Math.max(...rows.map((row) => row[index].length)));
  if (layout.wide || layout.width === undefined) return widths;
  const floor = columns.map((column, index) => (column.cuttable ? Math.min(widths[index], Math.max(MIN_CUT_WIDTH, column.title.length)) : widths[index]));
  let excess = widths.reduce((sum, width) => sum + width, 0) + GAP.length * (columns.length - 1) - layout.width;
  while (excess > 0) {
    const widest = widths.reduce<number | undefined>(
      (best, width, index) => (width > floor[index] && (best === undefined || width > widths[best]) ? index : best),
      undefined,
    );
    if (widest === undefined) break; // as narrow as it gets: the terminal wraps the rest
    widths[widest] -= 1;
    excess -= 1;
  }
  return widths;
}

/** A sentence as lines of at most `layout.width` characters (not cut: every word kept), each after `indent`. */
export function wrapped(text: string, indent: string, layout: Layout): string {
  const room = layout.width === undefined || layout.wide ? Number.POSITIVE_INFINITY : Math.max(MIN_CUT_WIDTH, layout.width - indent.length);
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter((part) => part.length > 0)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= room) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.map((line) => `${indent}${line}\n`).join('');
}
