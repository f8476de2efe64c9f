import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/commands/report.js';
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import type { Report } from '../../../src/domain/report/report-types.js';
import { parseCsv } from '../report/parse-csv.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/report/diagnoses.jsonl', import.meta.url));

/** A CliIo whose streams live in memory. */
function fakeIo(stdin = ''): CliIo & { out: () => string; err: () => string } {
  const sink = () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    return { stream, text: () => chunks.join('') };
  };
  const stdout = sink();
  const stderr = sink();
  return {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([stdin]),
    env: {},
    now: () => new Date('2025-03-05T07:00:00Z'),
    out: stdout.text,
    err: stderr.text,
  };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('oidcwatch report', () => {
  it('prints the per-repository table of a JSONL file', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run([FIXTURE], io);

    // Assess
    expect(code).toBe(0);
    const out = io.out();
    expect(out).toMatch(/^REPOSITORY\s+FAILURES\s+JOBS\s+TOP CAUSE\s+FIRST SEEN\s+LAST SEEN$/m);
    expect(out).toMatch(/^acme-corp\/payments-api\s+24\s+2\s+SUB_MISMATCH\/ENVIRONMENT_FORM\s/m);
    expect(out).toMatch(/^acme-corp\/web-frontend\s+12\s+1\s+SUB_MISMATCH\/PULL_REQUEST\s/m);
    expect(out).toContain(
      '41 records · 36 failures in 3 failing jobs · 3 successes · 0 ignored · 2 malformed'
    );
    expect(out).not.toContain('\x1b[');
  });

  it('reports each malformed line with file:line and still counts the rest', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run([FIXTURE, '--json'], io);

    // Assess
    expect(code).toBe(0);
    expect(io.err()).toContain(`${FIXTURE}:13: not a diagnosis: invalid JSON`);
    expect(io.err()).toContain(`${FIXTURE}:26: not a diagnosis: missing "cause"`);
    const report = JSON.parse(io.out()) as Report;
    expect(report.totals).toMatchObject({ records: 41, failures: 36, malformed: 2, successes: 3 });
  });

  it('prints JSON of the report shape', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(['--json', FIXTURE, '--bucket', '15'], io);

    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as Report;
    expect(report.repositories.map((r) => [r.repository, r.failures, r.failingJobs])).toEqual([
      ['acme-corp/payments-api', 24, 2],
      ['acme-corp/web-frontend', 12, 1],
    ]);
    expect(report.timeSeries.bucketMinutes).toBe(15);
    expect(report.timeSeries.buckets.map((b) => [b.start, b.failures])).toEqual([
      ['2025-03-04T09:00:00Z', 24],
      ['2025-03-04T09:15:00Z', 0],
      ['2025-03-04T09:30:00Z', 12],
    ]);
  });

  it('prints CSV that parses back into one row per repository × cause', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run([FIXTURE, '--csv'], io);

    // Assess
    expect(code).toBe(0);
    const rows = parseCsv(io.out());
    expect(rows[0]?.slice(0, 4)).toEqual(['repository', 'cause', 'detail', 'failures']);
    expect(rows.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['acme-corp/payments-api', 'SUB_MISMATCH', 'ENVIRONMENT_FORM', '24'],
      ['acme-corp/web-frontend', 'SUB_MISMATCH', 'PULL_REQUEST', '12'],
    ]);
  });

  it('reads stdin when no file or "-" is given', async () => {
    // Prepare
    const jsonl = await readFile(FIXTURE, 'utf8');
    const io = fakeIo(jsonl);

    // Act
    const code = await run(['-', '--json'], io);

    // Assess
    expect(code).toBe(0);
    expect((JSON.parse(io.out()) as Report).totals.failures).toBe(36);
    expect(io.err()).toContain('<stdin>:13: not a diagnosis');
  });

  it('exits 1 naming a missing file, and prints no partial report', async () => {
    // Prepare
    const missing = join(dir, 'no-such-file.jsonl');
    const io = fakeIo();

    // Act
    const code = await run([missing, FIXTURE, '--json'], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe(`oidcwatch report: cannot read ${missing}: no such file or directory\n`);
    expect(io.out()).toBe('');
  });

  it('writes the HTML page to the file given to --html', async () => {
    // Prepare
    const file = join(dir, 'report.html');
    const io = fakeIo();

    // Act
    const code = await run([FIXTURE, '--html', file], io);

    // Assess
    expect(code).toBe(0);
    const html = await readFile(file, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('data-repository="acme-corp/payments-api"');
    expect(html).toContain('generated 2025-03-05 07:00:00Z');
    expect(io.err()).toContain(`wrote ${file}`);
  });

  it.each([
    [['--json', '--csv'], /mutually exclusive/],
    [['--bucket', '0'], /"--bucket" must be a whole number of minutes/],
    [['--bucket', '2.5'], /"--bucket" must be a whole number of minutes/],
    [['--nope'], /unknown option --nope/],
  ])('exits 1 with usage for bad arguments %j', async (argv, message) => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(argv, io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toMatch(message);
    expect(io.err()).toContain('usage: oidcwatch report');
  });

  it('is registered in the oidcwatch command table', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await main(['report', '--help'], io);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toContain('usage: oidcwatch report');
  });
});

describe('oidcwatch report on raw CloudTrail records', () => {
  it('classifies raw records on the way, against --iam-snapshot, as classify does', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(
      ['examples/events', '--iam-snapshot', 'examples/iam-snapshot.json', '--json'],
      io
    );

    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as Report;
    expect(report.totals).toMatchObject({
      records: 85,
      failures: 76,
      successes: 6,
      ignored: 1,
      malformed: 2,
    });
    const payments = report.repositories.find((r) => r.repository === 'acme-corp/payments-api');
    expect(payments?.causes[0]).toMatchObject({
      cause: 'SUB_MISMATCH',
      detail: 'ENVIRONMENT_FORM',
      failures: 24,
    });
    expect(io.err()).toContain('export.jsonl:2: not a diagnosis: invalid JSON');
  });
});
