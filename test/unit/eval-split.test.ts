import { describe, expect, it } from "vitest";
import { partOf, splitByPart, TUNE_BELOW } from "../../src/eval/split.js";

describe("the tune/check split", () => {
  it("puts an id in the part its SHA-256 gives, on every call", () => {
    // sha256("a") starts with 0xca (202 ≥ 154) and sha256("b") with 0x3e (62 < 154).
    expect(partOf("a")).toBe("check");
    expect(partOf("b")).toBe("tune");
    const ids = Array.from({ length: 500 }, (_, i) => `case-${i}`);
    const first = ids.map(partOf);
    expect(ids.map(partOf)).toEqual(first);
    // Independent of the order and company of the other ids.
    const shuffled = [...ids].reverse();
    const parts = splitByPart(shuffled.map((id) => ({ id })));
    for (const { id } of parts.tune) expect(first[ids.indexOf(id)]).toBe("tune");
    for (const { id } of parts.check) expect(first[ids.indexOf(id)]).toBe("check");
    expect(parts.tune.length + parts.check.length).toBe(ids.length);
  });

  it("keeps about 60 % of generated ids for tuning", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `x${i.toString(36)}-${(i * 7919) % 10007}`);
    const share = ids.filter((id) => partOf(id) === "tune").length / ids.length;
    expect(TUNE_BELOW / 256).toBeCloseTo(0.6, 1);
    // 10,000 draws at p = 0.6016: the standard deviation is 0.005.
    expect(share).toBeGreaterThan(0.585);
    expect(share).toBeLessThan(0.618);
  });
});
