import { describe, expect, it } from "vitest";
import { toPlainText } from "../../src/answer/plain-text.js";

describe("plain-text answers for WeChat", () => {
  it("drops citations and markup", () => {
    expect(toPlainText("## 结论\n可申请《甲》[1]，最高**30万元**【2】[3,4]。", 500)).toBe("结论\n可申请《甲》，最高30万元。");
  });

  it("cuts a long answer at the last sentence that fits, without pointing to cards the channel cannot show", () => {
    const answer = "第一句话说明支持标准。".repeat(30);
    const plain = toPlainText(answer, 100);
    expect(plain.length).toBeLessThanOrEqual(100);
    expect(plain).toMatch(/。$/);
    expect(plain).not.toContain("卡片");
    expect(plain.startsWith("第一句话说明支持标准。")).toBe(true);
  });

  it("keeps the direct answer and as many one-line policy summaries as fit, and drops the provenance note", () => {
    const answer = [
      "《甲办法》的支持标准：按投入的30%给予补助，最高不超过500万元[1]。目前可申报，截止 2026-12-31。",
      "其他相关政策：",
      "2. 《乙办法》：最高给予200万元[2]；目前可申报，截止 2027-01-31。",
      "3. 《丙办法》：给予不超过100万元的资金支持[3]；已截止（本期于 2026-03-31 截止），此类项目通常每年开展，可关注下一期。",
      "以上内容摘自政策原文，方括号内为出处编号；最终以主管部门发布的申报通知为准。",
    ].join("\n");
    const plain = toPlainText(answer, 120);
    expect(plain.length).toBeLessThanOrEqual(120);
    expect(plain.startsWith("《甲办法》的支持标准：按投入的30%给予补助，最高不超过500万元。")).toBe(true);
    expect(plain).toContain("《乙办法》：最高给予200万元；目前可申报，截止 2027-01-31。");
    expect(plain).not.toContain("《丙办法》");
    expect(plain).not.toContain("以上内容摘自");
    expect(plain).not.toMatch(/[：:]$/);
  });
});
