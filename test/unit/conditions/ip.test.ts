import { describe, expect, it } from "vitest";
import { ip } from "../../../src/policies/conditions/ip.js";
import { company, readAs } from "./table.js";

describe("ip: owns intellectual property", () => {
  it.each([
    ["bj_046", "具有核心技术或自主知识产权"],
    ["(written)", "拥有相关专利或软件著作权"],
  ])("%s «%s» asks for intellectual property", (_doc, clause) => {
    expect(readAs("ip", clause)).toEqual([{ type: "ip" }]);
  });

  it("leaves a counted number of patents to the threshold read before it", () => {
    expect(readAs("ip", "拥有发明专利不少于2件的企业，具有自主知识产权")).toEqual([]);
  });

  const check = { type: "ip" as const };
  it("is met by patents or a fact, unmet by none, and asks how many otherwise", () => {
    expect(ip.judge(check, "", company({ inventionPatents: 6 })).status).toBe("met");
    expect(ip.judge(check, "", company({ facts: ["拥有核心技术和自主知识产权"] })).status).toBe("met");
    expect(ip.judge(check, "", company({ inventionPatents: 0, ipCount: 0 })).status).toBe("unmet");
    expect(ip.judge(check, "", company())).toMatchObject({ status: "unknown", question: "贵公司拥有多少件发明专利或其他知识产权？" });
  });

  it("takes a model's proposal only when the clause speaks of patents or intellectual property", () => {
    expect(ip.verify(check, "具有核心技术或自主知识产权")).toBe(true);
    expect(ip.verify(check, "具有较强的研发能力")).toBe(false);
  });
});
