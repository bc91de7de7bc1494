import { describe, expect, it } from "vitest";
import { text } from "../../../src/policies/conditions/text.js";
import { company, readAs } from "./table.js";

describe("text: what no other kind reads", () => {
  it.each([
    ["bj_066", "企业掌握前沿技术"],
    ["(written)", "符合条件的用人单位招用员工（不含法定代表人）"],
  ])("%s «%s» is left to the company's word", (_doc, clause) => {
    expect(readAs("text", clause)).toEqual([{ type: "text" }]);
  });

  it("adds nothing to a clause another kind reads, nor to a bare list of applicants", () => {
    expect(readAs("text", "具有独立法人资格")).toEqual([]);
    expect(readAs("text", "以及高等学校、科研机构等创新主体")).toEqual([]);
    expect(readAs("text", "其他")).toEqual([]);
  });

  const check = { type: "text" as const };
  it("is met by a fact that says the same, unmet by one that contradicts it, and asks otherwise", () => {
    expect(text.judge(check, "企业掌握前沿技术", company({ facts: ["企业掌握多项前沿技术"] })).status).toBe("met");
    expect(text.judge(check, "未获得其他市级财政资金支持", company({ facts: ["已获得市级财政资金支持"] })).status).toBe("unmet");
    expect(text.judge(check, "企业掌握前沿技术", company())).toMatchObject({ status: "unknown", question: "贵公司是否符合：企业掌握前沿技术？" });
  });

  it("checks a span the condition requires against the one the company states", () => {
    const clause = "连续3个月为员工缴纳社会保险费";
    expect(text.judge(check, clause, company({ facts: ["已连续5个月为员工缴纳社会保险费"] })).status).toBe("met");
    expect(text.judge(check, clause, company({ facts: ["已连续2个月为员工缴纳社会保险费"] })).status).toBe("unmet");
  });

  it("counts years since graduation («毕业5年内»)", () => {
    expect(text.judge(check, "高校毕业生（毕业5年内）", company({ facts: ["2022届普通高校本科毕业生"] })).status).toBe("met");
  });

  it("never takes a model's free text as structure", () => {
    expect(text.verify(check, "企业掌握前沿技术")).toBe(false);
  });
});
