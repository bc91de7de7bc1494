import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { batchCsv, csvCell } from "../../src/companies/matching.js";

describe("the batch result as CSV", () => {
  it("keeps a value Excel would run as a formula as text behind a quote mark", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell("+86 27 1234")).toBe("'+86 27 1234");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
  });

  it("leaves ordinary values as they are and quotes those with a comma, a quote or a line break", () => {
    expect(csvCell("武汉市高新技术企业认定奖励")).toBe("武汉市高新技术企业认定奖励");
    expect(csvCell("2026-12-31")).toBe("2026-12-31");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("writes one row per company and policy, with a BOM, that a CSV parser reads back", () => {
    const csv = batchCsv([
      {
        id: "=cmd",
        eligible: [{ policyId: "p1", title: "奖励, 一次性", verdict: "eligible", questions: [], applyStart: null, applyEnd: "2026-12-31", source: null }],
        needsInfo: [],
      },
      { id: "m-2", eligible: [], needsInfo: [] },
    ]);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(parse(csv.slice(1))).toEqual([
      ["company_id", "verdict", "policy_id", "title", "apply_end", "open_questions"],
      ["'=cmd", "eligible", "p1", "奖励, 一次性", "2026-12-31", ""],
      ["m-2", "none", "", "", "", ""],
    ]);
  });
});
