/**
 * The contract under fuzzing (issue 15): one result per input record, never a crash, never a
 * silent drop; a damaged record is MALFORMED_EVENT with file, record number and byte offset, and
 * reading resumes at the next record; damaged gzip keeps what was readable; the report's own input
 * lines and every page renderer survive hostile values.
 *
 * Fixed seed, so CI is reproducible. `npm run fuzz` runs the same properties 20× longer
 * (`OIDCWATCH_FUZZ_SCALE`).
 */
import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type InputItem, readInputs } from '../../src/adapters/input/read-inputs.js';
import { loadSnapshot, SnapshotIamReader } from '../../src/adapters/snapshot/iam-snapshot.js';
import { renderReportCsv } from '../../src/cli/report/render-csv.js';
import { renderReportHtml } from '../../src/cli/report/render-html.js';
import { renderReportJson } from '../../src/cli/report/render-json.js';
import { renderReportText } from '../../src/cli/report/render-text.js';
import { readRecord } from '../../src/domain/input/read-record.js';
import { parseAlarmNotification } from '../../src/domain/page/alarm-notification.js';
import { buildPage } from '../../src/domain/page/build-page.js';
import type { ResultGroup } from '../../src/domain/page/facts.js';
import { renderChatbot } from '../../src/domain/page/render-chatbot.js';
import { renderPagerDuty } from '../../src/domain/page/render-pagerduty.js';
import { renderSms, renderText } from '../../src/domain/page/render-text.js';
import { pageMessage } from '../../src/domain/page/sns-messages.js';
import { ReportAccumulator } from '../../src/domain/report/aggregate.js';
import { toDiagnosis } from '../../src/domain/report/parse-diagnosis.js';
import { diagnoseRecord } from '../../src/usecases/diagnose-record.js';
import { alarmNotification, DASHBOARD_URL, WINDOW } from '../fixtures/page/result-sets.js';
import { eventBridgeEnvelope, failedWebIdentityRecord } from '../helpers/cloudtrail-records.js';

const SCALE = Math.max(1, Number(process.env.OIDCWATCH_FUZZ_SCALE ?? '1') || 1);
const SEED = 15;
const runs = (n: number) => ({ seed: SEED, numRuns: n * SCALE });

/** Records of a realistic burst: several repositories, roles, accounts and error codes. */
const record = fc
  .record({
    repo: fc.constantFrom('api', 'web', 'payments-api', 'infra', 'data'),
    ref: fc.constantFrom(
      'refs/heads/main',
      'refs/heads/dev',
      'refs/tags/v1.2.0',
      'refs/pull/7/merge'
    ),
    role: fc.constantFrom('deploy', 'payments-deploy', 'read-only', 'ci'),
    account: fc.constantFrom('111122223333', '444455556666'),
    code: fc.constantFrom('AccessDenied', 'InvalidIdentityToken', 'ExpiredTokenException'),
    n: fc.nat({ max: 1_000_000 }),
  })
  .map((r) =>
    failedWebIdentityRecord({
      sub: `repo:acme-corp/${r.repo}:ref:${r.ref}`,
      role: r.role,
      account: r.account,
      errorCode: r.code,
      eventId: `00000000-0000-4000-8000-${String(r.n).padStart(12, '0')}`,
      time: new Date(Date.UTC(2026, 10, 27, 14) + r.n * 1000).toISOString().replace('.000Z', 'Z'),
    })
  );

type Shape = 'json-lines' | 'log-file' | 'log-file-pretty' | 'array' | 'envelopes';
const SHAPES: Shape[] = ['json-lines', 'log-file', 'log-file-pretty', 'array', 'envelopes'];

/** The records laid out in `shape`, with the byte span of each record in the text. */
function layOut(
  records: readonly unknown[],
  shape: Shape
): { text: string; spans: [number, number][]; head: number; tail: number } {
  const texts = records.map((r) =>
    shape === 'envelopes'
      ? JSON.stringify(eventBridgeEnvelope(r as Record<string, unknown>))
      : JSON.stringify(r, null, shape === 'log-file-pretty' ? 2 : undefined)
  );
  const [open, sep, close] =
    shape === 'json-lines' || shape === 'envelopes'
      ? ['', '\n', '\n']
      : shape === 'array'
        ? ['[', ',', ']']
        : shape === 'log-file'
          ? ['{"Records":[', ',', ']}']
          : ['{"Records": [\n  ', ',\n  ', '\n]}'];
  const spans: [number, number][] = [];
  let text = open;
  texts.forEach((t, i) => {
    if (i > 0) text += sep;
    spans.push([Buffer.byteLength(text), Buffer.byteLength(text) + Buffer.byteLength(t)]);
    text += t;
  });
  return { text: text + close, spans, head: open.length, tail: close.length };
}

type Damage =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'truncate'; at: number };

const damage: fc.Arbitrary<Damage> = fc
  .oneof(
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      byte: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({
      kind: fc.constant('delete' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      byte: fc.constantFrom(0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x0a, 0x5c, 0x3a, 0x00, 0xff),
    }),
    fc.record({
      kind: fc.constant('truncate' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    })
  )
  .map((d) => d as Damage);

/** Applies `d` to `bytes`; returns the damaged bytes and the damaged byte position. */
function apply(bytes: Buffer, d: Damage): { out: Buffer; at: number } {
  const at = Math.min(bytes.length - 1, Math.floor(d.at * bytes.length));
  switch (d.kind) {
    case 'flip': {
      const out = Buffer.from(bytes);
      out[at] = d.byte;
      return { out, at };
    }
    case 'delete':
      return { out: Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]), at };
    case 'insert':
      return {
        out: Buffer.concat([bytes.subarray(0, at), Buffer.from([d.byte]), bytes.subarray(at)]),
        at,
      };
    case 'truncate':
      return { out: bytes.subarray(0, at), at };
  }
}

async function read(bytes: Buffer): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const item of readInputs(['-'], { stdin: Readable.from([bytes]) })) items.push(item);
  return items;
}

/** The records that `items` gave back unchanged, in order. */
function recordValues(items: readonly InputItem[]): unknown[] {
  return items.flatMap((i) => (i.kind === 'record' ? [i.value] : []));
}

function unwrap(value: unknown, shape: Shape): unknown {
  return shape === 'envelopes' ? (value as { detail?: unknown }).detail : value;
}

describe('fuzz: the reader contract on damaged input', () => {
  it('keeps every record the damage did not touch, in order, and reports the damage with its place', async () => {
    // Prepare
    const input = fc.record({
      records: fc.array(record, { minLength: 4, maxLength: 12 }),
      shape: fc.constantFrom(...SHAPES),
      damage,
    });

    // Act
    const property = fc.asyncProperty(input, async ({ records, shape, damage: d }) => {
      const { text, spans } = layOut(records, shape);
      const { out, at } = apply(Buffer.from(text), d);
      const items = await read(out);

      // Assess
      for (const i of items)
        if (i.kind === 'malformed') expect(i.reason).toMatch(/^<stdin>, record \d+: .*byte \d+/);
      const results = items.filter((i) => i.kind !== 'unreadable');
      expect(results.length).toBeLessThanOrEqual(records.length + 2);
      const values = recordValues(items).map((v) => unwrap(v, shape));
      // Untouched: ends before the damage (with a separator byte of slack) or, unless the input
      // was cut, starts after it (with slack for the separator before it).
      const untouched = records.filter((_, k) => {
        const [s, e] = spans[k] as [number, number];
        return e + 2 < at || (d.kind !== 'truncate' && s > at + 2);
      });
      let found = 0;
      for (const v of values)
        if (found < untouched.length && JSON.stringify(v) === JSON.stringify(untouched[found]))
          found++;
      expect(found).toBe(untouched.length);
      if (d.kind !== 'truncate') expect(results.length).toBeGreaterThanOrEqual(records.length - 2);
    });

    // Assess
    await fc.assert(property, runs(1200));
  });

  it('keeps every record when the damage is in the container header or trailer', async () => {
    // Prepare: one damaged byte (or a cut) in `{"Records":[`, `[`, the closing `]}` or `]`.
    const containers: Shape[] = ['log-file', 'log-file-pretty', 'array'];
    const input = fc.record({
      records: fc.array(record, { minLength: 3, maxLength: 8 }),
      shape: fc.constantFrom(...containers),
      inHeader: fc.boolean(),
      damage,
    });

    // Act
    const property = fc.asyncProperty(input, async ({ records, shape, inHeader, damage: d }) => {
      const { text, head, tail } = layOut(records, shape);
      const bytes = Buffer.from(text);
      // Where the damage goes, as a fraction of the input, inside the header or the trailer.
      const span = inHeader ? head : tail;
      const at = (inHeader ? 0 : bytes.length - tail) + Math.min(span - 1, Math.floor(d.at * span));
      const { out } = apply(bytes, { ...d, at: (at + 0.5) / bytes.length });
      const items = await read(out);

      // Assess: each record comes out whole, in order; the damage is reported with its place.
      for (const i of items)
        if (i.kind === 'malformed') expect(i.reason).toMatch(/^<stdin>, record \d+: .*byte \d+/);
      // A cut inside the header leaves no record; anywhere else every record is whole. What the
      // damage made of the container's bytes (`{}` from a flipped `]`) reads as malformed.
      const values = recordValues(items).filter((v) => readRecord(v).kind !== 'malformed');
      expect(values).toEqual(d.kind === 'truncate' && inHeader ? [] : records);
      const results = items.filter((i) => i.kind !== 'unreadable');
      expect(results.length).toBeLessThanOrEqual(records.length + 2);
    });

    // Assess
    await fc.assert(property, runs(600));
  });

  it('keeps the records before any gzip damage and says when gzip was damaged', async () => {
    // Prepare
    const input = fc.record({
      records: fc.array(record, { minLength: 3, maxLength: 10 }),
      shape: fc.constantFrom<Shape>('json-lines', 'log-file'),
      cut: fc.double({ min: 0.05, max: 1, noNaN: true }),
      tail: fc.constantFrom('', 'garbage', '\u0000\u0000', '\u001f\u008b\u0008'),
    });

    // Act
    const property = fc.asyncProperty(input, async ({ records, shape, cut, tail }) => {
      const gz = gzipSync(layOut(records, shape).text);
      const damaged = Buffer.concat([
        gz.subarray(0, Math.max(10, Math.floor(cut * gz.length))),
        Buffer.from(tail, 'latin1'),
      ]);
      const items = await read(damaged);

      // Assess: what was decoded before the damage is kept, in order. Deflate data past a
      // corruption decodes to garbage until the inflater notices, so the last record read may
      // not be one of ours; the damage is reported after it.
      const values = recordValues(items);
      // The records whole in what the undamaged compressed prefix decodes to must all be there.
      const cutAt = Math.max(10, Math.floor(cut * gz.length));
      const genuine = gunzipSync(gz.subarray(0, cutAt), { finishFlush: constants.Z_SYNC_FLUSH });
      const whole = layOut(records, shape).spans.filter(([, e]) => e + 1 <= genuine.length).length;
      expect(values.slice(0, whole)).toEqual(records.slice(0, whole));
      // Undamaged (or damaged back into the same bytes): every record; else the damage is said.
      if (cut === 1 && tail === '') expect(values).toEqual(records);
      if (items.at(-1)?.kind !== 'unreadable') expect(values).toEqual(records);
    });

    // Assess
    await fc.assert(property, runs(300));
  });
});

/** A JSON value an attacker may put anywhere in a record. */
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(JSON.parse(`${'['.repeat(3000)}${']'.repeat(3000)}`)),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}')),
  fc.constant('x'.repeat(100_000)),
  fc.constant('\u0000\ud800\uffff'),
  fc.constant(Number.MAX_VALUE)
);
const FIELDS = [
  ['eventName'],
  ['eventSource'],
  ['eventTime'],
  ['errorCode'],
  ['errorMessage'],
  ['recipientAccountId'],
  ['userIdentity'],
  ['userIdentity', 'principalId'],
  ['userIdentity', 'userName'],
  ['userIdentity', 'identityProvider'],
  ['requestParameters'],
  ['requestParameters', 'roleArn'],
  ['requestParameters', 'durationSeconds'],
  ['resources'],
  ['responseElements'],
] as const;

function withField(
  r: Record<string, unknown>,
  path: readonly string[],
  value: unknown
): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1] as string] = value;
  return copy;
}

describe('fuzz: one result per record, whatever the fields hold', () => {
  it('gives exactly one diagnosis for every record with a hostile field, and never pollutes prototypes', async () => {
    // Prepare
    const reader = new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
    const input = fc.record({
      base: record,
      field: fc.constantFrom(...FIELDS),
      value: hostileValue,
      envelope: fc.boolean(),
    });

    // Act
    const property = fc.asyncProperty(input, async ({ base, field, value, envelope }) => {
      const hostile = withField(base, field, value);
      const value_ = envelope ? eventBridgeEnvelope(hostile) : hostile;
      const outcome = readRecord(value_);
      const d = await diagnoseRecord(value_, reader);

      // Assess
      expect(['call', 'ignored', 'malformed']).toContain(outcome.kind);
      expect(typeof d.cause).toBe('string');
      expect(() => JSON.stringify(d)).not.toThrow();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    // Assess
    await fc.assert(property, runs(1500));
  });
});

describe("fuzz: the report's own input lines", () => {
  it('never throws from reading, aggregating or rendering lines with fields of any type', () => {
    // Prepare
    const good = {
      cause: 'SUB_MISMATCH',
      detail: 'BRANCH',
      repository: 'acme-corp/api',
      roleArn: 'arn:aws:iam::111122223333:role/deploy',
      eventTime: '2026-11-27T14:00:00Z',
      explanation: 'x',
      fix: 'y',
      change: {
        kind: 'TRUST_POLICY_UPDATED',
        eventName: 'UpdateAssumeRolePolicy',
        eventId: 'e',
        at: '2026-11-27T13:00:00Z',
        by: null,
        roleArn: null,
        providerArn: null,
        minutesBefore: 1,
        verdict: 'explains',
        removed: [],
        added: [],
        diff: null,
        summary: 's',
      },
    };
    const keys = [...Object.keys(good), ...Object.keys(good.change).map((k) => `change.${k}`)];
    const input = fc.array(
      fc.record({
        key: fc.constantFrom(...keys),
        value: fc.oneof(
          hostileValue,
          fc.constantFrom('9999-12-31T00:00:00Z', '-271821-04-20T00:00:00Z')
        ),
      }),
      { minLength: 1, maxLength: 20 }
    );

    // Act
    const property = fc.property(input, (edits) => {
      const acc = new ReportAccumulator({ bucketMinutes: 1 });
      for (const { key, value } of edits) {
        const line = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
        if (key.startsWith('change.'))
          (line.change as Record<string, unknown>)[key.slice(7)] = value;
        else line[key] = value;
        const parsed = toDiagnosis(line);
        if (parsed.ok) acc.add(parsed.diagnosis);
      }
      const report = acc.result();

      // Assess
      expect(report.timeSeries.buckets.length).toBeLessThanOrEqual(10_000);
      renderReportText(report, { color: false });
      renderReportCsv(report);
      renderReportJson(report);
      renderReportHtml(report, { title: 't', generatedAt: new Date('2026-11-27T15:00:00Z') });
    });

    // Assess
    expect(() => fc.assert(property, runs(300))).not.toThrow();
  });
});

describe('fuzz: every page renderer with hostile strings', () => {
  it('never lets a field mention, link, break a line or grow a page past its bounds', () => {
    // Prepare
    const parsed = parseAlarmNotification(alarmNotification());
    if (!parsed.ok) throw new Error(parsed.reason);
    const alarm = parsed.alarm;
    const hostileText = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({
        unit: fc.constantFrom(
          '<',
          '>',
          '!',
          '@',
          '|',
          '*',
          '_',
          '~',
          '`',
          '\n',
          '\r',
          '\u001b',
          '\u202e',
          '&',
          'a',
          ' ',
          'channel',
          'here',
          'https://evil.example'
        ),
        maxLength: 80,
      }),
      fc.constant('x'.repeat(50_000))
    );
    const group = fc.record({
      repository: fc.option(hostileText, { nil: null }),
      roleArn: fc.option(hostileText, { nil: null }),
      account: fc.option(hostileText, { nil: null }),
      cause: hostileText,
      detail: fc.option(hostileText, { nil: null }),
      failedCalls: fc.nat({ max: 10_000 }),
      failingJobs: fc.option(fc.nat({ max: 1000 }), { nil: null }),
      explanation: fc.option(hostileText, { nil: null }),
      fix: fc.option(hostileText, { nil: null }),
      change: fc.option(hostileText, { nil: null }),
    });
    const input = fc.array(group, { minLength: 1, maxLength: 5 });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
    const control = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

    // Act
    const property = fc.property(input, (groups: ResultGroup[]) => {
      const facts = {
        window: WINDOW,
        source: 'logs-insights' as const,
        totals: {
          failedCalls: groups.reduce((n, g) => n + g.failedCalls, 0),
          failingJobs: 1,
          repositories: 1,
        },
        groups,
        problems: [],
      };
      const page = buildPage({ alarm, facts, dashboardUrl: DASHBOARD_URL });
      const chat = renderChatbot(page);
      const text = renderText(page);
      const pd = renderPagerDuty(page, 'R0UT1NGKEY0123456789abcdefABCDEF');
      const sms = renderSms(page);
      const message = pageMessage(page);

      // Assess
      for (const t of [chat.content.title, chat.content.description, ...chat.content.nextSteps]) {
        expect(t).not.toMatch(/<[!@#]|<https?:/);
        expect(t).not.toMatch(control);
      }
      expect(chat.content.description.length).toBeLessThanOrEqual(3500);
      expect(text).not.toMatch(control);
      expect(text.length).toBeLessThan(8000);
      expect(sms).toMatch(/^[\x20-\x7e]*$/);
      if (pd.event_action === 'trigger')
        expect(pd.payload.summary.length).toBeLessThanOrEqual(1024);
      expect(Buffer.byteLength(message.message)).toBeLessThan(256 * 1024);
    });

    // Assess
    expect(() => fc.assert(property, runs(400))).not.toThrow();
  });
});
