/**
 * `npm run docs`: rewrites the generated docs (and generated blocks of docs) from the code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GENERATED_DOCS } from './docs/generated-docs.js';

const ROOT = resolve(import.meta.dirname, '..');
for (const doc of GENERATED_DOCS) {
  const path = join(ROOT, doc.path);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // A wholly generated doc may not exist yet.
  }
  const next = doc.render(current);
  if (next !== current) writeFileSync(path, next);
  console.log(`${doc.path}: ${next === current ? 'up to date' : 'updated'}`);
}
