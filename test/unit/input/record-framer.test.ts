import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RecordFramer } from '../../../src/adapters/input/record-framer.js';
import { errorsOf, frameAll, loadReaderFixtures, valuesOf } from './input-helpers.js';

describe('RecordFramer: container shapes', () => {
  it('emits each line of JSON Lines', async () => {
    // Prepare
    const { record, envelope, logFile } = await loadReaderFixtures();
    const lines = [envelope, record, logFile.Records[1]];
    const input = `${lines.map((v) => JSON.stringify(v)).join('\n')}\n`;

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual(lines);
    expect(frames.every((f) => f.kind === 'value' && f.depth === 0)).toBe(true);
  });

  it('emits concatenated pretty-printed values', async () => {
    // Prepare
    const { record, envelope } = await loadReaderFixtures();
    const input = `${JSON.stringify(envelope, null, 2)}${JSON.stringify(record, null, 4)}\n\n`;

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([envelope, record]);
    expect(frames.every((f) => f.kind === 'value' && f.depth === 0)).toBe(true);
  });

  it('emits each element of a top-level array', async () => {
    // Prepare
    const { record, envelope } = await loadReaderFixtures();
    const input = JSON.stringify([envelope, record, 7], null, 2);

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([envelope, record, 7]);
    expect(frames.every((f) => f.kind === 'value' && f.depth === 1)).toBe(true);
  });

  it('emits each element of a Records array as CloudTrail writes it', async () => {
    // Prepare
    const { logFile } = await loadReaderFixtures();
    const input = JSON.stringify(logFile);

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual(logFile.Records);
    expect(frames.every((f) => f.kind === 'value' && f.depth === 1)).toBe(true);
  });

  it('emits each element of a pretty-printed Records array and counts its lines', async () => {
    // Prepare
    const { logFile } = await loadReaderFixtures();
    const many = { Records: [...logFile.Records, ...logFile.Records, ...logFile.Records] };
    const input = `${JSON.stringify(many, null, 2)}\nnot json`;
    const lines = input.split('\n').length;

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual(many.Records);
    expect(frames.at(-1)).toMatchObject({ kind: 'error', line: lines });
  });

  it('emits a whole object whose first key is not Records', async () => {
    // Prepare
    const { logFile } = await loadReaderFixtures();
    const input = JSON.stringify({ Trail: 'main', Records: logFile.Records });

    // Act
    const frames = frameAll(input);

    // Assess
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ kind: 'value', depth: 0, value: { Trail: 'main' } });
  });

  it('emits a Records object whose value is not an array whole', () => {
    // Prepare
    const input = '{"Records": {"a": 1}}\n{"Records" : null}';

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([{ Records: { a: 1 } }, { Records: null }]);
  });

  it('skips the keys that follow the Records array', () => {
    // Prepare
    const input = '{"Records":[{"a":1}],"Extra":{"b":[1,{"c":"]}"}]}}\n{"d":2}';

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([{ a: 1 }, { d: 2 }]);
  });

  it('emits nothing for an empty array, an empty Records array or blank input', () => {
    // Prepare
    const input = '[]\n{"Records":[]}\n \r\n\t';

    // Act
    const frames = frameAll(input);

    // Assess
    expect(frames).toEqual([]);
  });

  it('emits top-level scalars one per line', () => {
    // Prepare
    const input = '42\n"text"\nnull\r\ntrue';

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([42, 'text', null, true]);
  });

  it('skips a UTF-8 byte order mark', async () => {
    // Prepare
    const { record } = await loadReaderFixtures();
    const input = `\ufeff${JSON.stringify(record)}`;

    // Act
    const frames = frameAll(input, 1);

    // Assess
    expect(valuesOf(frames)).toEqual([record]);
    expect(errorsOf(frames)).toEqual([]);
  });
  it('reports a stream that starts like a byte order mark but is not one', () => {
    // Prepare
    const input = Buffer.concat([Buffer.from([0xef, 0x41]), Buffer.from('\n{"a":1}')]);

    // Act
    const frames = frameAll(input, 1);

    // Assess
    expect(valuesOf(frames)).toEqual([{ a: 1 }]);
    expect(errorsOf(frames)).toHaveLength(1);
  });
});

describe('RecordFramer: chunk boundaries and string contents', () => {
  const tricky = {
    a: '{[}]"\\',
    b: 'quote \\" and brace } and bracket ]',
    c: 'Grüße, 東京, 🚀 and \u2028',
    d: ['[', '{', '\\\\"}'],
  };

  it('frames strings holding braces, brackets, escaped quotes and multibyte UTF-8', () => {
    // Prepare
    const input = `${JSON.stringify({ Records: [tricky, tricky] })}\n${JSON.stringify([tricky])}\n${JSON.stringify(tricky)}`;

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([tricky, tricky, tricky, tricky]);
  });

  it('emits the same frames for every split position of a mixed input', async () => {
    // Prepare
    const { record, envelope, logFile } = await loadReaderFixtures();
    const input = Buffer.from(
      [
        JSON.stringify({ Records: [record, tricky] }),
        JSON.stringify(envelope),
        JSON.stringify([tricky, 5, 'x'], null, 1),
        'garbage here',
        JSON.stringify(logFile.Records[2]),
        '{"broken": "line',
        JSON.stringify(tricky),
      ].join('\n')
    );
    const whole = frameAll(input);

    // Act
    const splits = Array.from({ length: input.length - 1 }, (_, cut) => {
      const framer = new RecordFramer();
      return [
        ...framer.push(input.subarray(0, cut + 1)),
        ...framer.push(input.subarray(cut + 1)),
        ...framer.end(),
      ];
    });

    // Assess
    expect(valuesOf(whole)).toHaveLength(8);
    expect(errorsOf(whole)).toHaveLength(2);
    for (const frames of splits) expect(frames).toEqual(whole);
  });

  it('emits the same frames when fed one byte at a time', async () => {
    // Prepare
    const { record, envelope, logFile } = await loadReaderFixtures();
    const input = [
      JSON.stringify(logFile, null, 2),
      JSON.stringify(envelope),
      JSON.stringify([record, tricky]),
      '\ufeff',
    ].join('\n');

    // Act
    const whole = frameAll(input);
    const bytewise = frameAll(input, 1);

    // Assess
    expect(bytewise).toEqual(whole);
    expect(valuesOf(whole)).toEqual([...logFile.Records, envelope, record, tricky]);
    expect(errorsOf(whole)).toHaveLength(1);
  });
});

describe('RecordFramer: batch parsing of log files', () => {
  /** A log file of `count` copies of the fixture records, with distinct event ids. */
  async function bigLogFile(count: number): Promise<Record<string, unknown>[]> {
    const { logFile } = await loadReaderFixtures();
    return Array.from({ length: count }, (_, i) => ({
      ...logFile.Records[i % logFile.Records.length],
      eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }));
  }

  it('emits the same frames for every chunk size', async () => {
    // Prepare
    const records = await bigLogFile(600);
    const input = Buffer.from(JSON.stringify({ Records: records }));

    // Act
    const bySize = [97, 1000, 4096, 65_536, input.length].map((size) => frameAll(input, size));

    // Assess
    for (const frames of bySize) expect(valuesOf(frames)).toEqual(records);
  });

  it('frames a record larger than a batch between ordinary ones', async () => {
    // Prepare
    const records = await bigLogFile(400);
    records[200] = { ...records[200], requestParameters: { policy: 'p'.repeat(200_000) } };
    const input = Buffer.from(JSON.stringify({ Records: records }));

    // Act
    const bySize = [4096, 1024 * 1024].map((size) => frameAll(input, size));

    // Assess
    for (const frames of bySize) expect(valuesOf(frames)).toEqual(records);
  });

  it('reports a malformed record in the middle of a batch and emits all the others', async () => {
    // Prepare
    const records = await bigLogFile(300);
    const texts = records.map((r) => JSON.stringify(r));
    texts[150] = (texts[150] as string).replace('"readOnly":true', '"readOnly":tru');
    const input = `{"Records":[${texts.join(',')}]}`;
    const offset = input.indexOf(texts[150] as string);

    // Act
    const frames = frameAll(input, 64 * 1024);

    // Assess
    expect(valuesOf(frames)).toEqual(records.filter((_, i) => i !== 150));
    expect(errorsOf(frames)).toHaveLength(1);
    expect(errorsOf(frames)[0]).toMatch(
      new RegExp(`^invalid JSON at byte ${offset} \\(line 1\\): `)
    );
  });

  it('gives each element its own offset when a nested array holds a join and a string element has none', () => {
    // Prepare: `},{"k":` inside the third element stands where the join before "s" is missing.
    const nested = '{"k":{"k":[{"k":2},{"k":3}]}}';
    const input = `[{"k":1},{"k":1},${nested},"s",${nested},{"k":1}]`;

    // Act
    const frames = frameAll(input, input.length);

    // Assess
    expect(frames.map((f) => (f.kind === 'value' ? f.offset : null))).toEqual([
      1,
      9,
      17,
      input.indexOf('"s"'),
      input.lastIndexOf(nested),
      input.lastIndexOf('{"k":1}'),
    ]);
  });

  it('emits the records of a file full of malformed records one by one', async () => {
    // Prepare
    const records = await bigLogFile(200);
    const texts = records.map((r, i) => (i % 2 === 0 ? JSON.stringify(r) : '{"eventVersion":}'));
    const input = `{"Records":[${texts.join(',')}]}`;

    // Act
    const frames = frameAll(input, 8192);

    // Assess
    expect(valuesOf(frames)).toEqual(records.filter((_, i) => i % 2 === 0));
    expect(errorsOf(frames)).toHaveLength(100);
  });
});

describe('RecordFramer: malformed input', () => {
  it('reports a garbage line between JSON Lines and emits the rest', async () => {
    // Prepare
    const { record, envelope } = await loadReaderFixtures();
    const first = JSON.stringify(envelope);
    const input = `${first}\nthis is not json\n${JSON.stringify(record)}\n`;

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([envelope, record]);
    expect(frames[1]).toMatchObject({ kind: 'error', offset: first.length + 1, line: 2 });
    expect(errorsOf(frames)[0]).toMatch(
      new RegExp(`^invalid JSON at byte ${first.length + 1} \\(line 2\\): Unexpected token`)
    );
  });

  it('reports an EventBridge event whose "{" became "[" as one malformed line', async () => {
    // Prepare
    const { record, envelope } = await loadReaderFixtures();
    const damaged = `[${JSON.stringify(envelope).slice(1)}`;
    const input = `${damaged}\n${JSON.stringify(record)}\n`;

    // Act
    const frames = frameAll(input, 97);

    // Assess
    expect(valuesOf(frames)).toEqual([record]);
    expect(frames[0]).toMatchObject({ kind: 'error', offset: 0, line: 1 });
  });

  it('reads the events of pretty-printed lookup-events output whose header is damaged', async () => {
    // Prepare
    const { logFile } = await loadReaderFixtures();
    const events = logFile.Records.map((r) => ({
      EventId: r.eventID,
      EventName: r.eventName,
      CloudTrailEvent: JSON.stringify(r),
    }));
    const text = JSON.stringify({ Events: events }, null, 4);
    const input = text.replace('"Events": [', '"Events": ]');

    // Act
    const frames = frameAll(input, 64);

    // Assess
    expect(valuesOf(frames)).toEqual(events);
    expect(errorsOf(frames)).toEqual([
      `invalid JSON at byte 0 (line 1): damaged header before the first record; resumed at the record at byte ${input.indexOf('{', 1)}`,
    ]);
  });

  it('resumes at the next line that starts a record after a cut-off JSON Lines record', async () => {
    // Prepare
    const { record, envelope } = await loadReaderFixtures();
    const line = JSON.stringify(record);
    const input = `${line}\n${line.slice(0, 200)}\n${JSON.stringify(envelope)}\n`;

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([record, envelope]);
    expect(errorsOf(frames)).toEqual([
      `invalid JSON at byte ${line.length + 1} (line 2): unterminated string before the record on line 3`,
    ]);
  });

  it('reports a record that fails to parse and continues with the next', () => {
    // Prepare
    const input = '{"Records":[{"a":1},{"b":tru},{"c":3}]}';

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([{ a: 1 }, { c: 3 }]);
    expect(errorsOf(frames)).toHaveLength(1);
    expect(errorsOf(frames)[0]).toMatch(/^invalid JSON at byte 20 \(line 1\): /);
  });

  it('reports a truncated object at the end of the stream once', () => {
    // Prepare
    const input = '{"a":1}\n{"eventName":"AssumeRoleWithWebIdentity","x":[1,2';

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([{ a: 1 }]);
    expect(errorsOf(frames)).toEqual([
      `truncated JSON at byte ${input.length} (unterminated object starting at byte 8, line 2)`,
    ]);
  });

  it('reports a log file cut inside a record', async () => {
    // Prepare
    const { logFile } = await loadReaderFixtures();
    const full = JSON.stringify(logFile);
    const cut = full.indexOf(JSON.stringify(logFile.Records[2])) + 40;
    const input = full.slice(0, cut);

    // Act
    const frames = frameAll(input, 7);

    // Assess
    expect(valuesOf(frames)).toEqual(logFile.Records.slice(0, 2));
    expect(errorsOf(frames)).toEqual([
      `truncated JSON at byte ${cut} (unterminated string in the Records array starting at byte ${cut - 40}, line 1)`,
    ]);
  });

  it('reports a log file cut between records', () => {
    // Prepare
    const input = '{"Records":[{"a":1},';

    // Act
    const frames = frameAll(input);

    // Assess
    expect(valuesOf(frames)).toEqual([{ a: 1 }]);
    expect(errorsOf(frames)).toEqual([
      'truncated JSON at byte 20 (unterminated Records array starting at byte 0, line 1)',
    ]);
  });

  it('reports a log file whose object is cut after its Records array', () => {
    // Prepare
    const input = '{"Records":[{"a":1}],"Extra":\n{"b":2}\n';

    // Act
    const frames = frameAll(input, 3);

    // Assess
    expect(valuesOf(frames)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(errorsOf(frames)).toEqual([
      'invalid JSON at byte 0 (line 1): unterminated object of the log file before the record on line 2',
    ]);
  });

  it('reports a record larger than the limit and frames the next one', () => {
    // Prepare
    const big = JSON.stringify({ blob: 'x'.repeat(5000) });
    const input = `{"Records":[${big},{"ok":true}]}\n${'y'.repeat(5000)}\n{"after":1}`;

    // Act
    const frames = frameAll(input, 512, 1024);

    // Assess
    expect(valuesOf(frames)).toEqual([{ ok: true }, { after: 1 }]);
    expect(errorsOf(frames)).toEqual([
      'record at byte 12 (line 1) is larger than 1024 bytes; skipped',
      `record at byte ${big.length + 27} (line 2) is larger than 1024 bytes; skipped`,
    ]);
  });
});

describe('RecordFramer: memory', () => {
  it('gives back the space of a very large record once it is framed', () => {
    // Prepare
    const large = JSON.stringify({ blob: 'x'.repeat(10 * 1024 * 1024) });
    const input = Buffer.from(`${large}\n{"after":1}\n{"partial":`);
    const framer = new RecordFramer();

    // Act
    const frames = [];
    for (let i = 0; i < input.length; i += 256 * 1024) {
      frames.push(...framer.push(input.subarray(i, i + 256 * 1024)));
    }
    const held = framer.bufferedBytes;

    // Assess
    expect(frames).toHaveLength(2);
    expect(held).toBe('{"partial":'.length);
  });

  it('holds no more than one record and one chunk while framing a 200k-record log file', async () => {
    // Prepare
    const count = 200_000;
    const recordBytes = 220;
    const chunkBytes = 64 * 1024;
    function* logFile(): Generator<Buffer> {
      let pending = '{"Records":[';
      for (let i = 0; i < count; i++) {
        const id = String(i).padStart(12, '0');
        pending += `${i === 0 ? '' : ','}{"eventVersion":"1.08","eventID":"6f1c2b7e-3d4a-4e5f-8a9b-${id}","eventName":"AssumeRoleWithWebIdentity","errorCode":"AccessDenied","userIdentity":{"userName":"repo:acme/api:ref:refs/heads/main"}}`;
        if (pending.length >= chunkBytes) {
          yield Buffer.from(pending);
          pending = '';
        }
      }
      yield Buffer.from(`${pending}]}`);
    }
    const framer = new RecordFramer();
    let records = 0;
    let maxBuffered = 0;

    // Act
    for await (const chunk of Readable.from(logFile())) {
      for (const frame of framer.push(chunk as Buffer)) if (frame.kind === 'value') records++;
      maxBuffered = Math.max(maxBuffered, framer.bufferedBytes);
    }
    const last = framer.end();

    // Assess
    expect(records).toBe(count);
    expect(last).toEqual([]);
    expect(maxBuffered).toBeLessThanOrEqual(recordBytes);
    expect(framer.bufferedBytes).toBe(0);
  });
});
