import {
  DEFAULT_DISPLAY_NAME_TEMPLATE,
  groupNamesFor,
  templateProblemOf,
  type GroupNamesResult,
  type GroupNamingOptions,
} from '../../src/domain/naming';
import { parsePolicyName, POLICY_NAME_MAX_LENGTH, type PolicyName } from '../../src/domain/policy';
import type { Scenario } from '../../src/domain/scenario';
import type { GroupNames } from '../../src/domain/naming';

function policy(raw: string): PolicyName {
  const parsed = parsePolicyName(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

function names(raw: string, scenario: Scenario = 'userDriven', options?: GroupNamingOptions): GroupNames {
  const result = groupNamesFor(policy(raw), scenario, options);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

function refusal(result: GroupNamesResult): { code: string; reason: string } {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result;
}

// Entra: ≤ 64 ASCII characters, none of @ ( ) \ [ ] " ; : < > , or space.
const VALID_MAIL_NICKNAME = /^[\x21-\x7e]{1,64}$/;
const FORBIDDEN_IN_MAIL_NICKNAME = /[@()\\[\]";:<>, ]/;

describe('groupNamesFor', () => {
  it('gives a readable default display name per scenario', () => {
    expect(names('Contoso Sales').displayName).toBe('Autopilot DP · Contoso Sales · User-driven');
    expect(names('Contoso Sales', 'automatic').displayName).toBe('Autopilot DP · Contoso Sales · Automatic');
  });

  it('leaves the scenario out when the policy name already says it', () => {
    expect(names('Contoso User-driven').displayName).toBe('Autopilot DP · Contoso User-driven');
    expect(names('contoso user driven').displayName).toBe('Autopilot DP · contoso user driven');
    expect(names('Sales (UserDriven)').displayName).toBe('Autopilot DP · Sales (UserDriven)');
    expect(names('Kiosks Automatic', 'automatic').displayName).toBe('Autopilot DP · Kiosks Automatic');
    // Only its own scenario, and only as whole words.
    expect(names('Kiosks Automatic').displayName).toBe('Autopilot DP · Kiosks Automatic · User-driven');
    expect(names('Superuser driven', 'userDriven').displayName).toBe('Autopilot DP · Superuser driven · User-driven');
    expect(names('Automatically enrolled', 'automatic').displayName).toBe('Autopilot DP · Automatically enrolled · Automatic');
  });

  it('keeps the uniqueName of a policy whose name says its scenario, so its existing group stays its group', () => {
    const key = names('Contoso User-driven').uniqueName;
    expect(names('Contoso User-driven', 'automatic').uniqueName).toBe(key);
    expect(names('CONTOSO  user-driven').uniqueName).toBe(key);
  });

  it.each([
    ['{scenario} devices for {policy}', 'devices for Sales Automatic'],
    ['APDP-{scenario}-{policy}', 'APDP-Sales Automatic'],
    ['{policy} ({scenario}) devices', 'Sales Automatic devices'],
    ['{policy} [{scenario}]', 'Sales Automatic'],
    ['{policy}{scenario}', 'Sales Automatic'],
    ['Devices {policy}', 'Devices Sales Automatic'],
  ])('drops the scenario and its separator from the template %s', (template, expected) => {
    expect(names('Sales Automatic', 'automatic', { template }).displayName).toBe(expected);
  });

  it('derives uniqueName deterministically from the policy key only', () => {
    const a = names('Contoso  Sales');
    expect(a.uniqueName).toMatch(/^autopilot-dp-[0-9a-f]{32}$/);
    expect(names('contoso sales').uniqueName).toBe(a.uniqueName);
    expect(names('Contoso Sales', 'automatic').uniqueName).toBe(a.uniqueName);
    expect(names('Contoso Sales', 'userDriven', { template: 'Devices {policy}' }).uniqueName).toBe(a.uniqueName);
    expect(names('Contoso Sales 2').uniqueName).not.toBe(a.uniqueName);
  });

  it.each([
    'Contoso Sales',
    "O'Brien (HQ) [test]; a:b <c>, d@e \\ f \"g\"",
    "' or 1 eq 1",
    '東京 営業部',
    'Ventes Québec — Équipe',
    '🚀🚀🚀',
    'x'.repeat(POLICY_NAME_MAX_LENGTH),
  ])('always yields a valid mailNickname and displayName for %s', (raw) => {
    const result = names(raw);
    expect(result.mailNickname).toMatch(VALID_MAIL_NICKNAME);
    expect(result.mailNickname).not.toMatch(FORBIDDEN_IN_MAIL_NICKNAME);
    expect(result.displayName.length).toBeLessThanOrEqual(256);
    expect(result.displayName).toContain(policy(raw).name);
  });

  it('keeps the Latin part of the name readable in the mailNickname', () => {
    expect(names('Ventes Québec').mailNickname).toMatch(/^adp-ventes-quebec-[0-9a-f]{8}$/);
    expect(names('東京').mailNickname).toMatch(/^adp-[0-9a-f]{8}$/);
  });

  it('applies a custom template', () => {
    expect(names('Sales', 'automatic', { template: '{scenario} devices for {policy}' }).displayName).toBe('Automatic devices for Sales');
    expect(names('Sales', 'automatic', { template: 'APDP-{policy}' }).displayName).toBe('APDP-Sales');
  });

  it('refuses blocked words on whole words, case-insensitively, with the reason', () => {
    const blockedWords = ['Test', 'do not use'];
    const blocked = refusal(groupNamesFor(policy('Sales TEST devices'), 'userDriven', { blockedWords }));
    expect(blocked.code).toBe('blockedWord');
    expect(blocked.reason).toContain('"Test"');
    expect(refusal(groupNamesFor(policy('Sales - Do  not use!'), 'userDriven', { blockedWords })).reason).toContain('do not use');
    expect(groupNamesFor(policy('Contest devices'), 'userDriven', { blockedWords }).ok).toBe(true);
  });

  it('refuses a name that would not fit in 256 characters', () => {
    const template = `${'T'.repeat(99)} {policy}`;
    const result = refusal(groupNamesFor(policy('😀'.repeat(POLICY_NAME_MAX_LENGTH)), 'userDriven', { template }));
    expect(result.code).toBe('tooLong');
  });
});

describe('templateProblemOf', () => {
  it('accepts the default template', () => {
    expect(templateProblemOf(DEFAULT_DISPLAY_NAME_TEMPLATE)).toBeUndefined();
  });

  it.each([
    ['no {policy}', 'Autopilot devices'],
    ['{policy} twice', '{policy} {policy}'],
    ['{scenario} twice', '{policy} {scenario} {scenario}'],
    ['an unknown placeholder', '{policy} {owner}'],
    ['a control character', '{policy}\u0000'],
    ['too much fixed text', `{policy} ${'x'.repeat(101)}`],
  ])('refuses a template with %s', (_, template) => {
    expect(templateProblemOf(template)).toEqual(expect.any(String));
    expect(refusal(groupNamesFor(policy('Sales'), 'userDriven', { template })).code).toBe('invalidTemplate');
  });
});
