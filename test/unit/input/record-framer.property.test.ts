import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordFramer } from '../../../src/adapters/input/record-framer.js';
import { errorsOf, frameSplit, valuesOf } from './input-helpers.js';

/** How a list of values is laid out in a stream. */
type Shape = 'json-lines' | 'concatenated' | 'pretty' | 'array' | 'records' | 'records-pretty';

const SHAPES: readonly Shape[] = [
  'json-lines',
  'concatenated',
  'pretty',
  'array',
  'records',
  'records-pretty',
];

/** `value` as `JSON.parse(JSON.stringify(value))` gives it back (e.g. `-0` becomes `0`). */
function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** What the framer must emit for one top-level value. */
function expectedFrames(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isContainer(value)) {
    const [firstKey] = Object.keys(value as object);
    // A log file's `Records`, or the `Events` of lookup-events output, streamed element by element.
    const list = firstKey === undefined ? undefined : (value as Record<string, unknown>)[firstKey];
    if ((firstKey === 'Records' || firstKey === 'Events') && Array.isArray(list)) return list;
  }
  return [value];
}

/** Serializes `values` in `shape`, and the records the framer must emit for it. */
function layOut(values: readonly unknown[], shape: Shape): { text: string; expected: unknown[] } {
  const normalized = values.map(roundTrip);
  switch (shape) {
    case 'json-lines':
      return {
        text: normalized.map((v) => `${JSON.stringify(v)}\n`).join(''),
        expected: normalized.flatMap(expectedFrames),
      };
    case 'concatenated':
      // Objects and arrays may touch; a top-level scalar runs to the end of its line.
      return {
        text: normalized.map((v) => JSON.stringify(v) + (isContainer(v) ? '' : '\r\n')).join(''),
        expected: normalized.flatMap(expectedFrames),
      };
    case 'pretty':
      return {
        text: normalized.map((v) => `${JSON.stringify(v, null, 2)}\n`).join(''),
        expected: normalized.flatMap(expectedFrames),
      };
    case 'array':
      return { text: JSON.stringify(normalized), expected: normalized };
    case 'records':
      return { text: JSON.stringify({ Records: normalized }), expected: normalized };
    case 'records-pretty':
      return { text: JSON.stringify({ Records: normalized }, null, '\t'), expected: normalized };
  }
}

const cutsFor = (length: number) =>
  fc.array(fc.integer({ min: 0, max: Math.max(length, 0) }), { maxLength: 12 });

describe('RecordFramer: properties', () => {
  it('emits exactly the serialized records in every container shape and chunking', () => {
    // Prepare
    const input = fc
      .record({
        values: fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }),
        shape: fc.constantFrom(...SHAPES),
      })
      .map(({ values, shape }) => {
        const { text, expected } = layOut(values, shape);
        return { bytes: Buffer.from(text, 'utf8'), expected };
      })
      .chain(({ bytes, expected }) =>
        cutsFor(bytes.length).map((cuts) => ({ bytes, expected, cuts }))
      );

    // Act
    const property = fc.property(input, ({ bytes, expected, cuts }) => {
      const frames = frameSplit(bytes, cuts);
      expect(errorsOf(frames)).toEqual([]);
      expect(valuesOf(frames)).toEqual(expected);
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 400 })).not.toThrow();
  });

  it('never throws on arbitrary bytes, whatever the chunking', () => {
    // Prepare
    const input = fc
      .uint8Array({ maxLength: 600 })
      .chain((bytes) => cutsFor(bytes.length).map((cuts) => ({ bytes, cuts })));

    // Act
    const property = fc.property(input, ({ bytes, cuts }) => {
      const frames = frameSplit(Buffer.from(bytes), cuts);
      expect(frames).toEqual(frameSplit(Buffer.from(bytes), []));
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 500 })).not.toThrow();
  });

  it('never throws on JSON-like garbage and emits the same frames for any chunking', () => {
    // Prepare
    const token = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      '\\',
      ',',
      ':',
      '\n',
      '\r\n',
      ' ',
      '{"Records":[',
      '{"a":',
      'true',
      '1e5',
      'é',
      '\ufeff'
    );
    const input = fc
      .array(token, { maxLength: 60 })
      .map((parts) => Buffer.from(parts.join(''), 'utf8'))
      .chain((bytes) => cutsFor(bytes.length).map((cuts) => ({ bytes, cuts })));

    // Act
    const property = fc.property(input, ({ bytes, cuts }) => {
      expect(frameSplit(bytes, cuts)).toEqual(frameSplit(bytes, []));
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 500 })).not.toThrow();
  });

  it('emits every JSON Lines object around garbage lines, in order', () => {
    // Prepare
    const garbage = fc
      .string({ unit: fc.constantFrom('{', '}', '[', ']', '"', '\\', ',', ':', 'x', '1', ' ') })
      .filter((line) => line.trim().length > 0);
    const line = fc.oneof(
      fc
        .dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }))
        .filter((v) => Object.keys(v)[0] !== 'Records')
        .map((v) => ({ ok: true, v })),
      garbage.map((v) => ({ ok: false, v }))
    );
    const input = fc.array(line, { maxLength: 12 });

    // Act
    const property = fc.property(input, (lines) => {
      const text = lines.map((l) => (l.ok ? JSON.stringify(l.v) : (l.v as string))).join('\n');
      const framer = new RecordFramer();
      const emitted = valuesOf([...framer.push(Buffer.from(text)), ...framer.end()]);
      const wanted = lines.filter((l) => l.ok).map((l) => JSON.stringify(roundTrip(l.v)));
      let found = 0;
      for (const value of emitted) if (JSON.stringify(value) === wanted[found]) found++;
      expect(found).toBe(wanted.length);
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 500 })).not.toThrow();
  });

  it('emits the same records and errors when elements are parsed in batches', () => {
    // Prepare
    const element = fc.record({
      eventVersion: fc.jsonValue({ maxDepth: 2 }),
      nested: fc.array(
        fc.record({ eventVersion: fc.string(), n: fc.integer() }, { noNullPrototype: true }),
        { maxLength: 3 }
      ),
      text: fc.string({ unit: fc.constantFrom('}', ',', '{', '"', '\\', ':', 'a', 'é') }),
    });
    const input = fc
      .record({
        elements: fc.array(element, { minLength: 3, maxLength: 40 }),
        broken: fc.option(fc.nat(), { nil: undefined }),
        pretty: fc.boolean(),
        records: fc.boolean(),
      })
      .map(({ elements, broken, pretty, records }) => {
        const values = elements.map(roundTrip);
        const bad = broken === undefined ? -1 : broken % values.length;
        const texts = values.map((v, k) =>
          k === bad ? '{"eventVersion":tru}' : JSON.stringify(v, null, pretty ? 2 : undefined)
        );
        const body = texts.join(pretty ? ',\n  ' : ',');
        const text = records ? `{"Records":[${body}]}` : `[${body}]`;
        return {
          bytes: Buffer.from(text, 'utf8'),
          expected: values.filter((_, k) => k !== bad),
          errors: bad < 0 ? 0 : 1,
        };
      })
      .chain((sample) => cutsFor(sample.bytes.length).map((cuts) => ({ ...sample, cuts })));

    // Act
    const property = fc.property(input, ({ bytes, expected, errors, cuts }) => {
      const frames = frameSplit(bytes, cuts);
      expect(valuesOf(frames)).toEqual(expected);
      expect(errorsOf(frames)).toHaveLength(errors);
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 300 })).not.toThrow();
  });

  it('emits the same frames with batches as when fed one byte at a time', () => {
    // Prepare
    const piece = fc.constantFrom(
      '{"k":1}',
      '{"k":{"k":[{"k":2},{"k":3}]}}',
      '{"k":"},{\\"k\\":"}',
      '{"k":tru}',
      '{"k":\n{"x":1}}',
      '{"k":[\n1]}',
      '7',
      '"s"',
      '[{"k":4}]'
    );
    const input = fc
      .record({
        pieces: fc.array(piece, { minLength: 3, maxLength: 30 }),
        records: fc.boolean(),
        separator: fc.constantFrom(',', ', ', ',\n  '),
      })
      .map(({ pieces, records, separator }) => {
        const body = pieces.join(separator);
        return Buffer.from(records ? `{"Records":[${body}]}\n{"k":0}` : `[${body}]`);
      })
      .chain((bytes) => cutsFor(bytes.length).map((cuts) => ({ bytes, cuts })));

    // Act
    const property = fc.property(input, ({ bytes, cuts }) => {
      const oneByOne = frameSplit(
        bytes,
        Array.from({ length: bytes.length }, (_, k) => k)
      );
      expect(frameSplit(bytes, cuts)).toEqual(oneByOne);
      expect(frameSplit(bytes, [])).toEqual(oneByOne);
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 400 })).not.toThrow();
  });
});
