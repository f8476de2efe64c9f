/**
 * Helpers for the input reader tests: fixtures, framing a buffer in chunks, collecting items.
 */
import { Buffer } from 'node:buffer';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Frame, RecordFramer } from '../../../src/adapters/input/record-framer.js';

const FIXTURES = new URL('../../fixtures/cloudtrail/', import.meta.url);

/** The parsed JSON of `test/fixtures/cloudtrail/<name>`. */
async function loadFixture<T = Record<string, unknown>>(name: string): Promise<T> {
  return JSON.parse(await readFile(new URL(name, FIXTURES), 'utf8')) as T;
}

/** The denied bare record, the EventBridge envelope around it, and the three-record log file. */
async function loadReaderFixtures(): Promise<{
  record: Record<string, unknown>;
  envelope: Record<string, unknown>;
  logFile: { Records: Record<string, unknown>[] };
}> {
  return {
    record: await loadFixture('reader-denied-bare-record.json'),
    envelope: await loadFixture('reader-denied-eventbridge.json'),
    logFile: await loadFixture('reader-log-file.json'),
  };
}

/** Frames `input` fed in chunks of `chunkSize` bytes (whole when omitted). */
function frameAll(input: Buffer | string, chunkSize?: number, maxRecordBytes?: number): Frame[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const framer = new RecordFramer(maxRecordBytes === undefined ? {} : { maxRecordBytes });
  const frames: Frame[] = [];
  const step = chunkSize ?? Math.max(bytes.length, 1);
  for (let i = 0; i < bytes.length; i += step) {
    frames.push(...framer.push(bytes.subarray(i, i + step)));
  }
  frames.push(...framer.end());
  return frames;
}

/** Frames `input` split into chunks at the given byte positions. */
function frameSplit(input: Buffer, cuts: readonly number[]): Frame[] {
  const framer = new RecordFramer();
  const frames: Frame[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    frames.push(...framer.push(input.subarray(from, cut)));
    from = cut;
  }
  frames.push(...framer.push(input.subarray(from)));
  frames.push(...framer.end());
  return frames;
}

/** The values of the `value` frames. */
function valuesOf(frames: readonly Frame[]): unknown[] {
  return frames.flatMap((f) => (f.kind === 'value' ? [f.value] : []));
}

/** The reasons of the `error` frames. */
function errorsOf(frames: readonly Frame[]): string[] {
  return frames.flatMap((f) => (f.kind === 'error' ? [f.reason] : []));
}

/** Every item of an async iterable. */
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A fresh temporary directory. */
function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'oidcwatch-input-'));
}

export {
  collect,
  errorsOf,
  frameAll,
  frameSplit,
  loadFixture,
  loadReaderFixtures,
  makeTempDir,
  valuesOf,
};
