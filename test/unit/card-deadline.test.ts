import { describe, expect, it } from "vitest";
import { deadlineOf } from "../../src/answer/extractive.js";
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
