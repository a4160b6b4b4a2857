/**
 * Every Action.Execute verb: its name, the schema of the data its buttons carry and who may click — the only
 * contract between the cards (which build their buttons from these) and the routes (which parse with them).
 * The handlers live in their features and are registered against these definitions; a verb's handler can
 * answer with a card that carries the verb's own button, so the definitions stay apart from the handlers
 * (no import cycle).
 */
import { z } from 'zod';
import { normaliseRequestId } from '../domain/request';
import { defineVerb } from './verb';

const MAX_FORGED_ID_LENGTH = 64;

/**
 * A request id as a card names it. A well-formed but unknown id (or any short string) still goes to the
 * requests service, which answers notFound and audits the attempt; only junk is refused by the route.
 */
const RequestId = z.object({
  requestId: z
    .string()
    .min(1)
    .max(MAX_FORGED_ID_LENGTH)
    .transform((id) => normaliseRequestId(id) ?? id.trim()),
});

/** A page's first item; absent is the first page. */
const Offset = z.object({ offset: z.coerce.number().int().min(0).max(1_000_000).optional() });

const NoData = z.object({});

/**
 * A recorded policy as a button carries it: its record's key, which the requests service looks up again (a name
 * from card data is never trusted); `returnTo: 'policies'` on a row of the policies list or the digest: the
 * answer is that list again, current.
 */
const PolicyKey = z.object({ policyKey: z.string().max(1000).refine((key) => key.trim() !== ''), returnTo: z.literal('policies').optional() });

const NO_POLICY = { problem: 'the card names no policy', message: 'This card does not name a policy.' };
/** A listed Intune policy as a button carries it: an id, which the requests service looks up in Intune again. */
const IntunePolicyId = z.object({ policyId: z.string().min(1).max(200) });
const NO_INTUNE_POLICY = { problem: 'the card names no Intune policy', message: 'This card does not name an Intune policy.' };

/** The request form's inputs as sent (the policy picked in the typeahead, or typed): parseRequestForm checks presence and type, and keeps what was typed. */
export const RequestFormInputs = z.object({ intunePolicy: z.unknown(), policyName: z.unknown(), scenario: z.unknown(), ticket: z.unknown(), justification: z.unknown() });
const FORM_INPUTS = ['intunePolicy', 'policyName', 'scenario', 'ticket', 'justification'] as const;

export const CARD_VERBS = {
  openRequestForm: defineVerb({
    name: 'request.open',
    data: z.object({ policyName: z.string().max(1000).optional() }),
    identity: 'optional',
    attempt: 'open the request form',
  }),
  previewRequest: defineVerb({ name: 'request.preview', data: RequestFormInputs, cardInputs: FORM_INPUTS, identity: 'optional', attempt: 'preview a group name' }),
  submitRequest: defineVerb({ name: 'request.submit', data: RequestFormInputs, cardInputs: FORM_INPUTS, identity: 'required', attempt: 'submit a request' }),
  refreshRequest: defineVerb({ name: 'request.refresh', data: RequestId, identity: 'optional', attempt: 'refresh a request card' }),
  showMine: defineVerb({ name: 'mine.show', data: NoData, identity: 'required', attempt: 'my requests' }),
  showRequest: defineVerb({ name: 'request.show', data: RequestId, identity: 'optional', attempt: 'request details' }),
  cancelRequest: defineVerb({ name: 'request.cancel', data: RequestId, identity: 'required', attempt: 'cancel' }),
  showHelp: defineVerb({ name: 'help.show', data: NoData, identity: 'optional', attempt: 'help' }),
  // `from: 'pending'`: Review in the pending list, whose approval card gets a way back to the list.
  refreshApproval: defineVerb({ name: 'approval.refresh', data: RequestId.extend({ from: z.literal('pending').optional() }), identity: 'optional', attempt: 'approver actions' }),
  showPending: defineVerb({ name: 'pending.show', data: NoData, identity: 'required', attempt: 'pending' }),
  approve: defineVerb({ name: 'approval.approve', data: RequestId, identity: 'required', attempt: 'approve' }),
  reject: defineVerb({
    name: 'approval.reject',
    // The reason is the card's input; the handler tells a reason that is not text apart from a missing one.
    data: RequestId.extend({ reason: z.unknown() }),
    cardInputs: ['reason'],
    identity: 'required',
    attempt: 'reject',
  }),
  retry: defineVerb({ name: 'approval.retry', data: RequestId, identity: 'required', attempt: 'retry' }),
  groupsPage: defineVerb({ name: 'groups.page', data: Offset, identity: 'optional', attempt: 'groups page' }),
  repairOwner: defineVerb({ name: 'check.repairOwner', data: PolicyKey, identity: 'required', attempt: 'repair owner', unreadable: NO_POLICY }),
  restoreGroup: defineVerb({ name: 'check.restoreGroup', data: PolicyKey, identity: 'required', attempt: 'restore a group', unreadable: NO_POLICY }),
  // The requests service looks the record up by its key and resolves it against Intune again before it changes anything.
  bindPolicy: defineVerb({ name: 'policies.bind', data: PolicyKey, identity: 'required', attempt: 'bind a group to its Intune policy', unreadable: NO_POLICY }),
  policiesPage: defineVerb({ name: 'policies.page', data: Offset, identity: 'required', attempt: 'policies page' }),
  // An Intune policy id is an id: the service checks that it exists.
  adoptGroup: defineVerb({ name: 'policies.adopt', data: IntunePolicyId, identity: 'required', attempt: 'adopt a group', unreadable: NO_INTUNE_POLICY }),
  replaceGroup: defineVerb({ name: 'policies.replace', data: IntunePolicyId, identity: 'required', attempt: "replace a policy's group", unreadable: NO_INTUNE_POLICY }),
  useBotGroup: defineVerb({ name: 'policies.useBotGroup', data: IntunePolicyId, identity: 'required', attempt: "use the bot's group", unreadable: NO_INTUNE_POLICY }),
  assignToGroup: defineVerb({
    name: 'policies.assign',
    // Ids only: the requests service reads the policy, its device group and the app or script again.
    data: z.object({ policyId: z.string().min(1).max(200), kind: z.enum(['app', 'script']), itemId: z.string().min(1).max(200) }),
    identity: 'required',
    attempt: "assign an app or script to a policy's device group",
    unreadable: { problem: 'the card names no policy and app or script', message: 'This card does not name a policy and an app or script.' },
  }),
} as const;

export type CardVerb = (typeof CARD_VERBS)[keyof typeof CARD_VERBS];
export type VerbName = CardVerb['name'];

/** The verb names, for what builds Action.Execute activities by hand (tests, benchmarks). */
export const VERBS = Object.fromEntries(Object.entries(CARD_VERBS).map(([key, verb]) => [key, verb.name])) as {
  readonly [K in keyof typeof CARD_VERBS]: (typeof CARD_VERBS)[K]['name'];
};
