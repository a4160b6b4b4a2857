/**
 * The token-service stub mounted in the Graph emulator's own port (issue 19): the bot's user-token client and
 * its Graph calls reach one loopback origin, a token the stub issued is honoured as that person's delegated
 * call, anything else claiming to be delegated gets Graph's 401, and the person's Intune scope decides which
 * groups they may assign.
 */
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import { PLAYGROUND_BOT_ID, PLAYGROUND_TENANT_ID } from '../../src/sandbox/playground';
import { SandboxTokenService, type SandboxPerson } from '../../src/sandbox/tokenService/tokenService';
import { DELEGATED_TOKEN } from '../provisioning/support/sandbox';
import { type Answer, callWithBearer } from './support/wire';

const CONNECTION = 'IntuneGraph';
const MEGAN: SandboxPerson = { userId: '29:megan-bowen', objectId: '00000000-0000-4000-8000-0000000000a2', displayName: 'Megan Bowen', userPrincipalName: 'meganb@contoso.example' };

let emulator: GraphEmulator;
let tokens: SandboxTokenService;

beforeEach(async () => {
  tokens = new SandboxTokenService({
    tenantId: PLAYGROUND_TENANT_ID,
    people: [MEGAN],
    connections: [{ name: CONNECTION, tokenExchangeUri: `api://botid-${PLAYGROUND_BOT_ID}`, scopes: ['DeviceManagementConfiguration.ReadWrite.All'], clientId: PLAYGROUND_BOT_ID }],
  });
  emulator = await startGraphEmulator({ tokenService: tokens });
});
afterEach(() => emulator.close());

function call(method: string, path: string, bearer: string, body?: unknown): Promise<Pick<Answer, 'status' | 'body'>> {
  return callWithBearer(emulator.url, method, path, bearer, body);
}

async function meganToken(): Promise<string> {
  const answer = await call('GET', `/api/usertoken/GetToken?userId=${encodeURIComponent(MEGAN.userId)}&connectionName=${CONNECTION}&channelId=msteams`, 'unused');
  expect(answer.status).toBe(200);
  return answer.body.token as string;
}

function setTarget(policyId: string, groupId: string, bearer: string): Promise<Pick<Answer, 'status' | 'body'>> {
  return call('POST', `/beta/deviceManagement/configurationPolicies('${policyId}')/setEnrollmentTimeDeviceMembershipTarget`, bearer, {
    enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: groupId }],
  });
}

function correctGroup(): string {
  return emulator.admin.addGroup({ displayName: 'Autopilot devices', ownerIds: [emulator.admin.ownerServicePrincipalId as string] }).id;
}

describe('Graph emulator with the token service mounted', () => {
  it('binds with a token the stub issued (delegated, as that person) and refuses the app-only call as Intune does', async () => {
    const policyId = emulator.admin.policies()[0].id;
    const groupId = correctGroup();
    expect((await setTarget(policyId, groupId, 'sandbox-token')).status).toBe(500);
    const bound = await setTarget(policyId, groupId, await meganToken());
    expect(bound.status).toBe(200);
    expect(bound.body.value.validationSucceeded).toBe(true);
    expect(emulator.admin.policy(policyId)?.membershipTargetIds).toEqual([groupId]);
  });

  it("answers Graph's 401 for a hand-made JWT with scp, which only a token-service sign-in can make delegated", async () => {
    const answer = await setTarget(emulator.admin.policies()[0].id, correctGroup(), DELEGATED_TOKEN);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('InvalidAuthenticationToken');
  });

  it("answers securityGroupNotInCallerScope for a group outside the person's Intune scope, and binds once it is in scope", async () => {
    const policyId = emulator.admin.policies()[0].id;
    const groupId = correctGroup();
    tokens.setIntuneScope(MEGAN.objectId, ['some-other-group']);
    const refused = await setTarget(policyId, groupId, await meganToken());
    expect(refused.body.value).toMatchObject({
      validationSucceeded: false,
      enrollmentTimeDeviceMembershipTargetValidationStatuses: [{ targetId: groupId, validationSucceeded: false, targetValidationErrorCode: 'securityGroupNotInCallerScope' }],
    });
    expect(emulator.admin.policy(policyId)?.membershipTargetIds).toEqual([]);
    tokens.setIntuneScope(MEGAN.objectId, [groupId]);
    expect((await setTarget(policyId, groupId, await meganToken())).body.value.validationSucceeded).toBe(true);
  });

  it('serves the token service and the sign-in page on the same port, and leaves Graph paths to Graph', async () => {
    const status = await call('GET', `/api/usertoken/GetTokenStatus?userId=${encodeURIComponent(MEGAN.userId)}&channelId=msteams`, 'unused');
    expect(status.body).toEqual([expect.objectContaining({ connectionName: CONNECTION, hasToken: true })]);
    expect((await fetch(`${emulator.url}/sandbox/signin/unknown`)).status).toBe(404);
    expect((await call('GET', '/v1.0/groups', 'sandbox-token')).status).toBe(200);
  });
});
