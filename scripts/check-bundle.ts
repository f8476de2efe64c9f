/**
 * CI check: the processor bundle holds no CDK, CLI-only or CloudTrail/CloudWatch client code.
 * Prints the size. Exit 1 when something forbidden got in.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from './bundle-handler.js';

const out = join(mkdtempSync(join(tmpdir(), 'oidcwatch-bundle-')), 'index.mjs');
const result = await bundle('src/handler/index.ts', out);
console.log(
  `handler bundle: ${(result.bytes / 1024).toFixed(0)} KiB, ${result.inputs.length} modules`
);
if (result.forbidden.length > 0) {
  console.error(
    `forbidden modules in the handler bundle:\n  ${result.forbidden.slice(0, 20).join('\n  ')}`
  );
  process.exitCode = 1;
}
