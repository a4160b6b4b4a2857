/** A loopback proxy in front of the emulator that rewrites chosen JSON answers: Graph in shapes we did not expect. */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Rewrite = (path: string, body: unknown) => unknown;

export interface RewritingProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startRewritingProxy(target: string, rewrite: Rewrite): Promise<RewritingProxy> {
  const upstream = new URL(target);
  const server = createServer((request, response) => {
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: { ...request.headers, host: upstream.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = text.length > 0 && (answer.headers['content-type'] ?? '').includes('json');
          const body = json ? JSON.stringify(rewrite(request.url ?? '', JSON.parse(text) as unknown)) : text;
          const { 'transfer-encoding': _chunked, ...kept } = answer.headers;
          const headers = { ...kept, 'content-length': String(Buffer.byteLength(body)) };
          // Not chained: with restify loaded in the same jest worker, writeHead may not return the response.
          response.writeHead(answer.statusCode ?? 502, headers);
          response.end(body);
        });
      },
    );
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
