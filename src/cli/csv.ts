/** RFC 4180 CSV for the admin CLI's audit export: the one place the audit log becomes a spreadsheet. */
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

/** A header row, then one row per entry in the given order. */
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
