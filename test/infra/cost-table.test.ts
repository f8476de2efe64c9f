/**
 * docs/deploy.md's cost tables against the synthesized monitor stack: the counts the fixed items
 * are priced by (alarm metrics and alarms, anomaly alarms, KMS keys, secrets, Contributor Insights
 * rules, dashboards) are read from the template of the deployment the tables describe, so the
 * tables cannot drift from the stack; and each table's total is the sum of its rows.
 */
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, ORGANISATION_CONTEXT } from './helpers/synth.js';
import { resourcesOfType } from './helpers/template-values.js';

let template: Template;

beforeAll(() => {
  template = Template.fromStack(buildApp(ORGANISATION_CONTEXT).stacks.monitor);
});

/** The rows of the table under `heading`: item → [arithmetic, amount]. */
function table(heading: string): Map<string, [string, string]> {
  const doc = readFileSync('docs/deploy.md', 'utf8');
  const start = doc.indexOf(heading);
  if (start < 0) throw new Error(`docs/deploy.md has no "${heading}"`);
  const rows = new Map<string, [string, string]>();
  for (const line of doc.slice(start).split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || cells[1] === 'item' || cells[1]?.startsWith('---')) continue;
    rows.set(cells[1] ?? '', [cells[2] ?? '', cells[3] ?? '']);
  }
  return rows;
}

function row(rows: Map<string, [string, string]>, prefix: string): string {
  const found = [...rows.entries()].find(([item]) => item.startsWith(prefix));
  if (found === undefined) throw new Error(`no "${prefix}" row`);
  return found[1][0];
}

function count(text: string, pattern: RegExp): number {
  const m = pattern.exec(text);
  if (m === null) throw new Error(`"${text}" does not match ${pattern}`);
  return Number(m[1]);
}

/** What CloudWatch bills an alarm for: each metric in it; an anomaly detection alarm, 3. */
function alarmMetrics(): { alarms: number; anomaly: number; metrics: number } {
  const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
  let metrics = 0;
  let anomaly = 0;
  for (const a of alarms) {
    const list =
      (a.Properties.Metrics as { MetricStat?: unknown; Expression?: string }[] | undefined) ?? [];
    const isAnomaly = list.some((m) =>
      String(m.Expression ?? '').startsWith('ANOMALY_DETECTION_BAND')
    );
    if (isAnomaly) anomaly += 1;
    metrics += isAnomaly ? 3 : Math.max(1, list.filter((m) => m.MetricStat !== undefined).length);
  }
  return { alarms: alarms.length, anomaly, metrics };
}

describe('docs/deploy.md cost tables', () => {
  it.each([['### 1,000 failures a month'], ['### 1,000,000 failures a month']])(
    '%s prices what the monitor stack synthesizes',
    (heading) => {
      // Prepare
      const rows = table(heading);

      // Act
      const billed = alarmMetrics();

      // Assess
      const alarms = row(rows, 'Alarms');
      expect(count(alarms, /(\d+) alarm metrics/)).toBe(billed.metrics);
      expect(count(alarms, /(\d+) alarms/)).toBe(billed.alarms);
      expect(count(alarms, /(\d+) anomaly/)).toBe(billed.anomaly);
      expect(count(row(rows, 'KMS keys'), /(\d+) ×/)).toBe(
        Object.keys(resourcesOfType(template, 'AWS::KMS::Key')).length
      );
      expect(count(row(rows, 'Secrets Manager'), /(\d+) secret/)).toBe(
        Object.keys(resourcesOfType(template, 'AWS::SecretsManager::Secret')).length
      );
      expect(count(row(rows, 'Contributor Insights'), /(\d+) rules/)).toBe(
        Object.keys(resourcesOfType(template, 'AWS::CloudWatch::InsightRule')).length
      );
      expect(count(row(rows, 'Dashboard'), /(\d+) ×|\$(\d+)/) || 1).toBe(
        Object.keys(resourcesOfType(template, 'AWS::CloudWatch::Dashboard')).length
      );
    }
  );

  it.each([['### 1,000 failures a month'], ['### 1,000,000 failures a month']])(
    '%s adds up to its total',
    (heading) => {
      // Prepare
      const rows = table(heading);

      // Act
      const amounts = [...rows.entries()].filter(([item]) => !item.startsWith('**Total'));
      const sum = amounts.reduce(
        (n, [, [, amount]]) => n + Number(amount.replace(/[^\d.]/g, '')),
        0
      );
      const total = Number(/≈ \$([\d.]+)/.exec(rows.get('**Total**')?.[1] ?? '')?.[1]);

      // Assess
      expect(Math.abs(sum - total)).toBeLessThan(0.01);
    }
  );
});
