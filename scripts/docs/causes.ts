/**
 * The generated parts of docs/causes.md, from the code that is their source: the cause codes and
 * their meanings (`src/domain/causes.ts`), the details each cause can carry, the findings, and the
 * order of judgement (`CAUSE_RULES`, with what each rule applies to from its own TSDoc). The doc's
 * prose lives around the generated blocks; `npm run docs` rewrites the blocks, and a test fails
 * when they are stale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  AUDIENCE_MISMATCH_DETAILS,
  CAUSE_MEANING,
  CAUSES,
  FAILURE_CAUSES,
  FINDINGS,
  IDP_ERROR_DETAILS,
  INVALID_REQUEST_DETAILS,
  OVER_PERMISSIVE_DETAILS,
  SUB_MISMATCH_DETAILS,
} from '../../src/domain/causes.js';
import { CAUSE_RULES } from '../../src/domain/classify/rules/index.js';
import { TRUST_RULES } from '../../src/domain/classify/trust/judge-trust-policy.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** The fixed detail codes of each cause that has a closed list. */
const DETAILS: Readonly<Partial<Record<(typeof CAUSES)[number], readonly string[]>>> = {
  SUB_MISMATCH: SUB_MISMATCH_DETAILS,
  AUDIENCE_MISMATCH: AUDIENCE_MISMATCH_DETAILS,
  IDP_ERROR: IDP_ERROR_DETAILS,
  INVALID_REQUEST: INVALID_REQUEST_DETAILS,
};

const code = (s: string) => `\`${s}\``;
/** Text safe inside a Markdown table cell. */
const cell = (s: string) => s.replace(/\|/g, '\\|');

function causesTable(): string {
  const rows = CAUSES.map((c) => {
    const details = DETAILS[c];
    const detail =
      details !== undefined
        ? details.map(code).join(', ')
        : c === 'ENRICHMENT_FAILED'
          ? 'the reason, e.g. `Throttling`, `AccessDenied`, `ACCOUNT_NOT_IN_SNAPSHOT` ([below](#enrichment_failed))'
          : c === 'UNVERIFIABLE_CONDITION'
            ? 'the claim, e.g. `job_workflow_ref`'
            : c === 'MALFORMED_EVENT' || c === 'IGNORED'
              ? 'why (free text)'
              : '—';
    const failure = FAILURE_CAUSES.includes(c) ? 'yes' : 'no';
    return `| ${code(c)} | ${CAUSE_MEANING[c]} | ${detail} | ${failure} |`;
  });
  return ['| cause | meaning | detail | counted as a failure |', '|---|---|---|---|', ...rows].join(
    '\n'
  );
}

function findingsTable(): string {
  return [
    '| finding | detail |',
    '|---|---|',
    `| ${code(FINDINGS[0])} | ${OVER_PERMISSIVE_DETAILS.map(code).join(', ')} |`,
    ...FINDINGS.slice(1).map((f) => `| ${code(f)} | — |`),
  ].join('\n');
}

/** The TSDoc comment right before `export const|function <name>`, on one line. */
function docOf(source: string, exported: string): string {
  const m = new RegExp(
    `/\\*\\*((?:(?!\\*/)[\\s\\S])*?)\\*/\\s*export (?:const|function) ${exported}\\b`
  ).exec(source);
  return (m?.[1] ?? '')
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => l !== '')
    .join(' ');
}

/** The file's opening comment: what the rule decides. */
function headerOf(source: string): string {
  const m = /^\/\*\*([\s\S]*?)\*\//.exec(source);
  return (m?.[1] ?? '')
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => l !== '')
    .join(' ');
}

/** The file of `dir` that exports `name` (rules are one per file, named after what they judge). */
function fileExporting(dir: string, name: string): string {
  for (const file of readdirSync(join(ROOT, dir)).sort()) {
    const source = readFileSync(join(ROOT, dir, file), 'utf8');
    if (new RegExp(`export (?:const|function) ${name}\\b`).test(source)) return file;
  }
  throw new Error(`no file of ${dir} exports ${name}`);
}

function trustTable(): string {
  const rows = TRUST_RULES.map((rule, i) => {
    const file = fileExporting('src/domain/classify/trust', rule.name);
    const source = readFileSync(join(ROOT, 'src/domain/classify/trust', file), 'utf8');
    return `| ${i + 1} | [${file.replace(/\.ts$/, '')}](../src/domain/classify/trust/${file}) | ${cell(headerOf(source))} |`;
  });
  return ['| # | trust rule | decides |', '|---|---|---|', ...rows].join('\n');
}

function orderTable(): string {
  const rows = CAUSE_RULES.map(([name, rule], i) => {
    const file = fileExporting('src/domain/classify/rules', rule.name);
    const source = readFileSync(join(ROOT, 'src/domain/classify/rules', file), 'utf8');
    return `| ${i + 1} | [${name}](../src/domain/classify/rules/${file}) | ${cell(docOf(source, rule.name) || '—')} | ${cell(headerOf(source))} |`;
  });
  return ['| # | rule | applies to | decides |', '|---|---|---|---|', ...rows].join('\n');
}

/** Every generated block of the doc, by name. */
export function causesDocBlocks(): Readonly<Record<string, string>> {
  return {
    causes: causesTable(),
    findings: findingsTable(),
    order: orderTable(),
    'trust-order': trustTable(),
  };
}
