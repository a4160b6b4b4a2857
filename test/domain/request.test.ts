import {
  ACTIVE_STATES,
  checkTransition,
  formatRequestId,
  isActiveState,
  isRequestState,
  parseRequestId,
} from '../../src/domain/request';
import { REQUEST_STATES, type RequestState } from '../../src/domain/request';

const LIFECYCLE: ReadonlyArray<readonly [RequestState, RequestState]> = [
  ['pending', 'approved'],
  ['pending', 'rejected'],
  ['pending', 'cancelled'],
  ['approved', 'provisioning'],
  ['provisioning', 'provisioned'],
  ['provisioning', 'failed'],
  // Superseded: the policy got its group meanwhile, so the runner makes none.
  ['provisioning', 'cancelled'],
  ['failed', 'provisioning'],
];

describe('request lifecycle', () => {
  it.each(LIFECYCLE)('allows %s → %s', (from, to) => {
    expect(checkTransition('REQ-1', from, to)).toEqual({ ok: true });
  });

  it('refuses every other transition with a reason naming the request and what is allowed', () => {
    const allowed = new Set(LIFECYCLE.map(([from, to]) => `${from}>${to}`));
    let refused = 0;
    for (const from of REQUEST_STATES) {
      for (const to of REQUEST_STATES) {
        if (allowed.has(`${from}>${to}`)) continue;
        const check = checkTransition('REQ-7', from, to);
        expect(check.ok).toBe(false);
        if (!check.ok) expect(check.reason).toMatch(/^REQ-7 .+; only .+\.$/);
        refused++;
      }
    }
    expect(refused).toBe(REQUEST_STATES.length ** 2 - LIFECYCLE.length);
  });

  it('explains a refused decision in plain words', () => {
    expect(checkTransition('REQ-3', 'rejected', 'approved')).toEqual({
      ok: false,
      reason: 'REQ-3 was rejected; only a pending request can be approved.',
    });
    expect(checkTransition('REQ-3', 'approved', 'cancelled')).toEqual({
      ok: false,
      reason: 'REQ-3 has been approved; only a pending request can be cancelled.',
    });
  });

  it('counts pending, approved, provisioning and provisioned as active, nothing else', () => {
    expect([...ACTIVE_STATES].sort()).toEqual(['approved', 'pending', 'provisioning']);
    expect(isActiveState('failed')).toBe(false);
    expect(isActiveState('provisioning')).toBe(true);
  });

  it('recognises request states', () => {
    expect(isRequestState('pending')).toBe(true);
    expect(isRequestState('archived')).toBe(false);
    expect(isRequestState(3)).toBe(false);
  });
});

describe('request ids', () => {
  it('formats positive integers as REQ-n', () => {
    expect(formatRequestId(42)).toBe('REQ-42');
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 60])('refuses to format %p', (value) => {
    expect(() => formatRequestId(value)).toThrow(RangeError);
  });

  it.each([
    ['REQ-42', 42],
    ['req-42', 42],
    [' REQ42 ', 42],
    ['REQ-0007', 7],
  ])('parses %p as %p', (raw, expected) => {
    expect(parseRequestId(raw)).toBe(expected);
  });

  it.each([['42'], ['REQ-'], ['REQ-0'], ['REQ-4 2'], ['REQ-1; DROP TABLE requests'], ['REQ-9999999999999999'], [42], [undefined]])(
    'rejects %p',
    (raw) => {
      expect(parseRequestId(raw)).toBeUndefined();
    },
  );

  it('round-trips', () => {
    expect(parseRequestId(formatRequestId(123456))).toBe(123456);
  });
});
