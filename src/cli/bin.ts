/**
 * The `oidcwatch` executable (built to `dist/oidcwatch.js`, the package's `bin`): runs the CLI on
 * the process's own streams and sets the exit code.
 */
import { endQuietlyOnBrokenPipe } from './io.js';
import { main, processIo } from './main.js';

endQuietlyOnBrokenPipe(process.stdout, (code) => process.exit(code));
process.exitCode = await main(process.argv.slice(2), processIo());
