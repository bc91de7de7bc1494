import { describe, expect, it } from "vitest";
import { BoundedMemo } from "../../src/lib/bounded-memo.js";

describe("BoundedMemo: pure values kept by key, the oldest dropped past capacity", () => {
  it("computes a key once, keeps empty values too, and drops the oldest key when full", () => {
    const memo = new BoundedMemo<string, string>(2);
    let computed = 0;
    const upper = (k: string) => (computed++, k.toUpperCase());
    expect(memo.get("a", upper)).toBe("A");
    expect(memo.get("", upper)).toBe("");
    expect(memo.get("a", upper)).toBe("A");
    expect(memo.get("", upper)).toBe("");
    expect(computed).toBe(2);
    memo.get("b", upper);
    expect(memo.size).toBe(2);
    // "a" was the oldest: it is computed again.
    memo.get("a", upper);
    expect(computed).toBe(4);
  });
});
