/**
 * A loopback proxy in front of the Graph emulator that can stop a chosen Graph call at one of two points:
 * before it reaches Graph (`before`: nothing applied) or after Graph applied it but before the bot hears
 * the answer (`after`). A held call is answered later (`release`), replaced by another status (`answerWith`),
 * or never answered because the bot is killed meanwhile.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphCall {
  readonly method: string;
  /** Path and query as sent (percent-encoded). */
  readonly path: string;
}

export type HoldPoint = 'before' | 'after';

interface Hold {
  readonly point: HoldPoint;
  readonly matches: (call: GraphCall) => boolean;
  /** When set, the held call is answered with this status (and Graph's error shape) instead of waiting. */
  readonly answerWith?: number;
  readonly reached: (call: GraphCall) => void;
}

export interface GraphProxy {
  readonly url: string;
  readonly calls: readonly GraphCall[];
  /** Holds the next call matching `matches` at `point`; resolves when it arrives there. */
  holdNext(point: HoldPoint, matches: (call: GraphCall) => boolean): Promise<GraphCall>;
  /** The next matching call reaches Graph (which applies it), then the bot gets `status` instead of Graph's answer. */
  failAfterApplying(matches: (call: GraphCall) => boolean, status: number): Promise<GraphCall>;
  /** Lets every held call go on. */
  release(): void;
  close(): Promise<void>;
}

export const isUpsert = (call: GraphCall): boolean => call.method === 'PATCH' && call.path.includes('/groups(uniqueName=');
export const isOwnerLookup = (call: GraphCall): boolean => call.method === 'GET' && call.path.includes('/servicePrincipals(appId=');
export const isNameLookup = (call: GraphCall): boolean => call.method === 'GET' && call.path.startsWith('/v1.0/groups?');

export async function startGraphProxy(target: string): Promise<GraphProxy> {
  const calls: GraphCall[] = [];
  const parked: (() => void)[] = [];
  let hold: Hold | undefined;
  const upstream = new URL(target);

  function takeHold(call: GraphCall, point: HoldPoint): Hold | undefined {
    if (!hold || hold.point !== point || !hold.matches(call)) return undefined;
    const taken = hold;
    hold = undefined;
    taken.reached(call);
    return taken;
  }

  function forward(incoming: IncomingMessage, body: Buffer, call: GraphCall, response: ServerResponse): void {
    const outgoing = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: call.method, path: call.path, headers: incoming.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const deliver = (): void => {
            if (response.destroyed) return;
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            response.end(Buffer.concat(chunks));
          };
          const held = takeHold(call, 'after');
          if (!held) return deliver();
          if (held.answerWith !== undefined) return replaceWith(response, held.answerWith);
          parked.push(deliver);
        });
      },
    );
    outgoing.on('error', () => response.destroy());
    outgoing.end(body);
  }

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const call = { method: incoming.method ?? 'GET', path: incoming.url ?? '/' };
      calls.push(call);
      const go = (): void => forward(incoming, Buffer.concat(chunks), call, response);
      if (takeHold(call, 'before')) parked.push(go);
      else go();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    holdNext: (point, matches) => new Promise((reached) => (hold = { point, matches, reached })),
    failAfterApplying: (matches, status) => new Promise((reached) => (hold = { point: 'after', matches, answerWith: status, reached })),
    release: () => parked.splice(0).forEach((resume) => resume()),
    close: () =>
      new Promise<void>((resolve) => {
        parked.splice(0);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function replaceWith(response: ServerResponse, status: number): void {
  response.writeHead(status, { 'content-type': 'application/json', 'Retry-After': '0.01' });
  response.end(JSON.stringify({ error: { code: 'gatewayTimeout', message: 'The operation timed out (reliability suite).' } }));
}
