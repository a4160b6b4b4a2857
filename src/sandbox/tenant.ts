/**
 * The sandbox tenant: in-memory directory, Intune and Teams state behind the Graph emulator, with admin helpers
 * that tests use to set the scene (foreign groups, drift, users, a missing owner service principal). A new
 * tenant is empty; `seed.ts` fills it. One class, over 300 lines, because its parts refer to each other: owners
 * and members are objects or groups, a membership target is validated from its group and owner.
 */
import { randomUUID } from 'node:crypto';
import { DYNAMIC_MEMBERSHIP, OWNER_APP_ID } from '../provisioning/directory';
import { SandboxIntune, type IntuneState } from './intuneState';

export interface SandboxGroup {
  readonly id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  readonly uniqueName: string | null;
  securityEnabled: boolean;
  mailEnabled: boolean;
  groupTypes: string[];
  membershipRule: string | null;
  readonly isAssignableToRole: boolean | null;
  ownerIds: string[];
  memberIds: string[];
  /** Epoch ms; reads do not see the group before `createdAt + replicationLagMs`. */
  readonly createdAt: number;
}

/** A group in the recycle bin, and when it was deleted (epoch ms). */
export interface DeletedSandboxGroup {
  readonly group: SandboxGroup;
  readonly deletedAt: number;
}

/** Deleted groups stay restorable this long, then Graph purges them (group: delete; deletedItems). */
export const RECYCLE_BIN_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export type DirectoryObjectType = 'user' | 'device' | 'servicePrincipal' | 'group';

export interface SandboxObject {
  readonly id: string;
  readonly type: Exclude<DirectoryObjectType, 'group'>;
  readonly displayName: string;
  readonly appId?: string;
}

/** A Teams app installed in a user's personal scope, and the chat between the user and its bot. */
export interface SandboxInstallation {
  readonly id: string;
  readonly teamsAppId: string;
  readonly chatId: string;
}

export interface SandboxPolicy {
  readonly id: string;
  /** Renamable in Intune: the id is what identifies a policy. */
  name: string;
  description: string;
  readonly templateId: string;
  membershipTargetIds: string[];
  /** Epoch ms. */
  readonly createdAt: number;
  lastModifiedAt: number;
}

/**
 * An entry of Intune's audit log (`deviceManagement/auditEvents`): who changed which policy how. The emulator
 * records the changes of a policy's device group, with the caller as Graph's token named them.
 */
export interface SandboxAuditEvent {
  readonly id: string;
  readonly activity: string;
  /** Epoch ms. */
  readonly activityDateTime: number;
  /** `delegated`: a person (`userId`, their Entra object id); `appOnly`: the application. */
  readonly actor: { readonly kind: 'delegated' | 'appOnly'; readonly userId: string | null };
  readonly policyId: string;
  readonly policyName: string;
}

export type TargetValidationCode = 'securityGroupNotFound' | 'notSecurityGroup' | 'notStaticSecurityGroup' | 'firstPartyAppNotAnOwner' | 'securityGroupNotInCallerScope';

export type GroupInit = Partial<Omit<SandboxGroup, 'id' | 'createdAt'>> & { readonly displayName: string };

/** Everything the tenant holds, as plain data: what `tenantFile.ts` writes to disk and reads back. */
export interface TenantState {
  readonly objects: readonly SandboxObject[];
  readonly groups: readonly SandboxGroup[];
  readonly deletedGroups: readonly DeletedSandboxGroup[];
  readonly policies: readonly SandboxPolicy[];
  readonly catalogAppIds: readonly string[];
  readonly installations: readonly { readonly userId: string; readonly installations: readonly SandboxInstallation[] }[];
  /** Apps, scripts and what policies select (issue 20); absent in files written before it. */
  readonly intune?: IntuneState;
  /** Intune's audit log (issue 19); absent in files written before it. */
  readonly auditEvents?: readonly SandboxAuditEvent[];
}

export class SandboxTenant {
  /** Intune's apps and scripts, and what each policy selects and is assigned to. */
  readonly intune: SandboxIntune;
  private readonly groupsById = new Map<string, SandboxGroup>();
  private readonly deletedGroupsById = new Map<string, DeletedSandboxGroup>();
  private readonly objectsById = new Map<string, SandboxObject>();
  private readonly policiesById = new Map<string, SandboxPolicy>();
  private readonly catalogAppIds = new Set<string>();
  private readonly installationsByUser = new Map<string, readonly SandboxInstallation[]>();
  private readonly auditLog: SandboxAuditEvent[] = [];

  /** An empty tenant, or one resumed from `state` (copied: the tenant's records are its own). */
  constructor(
    private readonly now: () => number = Date.now,
    state?: TenantState,
  ) {
    this.intune = new SandboxIntune(state?.intune);
    if (!state) return;
    const copy = structuredClone(state);
    for (const object of copy.objects) this.objectsById.set(object.id, object);
    for (const group of copy.groups) this.groupsById.set(group.id, group);
    for (const deleted of copy.deletedGroups) this.deletedGroupsById.set(deleted.group.id, deleted);
    for (const policy of copy.policies) this.policiesById.set(policy.id, policy);
    for (const appId of copy.catalogAppIds) this.catalogAppIds.add(appId);
    for (const { userId, installations } of copy.installations) this.installationsByUser.set(userId, installations);
    this.auditLog.push(...(copy.auditEvents ?? []));
  }

  /** A copy of everything the tenant holds, in insertion order (the order Graph lists come in). */
  state(): TenantState {
    return structuredClone({
      objects: [...this.objectsById.values()],
      groups: [...this.groupsById.values()],
      deletedGroups: [...this.deletedGroupsById.values()],
      policies: [...this.policiesById.values()],
      catalogAppIds: [...this.catalogAppIds],
      installations: [...this.installationsByUser].map(([userId, installations]) => ({ userId, installations })),
      intune: this.intune.state(),
      auditEvents: this.auditLog,
    });
  }

  // ── directory objects ────────────────────────────────────────────────────────────────────────────────

  addServicePrincipal(init: { appId: string; displayName: string; id?: string }): SandboxObject {
    return this.addObject({ id: init.id ?? randomUUID(), type: 'servicePrincipal', displayName: init.displayName, appId: init.appId });
  }

  addUser(init: { displayName: string; id?: string }): SandboxObject {
    return this.addObject({ id: init.id ?? randomUUID(), type: 'user', displayName: init.displayName });
  }

  addDevice(init: { displayName: string; id?: string }): SandboxObject {
    return this.addObject({ id: init.id ?? randomUUID(), type: 'device', displayName: init.displayName });
  }

  /** Simulates a tenant without the first-party app (or an admin deleting it). */
  removeServicePrincipal(appId: string): void {
    for (const object of this.objectsById.values()) {
      if (object.appId === appId) this.objectsById.delete(object.id);
    }
  }

  servicePrincipalByAppId(appId: string): SandboxObject | undefined {
    return [...this.objectsById.values()].find((object) => object.type === 'servicePrincipal' && object.appId === appId);
  }

  get ownerServicePrincipalId(): string | undefined {
    return this.servicePrincipalByAppId(OWNER_APP_ID)?.id;
  }

  object(id: string): SandboxObject | undefined {
    return this.objectsById.get(id);
  }

  typeOf(id: string): DirectoryObjectType | undefined {
    return this.groupsById.has(id) ? 'group' : this.objectsById.get(id)?.type;
  }

  // ── groups ───────────────────────────────────────────────────────────────────────────────────────────

  /** Adds a group as if created long ago (visible at once): e.g. a foreign group of the same name. */
  addGroup(init: GroupInit, createdAt: number = 0): SandboxGroup {
    const group: SandboxGroup = {
      id: randomUUID(),
      description: null,
      mailNickname: `group-${randomUUID().slice(0, 8)}`,
      uniqueName: null,
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: [],
      membershipRule: null,
      isAssignableToRole: null,
      ownerIds: [],
      memberIds: [],
      ...init,
      createdAt,
    };
    this.groupsById.set(group.id, group);
    return group;
  }

  /** Creates a group the way Graph does: now, so replication lag applies. */
  createGroup(init: GroupInit): SandboxGroup {
    return this.addGroup(init, this.now());
  }

  groups(): readonly SandboxGroup[] {
    return [...this.groupsById.values()];
  }

  group(id: string): SandboxGroup | undefined {
    return this.groupsById.get(id);
  }

  groupByUniqueName(uniqueName: string): SandboxGroup | undefined {
    const wanted = uniqueName.toLowerCase();
    return this.groups().find((group) => group.uniqueName?.toLowerCase() === wanted);
  }

  /** A live group or one in the recycle bin that holds this uniqueName: deleted groups keep it for 30 days. */
  uniqueNameTaken(uniqueName: string): boolean {
    const wanted = uniqueName.toLowerCase();
    return this.groupByUniqueName(uniqueName) !== undefined || this.deletedGroups().some(({ group }) => group.uniqueName?.toLowerCase() === wanted);
  }

  /** Simulates drift, e.g. `{ groupTypes: ['DynamicMembership'], membershipRule: '…' }`. */
  updateGroup(id: string, changes: Partial<Omit<SandboxGroup, 'id' | 'createdAt' | 'uniqueName'>>): void {
    Object.assign(this.requireGroup(id), changes);
  }

  /** Soft delete, as Graph does for security and Microsoft 365 groups: into the recycle bin for 30 days. */
  deleteGroup(id: string): void {
    const group = this.requireGroup(id);
    this.groupsById.delete(id);
    this.deletedGroupsById.set(id, { group, deletedAt: this.now() });
    for (const other of this.groupsById.values()) {
      other.memberIds = other.memberIds.filter((memberId) => memberId !== id);
    }
  }

  /** The recycle bin's groups that have not been purged yet. */
  deletedGroups(): readonly DeletedSandboxGroup[] {
    return [...this.deletedGroupsById.keys()].flatMap((id) => {
      const deleted = this.deletedGroup(id);
      return deleted ? [deleted] : [];
    });
  }

  deletedGroup(id: string): DeletedSandboxGroup | undefined {
    const deleted = this.deletedGroupsById.get(id);
    if (deleted && this.now() - deleted.deletedAt >= RECYCLE_BIN_RETENTION_MS) this.deletedGroupsById.delete(id);
    return this.deletedGroupsById.get(id);
  }

  /** Brings the same object back, owners included (membership of other groups is not restored). */
  restoreGroup(id: string): SandboxGroup {
    const deleted = this.deletedGroup(id);
    if (!deleted) throw new Error(`No deleted sandbox group ${id}.`);
    this.deletedGroupsById.delete(id);
    this.groupsById.set(id, deleted.group);
    return deleted.group;
  }

  /** Permanent delete: the uniqueName is free again. */
  purgeGroup(id: string): void {
    this.deletedGroupsById.delete(id);
  }

  addMember(groupId: string, memberId: string): void {
    const group = this.requireGroup(groupId);
    if (!group.memberIds.includes(memberId)) group.memberIds.push(memberId);
  }

  addOwner(groupId: string, ownerId: string): void {
    const group = this.requireGroup(groupId);
    if (!group.ownerIds.includes(ownerId)) group.ownerIds.push(ownerId);
  }

  removeOwner(groupId: string, ownerId: string): void {
    const group = this.requireGroup(groupId);
    group.ownerIds = group.ownerIds.filter((id) => id !== ownerId);
  }

  /** Groups of every type the object belongs to, directly or through nested groups (as checkMemberGroups counts). */
  transitiveGroupIdsOf(objectId: string): Set<string> {
    const found = new Set<string>();
    const pending = [objectId];
    while (pending.length > 0) {
      const memberId = pending.pop() as string;
      for (const group of this.groupsById.values()) {
        if (group.memberIds.includes(memberId) && !found.has(group.id)) {
          found.add(group.id);
          pending.push(group.id);
        }
      }
    }
    return found;
  }

  /** The users in a group, directly or through nested groups (transitiveMembers/microsoft.graph.user). */
  transitiveUserMembersOf(groupId: string): SandboxObject[] {
    const users = new Map<string, SandboxObject>();
    const seen = new Set<string>();
    const pending = [groupId];
    while (pending.length > 0) {
      const group = this.groupsById.get(pending.pop() as string);
      if (!group || seen.has(group.id)) continue;
      seen.add(group.id);
      for (const memberId of group.memberIds) {
        const object = this.objectsById.get(memberId);
        if (object?.type === 'user') users.set(object.id, object);
        else if (this.groupsById.has(memberId)) pending.push(memberId);
      }
    }
    return [...users.values()];
  }

  // ── Teams apps installed for users (proactive installation) ─────────────────────────────────────────

  /** An app in the organisation's app catalog, by its catalog id. */
  addCatalogApp(teamsAppId: string): void {
    this.catalogAppIds.add(teamsAppId);
  }

  hasCatalogApp(teamsAppId: string): boolean {
    return this.catalogAppIds.has(teamsAppId);
  }

  /** Installs the app in the user's personal scope, which opens its bot's chat with them; undefined if it already was. */
  installAppForUser(userId: string, teamsAppId: string): SandboxInstallation | undefined {
    const installed = this.installationsOf(userId);
    if (installed.some((installation) => installation.teamsAppId === teamsAppId)) return undefined;
    const installation: SandboxInstallation = { id: randomUUID(), teamsAppId, chatId: `19:${randomUUID()}_${teamsAppId}@unq.gbl.spaces` };
    this.installationsByUser.set(userId, [...installed, installation]);
    return installation;
  }

  installationsOf(userId: string): readonly SandboxInstallation[] {
    return this.installationsByUser.get(userId) ?? [];
  }

  // ── Intune device-preparation policies ──────────────────────────────────────────────────────────────

  addPolicy(init: { name: string; templateId: string; id?: string; description?: string; membershipTargetIds?: readonly string[] }): SandboxPolicy {
    const at = this.now();
    const policy: SandboxPolicy = {
      id: init.id ?? randomUUID(),
      name: init.name,
      description: init.description ?? '',
      templateId: init.templateId,
      membershipTargetIds: [...(init.membershipTargetIds ?? [])],
      createdAt: at,
      lastModifiedAt: at,
    };
    this.policiesById.set(policy.id, policy);
    return policy;
  }

  /** A rename (or new description) in the Intune admin center: same id. */
  updatePolicy(id: string, changes: { readonly name?: string; readonly description?: string }): SandboxPolicy {
    const policy = this.policiesById.get(id);
    if (!policy) throw new Error(`No sandbox policy ${id}.`);
    if (changes.name !== undefined) policy.name = changes.name;
    if (changes.description !== undefined) policy.description = changes.description;
    policy.lastModifiedAt = this.now();
    return policy;
  }

  /** Deleted in the Intune admin center: gone, id and all (Intune keeps no recycle bin for policies). */
  deletePolicy(id: string): void {
    if (!this.policiesById.delete(id)) throw new Error(`No sandbox policy ${id}.`);
  }

  policies(): readonly SandboxPolicy[] {
    return [...this.policiesById.values()];
  }

  policy(id: string): SandboxPolicy | undefined {
    return this.policiesById.get(id);
  }

  /** Appends to Intune's audit log what `actor` just did to the policy. */
  recordAuditEvent(activity: string, actor: SandboxAuditEvent['actor'], policy: SandboxPolicy): SandboxAuditEvent {
    const event: SandboxAuditEvent = { id: randomUUID(), activity, activityDateTime: this.now(), actor, policyId: policy.id, policyName: policy.name };
    this.auditLog.push(event);
    return event;
  }

  /** Intune's audit log, oldest first. */
  auditEvents(): readonly SandboxAuditEvent[] {
    return [...this.auditLog];
  }

  /** Intune's validation of an enrollment-time membership target, from the group's real state. */
  validateMembershipTarget(groupId: string, visible: (group: SandboxGroup) => boolean): TargetValidationCode | undefined {
    const group = this.groupsById.get(groupId);
    if (!group || !visible(group)) return 'securityGroupNotFound';
    if (!group.securityEnabled || group.mailEnabled) return 'notSecurityGroup';
    if (group.groupTypes.includes(DYNAMIC_MEMBERSHIP)) return 'notStaticSecurityGroup';
    const ownerSpId = this.ownerServicePrincipalId;
    if (!ownerSpId || !group.ownerIds.includes(ownerSpId)) return 'firstPartyAppNotAnOwner';
    return undefined;
  }

  private addObject(object: SandboxObject): SandboxObject {
    this.objectsById.set(object.id, object);
    return object;
  }

  private requireGroup(id: string): SandboxGroup {
    const group = this.groupsById.get(id);
    if (!group) throw new Error(`No sandbox group ${id}.`);
    return group;
  }
}
