/**
 * The real Graph adapter and the provisioning service against the strict emulator over HTTP: the places where
 * the real Graph is stricter than a naive copy (issue 11), each with the product's answer to it.
 */
import { orderFor, previewedNames } from './support/names';
import { rejection } from './support/rejection';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Actor } from '../../src/domain/actor';
import { OWNER_APP_ID } from '../../src/provisioning/directory';
import { GroupInRecycleBinError, GroupVerificationError } from '../../src/provisioning/errors';
import { callerKindOf, graphScopeFor, tokenSourceFor } from '../../src/graph/graphCredential';
import { createGraphDirectory } from '../../src/graph/graphDirectory';
import { createProvisioningService, INTUNE_MANUAL_BIND_PATH } from '../../src/provisioning/service';
import type { ProvisioningService } from '../../src/provisioning/types';
import type { GraphEmulatorOptions } from '../../src/sandbox/graphEmulator';
import { createMemoryRegistry, type MemoryRegistry } from './support/memoryRegistry';
import { DELEGATED_TOKEN, FAST_RETRY, SANDBOX_TOKEN, startSandbox, unsignedJwt, type Sandbox } from './support/sandbox';

const ADA: Actor = { aadObjectId: '11111111-1111-1111-1111-111111111111', name: 'Ada' };
const DAY_MS = 24 * 3600 * 1000;

let sandbox: Sandbox;
let registry: MemoryRegistry;
let service: ProvisioningService;
let running = false;
let clockMs = Date.parse('2026-12-01T08:00:00Z');

async function setUp(emulatorOptions: GraphEmulatorOptions = {}, token?: string, onRequest?: () => void): Promise<void> {
  sandbox = await startSandbox({ clock: { now: () => new Date(clockMs) }, ...emulatorOptions }, onRequest ? { onRequest } : {}, token);
  running = true;
  registry = createMemoryRegistry();
  service = createProvisioningService({ directory: sandbox.directory, registry });
}

afterEach(async () => {
  if (running) await sandbox.emulator.close();
  running = false;
});

const ownerSpId = (): string => sandbox.emulator.admin.ownerServicePrincipalId as string;
const calls = (): string[] => sandbox.emulator.requestLog.map((entry) => `${entry.method} ${entry.status}`);

const policyIdNamed = (name: string): string => {
  const policy = sandbox.emulator.admin.policies().find((each) => each.name === name);
  if (!policy) throw new Error(`no policy ${name}`);
  return policy.id;
};

describe('1. long display names', () => {
  // 91 characters of policy name: with the default template, a display name of 124 characters.
  const LONG_POLICY = `Contoso ${'Engineering '.repeat(7)}Devices`;

  it('provisions a policy whose display name is over 120 characters, and finds it again after a crash', async () => {
    await setUp();
    const { displayName } = previewedNames(service, LONG_POLICY, 'userDriven');
    expect(displayName.length).toBeGreaterThan(120);
    const result = await service.ensureGroup(orderFor(service, LONG_POLICY, 'userDriven'), ADA);
    expect(result.created).toBe(true);
    expect(sandbox.emulator.admin.groups().map((group) => group.displayName)).toEqual([displayName]);
    expect(sandbox.emulator.requestLog.every((entry) => entry.status < 400)).toBe(true);

    const afterCrash = createProvisioningService({ directory: sandbox.directory, registry: createMemoryRegistry() });
    const recovered = await afterCrash.ensureGroup(orderFor(afterCrash, LONG_POLICY, 'userDriven'), ADA);
    expect(recovered.group.groupId).toBe(result.group.groupId);
    expect(sandbox.emulator.admin.groups()).toHaveLength(1);
  });

  it('matches the whole long name exactly, not every group sharing its first 120 characters', async () => {
    await setUp();
    const prefix = 'P'.repeat(120);
    const wanted = sandbox.emulator.admin.addGroup({ displayName: `${prefix} wanted` });
    sandbox.emulator.admin.addGroup({ displayName: `${prefix} other` });
    const found = await sandbox.directory.findGroupsByDisplayName(`${prefix} WANTED`);
    expect(found.value.map((group) => group.id)).toEqual([wanted.id]);
    expect(decodeURIComponent(sandbox.emulator.requestLog[0]?.path ?? '')).toContain(`startsWith(displayName,'${prefix}')`);
  });

  it('never splits a surrogate pair when cutting the prefix', async () => {
    await setUp();
    const name = `${'x'.repeat(119)}🚀 launch`;
    const group = sandbox.emulator.admin.addGroup({ displayName: name });
    expect((await sandbox.directory.findGroupsByDisplayName(name)).value.map((each) => each.id)).toEqual([group.id]);
    expect(decodeURIComponent(sandbox.emulator.requestLog[0]?.path ?? '')).toContain(`startsWith(displayName,'${'x'.repeat(119)}')`);
  });
});

describe('2. the membership-target result shape', () => {
  /** A stand-in Graph on loopback that answers the bare (unwrapped) shape. */
  async function withBareShapeGraph(run: (baseUrl: string) => Promise<void>): Promise<void> {
    const answer: RequestListener = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'request-id': 'rid-bare' });
      response.end(
        JSON.stringify({
          validationSucceeded: false,
          enrollmentTimeDeviceMembershipTargetValidationStatuses: [
            { targetId: 'g1', validationSucceeded: false, targetValidationErrorCode: 'notStaticSecurityGroup' },
            { targetId: 'g2', validationSucceeded: true, targetValidationErrorCode: 'unknown' },
          ],
        }),
      );
    };
    const server = createServer(answer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('reads the documented wrapped result, treating the code "unknown" as no error', async () => {
    await setUp({}, DELEGATED_TOKEN);
    const group = sandbox.emulator.admin.addGroup({ displayName: 'G', ownerIds: [ownerSpId()] });
    const policyId = sandbox.emulator.admin.policies()[0]?.id;
    const result = await sandbox.directory.setEnrollmentTimeDeviceMembershipTarget(policyId, group.id);
    expect(result.value).toEqual({ validationSucceeded: true, statuses: [{ targetId: group.id, validationSucceeded: true }] });
  });

  it('reads the bare result too, as other callers of the action accept it', async () => {
    await withBareShapeGraph(async (baseUrl) => {
      const directory = createGraphDirectory({ baseUrl, credential: { kind: 'static', token: SANDBOX_TOKEN }, retry: FAST_RETRY });
      const result = await directory.setEnrollmentTimeDeviceMembershipTarget('p', 'g1');
      expect(result.value).toEqual({
        validationSucceeded: false,
        statuses: [
          { targetId: 'g1', validationSucceeded: false, errorCode: 'notStaticSecurityGroup' },
          { targetId: 'g2', validationSucceeded: true },
        ],
      });
    });
  });
});

describe('3. Intune refuses app-only binding', () => {
  it('tells tokens apart: a JWT whose claims carry scp is delegated, anything else app-only', () => {
    expect(callerKindOf(DELEGATED_TOKEN)).toBe('delegated');
    expect(callerKindOf(unsignedJwt({ roles: ['Group.ReadWrite.All'] }))).toBe('appOnly');
    expect(callerKindOf(unsignedJwt({ scp: ' ' }))).toBe('appOnly');
    expect(callerKindOf(SANDBOX_TOKEN)).toBe('appOnly');
    expect(callerKindOf('a.!!!not-base64-json.c')).toBe('appOnly');
  });

  it('says plainly that Intune does not accept app-only binding, with the manual path, and leaves the group', async () => {
    await setUp();
    const { group } = await service.ensureGroup(orderFor(service, 'Contoso User-driven', 'userDriven'), ADA);
    const result = await service.bindToPolicy(group, policyIdNamed('Contoso User-driven'));
    const refused = sandbox.emulator.requestLog.at(-1);
    expect(refused).toMatchObject({ method: 'POST', status: 500 });
    expect(result).toMatchObject({ outcome: 'failed', reason: 'appOnlyNotSupported', graphRequestId: refused?.requestId });
    if (result.outcome !== 'failed') throw new Error('expected a failure');
    expect(result.message).toContain('Intune does not accept app-only binding today');
    expect(result.message).toContain(INTUNE_MANUAL_BIND_PATH);
    expect(result.message).toContain(group.displayName);
    expect(result.graphRequestIds).toEqual(sandbox.emulator.requestLog.slice(-1).map((entry) => entry.requestId));
    expect(sandbox.emulator.admin.groups().map((each) => each.id)).toEqual([group.groupId]);
    expect(sandbox.emulator.admin.policies().every((policy) => policy.membershipTargetIds.length === 0)).toBe(true);
  });

  it('binds with the knob that lets app-only callers through', async () => {
    await setUp({ variations: { appOnlyMembershipTarget: 'allow' } });
    const { group } = await service.ensureGroup(orderFor(service, 'Contoso User-driven', 'userDriven'), ADA);
    expect((await service.bindToPolicy(group, policyIdNamed('Contoso User-driven'))).outcome).toBe('bound');
  });

  it('reports a 500 to a delegated caller as an ordinary failure, not as the app-only refusal', async () => {
    await setUp({ faults: { membershipTargetInternalError: true } }, DELEGATED_TOKEN);
    const { group } = await service.ensureGroup(orderFor(service, 'Contoso User-driven', 'userDriven'), ADA);
    const result = await service.bindToPolicy(group, policyIdNamed('Contoso User-driven'));
    expect(result.outcome).toBe('failed');
    expect(result).not.toHaveProperty('reason');
  });
});

describe('4. deleted groups in the recycle bin', () => {
  async function provisionedThenDeleted(): Promise<string> {
    await setUp();
    const { group } = await service.ensureGroup(orderFor(service, 'Sales', 'userDriven'), ADA);
    sandbox.emulator.admin.deleteGroup(group.groupId);
    return group.groupId;
  }

  it('check tells a deleted but restorable group, with its deletion date, from one that is gone', async () => {
    const groupId = await provisionedThenDeleted();
    const report = await service.checkGroup(registry.recordOf('Sales'));
    expect(report.findings.map((finding) => finding.code)).toEqual(['securityGroupNotFound']);
    expect(report.deletedGroup).toEqual({
      groupId,
      deletedAt: new Date(clockMs).toISOString(),
      restorableUntil: new Date(clockMs + 30 * DAY_MS).toISOString(),
    });
    expect(report.findings[0]?.message).toMatch(/recycle bin and can be restored/);

    clockMs += 30 * DAY_MS;
    const gone = await service.checkGroup(registry.recordOf('Sales'));
    expect(gone.deletedGroup).toBeUndefined();
    expect(gone.findings[0]?.message).toMatch(/not even in the recycle bin/);
  });

  it('restores the same object id, re-adds the missing owner and verifies it', async () => {
    await setUp();
    const { group } = await service.ensureGroup(orderFor(service, 'Sales', 'userDriven'), ADA);
    sandbox.emulator.admin.removeOwner(group.groupId, ownerSpId());
    sandbox.emulator.admin.deleteGroup(group.groupId);
    const result = await service.restoreGroup({ record: registry.recordOf('sales') }, ADA);
    expect(result).toMatchObject({ outcome: 'restored', group: { groupId: group.groupId }, ownerReAdded: true, findings: [] });
    expect(sandbox.emulator.admin.group(group.groupId)?.ownerIds).toEqual([ownerSpId()]);
    expect((await service.checkGroup(registry.recordOf('Sales'))).healthy).toBe(true);
    expect(result.graphRequestIds.length).toBeGreaterThan(0);
  });

  it('restores without touching the owner when it came back with the group', async () => {
    const groupId = await provisionedThenDeleted();
    const result = await service.restoreGroup({ record: registry.recordOf('Sales') }, ADA);
    expect(result).toMatchObject({ outcome: 'restored', ownerReAdded: false, findings: [] });
    expect(sandbox.emulator.requestLog.filter((entry) => entry.path.includes('/owners/$ref'))).toEqual([]);
    expect(sandbox.emulator.admin.group(groupId)).toBeDefined();
  });

  it('a new request for a policy whose group is in the recycle bin meets a typed error naming the options, never a second group', async () => {
    const groupId = await provisionedThenDeleted();
    const fresh = createProvisioningService({ directory: sandbox.directory, registry: createMemoryRegistry() });
    const error = await rejection(fresh.ensureGroup(orderFor(fresh, 'Sales', 'userDriven'), ADA));
    expect(error).toBeInstanceOf(GroupInRecycleBinError);
    expect(error).toMatchObject({ code: 'groupInRecycleBin', groupId, restorableUntil: new Date(clockMs + 30 * DAY_MS).toISOString() });
    expect(error.message).toMatch(/restore it/);
    expect(error.message).toMatch(/delete it permanently from the recycle bin, then request the group again/);
    expect(sandbox.emulator.admin.groups()).toEqual([]);
  });

  it('the restore offered to that request brings the group back and records it for the policy', async () => {
    const groupId = await provisionedThenDeleted();
    const freshRegistry = createMemoryRegistry();
    const fresh = createProvisioningService({ directory: sandbox.directory, registry: freshRegistry });
    const result = await fresh.restoreGroup({ order: orderFor(fresh, 'Sales', 'automatic') }, ADA);
    expect(result).toMatchObject({ outcome: 'restored', group: { groupId, policyKey: 'sales', scenario: 'automatic', createdBy: ADA } });
    expect(freshRegistry.records().map((record) => record.groupId)).toEqual([groupId]);
    expect(await fresh.ensureGroup(orderFor(fresh, 'Sales', 'automatic'), ADA)).toMatchObject({ created: false, group: { groupId } });
  });

  it('after a permanent delete, a new request creates a new group', async () => {
    const groupId = await provisionedThenDeleted();
    sandbox.emulator.admin.purgeGroup(groupId);
    const fresh = createProvisioningService({ directory: sandbox.directory, registry: createMemoryRegistry() });
    const result = await fresh.ensureGroup(orderFor(fresh, 'Sales', 'userDriven'), ADA);
    expect(result.created).toBe(true);
    expect(result.group.groupId).not.toBe(groupId);
  });

  it('answers a restore of a live group or of a purged one without writing', async () => {
    await setUp();
    await service.ensureGroup(orderFor(service, 'Sales', 'userDriven'), ADA);
    expect(await service.restoreGroup({ record: registry.recordOf('Sales') }, ADA)).toMatchObject({ outcome: 'notDeleted' });
    expect(await service.restoreGroup({ order: orderFor(service, 'Never Requested', 'userDriven') }, ADA)).toMatchObject({ outcome: 'notInRecycleBin' });
    expect(sandbox.emulator.requestLog.filter((entry) => entry.method !== 'GET').map((entry) => entry.method)).toEqual(['PATCH']);
  });
});

describe('5. an existing group must not depend on re-binding its owner', () => {
  it('strict Graph (400 for the repeated owner): reads the group back, verifies and records it', async () => {
    await setUp();
    const names = previewedNames(service, 'Renamed', 'userDriven');
    const existing = sandbox.emulator.admin.addGroup({ ...names, displayName: 'Someone renamed it', ownerIds: [ownerSpId()] });
    const result = await service.ensureGroup(orderFor(service, 'Renamed', 'userDriven'), ADA);
    expect(result.group.groupId).toBe(existing.id);
    expect(calls()).toEqual(['GET 200', 'GET 200', 'PATCH 400', 'GET 200']);
    expect(sandbox.emulator.admin.groups()).toHaveLength(1);
  });

  it('adds the owner when the group found under our key lacks it', async () => {
    // Graph answers the loser of a race 400 before binding anything: the group the winner made may lack the owner.
    await setUp({ faults: { replicationLagMs: 350 } }, undefined, () => (clockMs += 100));
    const names = previewedNames(service, 'Ownerless', 'userDriven');
    const existing = sandbox.emulator.admin.createGroup({ ...names, displayName: 'made by someone else', ownerIds: [] });
    const result = await service.ensureGroup(orderFor(service, 'Ownerless', 'userDriven'), ADA);
    expect(result.group.groupId).toBe(existing.id);
    expect(sandbox.emulator.admin.group(existing.id)?.ownerIds).toEqual([ownerSpId()]);
    expect(calls().slice(2)).toEqual(['PATCH 400', 'GET 404', 'GET 200', 'POST 204']);
  });

  it('the adapter reports the 400 for an owner bound already as "exists"', async () => {
    await setUp();
    const group = { displayName: 'D', mailNickname: 'adp-d', uniqueName: 'apdp-d', description: 'd', ownerServicePrincipalId: ownerSpId() };
    expect((await sandbox.directory.upsertGroup(group)).value.created).toBe(true);
    expect((await sandbox.directory.upsertGroup(group)).value).toEqual({ created: false });
  });
});

describe('6. concurrent upserts of one uniqueName', () => {
  it('treats the loser\'s 400 uniqueness conflict as "exists" and reads the group back through replication lag', async () => {
    await setUp({ faults: { replicationLagMs: 350 } }, undefined, () => (clockMs += 100));
    const names = previewedNames(service, 'Raced', 'userDriven');
    const winner = sandbox.emulator.admin.createGroup({ ...names, displayName: 'won the race', ownerIds: [ownerSpId()] });
    const result = await service.ensureGroup(orderFor(service, 'Raced', 'userDriven'), ADA);
    expect(result.group.groupId).toBe(winner.id);
    expect(calls().slice(2)).toEqual(['PATCH 400', 'GET 404', 'GET 200']);
    expect(sandbox.emulator.admin.groups()).toHaveLength(1);
  });

  it('several instances racing on one policy still make one group', async () => {
    await setUp();
    const services = [0, 1, 2, 3].map(() => createProvisioningService({ directory: sandbox.directory, registry }));
    const results = await Promise.all(services.map((each) => each.ensureGroup(orderFor(each, 'Race', 'userDriven'), ADA)));
    expect(sandbox.emulator.admin.groups()).toHaveLength(1);
    expect(new Set(results.map((result) => result.group.groupId)).size).toBe(1);
  });

  it('a key held by a group it cannot read, and no deleted group either, is a verification error', async () => {
    await setUp({ faults: { replicationLagMs: 60_000 } });
    const names = previewedNames(service, 'Invisible', 'userDriven');
    sandbox.emulator.admin.createGroup({ ...names, ownerIds: [ownerSpId()] });
    const error = await rejection(service.ensureGroup(orderFor(service, 'Invisible', 'userDriven'), ADA));
    expect(error).toBeInstanceOf(GroupVerificationError);
    expect(registry.records()).toEqual([]);
  });
});

describe('7. $expand returns at most 20 owners', () => {
  async function crowdedGroup(withIntuneOwner: boolean): Promise<void> {
    await setUp({ pageSize: 10 });
    const { group } = await service.ensureGroup(orderFor(service, 'Crowded', 'userDriven'), ADA);
    const admin = sandbox.emulator.admin;
    admin.removeOwner(group.groupId, ownerSpId());
    for (let i = 0; i < 22; i++) admin.addOwner(group.groupId, admin.addUser({ displayName: `Owner ${i}` }).id);
    if (withIntuneOwner) admin.addOwner(group.groupId, ownerSpId());
  }

  it('does not raise a false firstPartyAppNotAnOwner when the owner is past the 20th', async () => {
    await crowdedGroup(true);
    const report = await service.checkGroup(registry.recordOf('Crowded'));
    expect(report.findings).toEqual([]);
    expect(sandbox.emulator.requestLog.some((entry) => entry.path.startsWith('/beta/groups/') && entry.path.includes('/owners'))).toBe(true);
  });

  it('still reports the owner missing when the full list lacks it', async () => {
    await crowdedGroup(false);
    expect((await service.checkGroup(registry.recordOf('Crowded'))).findings.map((finding) => finding.code)).toEqual(['firstPartyAppNotAnOwner']);
  });
});

describe('8. checkMemberGroups counts every group type', () => {
  it('finds an approver whose membership runs through a Microsoft 365 group', async () => {
    await setUp();
    const admin = sandbox.emulator.admin;
    const user = admin.addUser({ displayName: 'Megan' });
    const team = admin.addGroup({ displayName: 'IT team', securityEnabled: false, mailEnabled: true, groupTypes: ['Unified'], memberIds: [user.id] });
    const approvers = admin.addGroup({ displayName: 'Approvers', memberIds: [team.id] });
    expect(await sandbox.directory.isTransitiveMember(user.id, approvers.id)).toBe(true);
    expect(await sandbox.directory.isTransitiveMember(user.id, team.id)).toBe(true);
  });
});

describe('9. national clouds', () => {
  it('asks each Graph cloud for a token of its own scope, and refuses a host that is none', () => {
    expect(graphScopeFor('https://graph.microsoft.us')).toBe('https://graph.microsoft.us/.default');
    expect(graphScopeFor('https://microsoftgraph.chinacloudapi.cn')).toBe('https://microsoftgraph.chinacloudapi.cn/.default');
    expect(() => tokenSourceFor({ kind: 'default' }, 'https://graph.example.test')).toThrow(/not a Microsoft Graph cloud/);
  });

  it('binds the owner with a reference on the configured host, which the emulator (a cloud at its URL) resolves', async () => {
    await setUp();
    await service.ensureGroup(orderFor(service, 'Cloud', 'userDriven'), ADA);
    expect(sandbox.emulator.admin.groups()[0]?.ownerIds).toEqual([ownerSpId()]);
  });
});

describe('10. replication lag', () => {
  it('stops reading again once the next wait would pass the time budget', async () => {
    await setUp({ faults: { replicationLagMs: 600_000 } });
    const directory = createGraphDirectory({
      baseUrl: sandbox.emulator.url,
      credential: { kind: 'static', token: SANDBOX_TOKEN },
      // Waits of 400 ms then 800 ms: the second would end past the 1 s budget.
      retry: { ...FAST_RETRY, replicationReadAttempts: 10, replicationReadDelayMs: 400, replicationReadBudgetMs: 1_000 },
    });
    await directory.upsertGroup({ displayName: 'L', mailNickname: 'adp-l', uniqueName: 'apdp-l', description: 'l', ownerServicePrincipalId: ownerSpId() });
    const read = await directory.getGroupByUniqueName('apdp-l', { afterWrite: true });
    expect(read.value).toBeUndefined();
    expect(read.requestIds).toHaveLength(2);
  });
});

describe('11. throttling details', () => {
  it('reads a 429 or 5xx body to the end before the retry, so the retry reuses the connection', async () => {
    const sockets = new Set<Socket>();
    let answered = 0;
    const answer: RequestListener = (request, response) => {
      sockets.add(request.socket);
      answered += 1;
      if (answered === 1) {
        // Large enough that an unread body holds the connection.
        response.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '0' });
        response.end(JSON.stringify({ error: { code: 'serviceNotAvailable', message: 'x'.repeat(2_000_000) } }));
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ id: 'sp', appId: OWNER_APP_ID }));
    };
    const server = createServer(answer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const directory = createGraphDirectory({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        credential: { kind: 'static', token: SANDBOX_TOKEN },
        retry: FAST_RETRY,
      });
      expect((await directory.findServicePrincipalByAppId(OWNER_APP_ID)).value?.id).toBe('sp');
      expect(answered).toBe(2);
      expect(sockets.size).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('waits out whole-second Retry-After from the emulator by default and succeeds', async () => {
    // The real clock: the throttle refills while the client waits the whole second it was told to. One write a
    // second, so the second group's write is throttled however slowly a loaded machine runs the first.
    await setUp({ clock: { now: () => new Date() }, faults: { writeThrottle: { capacity: 1, refillPerSecond: 1 } } });
    await service.ensureGroup(orderFor(service, 'First', 'userDriven'), ADA);
    await service.ensureGroup(orderFor(service, 'Second', 'userDriven'), ADA);
    const throttled = sandbox.emulator.requestLog.filter((entry) => entry.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(throttled.every((entry) => entry.method !== 'GET')).toBe(true);
    expect(sandbox.emulator.admin.groups()).toHaveLength(2);
  });
});
