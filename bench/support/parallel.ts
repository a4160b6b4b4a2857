/**
 * Runs `work(0)` … `work(count - 1)` with at most `concurrency` in flight: each of `concurrency` workers takes
 * the next index as soon as its previous one is done. Results in the order they finished.
 */
export async function inParallel<T>(count: number, concurrency: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) results.push(await work(index));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
