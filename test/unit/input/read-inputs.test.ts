import { Buffer } from 'node:buffer';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type InputItem,
  readInputs,
  STDIN_SOURCE,
} from '../../../src/adapters/input/read-inputs.js';
import { collect, loadReaderFixtures, makeTempDir } from './input-helpers.js';

let dir = '';

beforeEach(async () => {
  dir = await makeTempDir();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `content` to `name` under the test directory and returns its path. */
async function put(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

/** Items without their byte offset and line (checked in their own tests). */
function unplaced(items: readonly InputItem[]): InputItem[] {
  return items.map((item) => {
    if (item.kind !== 'record') return item;
    const { offset: _offset, line: _line, ...rest } = item;
    return rest as InputItem;
  });
}

function valuesOf(items: readonly InputItem[]): unknown[] {
  return items.flatMap((item) => (item.kind === 'record' ? [item.value] : []));
}

describe('readInputs: shapes', () => {
  it('reads a bare record, an EventBridge envelope and a log file, one record item each', async () => {
    // Prepare
    const { record, envelope, logFile } = await loadReaderFixtures();
    const bare = await put('bare.json', JSON.stringify(record, null, 2));
    const event = await put('event.json', JSON.stringify(envelope, null, 2));
    const trail = await put('trail.json', JSON.stringify(logFile));

    // Act
    const items = unplaced(await collect(readInputs([bare, event, trail])));

    // Assess
    expect(items).toEqual([
      { kind: 'record', source: bare, index: 0, value: record },
      { kind: 'record', source: event, index: 0, value: envelope },
      ...logFile.Records.map((value, index) => ({ kind: 'record', source: trail, index, value })),
    ]);
  });

  it('reads JSON Lines and a JSON array, numbering records after expansion', async () => {
    // Prepare
    const { record, envelope, logFile } = await loadReaderFixtures();
    const lines = await put(
      'events.jsonl',
      `${JSON.stringify(envelope)}\n${JSON.stringify(logFile)}\n${JSON.stringify(record)}\n`
    );
    const array = await put('events.json', JSON.stringify([logFile, [envelope], record], null, 2));

    // Act
    const items = unplaced(await collect(readInputs([lines, array])));

    // Assess
    const expected = [envelope, ...logFile.Records, record];
    expect(items.filter((i) => i.source === lines)).toEqual(
      expected.map((value, index) => ({ kind: 'record', source: lines, index, value }))
    );
    expect(items.filter((i) => i.source === array)).toEqual(
      [...logFile.Records, envelope, record].map((value, index) => ({
        kind: 'record',
        source: array,
        index,
        value,
      }))
    );
  });

  it('streams a log file larger than one read chunk', async () => {
    // Prepare
    const { record } = await loadReaderFixtures();
    const records = Array.from({ length: 3000 }, (_, i) => ({ ...record, eventID: `id-${i}` }));
    const trail = await put('big.json', JSON.stringify({ Records: records }));

    // Act
    const items = unplaced(await collect(readInputs([trail])));

    // Assess
    expect(items).toHaveLength(3000);
    expect(items.at(-1)).toEqual({
      kind: 'record',
      source: trail,
      index: 2999,
      value: records[2999],
    });
  });
});

describe('readInputs: gzip', () => {
  it('reads a gzipped log file as CloudTrail writes it to S3', async () => {
    // Prepare
    const { logFile } = await loadReaderFixtures();
    const path = await put(
      '111122223333_CloudTrail_us-east-1_20260302T1015Z_abc.json.gz',
      gzipSync(JSON.stringify(logFile))
    );

    // Act
    const items = unplaced(await collect(readInputs([path])));

    // Assess
    expect(valuesOf(items)).toEqual(logFile.Records);
  });

  it('detects gzip by its magic bytes, not by the file name', async () => {
    // Prepare
    const { record, envelope } = await loadReaderFixtures();
    const gzipped = await put('renamed.json', gzipSync(JSON.stringify(envelope)));
    const plain = await put('plain.gz', JSON.stringify(record));

    // Act
    const items = unplaced(await collect(readInputs([gzipped, plain])));

    // Assess
    expect(valuesOf(items)).toEqual([envelope, record]);
  });

  it('reads concatenated gzip members', async () => {
    // Prepare
    const { record, envelope } = await loadReaderFixtures();
    const path = await put(
      'members.jsonl.gz',
      Buffer.concat([
        gzipSync(`${JSON.stringify(record)}\n`),
        gzipSync(`${JSON.stringify(envelope)}\n`),
      ])
    );

    // Act
    const items = unplaced(await collect(readInputs([path])));

    // Assess
    expect(valuesOf(items)).toEqual([record, envelope]);
  });

  it('reports bad gzip data as unreadable, naming the file', async () => {
    // Prepare
    const { record } = await loadReaderFixtures();
    const bad = await put('bad.json.gz', Buffer.from([0x1f, 0x8b, 0x00, 0x01, 0x02, 0x03]));
    const good = await put('good.json', JSON.stringify(record));

    // Act
    const items = unplaced(await collect(readInputs([bad, good])));

    // Assess
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ kind: 'unreadable', source: bad });
    expect(items[0]?.kind === 'unreadable' && items[0].reason).toMatch(
      new RegExp(`^cannot read ${bad}: not valid gzip data \\(`)
    );
    expect(items[1]).toEqual({ kind: 'record', source: good, index: 0, value: record });
  });

  it('keeps the records before a truncated gzip stream and reports the file', async () => {
    // Prepare
    const { record } = await loadReaderFixtures();
    const lines = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify({ ...record, eventID: `${i}` })
    );
    const whole = gzipSync(lines.join('\n'));
    const path = await put('cut.jsonl.gz', whole.subarray(0, whole.length - 12));

    // Act
    const items = unplaced(await collect(readInputs([path])));

    // Assess
    const last = items.at(-1);
    expect(last?.kind).toBe('unreadable');
    expect(last?.kind === 'unreadable' && last.reason).toMatch(
      new RegExp(`^cannot read ${path}: truncated gzip data`)
    );
    expect(items.slice(0, -1).every((i) => i.kind === 'record' || i.kind === 'malformed')).toBe(
      true
    );
  });
});

describe('readInputs: early stop', () => {
  it('stops reading when the consumer stops', async () => {
    // Prepare
    const { logFile } = await loadReaderFixtures();
    const path = await put('trail.json.gz', gzipSync(JSON.stringify(logFile)));

    // Act
    const seen: InputItem[] = [];
    for await (const item of readInputs([path, path])) {
      seen.push(item);
      break;
    }

    // Assess
    expect(unplaced(seen)).toEqual([
      { kind: 'record', source: path, index: 0, value: logFile.Records[0] },
    ]);
  });
});

describe('readInputs: stdin', () => {
  it('reads stdin for "-" and for no path at all', async () => {
    // Prepare
    const { record, envelope } = await loadReaderFixtures();
    const text = `${JSON.stringify(envelope)}\n${JSON.stringify(record)}`;

    // Act
    const dash = unplaced(
      await collect(readInputs(['-'], { stdin: Readable.from([Buffer.from(text)]) }))
    );
    const none = unplaced(await collect(readInputs([], { stdin: Readable.from([text]) })));

    // Assess
    const expected = [
      { kind: 'record', source: STDIN_SOURCE, index: 0, value: envelope },
      { kind: 'record', source: STDIN_SOURCE, index: 1, value: record },
    ];
    expect(dash).toEqual(expected);
    expect(none).toEqual(expected);
  });

  it('reads gzip on stdin, whatever the chunking', async () => {
    // Prepare
    const { logFile } = await loadReaderFixtures();
    const gz = gzipSync(JSON.stringify(logFile));
    const oneByteChunks = Array.from(gz, (byte) => Buffer.from([byte]));

    // Act
    const items = unplaced(
      await collect(readInputs(['-'], { stdin: Readable.from(oneByteChunks) }))
    );

    // Assess
    expect(valuesOf(items)).toEqual(logFile.Records);
  });

  it('reads a one-byte and an empty stdin', async () => {
    // Prepare
    const oneByte = Readable.from([Buffer.from('7')]);
    const empty = Readable.from([]);

    // Act
    const fromOneByte = unplaced(await collect(readInputs(['-'], { stdin: oneByte })));
    const fromEmpty = unplaced(await collect(readInputs(['-'], { stdin: empty })));

    // Assess
    expect(fromOneByte).toEqual([{ kind: 'record', source: STDIN_SOURCE, index: 0, value: 7 }]);
    expect(fromEmpty).toEqual([]);
  });
});

describe('readInputs: directories', () => {
  it('expands a directory recursively, sorted by name, taking only input file types', async () => {
    // Prepare
    const { record } = await loadReaderFixtures();
    const tagged = (name: string) => JSON.stringify({ ...record, eventID: name });
    await put('b.json', tagged('b.json'));
    await put('a/2026/03/02/z.json.gz', gzipSync(tagged('z.json.gz')));
    await put('a/2026/03/02/y.jsonl', tagged('y.jsonl'));
    await put('a/x.ndjson', tagged('x.ndjson'));
    await put('c.jsonl.gz', gzipSync(tagged('c.jsonl.gz')));
    await put('README.md', '# not an input');
    await put('notes.txt', 'not json either');

    // Act
    const items = unplaced(await collect(readInputs([dir])));

    // Assess
    expect(items.map((i) => i.source)).toEqual([
      join(dir, 'a/2026/03/02/y.jsonl'),
      join(dir, 'a/2026/03/02/z.json.gz'),
      join(dir, 'a/x.ndjson'),
      join(dir, 'b.json'),
      join(dir, 'c.jsonl.gz'),
    ]);
    expect(valuesOf(items).map((v) => (v as { eventID: string }).eventID)).toEqual([
      'y.jsonl',
      'z.json.gz',
      'x.ndjson',
      'b.json',
      'c.jsonl.gz',
    ]);
  });
});

describe('readInputs: symbolic links', () => {
  it('follows links to files and directories, once per directory, and reports broken ones', async () => {
    // Prepare
    const { record } = await loadReaderFixtures();
    const target = await put('real/r.json', JSON.stringify(record));
    await mkdir(join(dir, 'top'));
    await symlink(target, join(dir, 'top/a-link.json'));
    await symlink(join(dir, 'real'), join(dir, 'top/b-dir'));
    await symlink(join(dir, 'top'), join(dir, 'top/c-loop'));
    await symlink(join(dir, 'missing.json'), join(dir, 'top/d-broken.json'));
    await symlink(join(dir, 'missing'), join(dir, 'top/e-broken-other'));

    // Act
    const items = unplaced(await collect(readInputs([join(dir, 'top')])));

    // Assess
    expect(items).toEqual([
      { kind: 'record', source: join(dir, 'top/a-link.json'), index: 0, value: record },
      { kind: 'record', source: join(dir, 'top/b-dir/r.json'), index: 0, value: record },
      {
        kind: 'unreadable',
        source: join(dir, 'top/d-broken.json'),
        reason: `cannot read ${join(dir, 'top/d-broken.json')}: no such file or directory`,
      },
    ]);
  });
});

describe('readInputs: problems', () => {
  it('reports a missing path as unreadable, naming it, and reads the other sources', async () => {
    // Prepare
    const { record } = await loadReaderFixtures();
    const missing = join(dir, 'no-such-file.json');
    const good = await put('good.json', JSON.stringify(record));

    // Act
    const items = unplaced(await collect(readInputs([missing, good])));

    // Assess
    expect(items).toEqual([
      {
        kind: 'unreadable',
        source: missing,
        reason: `cannot read ${missing}: no such file or directory`,
      },
      { kind: 'record', source: good, index: 0, value: record },
    ]);
  });

  it('reports a garbage line as malformed with source, ordinal and offset, and reads the rest', async () => {
    // Prepare
    const { record, envelope } = await loadReaderFixtures();
    const first = JSON.stringify(envelope);
    const path = await put(
      'mixed.jsonl',
      `${first}\n<html>502 Bad Gateway</html>\n${JSON.stringify(record)}\n`
    );

    // Act
    const items = unplaced(await collect(readInputs([path])));

    // Assess
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({ kind: 'record', source: path, index: 0, value: envelope });
    expect(items[1]).toMatchObject({ kind: 'malformed', source: path, index: 1 });
    expect(items[1]?.kind === 'malformed' && items[1].reason).toMatch(
      new RegExp(`^${path}, record 1: invalid JSON at byte ${first.length + 1} \\(line 2\\): `)
    );
    expect(items[2]).toEqual({ kind: 'record', source: path, index: 2, value: record });
  });

  it('reports a truncated log file once, after the records it holds', async () => {
    // Prepare
    const { logFile } = await loadReaderFixtures();
    const text = JSON.stringify(logFile);
    const path = await put('cut.json', text.slice(0, text.length - 30));

    // Act
    const items = unplaced(await collect(readInputs([path])));

    // Assess
    expect(valuesOf(items)).toEqual(logFile.Records.slice(0, 2));
    const last = items.at(-1);
    expect(last).toMatchObject({ kind: 'malformed', source: path, index: 2 });
    expect(last?.kind === 'malformed' && last.reason).toMatch(
      new RegExp(`^${path}, record 2: truncated JSON at byte ${text.length - 30} \\(unterminated`)
    );
  });
});
