import { CARD_VERBS } from '../../src/bot/verbs';
import { parseRequestForm } from '../../src/bot/features/request/form';
import { closestCommand } from '../../src/bot/features/help/help';
import { parseRequestPrefill } from '../../src/bot/features/request/requestCommand';
import { addressedToRequester, requesterMessage } from '../../src/bot/features/approval/notifier';
import { normaliseRequestId as parseRequestId } from '../../src/domain/request';
import type { GroupRequest } from '../../src/domain/request';
import MarkdownIt from 'markdown-it';
import { plain } from '../../src/bot/cards/elements';
import { visibleText } from './support/turns';

describe('parsing what people type and what cards send', () => {
  it.each([
    ['', {}],
    ['Contoso Sales', { policyName: 'Contoso Sales' }],
    // The whole text is the policy name (Intune's names often end in the scenario); the ending preselects it.
    ['Contoso User-driven', { policyName: 'Contoso User-driven', scenario: 'userDriven' }],
    ['Contoso Sales User Driven', { policyName: 'Contoso Sales User Driven', scenario: 'userDriven' }],
    ['Contoso Windows 365', { policyName: 'Contoso Windows 365', scenario: 'automatic' }],
    // `as <scenario>` names the scenario apart from the name.
    ['Contoso Sales as user-driven', { policyName: 'Contoso Sales', scenario: 'userDriven' }],
    ['Cloud PCs AS w365', { policyName: 'Cloud PCs', scenario: 'automatic' }],
    ['automatic', { scenario: 'automatic' }],
    ['as automatic', { scenario: 'automatic' }],
    ['Automaticity Lab', { policyName: 'Automaticity Lab' }],
  ])('prefills "%s"', (text, expected) => {
    expect(parseRequestPrefill(text)).toEqual(expected);
  });

  it.each([
    ['stauts', 'status'],
    ['reqest', 'request'],
    ['mien', 'mine'],
    ['grups', 'groups'],
    ['hlep', 'help'],
    ['cancl', 'cancel'],
    ['bnid', 'bind'],
    ['pendng', 'pending'],
  ])('suggests %s → %s', (typed, expected) => {
    expect(closestCommand(typed)).toBe(expected);
  });

  it.each(['asdfgh', 'xyz', 'qwerty', 'please', 'mxxe', 'a'])('suggests nothing for %s, which is no slip of a command', (typed) => {
    expect(closestCommand(typed)).toBeUndefined();
  });

  it('normalises request ids and refuses anything else', () => {
    expect(parseRequestId(' req-12 ')).toBe('REQ-12');
    for (const bad of ['REQ-', 'REQ-1x', 'REQ-1; DROP TABLE', 12, undefined, 'REQ-1234567890123']) expect(parseRequestId(bad)).toBeUndefined();
    const requestIdOf = (data: unknown) => CARD_VERBS.approve.data.safeParse(data).data?.requestId;
    expect(requestIdOf({ requestId: 'req-3', approver: 'someone' })).toBe('REQ-3');
    expect(requestIdOf({ requestId: ['REQ-3'] })).toBeUndefined();
  });

  it('keeps what was typed when the form is incomplete, and trims optional fields', () => {
    expect(parseRequestForm({ policyName: 'Contoso', scenario: 'bogus', ticket: ' T-1 ' })).toEqual({
      ok: false,
      view: { policyName: 'Contoso', scenario: undefined, ticket: 'T-1', justification: undefined, errors: { scenario: 'Choose the scenario of the policy.' } },
    });
    expect(parseRequestForm({ policyName: 'Contoso', scenario: 'automatic', ticket: '  ', justification: 'why' })).toEqual({
      ok: true,
      form: { policyName: 'Contoso', scenario: 'automatic', justification: 'why' },
    });
    // Card data that is no object at all is refused by the route (the verb's schema); an empty form is not.
    expect(CARD_VERBS.submitRequest.data.safeParse('not an object').success).toBe(false);
    expect(parseRequestForm({})).toMatchObject({ ok: false, view: { errors: { policyName: expect.any(String), scenario: expect.any(String) } } });
  });

  it('tells the requester about decisions and results, and nothing else', () => {
    const aki = { aadObjectId: 'a', name: 'Aki' };
    const request: GroupRequest = {
      id: 'REQ-1', policyKey: 'p', policyName: 'P', scenario: 'userDriven',
      names: { displayName: 'APDP - P', mailNickname: 'apdp-p', uniqueName: 'apdp-p' },
      requester: { aadObjectId: 'h', name: 'Hana' }, state: 'rejected', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
      decision: { kind: 'rejected', by: aki, at: '2026-01-01T09:30:00Z', reason: 'duplicate' }, version: 2,
    };
    expect(requesterMessage('rejected', request)).toBe('Your request REQ-1 for the policy `P` was rejected by Aki at 2026-01-01 09:30 UTC: duplicate');
    expect(requesterMessage('provisioned', { ...request, state: 'provisioned', groupId: 'g-1' })).toContain('`APDP - P` exists (object id g-1)');
    for (const kind of ['requested', 'provisioning', 'cancelled'] as const) expect(requesterMessage(kind, request)).toBeUndefined();
  });

  it.each([
    'Contoso https://evil.com/login',
    'Contoso www.evil.com',
    'Contoso evil.com',
    'mail it@evil.com',
    'Odd `quoted` **name**',
    '`Ticked',
  ])('shows the policy name %s in notices as typed, never as a link or markdown', (policyName) => {
    // Teams turns URLs, www. and bare domains in a message into links; linkify models that.
    const teams = new MarkdownIt({ html: true, linkify: true });
    const request: GroupRequest = {
      id: 'REQ-1', policyKey: 'p', policyName, scenario: 'userDriven',
      names: { displayName: `Autopilot DP · ${policyName}`, mailNickname: 'adp-p', uniqueName: 'autopilot-dp-p' },
      requester: { aadObjectId: 'h', name: 'Hana' }, state: 'provisioned', groupId: 'g-1',
      createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', version: 3,
    };
    for (const kind of ['provisioned', 'bound'] as const) {
      const html = teams.renderInline(requesterMessage(kind, request) ?? '');
      expect(html).not.toMatch(/<a |<strong>/);
      expect(visibleText(requesterMessage(kind, request) ?? '')).toContain(policyName);
    }
    // The control: escaped plain text would still be a link there.
    if (/\.com/.test(policyName)) expect(teams.renderInline(plain(policyName))).toContain('<a ');
  });

  it('addresses the requester in a shared conversation: @mention by their Teams id, by name without it', () => {
    const conversation = { id: '19:c', name: '', conversationType: 'channel', isGroup: true };
    const request: GroupRequest = {
      id: 'REQ-1', policyKey: 'p', policyName: 'P', scenario: 'userDriven',
      names: { displayName: 'APDP - P', mailNickname: 'apdp-p', uniqueName: 'apdp-p' },
      requester: { aadObjectId: 'h', name: 'Hana' }, state: 'approved', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
      origin: { conversation, user: { id: '29:hana', name: 'Hana H.', aadObjectId: 'h' } }, version: 2,
    };
    expect(addressedToRequester(request, 'Done.')).toEqual({
      type: 'message',
      text: '<at>Hana</at> Done.',
      entities: [{ type: 'mention', text: '<at>Hana</at>', mentioned: { id: '29:hana', name: 'Hana' } }],
    });
    const byName = { type: 'message', text: 'Hana: Done.' };
    expect(addressedToRequester({ ...request, origin: { conversation } }, 'Done.')).toEqual(byName);
    expect(addressedToRequester({ ...request, origin: { conversation, user: { id: '29:olga', name: 'Olga', aadObjectId: 'o' } } }, 'Done.')).toEqual(byName);
  });
});
