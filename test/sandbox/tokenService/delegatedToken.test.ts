/** The sandbox's delegated tokens as the Graph emulator reads them: only what this process signed is delegated. */
import { graphCallerOf, readDelegatedToken, GRAPH_AUDIENCES } from '../../../src/sandbox/tokenService/delegatedToken';
import { SandboxJwtSigner } from '../../../src/sandbox/tokenService/sandboxJwt';
import { unsignedJwt } from '../../provisioning/support/sandbox';

const TENANT = '00000000-0000-4000-8000-000000000001';
const BOT_ID = '00000000-0000-0000-0000-0000000000b0';
const INTUNE_SCOPE = 'DeviceManagementConfiguration.ReadWrite.All';
const MEGAN = '00000000-0000-4000-8000-0000000000a2';
const ALEX = '00000000-0000-4000-8000-0000000000a1';
const NOW_MS = Date.UTC(2026, 11, 6, 12, 0, 0);

describe('delegated tokens for the Graph emulator', () => {
  const signer = new SandboxJwtSigner();
  const expected = { tenantId: TENANT, nowMs: NOW_MS };

  it('keeps a bearer that is not a JWT with scp app-only, as the sandbox bot sends it', () => {
    expect(graphCallerOf('Bearer sandbox-token', signer, expected)).toEqual({ kind: 'appOnly' });
    expect(graphCallerOf(undefined, signer, expected)).toEqual({ kind: 'appOnly' });
    expect(graphCallerOf(`Bearer ${unsignedJwt({ roles: ['Group.ReadWrite.All'] })}`, signer, expected)).toEqual({ kind: 'appOnly' });
  });

  it('refuses a token claiming to be delegated that this process did not sign', () => {
    const forged = unsignedJwt({ aud: GRAPH_AUDIENCES[0], oid: MEGAN, tid: TENANT, scp: INTUNE_SCOPE, exp: 4e9 });
    expect(graphCallerOf(`Bearer ${forged}`, signer, expected)).toMatchObject({ kind: 'refused', reason: 'badSignature', code: 'InvalidAuthenticationToken' });
    const otherProcess = new SandboxJwtSigner().sign({ aud: GRAPH_AUDIENCES[0], oid: MEGAN, tid: TENANT, scp: INTUNE_SCOPE, exp: 4e9 });
    expect(graphCallerOf(`Bearer ${otherProcess}`, signer, expected)).toMatchObject({ kind: 'refused', reason: 'badSignature' });
    const tampered = signer.sign({ aud: GRAPH_AUDIENCES[0], oid: ALEX, tid: TENANT, scp: INTUNE_SCOPE, exp: 4e9 }).split('.');
    tampered[1] = Buffer.from(JSON.stringify({ aud: GRAPH_AUDIENCES[0], oid: MEGAN, tid: TENANT, scp: INTUNE_SCOPE, exp: 4e9 })).toString('base64url');
    expect(graphCallerOf(`Bearer ${tampered.join('.')}`, signer, expected)).toMatchObject({ kind: 'refused', reason: 'badSignature' });
  });

  it('refuses a signed token for another audience or tenant', () => {
    const sso = signer.sign({ aud: `api://botid-${BOT_ID}`, oid: MEGAN, tid: TENANT, scp: 'access_as_user', exp: 4e9 });
    expect(graphCallerOf(`Bearer ${sso}`, signer, expected)).toMatchObject({ kind: 'refused', reason: 'wrongAudience', message: 'Access token validation failure. Invalid audience.' });
    const foreign = signer.sign({ aud: GRAPH_AUDIENCES[1], oid: MEGAN, tid: 'another-tenant', scp: INTUNE_SCOPE, exp: 4e9 });
    expect(graphCallerOf(`Bearer ${foreign}`, signer, expected)).toMatchObject({ kind: 'refused', reason: 'wrongTenant' });
    expect(readDelegatedToken(signer, foreign, { audiences: GRAPH_AUDIENCES, tenantId: 'another-tenant', nowMs: NOW_MS })).toMatchObject({ kind: 'delegated', audience: GRAPH_AUDIENCES[1] });
  });
});
