/**
 * Captures what the processor writes: pino lines through a destination, EMF documents from stdout.
 */
import { Writable } from 'node:stream';
import { vi } from 'vitest';

/** A pino destination that keeps every line, parsed. */
export function lineCollector(): {
  stream: Writable;
  lines: Record<string, unknown>[];
  raw: string[];
} {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n'))
        if (line.trim() !== '') {
          raw.push(line);
          lines.push(JSON.parse(line));
        }
      cb();
    },
  });
  return { stream, lines, raw };
}

/** Captures EMF documents written to stdout (Powertools Metrics); call `restore()` after. */
export function captureEmf(): {
  docs: Record<string, unknown>[];
  raw: string[];
  restore: () => void;
} {
  const docs: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((
    chunk: string | Uint8Array,
    ...rest: unknown[]
  ) => {
    const text = String(chunk);
    if (!text.includes('"_aws"')) return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    for (const l of text.split('\n'))
      if (l.trim() !== '') {
        raw.push(l);
        docs.push(JSON.parse(l));
      }
    return true;
  }) as typeof process.stdout.write);
  return { docs, raw, restore: () => spy.mockRestore() };
}
