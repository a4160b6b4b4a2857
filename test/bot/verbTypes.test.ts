/**
 * A button carries what its verb's schema reads, and a handler gets what its verb's schema gives: the compiler
 * refuses anything else. The `@ts-expect-error` lines are the test (tsc fails on one that no longer errs);
 * the assertions check that a button names its verb and carries its data.
 */
import { execute } from '../../src/bot/cards/elements';
import { repairOwner } from '../../src/bot/features/policies/repairOwner';
import type { VerbHandler } from '../../src/bot/routes';
import { CARD_VERBS } from '../../src/bot/verbs';

describe('typed card verbs', () => {
  it('builds a button from the verb definition, with the data its schema parses', () => {
    const button = execute('Approve', CARD_VERBS.approve, { requestId: 'REQ-1' }, { style: 'positive' });
    expect(button).toEqual({ type: 'Action.Execute', title: 'Approve', verb: 'approval.approve', data: { requestId: 'REQ-1' }, style: 'positive' });
    expect(CARD_VERBS.approve.data.safeParse(button.data).success).toBe(true);
  });

  it('refuses, at compile time, a button carrying the wrong payload', () => {
    const wrong = [
      // @ts-expect-error approve names a request, not a policy
      execute('Approve', CARD_VERBS.approve, { policyName: 'Contoso Sales' }),
      // @ts-expect-error a page offset is a number
      execute('Next', CARD_VERBS.groupsPage, { offset: 'ten' }),
      // @ts-expect-error the rejection reason is the card's input, not the button's data
      execute('Reject', CARD_VERBS.reject, { requestId: 'REQ-1', reason: 'typed by nobody' }),
      // @ts-expect-error adopt names the Intune policy by its id, not by a display name
      execute('Adopt', CARD_VERBS.adoptGroup, { policyName: 'Contoso Kiosks' }),
      // @ts-expect-error a button without the request id its verb needs
      execute('Retry', CARD_VERBS.retry, {}),
    ];
    // At run time the schema refuses the same payloads: the route answers them with a refusal.
    const verbs = [CARD_VERBS.approve, CARD_VERBS.groupsPage, CARD_VERBS.reject, CARD_VERBS.adoptGroup, CARD_VERBS.retry];
    expect(wrong.map((button, i) => verbs[i]?.data.safeParse(button.data).success)).toEqual([false, false, true, false, false]);
  });

  it('refuses, at compile time, a handler registered for a verb whose data it does not read', () => {
    // @ts-expect-error repairOwner reads a policy key; approve's data is a request id
    const mismatched: VerbHandler<typeof CARD_VERBS.approve> = repairOwner;
    expect(mismatched).toBe(repairOwner);
  });
});
