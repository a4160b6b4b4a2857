/**
 * A small Bot Connector on 127.0.0.1: what the bot sends to Teams (proactive messages, replies, card updates)
 * arrives here as it would at Teams' serviceUrl, and is kept for assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { problemsOfSent } from './cardChecks';

export interface ConnectorCall {
  readonly method: string;
  readonly conversationId: string;
  /** The activity replied to (POST …/activities/{id}) or updated (PUT …/activities/{id}). */
  readonly activityId?: string;
  readonly activity: Record<string, unknown>;
  /** The id the connector gave a new activity. */
  readonly assignedId?: string;
}

export interface FakeConnector {
  readonly url: string;
  readonly calls: ConnectorCall[];
  /** Conversations whose calls are refused with 403, as Teams does once the bot was removed from a chat. */
  readonly failing: Set<string>;
  /** Closes the connector; rejects (failing the test) when a card the bot sent does not pass the card checks. */
  close(): Promise<void>;
}

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text === '' ? {} : (JSON.parse(text) as Record<string, unknown>));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** Not chained: restify (loaded in the same process) patches ServerResponse.writeHead to return nothing. */
function reply(res: ServerResponse, status: number, body: object | undefined): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const failing = new Set<string>();
  // Every card the bot sends or updates through the connector goes through the card checks.
  const cardProblems: string[] = [];
  let next = 0;
  const server = createServer((req, res) => {
    (async () => {
      const match = ACTIVITIES.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        reply(res, 404, undefined);
        return;
      }
      const conversationId = decodeURIComponent(match[1] ?? '');
      const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
      const activity = await readJson(req);
      if (failing.has(conversationId)) {
        reply(res, 403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
        return;
      }
      const assignedId = req.method === 'PUT' ? activityId : `activity-${++next}`;
      calls.push({ method: req.method, conversationId, activityId, activity, assignedId });
      cardProblems.push(...problemsOfSent(`${req.method} ${conversationId}`, [activity]));
      reply(res, req.method === 'PUT' ? 200 : 201, { id: assignedId });
    })().catch((error: unknown) => {
      // A bug in the fake must fail the test loudly, not hang the bot's HTTP call.
      reply(res, 500, { error: String(error) });
      throw error;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    failing,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (cardProblems.length > 0) throw new Error(`the bot sent cards that fail the card checks:\n${cardProblems.join('\n')}`);
    },
  };
}
