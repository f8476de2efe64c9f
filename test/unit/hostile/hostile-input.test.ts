/**
 * Issue 15, items 1, 6 and 7: hostile or damaged input never stops `classify` or `report`, never
 * loses a record, and every MALFORMED_EVENT says where its bytes are.
 */
import { Buffer } from 'node:buffer';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InputItem, readInputs } from '../../../src/adapters/input/read-inputs.js';
import { run as classify } from '../../../src/cli/commands/classify.js';
import { run as report } from '../../../src/cli/commands/report.js';
import type { Report } from '../../../src/domain/report/report-types.js';
import { failedWebIdentityRecord } from '../../helpers/cloudtrail-records.js';
import { fakeIo } from '../../helpers/fake-io.js';

const SNAPSHOT = 'examples/iam-snapshot.json';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** Fifty failed calls of one account, as a compact (one-line) CloudTrail log file. */
function fiftyRecords(): Record<string, unknown>[] {
  return Array.from({ length: 50 }, (_, i) =>
    failedWebIdentityRecord({
      sub: `repo:acme-corp/service-${i % 7}:ref:refs/heads/main`,
      role: `deploy-${i % 5}`,
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      time: `2026-11-27T14:${String(i % 60).padStart(2, '0')}:00Z`,
    })
  );
}

function reasonOf(item: InputItem | undefined): string | undefined {
  return item !== undefined && item.kind !== 'record' ? item.reason : undefined;
}

async function collect(paths: string[]): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const item of readInputs(paths)) items.push(item);
  return items;
}

/** The JSON Lines of `classify --json` over `paths`. */
async function classifyJson(paths: string[]): Promise<Record<string, unknown>[]> {
  const io = fakeIo();
  await classify([...paths, '--iam-snapshot', SNAPSHOT, '--json'], io);
  return io
    .out()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function reportJson(paths: string[]): Promise<{ report: Report; code: number; err: string }> {
  const io = fakeIo();
  const code = await report([...paths, '--iam-snapshot', SNAPSHOT, '--json'], io);
  return { report: JSON.parse(io.out()) as Report, code, err: io.err() };
}

describe('item 1: deeply nested values', () => {
  it('classifies the records around one with 5,000 levels of brackets, in classify and report', async () => {
    // Prepare
    const [a, b] = fiftyRecords();
    // Built as text: JSON.stringify itself cannot write this value.
    const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const deep = JSON.stringify({ ...a, requestParameters: { roleArn: 'x' } }).replace(
      '"x"',
      nested
    );
    const path = await put('deep.jsonl', `${JSON.stringify(a)}\n${deep}\n${JSON.stringify(b)}\n`);

    // Act
    const lines = await classifyJson([path]);
    const { report: r } = await reportJson([path]);

    // Assess
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.eventId)).toEqual([a?.eventID, a?.eventID, b?.eventID]);
    expect(r.totals.records).toBe(3);
  });
});

describe('item 6: damage loses only the damaged record', () => {
  for (const [what, damage] of [
    ['a lost quote', (t: string, at: number) => t.slice(0, at) + t.slice(at + 1)],
    [
      'a lost closing brace',
      (t: string, at: number) => `${t.slice(0, at)}${t.slice(at).replace('}', '')}`,
    ],
    ['a flipped byte', (t: string, at: number) => `${t.slice(0, at)}\u0001${t.slice(at + 1)}`],
  ] as const) {
    it(`recovers inside the Records array of a one-line log after ${what}`, async () => {
      // Prepare
      const records = fiftyRecords();
      const text = JSON.stringify({ Records: records });
      const victim = JSON.stringify(records[20]);
      const at = text.indexOf(victim) + victim.indexOf('"userName"');
      const path = await put(`one-line-${what.replace(/ /g, '-')}.json`, damage(text, at));

      // Act
      const items = await collect([path]);

      // Assess
      const values = items.flatMap((i) => (i.kind === 'record' ? [i.value] : []));
      expect(items).toHaveLength(50);
      expect(values).toEqual(records.filter((_, k) => k !== 20));
      const bad = items.find((i) => i.kind === 'malformed');
      expect(bad).toMatchObject({ kind: 'malformed', source: path, index: 20 });
      expect(bad?.kind === 'malformed' && bad.reason).toContain(`byte ${text.indexOf(victim)}`);
    });
  }

  for (const [what, damaged, malformed] of [
    ['its first byte flipped', '\u0001"Records":[', 1],
    ['its "[" lost', '{"Records":', 1],
    ['a quote inserted', '{"Rec"ords":[', 1],
    ['its ":" flipped', '{"Records"=[', 1],
    ['a letter of "Records" flipped (valid JSON: read as the list it is)', '{"Recxrds":[', 0],
  ] as const) {
    it(`reads every record of a one-line log whose header has ${what}, in classify and report`, async () => {
      // Prepare
      const records = fiftyRecords();
      const text = JSON.stringify({ Records: records }).replace('{"Records":[', damaged);
      const path = await put(`header-${records.length}-${damaged.length}-${malformed}.json`, text);

      // Act
      const classified = await classifyJson([path]);
      const { report: r } = await reportJson([path]);

      // Assess
      const ids = classified.filter((l) => l.cause !== 'MALFORMED_EVENT').map((l) => l.eventId);
      expect(ids).toEqual(records.map((x) => x.eventID));
      const bad = classified.filter((l) => l.cause === 'MALFORMED_EVENT');
      expect(bad).toHaveLength(malformed);
      if (malformed === 1)
        expect(bad[0]?.detail).toBe(
          `${path}, record 0: invalid JSON at byte 0 (line 1): damaged header before the first record; resumed at the record at byte ${damaged.length}`
        );
      expect(r.totals.records).toBe(classified.length);
    });
  }

  for (const [what, trailer] of [
    ['"]" flipped', 'x}'],
    ['"}" flipped', ']x'],
    ['"]" lost', '}'],
    ['a record head after "]"', ']{'],
  ] as const) {
    it(`reads every record of a one-line log whose closing "]}" has ${what}`, async () => {
      // Prepare
      const records = fiftyRecords();
      const text = `${JSON.stringify({ Records: records }).slice(0, -2)}${trailer}`;
      const path = await put(
        `trailer-${trailer.charCodeAt(0)}-${trailer.charCodeAt(1)}.json`,
        text
      );

      // Act
      const items = await collect([path]);

      // Assess
      const values = items.flatMap((i) => (i.kind === 'record' ? [i.value] : []));
      expect(values).toEqual(records);
      expect(items).toHaveLength(51);
      expect(reasonOf(items.at(-1))).toMatch(
        new RegExp(`^${path}, record 50: (invalid|truncated) JSON at byte \\d+`)
      );
    });
  }

  it('keeps what a truncated gzip held, reports the cut record and the cut, and report counts the same', async () => {
    // Prepare
    const lines = fiftyRecords().map((r) => JSON.stringify(r));
    const whole = gzipSync(`${lines.join('\n')}\n`);
    const path = await put('cut.jsonl.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));

    // Act
    const items = await collect([path]);
    const classified = await classifyJson([path]);
    const { report: r } = await reportJson([path]);

    // Assess
    const records = items.filter((i) => i.kind === 'record');
    const malformed = items.filter((i) => i.kind === 'malformed');
    expect(records.length).toBeGreaterThan(10);
    expect(records.map((i) => (i.kind === 'record' ? i.value : null))).toEqual(
      lines.slice(0, records.length).map((l) => JSON.parse(l))
    );
    expect(malformed).toHaveLength(1);
    expect(items.at(-1)).toMatchObject({ kind: 'unreadable', source: path });
    expect(reasonOf(items.at(-1))).toMatch(
      /truncated gzip data at compressed byte \d+; the \d+ records before it were read/
    );
    expect(classified).toHaveLength(records.length + 1);
    expect(r.totals.records).toBe(classified.length);
  });

  it('keeps a valid gzip member followed by trailing garbage, and reports the garbage', async () => {
    // Prepare
    const records = fiftyRecords();
    const member = gzipSync(JSON.stringify({ Records: records }));
    const path = await put('trailing.json.gz', Buffer.concat([member, Buffer.from('garbage\n')]));

    // Act
    const items = await collect([path]);

    // Assess
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(50);
    expect(items.at(-1)).toMatchObject({ kind: 'unreadable', source: path });
    expect(reasonOf(items.at(-1))).toContain(
      `trailing data that is not gzip at compressed byte ${member.length}`
    );
  });

  it('never lets a broken JSON Lines line swallow the next line, whether it starts with [ or "', async () => {
    // Prepare
    const [a, b] = fiftyRecords();
    const text = `{"eventVersion": "1.08", "userIdentity": {\n[${JSON.stringify(a)}]\n"a string record"\n${JSON.stringify(b)}\n`;
    const path = await put('broken-lines.jsonl', text);

    // Act
    const items = await collect([path]);

    // Assess
    expect(items.map((i) => i.kind)).toEqual(['malformed', 'record', 'record', 'record']);
    expect(items.slice(1).map((i) => (i.kind === 'record' ? i.value : null))).toEqual([
      a,
      'a string record',
      b,
    ]);
  });

  it('says where every MALFORMED_EVENT is, JSON that is not a record included', async () => {
    // Prepare
    const [a] = fiftyRecords();
    const text = `42\n{"foo":1}\nnot json\n${JSON.stringify(a)}\n`;
    const path = await put('mixed.jsonl', text);

    // Act
    const lines = await classifyJson([path]);

    // Assess
    const malformed = lines.filter((l) => l.cause === 'MALFORMED_EVENT');
    expect(malformed).toHaveLength(3);
    expect(malformed.map((l) => l.detail)).toEqual([
      expect.stringMatching(new RegExp(`^${path}, record 0 \\(byte 0, line 1\\): `)),
      expect.stringMatching(new RegExp(`^${path}, record 1 \\(byte 3, line 2\\): `)),
      expect.stringMatching(new RegExp(`^${path}, record 2: invalid JSON at byte 13 \\(line 3\\)`)),
    ]);
  });
});

describe('item 7: report lines its own validation accepts', () => {
  it('reports a line whose change annotation has a numeric roleArn as malformed, naming the field', async () => {
    // Prepare
    const good = {
      cause: 'SUB_MISMATCH',
      repository: 'acme-corp/api',
      eventTime: '2026-11-27T14:00:00Z',
    };
    const change = {
      kind: 'TRUST_POLICY_UPDATED',
      eventName: 'UpdateAssumeRolePolicy',
      eventId: 'c1',
      at: '2026-11-27T13:58:00Z',
      by: null,
      roleArn: 5,
      providerArn: null,
      minutesBefore: 2,
      verdict: 'explains',
      removed: [],
      added: [],
      diff: null,
      summary: 'changed',
    };
    const path = await put(
      'numeric-role.jsonl',
      `${JSON.stringify({ ...good, change })}\n${JSON.stringify(good)}\n`
    );
    const io = fakeIo();

    // Act
    const code = await report([path], io);

    // Assess
    expect(code).toBe(0);
    expect(io.err()).toContain('"change.roleArn" must be a string or null, got number');
    expect(io.out()).toContain('2 records');
    expect(io.out()).toContain('1 malformed');
  });
});
