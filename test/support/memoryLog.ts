import { Writable } from 'node:stream';

/** A log destination that keeps every JSON line, for tests that read logs back. */
export function memoryLog(): { readonly destination: Writable; entries(): Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
      done();
    },
  });
  return { destination, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
