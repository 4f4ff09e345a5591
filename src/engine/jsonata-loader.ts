/**
 * JSONata is loaded on first use: a JSONPath-only machine never pays for the library. Loading it
 * also installs the isolation port, so expressions that may run a regular expression (which
 * nothing can interrupt in-thread) are evaluated in a worker terminated at a hard timeout.
 */
import type * as JsonataModule from '../asl/jsonata.js';

let loading: Promise<typeof JsonataModule> | undefined;

export function loadJsonata(): Promise<typeof JsonataModule> {
  return (loading ??= (async () => {
    const [mod, pool] = await Promise.all([import('../asl/jsonata.js'), import('./jsonata-pool.js')]);
    mod.setJsonataIsolation(pool.evaluateInWorker);
    return mod;
  })());
}
