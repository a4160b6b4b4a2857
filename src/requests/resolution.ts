/**
 * Resolving a policy: the one way every entry point (request, submit, status, cancel, check, bind, restore,
 * repair, adopt, and the runner before it makes a group) learns what a policy is. Intune is the source of
 * truth for which policies exist, what they are called now and which group each uses; the bot's records are
 * its history (the group it made or adopted, the Intune id a bind recorded, the key a policy was first seen
 * under). A policy that is not in Intune yet (the group comes first) resolves to its name alone.
 */
import { parsePolicyName, recordedPolicyName, type PolicyName } from '../domain/policy';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { GroupReading, IntunePolicy, MembershipTarget, ReadOptions, TenantPolicies } from '../inventory/types';
import type { PolicyGroupCatalogue } from './ports';

/**
 * What a person typed (a policy name), what a request kept from its submission (the parsed policy), or what a
 * card carries (the key of a policy's record, or the Intune id of a listed policy).
 */
export type PolicyQuery = NameQuery | { readonly intunePolicyId: string };
export type NameQuery = { readonly name: string } | { readonly policy: PolicyName } | { readonly policyKey: string };

/** What Intune says about the policy. */
export type IntuneView =
  | { readonly kind: 'found'; readonly policy: IntunePolicy; readonly target: MembershipTarget }
  /** No such policy in Intune (yet): the normal order is group first, policy second. */
  | { readonly kind: 'absent' }
  /** More than one Intune policy answers to the name: nothing is decided until a person tells them apart. */
  | { readonly kind: 'ambiguous'; readonly reason: string }
  /** Intune could not be asked: said plainly, and the records alone answer. */
  | { readonly kind: 'unavailable'; readonly message: string };

export interface PolicyResolution {
  /** The policy as Intune names it now, else as asked. */
  readonly policy: PolicyName;
  /** The key the bot knows this policy by: its record's (across renames), else the name's. */
  readonly key: string;
  /** The bot's record of the policy's one group: by key, by first-seen key, or by the Intune id a bind recorded. */
  readonly record?: PolicyGroupRecord;
  readonly intune: IntuneView;
}

/** A name always resolves (to the name alone, when Intune has no such policy), unless it is no policy name. */
export type NameResolveResult = { readonly kind: 'resolved'; readonly resolution: PolicyResolution } | { readonly kind: 'invalid'; readonly message: string };

export type ResolveResult =
  | NameResolveResult
  /** An Intune id that Intune does not list (deleted meanwhile, or never a device-preparation policy). */
  | { readonly kind: 'unknownPolicy'; readonly intunePolicyId: string }
  /** An Intune id could not be looked up because Intune could not be asked. */
  | { readonly kind: 'unavailable'; readonly message: string };

export interface PolicyResolver {
  (query: NameQuery, options?: ReadOptions): Promise<NameResolveResult>;
  (query: PolicyQuery, options?: ReadOptions): Promise<ResolveResult>;
}

/** Intune and the records, as the parts of the requests service read them: the resolver and the tenant's answers. */
export interface PolicyTruth {
  readonly resolve: PolicyResolver;
  readonly tenant: TenantPolicies;
}

const NO_TENANT_MESSAGE = 'No Intune tenant is composed into this service.';

/** A composition without Graph access to Intune (tests of the records alone): it lists no policy, so the records answer. */
export const NO_TENANT: TenantPolicies = {
  policies: async () => ({ kind: 'listed', policies: [], unreadable: [], graphRequestIds: [] }),
  target: async () => ({ kind: 'unavailable', message: NO_TENANT_MESSAGE, error: undefined }),
  group: async () => ({ kind: 'unavailable', message: NO_TENANT_MESSAGE, error: undefined }),
  invalidate: () => undefined,
};

export function createPolicyResolver(tenant: TenantPolicies, records: Pick<PolicyGroupCatalogue, 'findGroup' | 'findGroupOfIntunePolicy'>): PolicyResolver {
  /** The record of an Intune policy: the one a bind or a first sighting tied to its id, else the one of its name. */
  async function recordOf(policy: IntunePolicy, listed: readonly IntunePolicy[], asked: PolicyName): Promise<{ record?: PolicyGroupRecord; conflict?: string }> {
    const byId = await records.findGroupOfIntunePolicy(policy.id);
    if (byId) return { record: byId };
    const byName = (await records.findGroup(asked.key)) ?? (asked.key === policy.key ? undefined : await records.findGroup(policy.key));
    const owner = byName?.binding && listed.find((other) => other.id === byName.binding?.intunePolicyId && other.id !== policy.id);
    if (byName && owner) {
      return {
        conflict:
          `The name "${asked.name}" belongs to two Intune policies: "${policy.name}" (id ${policy.id}) is called so now, and ` +
          `"${owner.name}" (id ${owner.id}) was called "${byName.policyName}" when the bot made or adopted its group ${byName.groupId}. ` +
          'Rename one of them in Intune, then ask again.',
      };
    }
    return byName ? { record: byName } : {};
  }

  async function found(policy: IntunePolicy, listed: readonly IntunePolicy[], asked: PolicyName, options: ReadOptions): Promise<NameResolveResult> {
    const { record, conflict } = await recordOf(policy, listed, asked);
    // Intune's current name, when it is one a person could have typed; else the name as asked.
    const current = parsePolicyName(policy.name);
    const name = current.ok ? current.value : asked;
    if (conflict) return { kind: 'resolved', resolution: { policy: name, key: asked.key, intune: { kind: 'ambiguous', reason: conflict } } };
    const target = await tenant.target(policy.id, options);
    return { kind: 'resolved', resolution: { policy: name, key: record?.policyKey ?? name.key, ...(record && { record }), intune: { kind: 'found', policy, target } } };
  }

  async function byName(asked: PolicyName, options: ReadOptions): Promise<NameResolveResult> {
    const listing = await tenant.policies(options);
    if (listing.kind === 'unavailable') {
      const record = await records.findGroup(asked.key);
      return { kind: 'resolved', resolution: { policy: asked, key: record?.policyKey ?? asked.key, ...(record && { record }), intune: { kind: 'unavailable', message: listing.message } } };
    }
    const named = listing.policies.filter((policy) => policy.key === asked.key);
    const [only, ...more] = named;
    if (only && more.length > 0) {
      const ids = named.map((policy) => `"${policy.name}" (id ${policy.id})`).join(', ');
      const reason = `Intune has ${named.length} device-preparation policies named "${asked.name}": ${ids}. Rename all but one in Intune, then ask again.`;
      return { kind: 'resolved', resolution: { policy: asked, key: asked.key, intune: { kind: 'ambiguous', reason } } };
    }
    if (only) return found(only, listing.policies, asked, options);
    // No policy has that name now; it may be the old name of one the bot bound (or saw) before a rename.
    const record = await records.findGroup(asked.key);
    const renamed = record?.binding && listing.policies.find((policy) => policy.id === record.binding?.intunePolicyId);
    if (renamed) return found(renamed, listing.policies, asked, options);
    return { kind: 'resolved', resolution: { policy: asked, key: record?.policyKey ?? asked.key, ...(record && { record }), intune: { kind: 'absent' } } };
  }

  async function byId(intunePolicyId: string, options: ReadOptions): Promise<ResolveResult> {
    const listing = await tenant.policies(options);
    if (listing.kind === 'unavailable') return { kind: 'unavailable', message: listing.message };
    const policy = listing.policies.find((candidate) => candidate.id === intunePolicyId);
    if (!policy) return { kind: 'unknownPolicy', intunePolicyId };
    const parsed = parsePolicyName(policy.name);
    if (!parsed.ok) return { kind: 'invalid', message: `Intune's name of the policy ${intunePolicyId} cannot name a group: ${parsed.reason}` };
    return found(policy, listing.policies, parsed.value, options);
  }

  /** A record's key: the policy under the name the bot recorded (never a name from card data), else the key as a name. */
  async function byKey(policyKey: string, options: ReadOptions): Promise<NameResolveResult> {
    const record = await records.findGroup(policyKey);
    if (record) return byName(recordedPolicyName(record.policyName, record.policyKey), options);
    const parsed = parsePolicyName(policyKey);
    return parsed.ok ? byName(parsed.value, options) : { kind: 'invalid', message: parsed.reason };
  }

  function resolvePolicy(query: NameQuery, options?: ReadOptions): Promise<NameResolveResult>;
  function resolvePolicy(query: PolicyQuery, options?: ReadOptions): Promise<ResolveResult>;
  async function resolvePolicy(query: PolicyQuery, options: ReadOptions = {}): Promise<ResolveResult> {
    if ('intunePolicyId' in query) return byId(query.intunePolicyId, options);
    if ('policy' in query) return byName(query.policy, options);
    if ('policyKey' in query) return byKey(query.policyKey, options);
    const parsed = parsePolicyName(query.name);
    return parsed.ok ? byName(parsed.value, options) : { kind: 'invalid', message: parsed.reason };
  }
  return resolvePolicy;
}

/** What a change asks of the resolver: the policy now, fresh; an Intune id Intune does not list, or no answer at all. */
export type FreshResolution =
  | { readonly kind: 'resolved'; readonly resolution: PolicyResolution }
  | { readonly kind: 'notFound'; readonly policyId: string }
  | { readonly kind: 'unanswered'; readonly message: string };

/**
 * Resolves fresh before a change (bind, replace): an Intune id that Intune does not list is audited as a refusal
 * (`onUnknown`), an outage or a name that cannot be one is `unanswered`.
 */
export async function resolveForChange(truth: PolicyTruth, query: PolicyQuery, onUnknown: () => Promise<void>): Promise<FreshResolution> {
  const resolved = await truth.resolve(query, { fresh: true });
  switch (resolved.kind) {
    case 'unknownPolicy':
      await onUnknown();
      return { kind: 'notFound', policyId: resolved.intunePolicyId };
    case 'unavailable':
    case 'invalid':
      return { kind: 'unanswered', message: resolved.message };
    case 'resolved':
      return resolved;
  }
}

/** A group Intune gives the policy that is not the bot's record of it (hand-made, or made some other way). */
export interface TenantGroup {
  readonly policy: IntunePolicy;
  readonly groupId: string;
  readonly reading: GroupReading;
}

/** The group Intune names for a resolved policy when it is not the one the bot recorded; undefined otherwise. */
export async function tenantGroupOf(tenant: TenantPolicies, resolution: PolicyResolution, options: ReadOptions = {}): Promise<TenantGroup | undefined> {
  const { intune, record } = resolution;
  if (intune.kind !== 'found') return undefined;
  const { target } = intune;
  const groupId = target.kind === 'group' || target.kind === 'unreadable' ? target.groupId : null;
  if (groupId === null || groupId === record?.groupId) return undefined;
  return { policy: intune.policy, groupId, reading: await tenant.group(groupId, options) };
}

/** Why Intune's answer cannot be relied on for this policy, in words for the person asking; undefined when it can. */
export function tenantNoticeOf(intune: IntuneView): string | undefined {
  switch (intune.kind) {
    case 'unavailable':
      return `${intune.message} I decided from my own records alone.`;
    case 'found':
      if (intune.target.kind === 'hidden') {
        return "Intune does not tell this app (an app-only caller) which group the policy uses, so I decided from my own records alone.";
      }
      if (intune.target.kind === 'unavailable') return `${intune.target.message} I decided from my own records alone.`;
      return undefined;
    case 'absent':
    case 'ambiguous':
      return undefined;
  }
}
