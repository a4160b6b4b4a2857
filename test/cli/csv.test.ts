/**
 * The audit export's CSV (src/cli/csv.ts) over entries read back from a real SQLite store: RFC 4180 quoting,
 * spreadsheet formulas defused, the store's filters deciding which rows there are.
 */
import { auditToCsv } from '../../src/cli/csv';
import type { Store } from '../../src/store';
import { sqliteHarness, type StoreHarness } from '../store/support/harness';

let harness: StoreHarness;
let store: Store;

beforeEach(async () => {
  harness = sqliteHarness();
  store = await harness.open();
});
afterEach(async () => {
  await store.close();
  await harness.dispose();
});

it('exports CSV with quoting and defuses spreadsheet formulas', async () => {
  await store.appendAudit({ kind: 'graphCall', at: '2026-01-01T10:00:00.000Z', requestId: 'REQ-1', graphRequestId: 'rid-1' });
  await store.appendAudit({ kind: 'rejected', at: '2026-01-01T10:01:00.000Z', actor: { aadObjectId: 'b', name: 'Bob, "the" approver' }, detail: '=HYPERLINK("x")\nline 2' });
  expect(auditToCsv(await store.listAudit())).toBe(
    'sequence,at,kind,requestId,policyKey,actorId,actorName,graphRequestId,detail\r\n' +
      '1,2026-01-01T10:00:00.000Z,graphCall,REQ-1,,,,rid-1,\r\n' +
      `2,2026-01-01T10:01:00.000Z,rejected,,,b,"Bob, ""the"" approver",,"'=HYPERLINK(""x"")\nline 2"\r\n`,
  );
  expect(auditToCsv(await store.listAudit({ requestId: 'REQ-1' })).split('\r\n')).toHaveLength(3);
  expect(auditToCsv(await store.listAudit({ requestId: 'REQ-9' }))).toBe('sequence,at,kind,requestId,policyKey,actorId,actorName,graphRequestId,detail\r\n');
});
