/**
 * Child process of test/telemetry.test.ts (run inside `unshare -n`, loopback only): starts the real
 * Application Insights SDK through src/telemetry.ts against an https "ingestion endpoint" on 127.0.0.1 (its
 * certificate trusted through NODE_EXTRA_CA_CERTS), runs one turn that calls a fake Graph and one that throws,
 * flushes, and prints every telemetry item the endpoint received as one JSON line.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { silentLogger } from '../../src/shared/logger';
import { startTelemetry } from '../../src/app/telemetry';

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

async function main(): Promise<void> {
  const bodies: string[] = [];
  const ingestion = createHttpsServer({ key: readFileSync(process.env.PROBE_KEY ?? ''), cert: readFileSync(process.env.PROBE_CERT ?? '') }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push((request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    });
  });
  const graph = createHttpServer((_request, response) => {
    response.setHeader('request-id', 'graph-request-id-1');
    response.end('{}');
  });
  const [ingestionPort, graphPort] = [await listen(ingestion), await listen(graph)];
  const connectionString = `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:${ingestionPort}/`;
  const telemetry = await startTelemetry({ connectionString }, silentLogger);
  let logFields: Readonly<Record<string, string>> = {};
  await telemetry.turn('turn message', { 'bot.activity.type': 'message' }, async () => {
    logFields = telemetry.logFields();
    await fetch(`http://127.0.0.1:${graphPort}/v1.0/groups`, { headers: { 'client-request-id': 'client-request-id-1' } });
  });
  await telemetry.turn('turn invoke', {}, async () => {
    throw new Error('the turn failed');
  }).catch(() => undefined);
  await telemetry.shutdown();
  ingestion.close();
  graph.close();
  process.stdout.write(`${JSON.stringify({ logFields, items: bodies.flatMap(parseItems) })}\n`);
}

/** The exporter posts a JSON array, or newline-separated JSON items. */
function parseItems(body: string): unknown[] {
  const trimmed = body.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[];
  return trimmed.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
