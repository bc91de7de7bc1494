/**
 * At most `slots` pieces of work at once; the rest wait their turn in arrival order. Composing an answer
 * is CPU work in the server's one thread: past a few at once, more only share the thread more finely,
 * and every other request (a liveness probe among them) waits behind all of them at each step.
 */
export type WorkSlots = {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly busy: number;
  readonly waiting: number;
};

export function createWorkSlots(slots: number): WorkSlots {
  let busy = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else busy--;
  };
  return {
    async run(fn) {
      if (busy < slots) busy++;
      // The slot passes straight from the one finishing to the one waiting longest.
      else await new Promise<void>((take) => queue.push(take));
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get busy() {
      return busy;
    },
    get waiting() {
      return queue.length;
    },
  };
}
