/**
 * A stand-in for the Bot Connector (Teams' side of proactive messages) on loopback: accepts every
 * activity the bot sends or updates, records it, and can hold calls that match a predicate until released —
 * which is how the crash tests stop the bot at a chosen notification.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

export interface StubConnector {
  /** The serviceUrl to put on activities, with a trailing slash. */
  readonly url: string;
  readonly calls: readonly ConnectorCall[];
  /** Calls matching `predicate` get no answer until `releaseAll`; resolves on the first such call. */
  holdNext(predicate: (call: ConnectorCall) => boolean): Promise<ConnectorCall>;
  releaseAll(): void;
  close(): Promise<void>;
}

export async function startStubConnector(): Promise<StubConnector> {
  const calls: ConnectorCall[] = [];
  const held: ServerResponse[] = [];
  let hold: { predicate: (call: ConnectorCall) => boolean; resolve: (call: ConnectorCall) => void } | undefined;
  let counter = 0;

  const answer = (response: ServerResponse): void => {
    if (response.writableEnded || response.destroyed) return;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: `connector-activity-${++counter}` }));
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const call = { method: request.method ?? 'GET', path: request.url ?? '/', body: Buffer.concat(chunks).toString('utf8') };
      calls.push(call);
      if (hold && hold.predicate(call)) {
        held.push(response);
        hold.resolve(call);
        hold = undefined;
        return;
      }
      answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    holdNext: (predicate) => new Promise((resolve) => (hold = { predicate, resolve })),
    releaseAll: () => held.splice(0).forEach(answer),
    close: () =>
      new Promise<void>((resolve) => {
        held.splice(0).forEach((response) => response.destroy());
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
