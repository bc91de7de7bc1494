import { describe, expect, it } from "vitest";
import { threshold } from "../../../src/policies/conditions/threshold.js";
import { company, readAs } from "./table.js";

describe("threshold: a figure of the company against a value", () => {
  it.each([
    ["bj_049", "企业年营业收入在 2 亿元（含）以下", { metric: "revenue", op: "<=", value: 20000, dimension: "money" }],
    ["bj_076", "在职正式职工不多于 100 人（含）", { metric: "employees", op: "<=", value: 100, dimension: "count" }],
    ["bj_046", "注册资本在 1000 万元（含）以上", { metric: "other", op: ">=", value: 1000, dimension: "money" }],
    ["bj_128", "服务企业数量不低于 100 家", { metric: "other", op: ">=", value: 100, dimension: "count" }],
    ["(written)", "研发费用总额占同期销售收入总额的比例不低于5%", { metric: "rdRatio", op: ">=", value: 0.05, dimension: "ratio" }],
  ])("%s «%s» compares a figure", (_doc, clause, expected) => {
    expect(readAs("threshold", clause)).toEqual([expect.objectContaining({ type: "threshold", ...expected })]);
  });

  it("reads each number's own subject in a list («职工总数…、年销售收入…»)", () => {
    const checks = readAs("threshold", "职工总数不超过500人、年销售收入不超过2亿元、资产总额不超过2亿元");
    expect(checks.map((c) => c.type === "threshold" && c.metric)).toEqual(["employees", "revenue", "totalAssets"]);
  });

  it("leaves a number in brackets and a founding span to others", () => {
    expect(readAs("threshold", "企业注册成立不超过 5 年（含）")).toEqual([]);
    expect(readAs("threshold", "研发人员占比不低于10%（超过100人的企业达到5%）")).toHaveLength(1);
  });

  const revenue = { type: "threshold" as const, metric: "revenue" as const, op: "<=" as const, value: 20000, dimension: "money" as const, subject: "年营业收入在" };
  it("compares the profile's figure, and asks for it by name when it is missing", () => {
    expect(threshold.judge(revenue, "年营业收入在 2 亿元（含）以下", company({ revenue: 8000 })).status).toBe("met");
    expect(threshold.judge(revenue, "年营业收入在 2 亿元（含）以下", company({ revenue: 52000 })).status).toBe("unmet");
    expect(threshold.judge(revenue, "年营业收入在 2 亿元（含）以下", company())).toMatchObject({ status: "unknown", question: "贵公司上一年度营业收入是多少（万元）？" });
  });

  it("derives a ratio from the two figures, or takes the ratio the company gave", () => {
    const ratio = { type: "threshold" as const, metric: "rdRatio" as const, op: ">=" as const, value: 0.05, dimension: "ratio" as const, subject: "研发费用占比" };
    expect(threshold.judge(ratio, "", company({ revenue: 8000, rdExpense: 640 })).status).toBe("met");
    expect(threshold.judge(ratio, "", company({ rdRatio: 0.03 })).status).toBe("unmet");
  });

  it("reads someone else's figure from what the company said, and otherwise asks for it in the policy's words", () => {
    const capital = { type: "threshold" as const, metric: "other" as const, op: ">=" as const, value: 1000, dimension: "money" as const, subject: "注册资本在" };
    expect(threshold.judge(capital, "注册资本在 1000 万元（含）以上", company({ facts: ["注册资本2000万元"] })).status).toBe("met");
    expect(threshold.question!(capital, "", company())).toBe("请提供：注册资本在（政策要求不低于1000万元）");
  });

  it("takes a model's proposal only when the clause states the same number, unit and comparison", () => {
    expect(threshold.verify(revenue, "企业年营业收入在 2 亿元（含）以下")).toBe(true);
    expect(threshold.verify({ ...revenue, value: 2 }, "企业年营业收入在 2 亿元（含）以下")).toBe(false);
    expect(threshold.verify({ ...revenue, metric: "other" }, "企业年营业收入在 2 亿元（含）以下")).toBe(false);
  });

  it("bj_114 «境外母公司资产总额不低于 2 亿美元»: another currency decides only when every plausible rate agrees", () => {
    const [check] = readAs("threshold", "境外母公司资产总额不低于 2 亿美元");
    const text = "境外母公司资产总额不低于 2 亿美元";
    expect(threshold.judge(check, text, company({ facts: ["母公司资产总额9亿元"] })).status).toBe("unmet");
    expect(threshold.judge(check, text, company({ facts: ["母公司总资产20亿元"] })).status).toBe("met");
    expect(threshold.judge(check, text, company({ facts: ["母公司资产总额14亿元"] })).status).toBe("unknown");
  });

  it("bj_114 «在京累计实缴注册资本总额不低于 1000 万美元»: the registered capital is not what was paid in", () => {
    const [check] = readAs("threshold", "境外母公司在京累计实缴注册资本总额不低于 1000 万美元");
    const text = "境外母公司在京累计实缴注册资本总额不低于 1000 万美元";
    expect(threshold.judge(check, text, company({ facts: ["母公司在京注册资本3000万美元"] })).status).toBe("unknown");
    expect(threshold.judge(check, text, company({ facts: ["母公司在京实缴注册资本3000万美元"] })).status).toBe("met");
  });

  it("bj_019 «培育国家高新技术企业、金种子企业…等不少于 5 家»: the kinds listed count together", () => {
    const text = "当年培育国家高新技术企业、金种子企业、“专精特新”企业和独角兽企业等不少于 5 家";
    const [check] = readAs("threshold", text);
    expect(threshold.judge(check, text, company({ facts: ["今年培育国家高新技术企业3家、专精特新企业3家"] })).status).toBe("met");
    expect(threshold.judge(check, text, company({ facts: ["今年培育国家高新技术企业2家、专精特新企业1家"] })).status).toBe("unmet");
  });
});
