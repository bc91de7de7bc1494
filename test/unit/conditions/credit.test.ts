import { describe, expect, it } from "vitest";
import { credit } from "../../../src/policies/conditions/credit.js";
import { company, readAs } from "./table.js";

describe("credit: not on a list of dishonest or abnormal businesses", () => {
  it.each([
    ["bj_062", "无不良诚信记录"],
    ["(written)", "未被列入严重失信主体名单"],
    ["(written)", "近三年无重大违法违规行为"],
  ])("%s «%s» asks for good credit", (_doc, clause) => {
    expect(readAs("credit", clause)).toEqual([{ type: "credit" }]);
  });

  const check = { type: "credit" as const };
  it("is decided by what the company says, and asked otherwise", () => {
    expect(credit.judge(check, "", company({ facts: ["无失信记录，未被列入经营异常名录"] })).status).toBe("met");
    expect(credit.judge(check, "", company({ facts: ["存在经营异常记录"] })).status).toBe("unmet");
    expect(credit.judge(check, "", company())).toMatchObject({ status: "unknown", question: "贵公司是否有失信、严重违法或经营异常记录？" });
  });

  it("takes a model's proposal only when the clause speaks of credit", () => {
    expect(credit.verify(check, "信用记录良好")).toBe(true);
    expect(credit.verify(check, "具有独立法人资格")).toBe(false);
  });
});
