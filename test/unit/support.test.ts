import { describe, expect, it } from "vitest";
import { companyFrom } from "../../src/policies/company.js";
import { estimateAmount, estimateLine, readRateRules } from "../../src/policies/support.js";

// Sentences of my own, in the shapes support rules take.
describe("support rules: a rate of a base, with its cap", () => {
  it.each([
    ["对符合条件的企业，按其上年度研发费用较前一年度增量部分的10%给予奖励，单个企业最高500万元。", { rate: 0.1, cap: 500 }],
    ["按技术合同实际成交额的5%给予最高80万元奖补。", { rate: 0.05, cap: 80 }],
    ["按实际支付利息的50%给予贴息，单个企业年度最高100万元，单笔贷款最高30万元。", { rate: 0.5, cap: 30 }],
    ["按首台（套）销售价格的30%给予奖励，单个产品最高1亿元。", { rate: 0.3, cap: 10000 }],
    ["按年度实际保费的60%给予补贴。", { rate: 0.6 }],
  ])("«%s»", (sentence, expected) => {
    const [rule] = readRateRules([sentence]);
    expect(rule).toMatchObject(expected);
    if (!("cap" in expected)) expect(rule.cap).toBeUndefined();
  });

  it("reads no sum from a share to deduct from taxable income", () => {
    expect(readRateRules(["研发费用按照实际发生额的100%在税前加计扣除。", "按照无形资产成本的200%在税前摊销。"])).toEqual([]);
  });
});

describe("what a rule comes to for a company", () => {
  const rule = readRateRules(["按其上年度研发费用较前一年度增量部分的10%给予奖励，单个企业最高500万元。"]);
  const asOf = "2026-06-30";

  it("takes the R&D growth from the two years the company gave, and shows how the sum was computed", () => {
    const e = estimateAmount(rule, companyFrom({ rdExpense: 1500, rdExpensePrevYear: 1100 }, asOf));
    expect(e).toMatchObject({ amount: 40, base: 400, baseName: "研发费用增量", rate: 0.1, cap: 500, capped: false });
    expect(estimateLine(e!)).toBe("按贵公司研发费用增量400万元 × 10% 估算，约可获40万元，上限500万元（以主管部门核定为准）");
  });

  it("stops at the cap", () => {
    const e = estimateAmount(rule, companyFrom({ rdExpense: 12000, rdExpensePrevYear: 4000 }, asOf));
    expect(e).toMatchObject({ amount: 500, capped: true });
    expect(estimateLine(e!)).toContain("已按上限500万元计");
  });

  it("estimates nothing without the base, nor from a year that fell", () => {
    expect(estimateAmount(rule, companyFrom({ rdExpense: 1500 }, asOf))).toBeUndefined();
    expect(estimateAmount(rule, companyFrom({ rdExpense: 900, rdExpensePrevYear: 1100 }, asOf))).toBeUndefined();
  });

  it("reads another base from a sum the company states by the base's name", () => {
    const interest = readRateRules(["按实际支付利息的50%给予贴息，单个企业年度最高100万元。"]);
    expect(estimateAmount(interest, companyFrom({ facts: ["去年向银行支付贷款利息60万元"] }, asOf))).toMatchObject({ amount: 30, base: 60 });
    expect(estimateAmount(interest, companyFrom({ facts: ["去年营收3000万元"] }, asOf))).toBeUndefined();
  });
});
