import { describe, expect, it } from "vitest";
import { ndcgAt, rankingReport, recallAt, reciprocalRankAt } from "../../src/eval/metrics.js";

describe("ranking metrics (hand-computed)", () => {
  const c = { relevant: ["a", "b"], acceptable: ["x"], ranked: ["x", "c", "a", "d", "e", "f", "b"] };
  // After removing the acceptable "x": c a d e f b → a at rank 2, b at rank 6.
  it("recall@k counts relevant ids in the top k", () => {
    expect(recallAt(c, 5)).toBe(0.5);
    expect(recallAt(c, 10)).toBe(1);
  });
  it("MRR uses the first relevant rank", () => {
    expect(reciprocalRankAt(c, 10)).toBe(0.5);
    expect(reciprocalRankAt({ relevant: ["z"], ranked: ["a"] }, 10)).toBe(0);
  });
  it("nDCG@10 = (1/log2(3) + 1/log2(7)) / (1 + 1/log2(3))", () => {
    const expected = (1 / Math.log2(3) + 1 / Math.log2(7)) / (1 + 1 / Math.log2(3));
    expect(ndcgAt(c, 10)).toBeCloseTo(expected, 10);
  });
  it("averages over answered questions only", () => {
    const r = rankingReport([c, { relevant: [], ranked: ["a"] }, { relevant: ["a"], ranked: ["a"] }]);
    expect(r.questions).toBe(2);
    expect(r["recall@5"]).toBeCloseTo(0.75, 10);
    expect(r["mrr@10"]).toBeCloseTo(0.75, 10);
  });
});
