/**
 * The names a policy's device group gets. Pure: the same policy and scenario always give the same names,
 * so a retry after a crash upserts the very same group.
 */
import { createHash } from 'node:crypto';
import { policyKeyOf, type PolicyName } from './policy';
import type { Scenario } from './scenario';

const DISPLAY_NAME_MAX_LENGTH = 256;
const MAIL_NICKNAME_MAX_LENGTH = 64;
export const DEFAULT_DISPLAY_NAME_TEMPLATE = 'Autopilot DP · {policy} · {scenario}';
/** Fixed text of a template; keeps room for the policy name inside Entra's 256-character limit. */
const TEMPLATE_MAX_FIXED_LENGTH = 100;
const UNIQUE_NAME_PREFIX = 'autopilot-dp-';

const SCENARIO_SHORT_LABEL: Readonly<Record<Scenario, string>> = {
  userDriven: 'User-driven',
  automatic: 'Automatic',
};
/** How a policy name already says its scenario (whole words, any case): "Contoso User-driven", "Sales userdriven". */
const SCENARIO_NAMED_AS: Readonly<Record<Scenario, readonly string[]>> = {
  userDriven: ['user driven', 'userdriven'],
  automatic: ['automatic'],
};
const PLACEHOLDERS = ['{policy}', '{scenario}'] as const;
const MAIL_NICKNAME_PREFIX = 'adp-';
const MAIL_NICKNAME_HASH_LENGTH = 8;
// 128 bits of the key's SHA-256: collisions are out of reach, and the name stays short and plain ASCII.
const UNIQUE_NAME_HASH_LENGTH = 32;

/** The names a policy's device group gets, derived purely from the policy name and scenario. */
export interface GroupNames {
  readonly displayName: string;
  readonly mailNickname: string;
  /** Immutable Entra alternate key, derived deterministically from the policy key. */
  readonly uniqueName: string;
}

export interface GroupNamingOptions {
  /** Display-name template with `{policy}` (required, once) and optionally `{scenario}` (at most once). */
  readonly template?: string;
  /** Words or phrases refused in policy names (matched case-insensitively on whole words). */
  readonly blockedWords?: readonly string[];
}

export type NamingErrorCode = 'invalidPolicyName' | 'invalidTemplate' | 'blockedWord' | 'tooLong';

export type GroupNamesResult =
  | { readonly ok: true; readonly value: GroupNames }
  | { readonly ok: false; readonly code: NamingErrorCode; readonly reason: string };

/** Thrown where a refusal must interrupt (e.g. `ProvisioningService.previewNames`). */
export class NamingError extends Error {
  override readonly name = 'NamingError';
  constructor(
    readonly code: NamingErrorCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function groupNamesFor(
  policy: PolicyName,
  scenario: Scenario,
  options: GroupNamingOptions = {},
): GroupNamesResult {
  const template = options.template ?? DEFAULT_DISPLAY_NAME_TEMPLATE;
  const templateProblem = templateProblemOf(template);
  if (templateProblem) return { ok: false, code: 'invalidTemplate', reason: templateProblem };

  const blocked = findPhrase(policy.name, options.blockedWords ?? []);
  if (blocked !== undefined) {
    return {
      ok: false,
      code: 'blockedWord',
      reason: `The policy name contains "${blocked}", which is not allowed in group names here. Choose another name.`,
    };
  }

  // "Autopilot DP · Contoso User-driven", not "… · Contoso User-driven · User-driven". Only the display name
  // changes: uniqueName comes from the policy key alone, so the group a policy already has stays its group.
  const namesScenario = findPhrase(policy.name, SCENARIO_NAMED_AS[scenario]) !== undefined;
  const displayName = (namesScenario ? withoutScenario(template) : template)
    .replace('{policy}', () => policy.name)
    .replace('{scenario}', () => SCENARIO_SHORT_LABEL[scenario]);
  if (displayName.length > DISPLAY_NAME_MAX_LENGTH) {
    return {
      ok: false,
      code: 'tooLong',
      reason: `The group name would be longer than Entra's ${DISPLAY_NAME_MAX_LENGTH} characters; shorten the policy name.`,
    };
  }
  const keyHash = sha256Hex(policy.key);
  return {
    ok: true,
    value: {
      displayName,
      mailNickname: mailNicknameFor(policy.name, keyHash),
      uniqueName: UNIQUE_NAME_PREFIX + keyHash.slice(0, UNIQUE_NAME_HASH_LENGTH),
    },
  };
}

/** Why a display-name template is unusable, or undefined when it is fine. */
export function templateProblemOf(template: string): string | undefined {
  const policyCount = template.split('{policy}').length - 1;
  if (policyCount !== 1) return 'The group-name template must contain {policy} exactly once.';
  if (template.split('{scenario}').length - 1 > 1) {
    return 'The group-name template may contain {scenario} at most once.';
  }
  const fixed = PLACEHOLDERS.reduce((rest, placeholder) => rest.replace(placeholder, ''), template);
  if (/[{}]/u.test(fixed)) return 'The group-name template may only use the placeholders {policy} and {scenario}.';
  if (/[\p{Cc}\p{Cf}]/u.test(fixed)) return 'The group-name template contains control or invisible characters.';
  if (fixed.length > TEMPLATE_MAX_FIXED_LENGTH) {
    return `The group-name template's fixed text is longer than ${TEMPLATE_MAX_FIXED_LENGTH} characters.`;
  }
  return undefined;
}

/**
 * The template without `{scenario}` and the separator that joins it to the rest: "A · {policy} · {scenario}" →
 * "A · {policy}", "{scenario} devices for {policy}" → "devices for {policy}", "A-{scenario}-{policy}" →
 * "A-{policy}", "{policy} ({scenario}) devices" → "{policy} devices".
 */
function withoutScenario(template: string): string {
  const match = /([^\p{L}\p{N}{}]*)\{scenario\}([^\p{L}\p{N}{}]*)/u.exec(template);
  if (!match) return template;
  const [whole, before = '', after = ''] = match;
  const atEdge = match.index === 0 || match.index + whole.length === template.length;
  // Between two parts one separator stays: the one before, minus an opening bracket or quote it had.
  const gap = atEdge ? '' : before.replace(/[\p{Ps}\p{Pi}]/gu, '') || after.replace(/[\p{Pe}\p{Pf}]/gu, '');
  return template.slice(0, match.index) + gap + template.slice(match.index + whole.length);
}

/** The first entry found in the name as a whole word (or run of words), in its given spelling. */
function findPhrase(name: string, phrases: readonly string[]): string | undefined {
  const nameWords = wordsOf(name);
  return phrases.find((entry) => {
    const entryWords = wordsOf(entry);
    if (entryWords.length === 0) return false;
    return nameWords.some((_, start) => entryWords.every((word, offset) => nameWords[start + offset] === word));
  });
}

function wordsOf(text: string): string[] {
  return policyKeyOf(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/**
 * `adp-<ascii slug>-<hash>`: readable where the name has Latin letters, unique enough thanks to the hash,
 * and only characters Entra allows (ASCII letters, digits, `-`; none of `@ ( ) \ [ ] " ; : < > ,` or space).
 */
function mailNicknameFor(name: string, keyHash: string): string {
  const hash = keyHash.slice(0, MAIL_NICKNAME_HASH_LENGTH);
  const room = MAIL_NICKNAME_MAX_LENGTH - MAIL_NICKNAME_PREFIX.length - hash.length - 1;
  const slug = asciiSlug(name).slice(0, room).replace(/-+$/u, '');
  return slug.length > 0 ? `${MAIL_NICKNAME_PREFIX}${slug}-${hash}` : `${MAIL_NICKNAME_PREFIX}${hash}`;
}

/** How much of a replaced group's id a replacement's uniqueName carries: 48 bits, unique enough per policy. */
const REPLACED_HASH_LENGTH = 12;

/**
 * The names of a group that replaces `replacedGroupId` as the policy's one group: the template's names, and a
 * uniqueName of its own (the old group may hold the policy's), derived from the replaced group so that a retry
 * or a second approver upserts the very same replacement.
 */
export function replacementNamesOf(names: GroupNames, replacedGroupId: string): GroupNames {
  return { ...names, uniqueName: `${uniqueNameRootOf(names.uniqueName)}-r${sha256Hex(replacedGroupId).slice(0, REPLACED_HASH_LENGTH)}` };
}

/** Whether a group's uniqueName is one the bot gives this policy (its first group or a replacement), by its root. */
export function isPolicysUniqueName(uniqueName: string | null, names: GroupNames): boolean {
  return uniqueName !== null && uniqueNameRootOf(uniqueName).toLowerCase() === uniqueNameRootOf(names.uniqueName).toLowerCase();
}

/** The part of a uniqueName that the policy key gives: the prefix and the key's hash. */
function uniqueNameRootOf(uniqueName: string): string {
  return uniqueName.slice(0, UNIQUE_NAME_PREFIX.length + UNIQUE_NAME_HASH_LENGTH);
}

function asciiSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
