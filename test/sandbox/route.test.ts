/** What every resource shares: server-driven paging with `@odata.nextLink`. */
import { emulatorWire, filterPath } from './support/wire';

const wire = emulatorWire();
const { start, graph } = wire;

describe('Graph emulator wire format', () => {
  it('pages collections with @odata.nextLink', async () => {
    await start({ pageSize: 2 });
    for (let i = 0; i < 5; i++) wire.emulator.admin.addGroup({ displayName: 'Same' });
    const first = await graph('GET', filterPath("displayName eq 'Same'"));
    expect(first.body.value).toHaveLength(2);
    const nextLink = first.body['@odata.nextLink'] as string;
    expect(nextLink.startsWith(`${wire.emulator.url}/v1.0/groups?`)).toBe(true);
    const last = await graph('GET', nextLink.slice(wire.emulator.url.length).replace('skiptoken=2', 'skiptoken=4'));
    expect(last.body.value).toHaveLength(1);
    expect(last.body['@odata.nextLink']).toBeUndefined();
  });
});
