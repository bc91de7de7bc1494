import { describe, expect, it } from "vitest";
import { buildCard, deadlineOf } from "../../src/answer/extractive.js";
import type { PolicyRecord, StoredChunk } from "../../src/policies/policy.js";

const policy = (dates: Partial<PolicyRecord> = {}) => ({ id: "p", applyStart: null, applyEnd: null, status: "active", ...dates }) as unknown as PolicyRecord;
const chunk = (position: number, heading: string, text: string) => ({ id: `p#${position}`, policyId: "p", position, heading, text }) as unknown as StoredChunk;

// Texts of my own, laid out as a policy card is: labelled cells, the time cell a bare phrase.
describe("a card's application window", () => {
  it("says the yearly round a card's time cell names, where the text gives no dates", () => {
    const chunks = [chunk(0, "服务流程", "申请认定办理流程如下：\n提交申请→专家评审→认定。"), chunk(1, "时间/频度", "每年第二季度")];
    expect(deadlineOf(policy(), chunks, "2026-12-01")).toMatchObject({ state: "unknown", text: "通常每年4—6月受理，以当年申报通知为准" });
  });

  it("does not take a sentence under a time heading that names no time", () => {
    const chunks = [chunk(0, "时间安排", "申请认定办理具体流程如下：")];
    expect(deadlineOf(policy(), chunks, "2026-12-01")).toBeNull();
  });

  it("keeps the dates when the text has them", () => {
    const chunks = [chunk(0, "申报时间", "每年3月左右受理。")];
    expect(deadlineOf(policy({ applyStart: "2026-11-01", applyEnd: "2026-12-31" }), chunks, "2026-12-01")).toMatchObject({
      state: "open",
      applyEnd: "2026-12-31",
      text: "每年3月左右受理。",
    });
  });
});

// Sentences of my own, as a 支持标准 section with tiers lays them out.
describe("a card's support line", () => {
  const hit = { policyId: "p", score: 1, coverage: 1, lexical: 1, vector: 0, regionPath: [], chunks: [] };
  const card = (text: string) =>
    buildCard({ ...policy(), title: "某区研发奖励办法" } as PolicyRecord, [chunk(0, "支持标准", text)], hit, "2026-12-01", () => 1);

  it("quotes what a tier pays, not the bar it sets", () => {
    const support = card("（一）对首次认定的企业，给予20万元一次性奖励。\n（二）上年度研发费用不低于1000万元；\n（三）研发人员占比30%以上。").support ?? "";
    expect(support).toContain("给予20万元一次性奖励");
    expect(support).not.toContain("不低于1000万元");
    expect(support).not.toContain("30%以上");
  });

  it("keeps a sentence that pays on reaching a bar", () => {
    expect(card("对上年度研发费用达到1000万元以上的企业，给予50万元奖励。").support).toContain("给予50万元奖励");
  });
});
