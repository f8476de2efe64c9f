/**
 * Rewrites the example pages in docs/on-call.md from the fixtures (real renderer output).
 * Run after changing the page renderers: `npx tsx scripts/generate-on-call-doc.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withExamples } from '../test/fixtures/page/on-call-examples.js';

const path = new URL('../docs/on-call.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withExamples(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'docs/on-call.md is up to date' : 'docs/on-call.md updated');
