import { describe, expect, it } from 'vitest';
import { expandRecords, MAX_EXPAND_DEPTH } from '../../../src/domain/input/expand-records.js';
import { loadReaderFixtures } from './input-helpers.js';

describe('expandRecords', () => {
  it('returns the elements of a CloudTrail log file', async () => {
    // Prepare
    const { logFile } = await loadReaderFixtures();

    // Act
    const records = expandRecords(logFile);

    // Assess
    expect(records).toEqual(logFile.Records);
    expect(records).toHaveLength(3);
  });

  it('passes an EventBridge envelope through as one record', async () => {
    // Prepare
    const { envelope } = await loadReaderFixtures();

    // Act
    const records = expandRecords(envelope);

    // Assess
    expect(records).toEqual([envelope]);
  });

  it('passes a bare CloudTrail record through as one record', async () => {
    // Prepare
    const { record } = await loadReaderFixtures();

    // Act
    const records = expandRecords(record);

    // Assess
    expect(records).toEqual([record]);
  });

  it('flattens an array of log files, envelopes and bare records in order', async () => {
    // Prepare
    const { record, envelope, logFile } = await loadReaderFixtures();

    // Act
    const records = expandRecords([envelope, logFile, record]);

    // Assess
    expect(records).toEqual([envelope, ...logFile.Records, record]);
  });

  it('passes junk through so that the reader reports it', () => {
    // Prepare
    const junk = [42, 'text', null, true, { Records: 'not an array' }, { detail: 7 }];

    // Act
    const records = junk.map((value) => expandRecords(value));

    // Assess
    expect(records).toEqual(junk.map((value) => [value]));
  });

  it('yields nothing for an empty array or an empty Records', () => {
    // Prepare
    const empties = [[], { Records: [] }, [[], { Records: [] }]];

    // Act
    const records = empties.map((value) => expandRecords(value));

    // Assess
    expect(records).toEqual([[], [], []]);
  });

  it('passes containers nested deeper than the limit through unopened', () => {
    // Prepare
    let nested: unknown = { eventName: 'AssumeRoleWithWebIdentity' };
    for (let level = 0; level < MAX_EXPAND_DEPTH + 1; level++) nested = [nested];

    // Act
    const records = expandRecords(nested);

    // Assess
    expect(records).toEqual([[{ eventName: 'AssumeRoleWithWebIdentity' }]]);
    expect(expandRecords([1, 2], MAX_EXPAND_DEPTH)).toEqual([[1, 2]]);
  });

  it('continues from the depth a streaming reader has already opened', () => {
    // Prepare
    const element = [{ Records: [1, 2] }];

    // Act
    const fromTop = expandRecords([element]);
    const fromElement = expandRecords(element, 1);

    // Assess
    expect(fromElement).toEqual(fromTop);
    expect(fromTop).toEqual([1, 2]);
  });
});
