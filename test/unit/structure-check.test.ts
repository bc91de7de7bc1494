import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateStructure, GoldStructureSchema } from "../../src/eval/structure-check.js";

describe("the structure figures against a gold table", () => {
  it("matches rules one to one by kind and figure, and counts what was missed and what was read in excess", async () => {
    const corpus = await mkdtemp(join(tmpdir(), "structure-"));
    // A document of my own: two rules, a window left to a notice.
    await writeFile(
      join(corpus, "doc_1.md"),
      "# 某区研发奖励办法\n对首次认定的企业给予一次性奖励50万元。\n按研发投入的10%给予补贴，最高200万元。\n具体申报时间以申报通知为准。\n",
    );
    const report = await evaluateStructure(corpus, [
      GoldStructureSchema.parse({
        id: "doc_1",
        window: { kind: "annual", months: [3] },
        support: [
          { kind: "fixed", amountWan: 50, upTo: false },
          { kind: "rate", rate: 0.1, base: "研发投入", capWan: 200 },
          { kind: "tiered", amountsWan: [30, 10] },
        ],
      }),
    ]);
    expect(report.rules).toMatchObject({ gold: 3, read: 2, matched: 2 });
    expect(report.rules.precision).toBe(1);
    expect(report.rules.recall).toBeCloseTo(2 / 3);
    expect(report.capRight).toBe(1);
    expect(report.windowKind).toBe(0);
    expect(report.misses).toEqual([{ id: "doc_1", window: { expected: "annual 3", got: "notice" }, missing: ["tiered 30/10"], extra: [] }]);
  });
});
