/**
 * A value read from somewhere slow (the database), kept and refreshed ahead of need: younger than `freshMs`
 * it is the answer; up to `staleMs` old it is still the answer while a fresh one is read in the background;
 * older than that, or when the last read failed, the caller waits for a fresh read (and sees its failure).
 *
 * Why: on PGlite every statement queues behind the others on one thread, so under load a read can take
 * hundreds of milliseconds. A request that only needs a value a few seconds old (whether any API key
 * exists, the widget origins, a liveness probe's library counts) should not wait in that queue.
 */
export type RefreshAhead<T> = { get(): Promise<T> };

export function refreshAhead<T>(read: () => Promise<T>, options: { freshMs: number; staleMs: number; now?: () => number }): RefreshAhead<T> {
  const now = options.now ?? Date.now;
  let kept: { value: T; at: number } | undefined;
  let failed = false;
  let reading: Promise<T> | undefined;

  const refresh = (): Promise<T> => {
    if (reading) return reading;
    const run: Promise<T> = Promise.resolve()
      .then(read)
      .then(
        (value) => {
          kept = { value, at: now() };
          failed = false;
          return value;
        },
        (err: unknown) => {
          failed = true;
          throw err;
        },
      )
      .finally(() => {
        if (reading === run) reading = undefined;
      });
    reading = run;
    return run;
  };

  return {
    get() {
      if (!kept || failed) return refresh();
      const age = now() - kept.at;
      if (age < options.freshMs) return Promise.resolve(kept.value);
      if (age >= options.staleMs) return refresh();
      // A failed background read is remembered (`failed`): the next caller waits and sees it.
      refresh().catch(() => undefined);
      return Promise.resolve(kept.value);
    },
  };
}
