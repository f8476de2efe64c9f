/**
 * The package version `oidcwatch --version` prints: set by the build (`OIDCWATCH_VERSION`), read
 * from `package.json` when the source runs unbuilt (tests, `npm run cli`).
 */
import { createRequire } from 'node:module';

declare const OIDCWATCH_VERSION: string | undefined;

/** The version of the running oidcwatch, e.g. `0.1.0`. */
export function packageVersion(): string {
  if (typeof OIDCWATCH_VERSION === 'string') return OIDCWATCH_VERSION;
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  return pkg.version;
}
