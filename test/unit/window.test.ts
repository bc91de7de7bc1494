import { describe, expect, it } from "vitest";
import { readWindow } from "../../src/policies/window.js";

// Sentences of my own, in the shapes policy texts give (or do not give) the time to apply.
describe("the application window a policy text states", () => {
  it.each([
    ["申报时间：2026年3月1日至2026年4月30日。", { kind: "dates", start: "2026-03-01", end: "2026-04-30" }],
    ["【时间/频度】\n每年8月左右，每年评定一次\n【联络方式】", { kind: "annual", months: [8] }],
    ["每年3月左右发布通知，4月左右组织申报。", { kind: "annual", months: [4] }],
    ["项目每年3月至5月集中受理。", { kind: "annual", months: [3, 4, 5] }],
    ["【时间/频度】\n每年第一季度", { kind: "annual", months: [1, 2, 3] }],
    ["申报单位应于当年度9月底前完成项目申报。", { kind: "annual", months: [9] }],
    ["本事项常年受理，企业可随时提交申请。", { kind: "rolling" }],
    ["具体申报时间以当年发布的申报通知为准。", { kind: "notice" }],
    ["区科技局根据资金安排发布年度项目申报指南，企业按指南申报。", { kind: "notice" }],
    ["本办法自2024年1月1日起施行，有效期3年。", { kind: "none" }],
    ["申请及认定办理流程如下：提交申请→专家评审→认定。\n每年第一季度", { kind: "annual", months: [1, 2, 3] }],
    ["企业应于每年3月31日前报送上年度统计数据。", { kind: "none" }],
    ["对2025年1月1日至12月31日期间签订的贷款合同给予贴息。", { kind: "none" }],
  ] as const)("«%s»", (text, expected) => {
    expect(readWindow(text)).toEqual(expected);
  });

  it("does not take a guideline on ethics for a notice of a round", () => {
    expect(readWindow("伦理委员会发布人工智能伦理安全实践指南。")).toEqual({ kind: "none" });
  });
});
