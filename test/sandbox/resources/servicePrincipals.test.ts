/** Service principals found by appId, over plain fetch. */
import { OWNER_APP_ID } from '../../../src/provisioning/directory';
import { emulatorWire } from '../support/wire';

const wire = emulatorWire();
const { start, graph } = wire;

describe('Graph emulator wire format', () => {
  it('is seeded with the owner service principal, found by appId only', async () => {
    await start();
    const sp = await graph('GET', `/v1.0/servicePrincipals(appId='${OWNER_APP_ID}')`);
    expect(sp.status).toBe(200);
    expect(sp.body).toMatchObject({ appId: OWNER_APP_ID, displayName: 'Intune Provisioning Client', id: wire.emulator.admin.ownerServicePrincipalId });
    wire.emulator.admin.removeServicePrincipal(OWNER_APP_ID);
    const missing = await graph('GET', `/v1.0/servicePrincipals(appId='${OWNER_APP_ID}')`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Request_ResourceNotFound');
  });
});
