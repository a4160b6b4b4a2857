// Carousel rendering (unused here) pulls in swiper, an ES module jest cannot load: parsing never touches it.
jest.mock('swiper', () => ({}));

import { approvalCard } from '../../src/bot/features/approval/approvalCard';
import { bindCard, explainValidationCode } from '../../src/bot/features/policies/bindCard';
import { driftCard } from '../../src/bot/features/policies/driftCard';
import { helpCard, welcomeCard } from '../../src/bot/features/help/helpCard';
import { groupsCard, requestListCard } from '../../src/bot/features/status/listCards';
import { requestFormCard } from '../../src/bot/features/request/formCard';
import { policyStatusCard } from '../../src/bot/features/status/policyStatusCard';
import { type AdaptiveCard, MAX_REFRESH_USER_IDS, facts, noticeCard, plain, text } from '../../src/bot/cards/elements';
import { groupExistsCard } from '../../src/bot/cards/group';
import { requestCard } from '../../src/bot/cards/request';
import { COMMANDS } from '../../src/bot/features/help/help';
import { VERBS } from '../../src/bot/verbs';
import type { PolicyGroupRecord } from '../../src/domain/policyGroup';
import type { GroupRequest } from '../../src/domain/request';
import { cardProblems, readabilityFindings } from './support/cardChecks';
import { lintCard } from './support/cardLint';
import { cardText, cardVerbs } from './support/turns';

const hana = { aadObjectId: '11111111-1111-1111-1111-111111111111', name: 'Hana Helpdesk' };
const aki = { aadObjectId: '22222222-2222-2222-2222-222222222222', name: 'Aki Approver' };

function request(overrides: Partial<GroupRequest> = {}): GroupRequest {
  return {
    id: 'REQ-7',
    policyKey: 'contoso sales',
    policyName: 'Contoso Sales',
    scenario: 'userDriven',
    names: { displayName: 'APDP - Contoso Sales', mailNickname: 'apdp-contoso-sales', uniqueName: 'apdp-contoso-sales' },
    ticket: 'INC-42',
    justification: 'New sales laptops',
    requester: hana,
    state: 'pending',
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

const group: PolicyGroupRecord = {
  policyKey: 'contoso sales',
  policyName: 'Contoso Sales',
  scenario: 'userDriven',
  displayName: 'APDP - Contoso Sales',
  mailNickname: 'apdp-contoso-sales',
  uniqueName: 'apdp-contoso-sales',
  groupId: 'aaaaaaaa-0000-0000-0000-000000000001',
  createdAt: '2026-11-25T10:05:00.000Z',
  createdBy: aki,
};

const INTUNE_VALIDATION_CODES = [
  'securityGroupNotFound',
  'notSecurityGroup',
  'notStaticSecurityGroup',
  'firstPartyAppNotAnOwner',
  'securityGroupNotInCallerScope',
] as const;

const approved = request({ state: 'approved', decision: { kind: 'approved', by: aki, at: '2026-11-25T10:01:00.000Z' } });
const failed = request({ ...approved, state: 'failed', failureReason: 'Graph said 500' });

const every: readonly (readonly [string, AdaptiveCard])[] = [
  ['empty request form', requestFormCard({})],
  ['prefilled form with preview', requestFormCard({ policyName: 'Contoso', scenario: 'automatic', preview: { displayName: 'A', mailNickname: 'a' } })],
  ['form with errors', requestFormCard({ policyName: '', errors: { policyName: 'Enter it', ticket: 'Too long' } })],
  ['approval, approver view', approvalCard({ request: request(), viewer: 'approver', approverTeamsIds: ['29:aki'] })],
  ['approval, observer view', approvalCard({ request: request(), viewer: 'observer', approverTeamsIds: ['29:aki'], notice: 'n' })],
  ['approval, failed', approvalCard({ request: failed, viewer: 'approver', approverTeamsIds: [] })],
  ['request status', requestCard(approved, 'Status')],
  ['policy status with group', policyStatusCard({ policyName: 'Contoso Sales', group })],
  ['policy status, nothing', policyStatusCard({ policyName: 'Nothing' })],
  ['group exists', groupExistsCard(group)],
  ['notice', noticeCard('T', 'M')],
  ['mine', requestListCard({ title: 'Mine', requests: [request(), approved], empty: 'none', kind: 'own' })],
  ['pending', requestListCard({ title: 'Pending', requests: [request()], empty: 'none', kind: 'review' })],
  ['empty list', requestListCard({ title: 'Pending', requests: [], empty: 'none', kind: 'review' })],
  ['groups page', groupsCard({ items: [group], total: 25, offset: 10 })],
  ['no groups', groupsCard({ items: [], total: 0, offset: 0 })],
  ['drift, healthy', driftCard({ policyName: 'Contoso Sales', report: { group, healthy: true, findings: [], ownerRepaired: false } })],
  [
    'drift, owner missing',
    driftCard({
      policyName: 'Contoso Sales',
      report: { group, healthy: false, findings: [{ code: 'firstPartyAppNotAnOwner', message: 'owner gone' }], ownerRepaired: false },
    }),
  ],
  ['bind, bound', bindCard({ group, bind: { outcome: 'bound', policyId: 'p-1', statuses: [{ targetId: group.groupId, validationSucceeded: true }] } })],
  [
    'bind, every validation code',
    bindCard({
      group,
      bind: {
        outcome: 'validationFailed',
        policyId: 'p-1',
        statuses: [...INTUNE_VALIDATION_CODES, 'somethingNew', undefined].map((errorCode) => ({
          targetId: group.groupId,
          validationSucceeded: false,
          ...(errorCode !== undefined && { errorCode }),
        })),
      },
    }),
  ],
  ['bind, no policy yet', bindCard({ group, bind: { outcome: 'policyNotFound', message: 'Intune has no such policy yet.' } })],
  ['bind, failed', bindCard({ group, bind: { outcome: 'failed', message: 'Internal error', graphRequestId: 'rid-1' } })],
  ['bind, failed without a request id', bindCard({ group, bind: { outcome: 'failed', message: 'socket hang up' } })],
  ['help', helpCard({ commands: COMMANDS, unknown: { typed: 'stauts x', closest: 'status' } })],
  ['welcome', welcomeCard()],
];

describe('cards', () => {
  it.each(every)('%s is a valid Adaptive Card 1.5 (adaptivecards parses it without loss)', (_name, card) => {
    expect(lintCard(card)).toEqual([]);
    expect(card.version).toBe('1.5');
  });

  it('the lint catches unknown elements and properties', () => {
    const card = { ...welcomeCard(), body: [{ type: 'TextBlock', text: 'x', colour: 'Good' }, { type: 'Input.Rating', id: 'r' }] };
    expect(lintCard(card)).toEqual(expect.arrayContaining([expect.stringMatching(/colour: unknown property/), expect.stringMatching(/Input\.Rating/)]));
  });

  it('the card checks find raw ISO times and coloured long text, and let known cases of issue 21 through', () => {
    const card = {
      ...welcomeCard(),
      body: [
        text('Deleted at 2026-11-25T10:05:00.000Z'),
        facts([['Created', '2026-11-25T10:05:00Z']]),
        text('A sentence far longer than a badge should ever be, in colour.', { color: 'Attention' }),
        text('Short badge', { color: 'Good' }),
      ],
    };
    expect(readabilityFindings(card).map((finding) => finding.check)).toEqual(['isoTime', 'isoTime', 'colour']);
    expect(cardProblems(card)).toEqual([
      'isoTime: Deleted at 2026-11-25T10:05:00.000Z',
      'isoTime: 2026-11-25T10:05:00Z',
      'colour: Attention: A sentence far longer than a badge should ever be, in colour.',
    ]);
    expect(cardProblems({ ...card, body: [text('Healthy: the group matches what the device-preparation policy needs.', { color: 'Good' })] })).toEqual([]);
  });

  it('uses Action.Execute for every button', () => {
    const json = JSON.stringify(every.map(([, card]) => card));
    const actionTypes = [...json.matchAll(/"type":"(Action\.[A-Za-z]+)"/g)].map((m) => m[1]);
    expect(new Set(actionTypes)).toEqual(new Set(['Action.Execute']));
  });

  it('gives approvers Approve, Reject and a reason; others only a way to ask for them', () => {
    const forApprover = approvalCard({ request: request(), viewer: 'approver', approverTeamsIds: ['29:aki'] });
    expect(cardVerbs(forApprover)).toEqual([VERBS.approve, VERBS.reject]);
    expect(JSON.stringify(forApprover)).toContain('"id":"reason"');
    const forOthers = approvalCard({ request: request(), viewer: 'observer', approverTeamsIds: ['29:aki'] });
    expect(cardVerbs(forOthers)).toEqual([VERBS.refreshApproval]);
    expect(forOthers.refresh).toEqual({ action: expect.objectContaining({ verb: VERBS.refreshApproval, data: { requestId: 'REQ-7' } }), userIds: ['29:aki'] });
  });

  it('shows the decision and no buttons once decided, and Retry for approvers after a failure', () => {
    const decided = approvalCard({ request: approved, viewer: 'approver', approverTeamsIds: ['29:aki'] });
    expect(cardVerbs(decided)).toEqual([]);
    expect(decided.refresh).toBeUndefined();
    expect(cardText(decided)).toContain('Approved by Aki Approver at 2026-11-25 10:01 UTC');
    const retry = approvalCard({ request: failed, viewer: 'approver', approverTeamsIds: [] });
    expect(cardVerbs(retry)).toEqual([VERBS.retry]);
    expect(cardText(retry)).toContain('Graph said 500');
  });

  it.each(INTUNE_VALIDATION_CODES)('explains Intune\'s %s in words of its own', (code) => {
    const explanation = explainValidationCode(code, 'Contoso *Sales*');
    expect(explanation).not.toMatch(/Intune refused the group/);
    const others = INTUNE_VALIDATION_CODES.filter((other) => other !== code).map((other) => explainValidationCode(other, 'Contoso *Sales*'));
    expect(others).not.toContain(explanation);
    expect(explanation).not.toContain('*Sales*');
  });

  it('names an unknown validation code as Intune sent it, escaped', () => {
    expect(explainValidationCode('new_code*', 'P')).toBe('Intune refused the group with the code new\\_code\\*.');
    expect(explainValidationCode(undefined, 'P')).toBe('Intune refused the group.');
  });

  it('offers the owner repair on a bind card only when Intune missed the first-party owner', () => {
    const refused = (errorCode: string) =>
      bindCard({ group, bind: { outcome: 'validationFailed', policyId: 'p', statuses: [{ targetId: 'g', validationSucceeded: false, errorCode }] } });
    expect(cardVerbs(refused('firstPartyAppNotAnOwner'))).toEqual([VERBS.repairOwner]);
    expect(cardVerbs(refused('notStaticSecurityGroup'))).toEqual([]);
  });

  it('lists at most 60 Teams ids in refresh.userIds', () => {
    const ids = Array.from({ length: 75 }, (_, i) => `29:user-${i}`);
    const card = approvalCard({ request: request(), viewer: 'observer', approverTeamsIds: ids });
    expect(card.refresh?.userIds).toHaveLength(MAX_REFRESH_USER_IDS);
  });

  it('keeps the user\'s input and shows each error at its field', () => {
    const card = requestFormCard({ policyName: 'Bad\u200bName', ticket: 'T-1', justification: 'why', errors: { policyName: 'Invisible characters' } });
    const ids = card.body.map((e) => ('id' in e ? e.id : e.type === 'TextBlock' ? `text:${e.text}` : e.type));
    expect(ids.indexOf('text:Invisible characters')).toBe(ids.indexOf('policyName') + 1);
    expect(JSON.stringify(card)).toContain('"value":"T-1"');
    expect(JSON.stringify(card)).toContain('"value":"why"');
  });

  it('pages the groups list with Previous and Next', () => {
    expect(groupsCard({ items: [group], total: 25, offset: 10 }).actions?.map((a) => [a.title, a.data])).toEqual([
      ['Previous', { offset: 0 }],
      ['Next', { offset: 20 }],
    ]);
    expect(groupsCard({ items: [group], total: 1, offset: 0 }).actions).toBeUndefined();
  });

  it('escapes markdown in what users typed', () => {
    expect(plain('[click](https://evil.example) *now*')).toBe('\\[click\\](https://evil.example) \\*now\\*');
    const card = requestCard(request({ justification: '[click](https://evil.example)' }), 'Status');
    expect(cardText(card)).toContain('\\[click\\](https://evil.example)');
  });
});
