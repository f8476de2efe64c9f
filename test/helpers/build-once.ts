/**
 * Vitest global setup: builds the CLI (`dist/`) once per test run, so tests that run the package's
 * executable run what `npm pack` would ship, built from the current source.
 */
import { buildCli } from '../../scripts/build.js';

export default async function setup(): Promise<void> {
  await buildCli();
}
