import { parsePolicyName, policyKeyOf, POLICY_NAME_MAX_LENGTH } from '../../src/domain/policy';

function parsedKey(raw: string): string {
  const result = parsePolicyName(raw);
  if (!result.ok) throw new Error(result.reason);
  return result.value.key;
}

describe('parsePolicyName', () => {
  it('trims and collapses inner whitespace for display', () => {
    expect(parsePolicyName('  Contoso \t Sales  ')).toEqual({ ok: true, value: { name: 'Contoso Sales', key: 'contoso sales' } });
  });

  it('gives one key to names differing only in case, spacing or compatibility forms', () => {
    expect(parsedKey('Contoso  Sales')).toBe(parsedKey('contoso sales'));
    expect(parsedKey('ＣＯＮＴＯＳＯ Sales')).toBe(parsedKey('contoso sales'));
    expect(parsedKey('Contoso Sales')).not.toBe(parsedKey('Contoso Sale'));
  });

  it.each([
    ['empty', ''],
    ['blank', '   \n '],
    ['not text', 42],
    ['a control character', 'Sales\u0007'],
    ['a bidi override', 'Sales\u202e'],
    ['a zero-width space', 'Sa\u200bles'],
    ['10 kB of text', 'x'.repeat(10_240)],
  ])('refuses %s with a reason', (_, raw) => {
    const result = parsePolicyName(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(10);
  });

  it('accepts the maximum length but not one more character', () => {
    expect(parsePolicyName('a'.repeat(POLICY_NAME_MAX_LENGTH)).ok).toBe(true);
    expect(parsePolicyName('a'.repeat(POLICY_NAME_MAX_LENGTH + 1)).ok).toBe(false);
  });

  it.each([["O'Brien", "o'brien"], ["' or 1 eq 1", "' or 1 eq 1"], ['Ventes Québec 東京', 'ventes québec 東京']])(
    'keeps quotes and unicode as typed: %s',
    (raw, key) => {
      expect(parsedKey(raw)).toBe(key);
    },
  );

  it('derives the same key from an already-clean name', () => {
    expect(policyKeyOf('Contoso Sales')).toBe('contoso sales');
  });
});
