/** The sandbox tenant on disk: a round trip, the atomic write, and files that are not a tenant. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedTenant } from '../../src/sandbox/seed';
import { SandboxTenant } from '../../src/sandbox/tenant';
import { readTenantFile, writeTenantFile, type TenantFileRead } from '../../src/sandbox/tenantFile';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-file-'));
  file = path.join(dir, 'graph-tenant.json');
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A tenant with a record of every kind: objects, live and deleted groups, bound policies, an installation. */
function busyTenant(): SandboxTenant {
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const tenant = new SandboxTenant(() => (clock += 1000));
  seedTenant(tenant, { brokenCases: true });
  const user = tenant.addUser({ displayName: 'Ada' });
  tenant.addDevice({ displayName: 'PC-1' });
  tenant.addCatalogApp('app-1');
  tenant.installAppForUser(user.id, 'app-1');
  tenant.createGroup({ displayName: 'Created', uniqueName: 'apdp-1', memberIds: [user.id] });
  tenant.updatePolicy(tenant.policies()[0]?.id ?? '', { name: 'Renamed' });
  tenant.deleteGroup(tenant.addGroup({ displayName: 'Gone' }).id);
  return tenant;
}

const loaded = (read: TenantFileRead) => (read.kind === 'loaded' ? read.state : undefined);
const tempFiles = (): string[] => fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));

describe('the sandbox tenant file', () => {
  it('reads back exactly what it wrote, and a tenant resumed from it holds the same records', () => {
    const tenant = busyTenant();
    writeTenantFile(file, tenant.state());
    const state = loaded(readTenantFile(file));
    expect(state).toEqual(tenant.state());
    const resumed = new SandboxTenant(Date.now, state);
    expect(resumed.state()).toEqual(tenant.state());
    expect(resumed.groupByUniqueName('apdp-1')?.id).toBe(tenant.groupByUniqueName('apdp-1')?.id);
    expect(resumed.policies().map((policy) => policy.membershipTargetIds)).toEqual(tenant.policies().map((policy) => policy.membershipTargetIds));
    expect(tempFiles()).toEqual([]);
  });

  it('says a file is missing rather than making one up', () => {
    expect(readTenantFile(file)).toEqual({ kind: 'missing' });
  });

  it('keeps the old tenant whole when a write dies before the rename or in the middle of the data', () => {
    const before = busyTenant().state();
    writeTenantFile(file, before);
    const after = { ...before, groups: [] };

    jest.spyOn(fs, 'renameSync').mockImplementationOnce(() => {
      throw new Error('crashed before the rename');
    });
    expect(() => writeTenantFile(file, after)).toThrow('crashed before the rename');
    expect(loaded(readTenantFile(file))).toEqual(before);
    expect(tempFiles()).toEqual([]);

    jest.spyOn(fs, 'writeFileSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    expect(() => writeTenantFile(file, after)).toThrow('ENOSPC');
    expect(loaded(readTenantFile(file))).toEqual(before);
    expect(tempFiles()).toEqual([]);

    writeTenantFile(file, after);
    expect(loaded(readTenantFile(file))).toEqual(after);
  });

  it('flushes the new content to disk before it takes the old one’s place', () => {
    const calls: string[] = [];
    const fsync = fs.fsyncSync;
    const rename = fs.renameSync;
    jest.spyOn(fs, 'fsyncSync').mockImplementation((descriptor) => {
      calls.push('fsync');
      fsync(descriptor);
    });
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      calls.push(`rename ${path.basename(String(from)).endsWith('.tmp') ? 'temp' : String(from)} → ${path.basename(String(to))}`);
      rename(from, to);
    });
    writeTenantFile(file, busyTenant().state());
    // The file's data, then the rename, then the folder (so that the rename itself survives a power cut).
    expect(calls).toEqual(['fsync', 'rename temp → graph-tenant.json', ...(process.platform === 'win32' ? [] : ['fsync'])]);
  });

  it('ignores the temp file a crash mid-write leaves behind', () => {
    const state = busyTenant().state();
    writeTenantFile(file, state);
    fs.writeFileSync(path.join(dir, '.graph-tenant.json.crashed.tmp'), '{"version":1,"tenant":{"objects":[');
    expect(loaded(readTenantFile(file))).toEqual(state);
  });

  it('refuses a file that is not JSON, of another version or not a tenant, naming the file and how to start over', () => {
    const cases: [string, RegExp][] = [
      ['{"version":1,"tenant":{"obj', /is not valid JSON/],
      [JSON.stringify({ version: 2, tenant: {} }), /has version 2; this emulator reads version 1/],
      [JSON.stringify({ tenant: {} }), /is not a sandbox tenant \(version: /],
      [JSON.stringify({ version: 1, tenant: { ...busyTenant().state(), groups: [{ id: 'g' }] } }), /is not a sandbox tenant \(tenant\.groups\.0\.displayName: Required\)/],
    ];
    for (const [text, why] of cases) {
      fs.writeFileSync(file, text);
      const read = readTenantFile(file);
      expect(read.kind).toBe('invalid');
      const message = read.kind === 'invalid' ? read.message : '';
      expect(message).toMatch(why);
      expect(message).toContain(file);
      expect(message).toContain('npm start -- --reset');
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
    }
  });
});
