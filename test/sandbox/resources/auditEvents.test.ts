/** Intune's audit log over the wire: each change of a policy's device group, naming the person or the application. */
import { startGraphEmulator, type GraphEmulator } from '../../../src/sandbox/graphEmulator';
import { SANDBOX_CONNECTION_NAME, sandboxTokenService } from '../../../src/sandbox/main';
import { callWithBearer } from '../support/wire';

const MEGAN = { id: '29:megan-bowen', name: 'Megan Bowen', userPrincipleName: 'meganb@contoso.example', aadObjectId: '00000000-0000-4000-8000-0000000000a2' };
const APP_ONLY = 'app-only-token';

describe('Graph emulator: deviceManagement/auditEvents', () => {
  let emulator: GraphEmulator;
  let personToken: string;

  beforeEach(async () => {
    const tokens = sandboxTokenService({ SANDBOX_PEOPLE: JSON.stringify([MEGAN]) });
    emulator = await startGraphEmulator({ tokenService: tokens, variations: { appOnlyMembershipTarget: 'allow' } });
    const token = tokens.getToken({ userId: MEGAN.id, connectionName: SANDBOX_CONNECTION_NAME, channelId: 'msteams' });
    if (token.kind !== 'token') throw new Error('not signed in');
    personToken = token.response.token;
  });
  afterEach(() => emulator.close());

  const call = (method: string, path: string, bearer: string, body?: unknown) => callWithBearer(emulator.url, method, path, bearer, body);

  it('records a set by the signed-in person (their object id) and a clear by the application, and nothing for a refused set or a read', async () => {
    const [policy] = emulator.admin.policies();
    if (!policy) throw new Error('no seeded policy');
    const group = emulator.admin.addGroup({ displayName: 'good', ownerIds: [emulator.admin.ownerServicePrincipalId as string] });
    const target = (targetId: string) => ({ enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId }] });
    const base = `/beta/deviceManagement/configurationPolicies('${policy.id}')`;
    expect((await call('POST', `${base}/setEnrollmentTimeDeviceMembershipTarget`, personToken, target('missing'))).body.value.validationSucceeded).toBe(false);
    expect((await call('POST', `${base}/setEnrollmentTimeDeviceMembershipTarget`, personToken, target(group.id))).body.value.validationSucceeded).toBe(true);
    expect((await call('POST', `${base}/retrieveEnrollmentTimeDeviceMembershipTarget`, APP_ONLY)).status).toBe(200);
    expect((await call('POST', `${base}/clearEnrollmentTimeDeviceMembershipTarget`, APP_ONLY)).status).toBe(200);

    for (const version of ['v1.0', 'beta']) {
      const listed = await call('GET', `/${version}/deviceManagement/auditEvents`, APP_ONLY);
      expect(listed.status).toBe(200);
      expect(listed.body.value).toEqual([
        expect.objectContaining({
          activity: 'setEnrollmentTimeDeviceMembershipTarget',
          actor: expect.objectContaining({ auditActorType: 'ItPro', userId: MEGAN.aadObjectId }),
          resources: [expect.objectContaining({ resourceId: policy.id, displayName: policy.name })],
          activityDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        }),
        expect.objectContaining({ activity: 'clearEnrollmentTimeDeviceMembershipTarget', actor: expect.objectContaining({ auditActorType: 'Application', userId: null }) }),
      ]);
    }
  });
});
