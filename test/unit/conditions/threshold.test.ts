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

  const revenue = {
    type: "threshold" as const,
    metric: "revenue" as const,
    op: "<=" as const,
    value: 20000,
    dimension: "money" as const,
    subject: "年营业收入在",
  };
  it("compares the profile's figure, and asks for it by name when it is missing", () => {
    expect(threshold.judge(revenue, "年营业收入在 2 亿元（含）以下", company({ revenue: 8000 })).status).toBe("met");
    expect(threshold.judge(revenue, "年营业收入在 2 亿元（含）以下", company({ revenue: 52000 })).status).toBe("unmet");
    expect(threshold.judge(revenue, "年营业收入在 2 亿元（含）以下", company())).toMatchObject({
      status: "unknown",
      question: "贵公司上一年度营业收入是多少（万元）？",
    });
  });

  it("derives a ratio from the two figures, or takes the ratio the company gave", () => {
    const ratio = {
      type: "threshold" as const,
      metric: "rdRatio" as const,
      op: ">=" as const,
      value: 0.05,
      dimension: "ratio" as const,
      subject: "研发费用占比",
    };
    expect(threshold.judge(ratio, "", company({ revenue: 8000, rdExpense: 640 })).status).toBe("met");
    expect(threshold.judge(ratio, "", company({ rdRatio: 0.03 })).status).toBe("unmet");
  });

  it("reads someone else's figure from what the company said, and otherwise asks for it in the policy's words", () => {
    const capital = {
      type: "threshold" as const,
      metric: "other" as const,
      op: ">=" as const,
      value: 1000,
      dimension: "money" as const,
      subject: "注册资本在",
    };
    expect(threshold.judge(capital, "注册资本在 1000 万元（含）以上", company({ facts: ["注册资本2000万元"] })).status).toBe("met");
    expect(threshold.question!(capital, "注册资本在 1000 万元（含）以上", company())).toBe("贵公司注册资本是多少（万元）？");
  });

  it("asks one plain question for a figure, never a fragment of the clause", () => {
    const figure = (subject: string, dimension: "money" | "ratio" | "count", currency?: "USD") => ({
      type: "threshold" as const,
      metric: "other" as const,
      op: ">=" as const,
      value: 1,
      dimension,
      subject,
      ...(currency ? { currency } : {}),
    });
    const ask = (subject: string, clause: string, dimension: "money" | "ratio" | "count" = "money", currency?: "USD") =>
      threshold.question!(figure(subject, dimension, currency), clause, company());
    expect(ask("年度技术合同成交额应", "年度技术合同成交额应达到 800 万元以上")).toBe("贵公司年度技术合同成交额是多少（万元）？");
    expect(ask("海外总部资产总额", "海外总部资产总额不低于 3 亿美元", "money", "USD")).toBe("海外总部资产总额是多少（万美元）？");
    expect(ask("硕士以上学历人员占企业员工总数", "硕士以上学历人员占企业员工总数的 30%以上", "ratio")).toBe(
      "贵公司硕士以上学历人员占企业员工总数的比例是多少（%）？",
    );
    // A name cut from the middle of the clause asks about the clause itself.
    expect(ask("至", "年营业收入 1 亿元至 5 亿元")).toBe("贵公司是否符合：年营业收入 1 亿元至 5 亿元？");
    expect(ask("与其签订", "与其签订 3 年以上租赁协议", "count")).toBe("贵公司是否符合：与其签订 3 年以上租赁协议？");
    expect(ask("技术服务收入不低于企业当年总收入", "技术服务收入不低于企业当年总收入的 60%", "ratio")).toBe(
      "贵公司是否符合：技术服务收入不低于企业当年总收入的 60%？",
    );
    for (const q of [ask("至", "年营业收入 1 亿元至 5 亿元"), ask("年度技术合同成交额应", "x")]) expect(q).not.toMatch(/请提供|政策要求/);
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

  it("judges R&D growth as a rate only from two years' figures, never from an amount of growth alone", () => {
    const text = "研发费用较上年度增长10%以上";
    const [check] = readAs("threshold", text);
    expect(check).toMatchObject({ metric: "rdGrowthRate", value: 0.1 });
    expect(threshold.judge(check, text, company({ facts: ["研发投入同比增长了800万"] }))).toMatchObject({
      status: "unknown",
      question: expect.stringContaining("研发费用"),
    });
    expect(threshold.judge(check, text, company({ facts: ["研发费用：2024年度400万元，2025年度460万元"] })).status).toBe("met");
    expect(threshold.judge(check, text, company({ facts: ["研发费用：2024年度400万元，2025年度420万元"] })).status).toBe("unmet");
  });
});
