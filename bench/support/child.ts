/**
 * Waiting for a benchmark's child process to be ready. The children themselves (the bot, the echo bot) are
 * started and stopped by the end-to-end suite's ProcessSupervisor (test/e2e/support/processes): each in its
 * own process group, their output kept for error messages, and gone with the benchmark's process.
 */
import { delay } from './stats';

/** Polls `url` until it answers 200. */
export async function waitForOk(url: string, timeoutMs: number, pollMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await delay(pollMs);
  }
}
