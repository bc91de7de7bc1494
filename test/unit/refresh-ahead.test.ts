import { describe, expect, it } from "vitest";
import { refreshAhead } from "../../src/lib/refresh-ahead.js";

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A source whose reads the test settles by hand, and a clock it moves by hand. */
function slowSource() {
  const pending: Array<{ resolve: (v: number) => void; reject: (e: Error) => void }> = [];
  let clock = 0;
  const read = () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject }));
  return {
    pending,
    read,
    now: () => clock,
    advance: (ms: number) => (clock += ms),
    settle: async (value: number) => {
      await tick();
      pending.shift()!.resolve(value);
      await tick();
    },
  };
}

const OPTIONS = { freshMs: 1_000, staleMs: 30_000 };

describe("refreshAhead: a slow value read ahead of need", () => {
  it("waits for the first read, then answers from memory while the value is fresh", async () => {
    const src = slowSource();
    const value = refreshAhead(src.read, { ...OPTIONS, now: src.now });
    const first = value.get();
    await tick();
    expect(src.pending).toHaveLength(1);
    await src.settle(1);
    expect(await first).toBe(1);
    src.advance(999);
    expect(await value.get()).toBe(1);
    expect(src.pending).toHaveLength(0);
  });

  it("answers at once with a stale value and reads a fresh one in the background, one read for many callers", async () => {
    const src = slowSource();
    const value = refreshAhead(src.read, { ...OPTIONS, now: src.now });
    const first = value.get();
    await src.settle(1);
    await first;
    src.advance(5_000);
    // Not waiting on the read still pending: both answer from memory.
    expect(await value.get()).toBe(1);
    expect(await value.get()).toBe(1);
    await tick();
    expect(src.pending).toHaveLength(1);
    await src.settle(2);
    expect(await value.get()).toBe(2);
  });

  it("waits for a fresh read once the kept value is older than staleMs", async () => {
    const src = slowSource();
    const value = refreshAhead(src.read, { ...OPTIONS, now: src.now });
    const first = value.get();
    await src.settle(1);
    await first;
    src.advance(30_000);
    let answered: number | undefined;
    const next = value.get().then((v) => (answered = v));
    await tick();
    expect(answered).toBeUndefined();
    await src.settle(3);
    await next;
    expect(answered).toBe(3);
  });

  it("after a failed background read, the next caller waits for a read and sees its failure", async () => {
    const src = slowSource();
    const value = refreshAhead(src.read, { ...OPTIONS, now: src.now });
    const first = value.get();
    await src.settle(1);
    await first;
    src.advance(2_000);
    expect(await value.get()).toBe(1);
    await tick();
    src.pending.shift()!.reject(new Error("database gone"));
    await tick();
    const next = value.get();
    await tick();
    expect(src.pending).toHaveLength(1);
    src.pending.shift()!.reject(new Error("still gone"));
    await expect(next).rejects.toThrow("still gone");
  });
});
