import { describe, expect, it } from "vitest";
import { createWorkSlots } from "../../src/lib/work-slots.js";

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
};

describe("work slots", () => {
  it("runs at most the given number at once and lets the others in, in arrival order, as slots free", async () => {
    const slots = createWorkSlots(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const runs = gates.map((g, i) => slots.run(async () => (started.push(i), await g.opened, i)));
    await expect.poll(() => started).toEqual([0, 1]);
    expect(slots.waiting).toBe(3);
    gates[1].open();
    await expect.poll(() => started).toEqual([0, 1, 2]);
    gates[0].open();
    gates[2].open();
    await expect.poll(() => started).toEqual([0, 1, 2, 3, 4]);
    gates[3].open();
    gates[4].open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect([slots.busy, slots.waiting]).toEqual([0, 0]);
  });

  it("frees the slot of work that fails", async () => {
    const slots = createWorkSlots(1);
    await expect(slots.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await slots.run(async () => "next")).toBe("next");
    expect(slots.busy).toBe(0);
  });
});
