import { describe, expect, it } from "vitest";
import { companyFrom } from "../../src/policies/company.js";
import { estimateAmount, estimateLine, readRateRules, readSupportRules } from "../../src/policies/support.js";

// Sentences of my own, in the shapes support rules take.
describe("support rules: a rate of a base, with its cap", () => {
  it.each([
    ["对符合条件的企业，按其上年度研发费用较前一年度增量部分的10%给予奖励，单个企业最高500万元。", { rate: 0.1, cap: 500 }],
    ["按技术合同实际成交额的5%给予最高80万元奖补。", { rate: 0.05, cap: 80 }],
    ["按实际支付利息的50%给予贴息，单个企业年度最高100万元，单笔贷款最高30万元。", { rate: 0.5, cap: 30 }],
    ["按首台（套）销售价格的30%给予奖励，单个产品最高1亿元。", { rate: 0.3, cap: 10000 }],
    ["按年度实际保费的60%给予补贴。", { rate: 0.6 }],
    // The base named before the rate.
    [
      "对小巨人企业上年度研发费用较前一年度的增量部分，按15%给予支持，单个企业最高80万元。",
      { rate: 0.15, cap: 80, base: "小巨人企业上年度研发费用较前一年度的增量部分" },
    ],
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

// Sentences of my own, in the shapes support rules take; the figures are what a caseworker would write down.
describe("support rules as data: what a policy pays, each rule as written", () => {
  const rules = (sentence: string) => readSupportRules(sentence).map(({ text: _t, ...r }) => r);

  it.each([
    ["对首次认定的企业给予一次性奖励50万元。", [{ kind: "fixed", amount: 50, upTo: false }]],
    ["经评审，给予最高不超过 300 万元资金支持。", [{ kind: "fixed", amount: 300, upTo: true }]],
    ["按照设备投资额的 20%予以补贴，单个项目最高不超过 1000 万元。", [{ kind: "rate", rate: 0.2, base: "设备投资额", cap: 1000 }]],
    ["对符合条件的贷款给予 1.5 个百分点的贴息。", [{ kind: "rate", rate: 0.015, base: "贷款本金", cap: null }]],
    ["对获评一、二、三级的企业，分别给予不超过 100 万元、50 万元和 20 万元奖励。", [{ kind: "tiered", amounts: [100, 50, 20] }]],
    ["每项授权发明专利资助 2000 元，每家企业每年累计最高不超过 10 万元。", [{ kind: "perItem", per: 0.2, unit: "项", cap: 10 }]],
    [
      "运营补贴标准为每床每月 100 元、300 元或 500 元。",
      [
        { kind: "perItem", per: 0.01, unit: "床", cap: null },
        { kind: "perItem", per: 0.03, unit: "床", cap: null },
        { kind: "perItem", per: 0.05, unit: "床", cap: null },
      ],
    ],
    ["回收利用补贴标准为 300 元/吨。", [{ kind: "perItem", per: 0.03, unit: "吨", cap: null }]],
  ] as const)("«%s»", (sentence, expected) => {
    expect(rules(sentence)).toEqual(expected);
  });

  it("reads a sum per applicant as a sum, not a sum per unit counted", () => {
    expect(rules("给予每家企业最高30万元的一次性支持。")).toEqual([{ kind: "fixed", amount: 30, upTo: true }]);
  });

  it.each([
    ["对年营业收入达到 5000 万元以上的企业，给予 20 万元奖励。", [{ kind: "fixed", amount: 20, upTo: false }]],
    ["融资额达到 1 亿元、5 亿元或 10 亿元的，给予相应奖励。", []],
    ["研发投入占营业收入比例不低于 5%的企业，给予 10 万元支持。", [{ kind: "fixed", amount: 10, upTo: false }]],
    ["资金按 70%、30%的比例分期拨付。", []],
    ["对违规企业处以 5 万元罚款。", []],
  ] as const)("takes no bar or schedule for support: «%s»", (sentence, expected) => {
    expect(rules(sentence)).toEqual(expected);
  });
});
