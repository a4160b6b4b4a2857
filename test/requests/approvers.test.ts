import type { Actor } from '../../src/domain/actor';
import { createApproverDirectory } from '../../src/requests/approvers';
import type { GroupMembershipChecker } from '../../src/requests/ports';

const alice: Actor = { aadObjectId: '11111111-1111-1111-1111-111111111111', name: 'Alice' };
const bob: Actor = { aadObjectId: '22222222-2222-2222-2222-222222222222', name: 'Bob' };
const GROUP = '99999999-9999-9999-9999-999999999999';

/** A membership checker with a fixed member list that counts its lookups. */
function membershipOf(members: readonly string[]): GroupMembershipChecker & { calls: number } {
  const checker = {
    calls: 0,
    async isTransitiveMember(userObjectId: string, groupId: string): Promise<boolean> {
      checker.calls += 1;
      return groupId === GROUP && members.includes(userObjectId);
    },
    async listTransitiveUserMembers(groupId: string): Promise<readonly string[]> {
      return groupId === GROUP ? members : [];
    },
  };
  return checker;
}

describe('createApproverDirectory', () => {
  it('lists every approver once: the configured ids and the group\'s users, ids compared case-insensitively', async () => {
    const directory = createApproverDirectory({ approverIds: [alice.aadObjectId.toUpperCase()], approverGroupId: GROUP, membership: membershipOf([alice.aadObjectId, bob.aadObjectId]) });
    expect([...(await directory.listApprovers())].sort()).toEqual([alice.aadObjectId, bob.aadObjectId].sort());
    expect(await createApproverDirectory({ approverIds: [bob.aadObjectId] }).listApprovers()).toEqual([bob.aadObjectId]);
  });

  it('accepts configured object ids, case-insensitively, and nobody else', async () => {
    const directory = createApproverDirectory({ approverIds: [alice.aadObjectId.toUpperCase()] });
    expect(await directory.isApprover(alice)).toBe(true);
    expect(await directory.isApprover(bob)).toBe(false);
    expect(await directory.isApprover({ aadObjectId: '  ', name: 'blank' })).toBe(false);
  });

  it('accepts transitive members of the approver group and caches the answer until it expires', async () => {
    let now = 1_000;
    const membership = membershipOf([bob.aadObjectId]);
    const directory = createApproverDirectory({
      approverIds: [],
      approverGroupId: GROUP,
      membership,
      cacheTtlMs: 500,
      clock: { now: () => new Date(now) },
    });
    expect(await directory.isApprover(bob)).toBe(true);
    expect(await directory.isApprover(bob)).toBe(true);
    expect(membership.calls).toBe(1);
    now += 501;
    expect(await directory.isApprover(bob)).toBe(true);
    expect(membership.calls).toBe(2);
    expect(await directory.isApprover(alice)).toBe(false);
  });

  it('asks Graph once for concurrent checks of one person', async () => {
    const membership = membershipOf([bob.aadObjectId]);
    const directory = createApproverDirectory({ approverIds: [], approverGroupId: GROUP, membership });
    const answers = await Promise.all(Array.from({ length: 20 }, () => directory.isApprover(bob)));
    expect(answers.every(Boolean)).toBe(true);
    expect(membership.calls).toBe(1);
  });

  it('does not cache a failed lookup', async () => {
    let fail = true;
    const membership: GroupMembershipChecker = {
      async isTransitiveMember() {
        if (fail) throw new Error('Graph unavailable');
        return true;
      },
      listTransitiveUserMembers: async () => [],
    };
    const directory = createApproverDirectory({ approverIds: [], approverGroupId: GROUP, membership });
    await expect(directory.isApprover(bob)).rejects.toThrow('Graph unavailable');
    fail = false;
    expect(await directory.isApprover(bob)).toBe(true);
  });

  it('does not ask Graph about configured approvers', async () => {
    const membership = membershipOf([]);
    const directory = createApproverDirectory({ approverIds: [alice.aadObjectId], approverGroupId: GROUP, membership });
    expect(await directory.isApprover(alice)).toBe(true);
    expect(membership.calls).toBe(0);
  });

  it('refuses a group without a membership checker', () => {
    expect(() => createApproverDirectory({ approverIds: [], approverGroupId: GROUP })).toThrow(/membership checker/);
  });
});
