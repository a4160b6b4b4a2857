/** RFC 4180 CSV for the audit export. */
import type { AuditEntry } from '../requests/ports';

const HEADER = ['sequence', 'at', 'kind', 'requestId', 'policyKey', 'actorId', 'actorName', 'graphRequestId', 'detail'];

// Spreadsheet programs run cells starting with these as formulas: prefix them so a policy name or reason
// typed by a user cannot become a formula in an auditor's spreadsheet.
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditToCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((entry) =>
    [
      entry.sequence,
      entry.at,
      entry.kind,
      entry.requestId,
      entry.policyKey,
      entry.actor?.aadObjectId,
      entry.actor?.name,
      entry.graphRequestId,
      entry.detail,
    ]
      .map(cell)
      .join(','),
  );
  return [HEADER.join(','), ...rows].map((line) => `${line}\r\n`).join('');
}

/** How many entries a CSV from {@link auditToCsv} holds: its line ends outside quoted cells, less the header's. */
export function auditCsvEntryCount(csv: string): number {
  let quoted = false;
  let lines = 0;
  for (const character of csv) {
    // An escaped quote ("") toggles twice: still inside the cell.
    if (character === '"') quoted = !quoted;
    else if (character === '\n' && !quoted) lines += 1;
  }
  return Math.max(lines - 1, 0);
}
