/**
 * A long synchronous loop's way to let the server answer other requests (a
 * liveness probe among them): `await pause()` in each round gives up the event
 * loop once `everyMs` of work has passed. Database queries need no pause:
 * PGlite's queue yields before each statement (src/db/pglite.ts).
 */
export function pauser(everyMs = 10): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < everyMs) return;
    await new Promise((r) => setTimeout(r, 0));
    since = performance.now();
  };
}
