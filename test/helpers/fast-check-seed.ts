/**
 * Every property test runs with one fixed seed, so a CI run is reproducible and a failure can be
 * replayed; `FC_SEED=<n> npm test` explores other seeds (the failing seed is printed by fast-check).
 */
import fc from 'fast-check';

const seed = Number.parseInt(process.env.FC_SEED ?? '', 10);
fc.configureGlobal({ seed: Number.isSafeInteger(seed) ? seed : 20261206 });
