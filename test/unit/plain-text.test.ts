import { describe, expect, it } from "vitest";
import { toPlainText } from "../../src/answer/plain-text.js";

describe("plain-text answers for WeChat", () => {
  it("drops citations and markup", () => {
    expect(toPlainText("## 结论\n可申请《甲》[1]，最高**30万元**【2】[3,4]。", 500)).toBe("结论\n可申请《甲》，最高30万元。");
  });

  it("cuts a long answer at the last sentence that fits and says where the rest is", () => {
    const answer = "第一句话说明支持标准。".repeat(30);
    const plain = toPlainText(answer, 100);
    expect(plain.length).toBeLessThanOrEqual(100);
    expect(plain).toMatch(/。…（完整内容见政策卡片）$/);
    expect(plain.startsWith("第一句话说明支持标准。")).toBe(true);
  });
});
