/**
 * With a connection string, the real Application Insights SDK exports a turn as a request, a Graph call as a
 * dependency in the same operation (with Graph's request-id and our client-request-id) and a failed turn's
 * exception. It runs in a child process inside a network namespace that has only loopback (`unshare -n`), so
 * whatever else the SDK tries (statsbeat, Azure metadata) cannot leave the machine. Needs root, as CI has;
 * elsewhere it says it skipped. (That nothing is loaded or sent without a connection string or in sandbox
 * mode is in test/index.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REGISTER_TS = join(__dirname, '..', 'support', 'register-ts.js');
const CHILD = join(__dirname, '..', 'support', 'telemetryChild.ts');
const isolated = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up']).status === 0;
if (!isolated) console.warn('Application Insights export suite SKIPPED: needs `unshare -n` and `ip` (root, util-linux, iproute2) to keep the SDK off the network.');

interface Item {
  readonly data: { readonly baseType: string; readonly baseData: { readonly name?: string; readonly properties?: Record<string, string> } };
  readonly tags: Record<string, string>;
}

(isolated ? describe : describe.skip)('Application Insights with a connection string', () => {
  let directory: string;
  let output: { logFields: Record<string, string>; items: Item[] };

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'telemetry-'));
    const [key, cert] = [join(directory, 'key.pem'), join(directory, 'cert.pem')];
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=ingestion', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
    const child = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" -r "$1" "$2"', process.execPath, REGISTER_TS, CHILD], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: cert, PROBE_KEY: key, PROBE_CERT: cert },
    });
    if (child.status !== 0) throw new Error(`telemetry child failed (${child.status}): ${child.stderr}`);
    output = JSON.parse(child.stdout) as typeof output;
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const ofType = (baseType: string) => output.items.filter((item) => item.data.baseType === baseType);

  it('sends the turn as a request and the Graph call as a dependency of the same operation, with both ids', () => {
    const [turn] = ofType('RequestData').filter((item) => item.data.baseData.name === 'turn message');
    const [dependency] = ofType('RemoteDependencyData');
    expect(turn?.data.baseData.properties).toMatchObject({ 'bot.activity.type': 'message' });
    expect(dependency?.data.baseData).toMatchObject({
      name: 'GET /v1.0/groups',
      properties: expect.objectContaining({
        'http.request.header.client-request-id': '["client-request-id-1"]',
        'http.response.header.request-id': '["graph-request-id-1"]',
      }),
    });
    expect(dependency?.tags['ai.operation.id']).toBe(turn?.tags['ai.operation.id']);
  });

  it('gives log lines the trace id that is the operation id', () => {
    const [turn] = ofType('RequestData').filter((item) => item.data.baseData.name === 'turn message');
    expect(output.logFields.trace_id).toBe(turn?.tags['ai.operation.id']);
    expect(output.logFields.span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('sends the exception of a failed turn', () => {
    const [failed] = ofType('RequestData').filter((item) => item.data.baseData.name === 'turn invoke');
    const [exception] = ofType('ExceptionData');
    expect(JSON.stringify(exception?.data.baseData)).toContain('the turn failed');
    expect(exception?.tags['ai.operation.id']).toBe(failed?.tags['ai.operation.id']);
  });
});
