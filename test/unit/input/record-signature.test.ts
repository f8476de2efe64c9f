import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/adapters/input/read-inputs.js';
import { loadSnapshot, SnapshotIamReader } from '../../../src/adapters/snapshot/iam-snapshot.js';
import { diagnoseUnread } from '../../../src/domain/classify/classify.js';
import { readRecord } from '../../../src/domain/input/read-record.js';
import { webIdentitySignature } from '../../../src/domain/input/record-signature.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import { diagnoseCall, diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import { deniedRecord, eventBridge } from '../../helpers/records.js';

async function fullDiagnosis(value: unknown, reader: SnapshotIamReader): Promise<Diagnosis> {
  const outcome = readRecord(value);
  return outcome.kind === 'call' ? diagnoseCall(outcome.call, reader) : diagnoseUnread(outcome);
}

function withoutIdAndTime(d: Diagnosis): Omit<Diagnosis, 'eventId' | 'eventTime'> {
  const { eventId: _i, eventTime: _t, ...rest } = d;
  return rest;
}

describe('webIdentitySignature', () => {
  it('gives records that differ only in id and time one signature, and different claims different ones', () => {
    // Prepare
    const a = deniedRecord({ eventId: 'a', time: '2026-11-27T14:03:12Z' });
    const b = { ...a, eventID: 'b', eventTime: '2026-11-27T14:03:13Z', requestID: 'other' };
    const c = deniedRecord({ sub: 'repo:acme-corp/payments-api:environment:production' });

    // Act
    const [sa, sb, sc, se] = [a, b, c, eventBridge(a)].map(webIdentitySignature);

    // Assess
    expect(sa?.signature).toBe(sb?.signature);
    expect(se?.signature).toBe(sa?.signature);
    expect(sc?.signature).not.toBe(sa?.signature);
    expect(sb).toMatchObject({ eventId: 'b', eventTime: '2026-11-27T14:03:13Z' });
  });

  it('has no signature for records the full reader must see', () => {
    // Prepare
    const chained = { ...deniedRecord(), eventName: 'AssumeRole' };
    const log = { Records: [deniedRecord()] };
    const other = { ...deniedRecord(), eventSource: 'signin.amazonaws.com' };

    // Act
    const signatures = [chained, log, other, null, 'text', []].map(webIdentitySignature);

    // Assess
    expect(signatures).toEqual([null, null, null, null, null, null]);
  });

  it('never lets two records share a signature but differ in diagnosis (examples and mutations)', async () => {
    // Prepare
    const reader = new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
    const records: unknown[] = [];
    for await (const item of readInputs(['examples/events']))
      if (item.kind === 'record') records.push(item.value);
    const fields = [
      'recipientAccountId',
      'awsRegion',
      'errorCode',
      'errorMessage',
      'eventTime',
      'eventID',
      'userAgent',
    ] as const;
    const mutation = fc.record({
      index: fc.nat({ max: records.length - 1 }),
      field: fc.constantFrom(...fields, 'roleArn', 'durationSeconds', 'userName', 'resources'),
      value: fc.oneof(fc.constant(undefined), fc.string(), fc.integer(), fc.constant(null)),
    });

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 2, maxLength: 6 }), async (mutations) => {
        const bySignature = new Map<string, Diagnosis>();
        for (const m of mutations) {
          const original = records[m.index] as Record<string, unknown>;
          const copy = structuredClone(original);
          const target = (copy.detail as Record<string, unknown> | undefined) ?? copy;
          const params = target.requestParameters as Record<string, unknown> | null | undefined;
          const identity = target.userIdentity as Record<string, unknown> | null | undefined;
          if (m.field === 'roleArn' || m.field === 'durationSeconds') {
            if (params) params[m.field] = m.value;
          } else if (m.field === 'userName') {
            if (identity) identity.userName = m.value;
          } else target[m.field] = m.value;
          for (const value of [original, copy]) {
            const sig = webIdentitySignature(value);
            if (sig === null) continue;
            const d = withoutIdAndTime(await fullDiagnosis(value, reader));
            const seen = bySignature.get(sig.signature);
            if (seen === undefined) bySignature.set(sig.signature, d as Diagnosis);
            else expect(d).toEqual(seen);
          }
        }
      }),
      { numRuns: 150 }
    );
    const memoised = await Promise.all(records.map((r) => diagnoseRecord(r, reader)));
    const full = await Promise.all(records.map((r) => fullDiagnosis(r, reader)));
    expect(memoised).toEqual(full);
  });
});
