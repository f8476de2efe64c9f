#!/usr/bin/env node
// The `oidcwatch` command. Runs the TypeScript CLI through tsx's loader, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main, processIo } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), processIo());
