/**
 * Policy names as typed by people, and the normalised key that identifies a policy everywhere
 * ("Contoso  Sales" and "contoso sales" are one policy).
 */
export const POLICY_NAME_MAX_LENGTH = 120;

declare const parsedPolicyName: unique symbol;

/**
 * A policy name that passed `parsePolicyName` (or was kept from such a parse by the store): the only kind of
 * policy name the services below the requests service accept, so nothing down there parses one again.
 */
export interface PolicyName {
  /** Trimmed, inner whitespace collapsed: what we display and store. */
  readonly name: string;
  /** Case- and whitespace-insensitive identity of the policy. */
  readonly key: string;
  readonly [parsedPolicyName]: true;
}

export type PolicyNameResult =
  | { readonly ok: true; readonly value: PolicyName }
  | { readonly ok: false; readonly reason: string };

// Control, format (bidi marks, zero-width), surrogate, private-use and unassigned code points: invisible or
// ambiguous in a group name an admin has to recognise.
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;

export function parsePolicyName(raw: unknown): PolicyNameResult {
  if (typeof raw !== 'string') return { ok: false, reason: 'The policy name must be text.' };
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (name.length === 0) return { ok: false, reason: 'Enter the name of the device-preparation policy.' };
  if ([...name].length > POLICY_NAME_MAX_LENGTH) {
    return { ok: false, reason: `The policy name is too long: at most ${POLICY_NAME_MAX_LENGTH} characters.` };
  }
  if (FORBIDDEN_CHARACTERS.test(name)) {
    return { ok: false, reason: 'The policy name contains invisible or control characters; type it again.' };
  }
  return { ok: true, value: recordedPolicyName(name, policyKeyOf(name)) };
}

/**
 * The name and key a request or record kept from the parse at submit time: taken as they are, never parsed
 * again, so a rule that changed since cannot make the group differ from the one that was approved.
 */
export function recordedPolicyName(name: string, key: string): PolicyName {
  return { name, key } as PolicyName;
}

/** The key of an already-valid name. NFKC folds compatibility forms (full-width letters) into one key. */
export function policyKeyOf(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLocaleLowerCase('en-US');
}
