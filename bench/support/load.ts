/**
 * A load generator on loopback: N Bot Framework activities POSTed at concurrency C over keep-alive
 * connections, each answer checked, each latency recorded.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { inParallel } from './parallel';

export interface LoadResult {
  readonly concurrency: number;
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Milliseconds, one per request. */
  readonly latencies: readonly number[];
}

/** POSTs one JSON body; resolves with the status and body text. */
export function postJson(agent: Agent, url: URL, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * Sends `count` activities made by `activityFor(index)` with `concurrency` in flight; `check` throws on a
 * wrong answer, so a benchmark never times errors.
 */
export async function runLoad(options: {
  readonly endpoint: string;
  readonly count: number;
  readonly concurrency: number;
  readonly activityFor: (index: number) => unknown;
  readonly check: (status: number, text: string) => void;
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const url = new URL(options.endpoint);
  const latencies: number[] = [];
  const send = async (index: number): Promise<void> => {
    const body = JSON.stringify(options.activityFor(index));
    const started = performance.now();
    const { status, text } = await postJson(agent, url, body);
    latencies.push(performance.now() - started);
    options.check(status, text);
  };
  const started = performance.now();
  try {
    await inParallel(options.count, options.concurrency, send);
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  return { concurrency: options.concurrency, requests: options.count, seconds, perSecond: options.count / seconds, latencies };
}
