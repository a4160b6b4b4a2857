/** Background work on a timer, for the drivers an instance runs on its own (the sweeper, the health watch). */

export interface Repeating {
  /** No new run starts; resolves once the one under way, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `work` every `intervalMs`, never two at once (a run still going when the next is due is not doubled),
 * `onError` told of a failed run. The timer does not keep the process alive.
 */
export function repeatEvery(intervalMs: number, work: () => Promise<unknown>, onError: (error: unknown) => void): Repeating {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = work()
      .catch(onError)
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
