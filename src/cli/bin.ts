/**
 * The `oidcwatch` executable (built to `dist/oidcwatch.js`, the package's `bin`): runs the CLI on
 * the process's own streams and sets the exit code.
 */
import { main, processIo } from './main.js';

process.exitCode = await main(process.argv.slice(2), processIo());
