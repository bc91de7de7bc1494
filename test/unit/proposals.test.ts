import { describe, expect, it } from "vitest";
import { verifiedFacts, withProposals } from "../../src/understand/proposals.js";

describe("a model's proposed company facts", () => {
  it("keeps a proposal only when each of its figures is one the message states", () => {
    const message = "我们去年营收3000万，员工80人，政策说最高补500万";
    expect(verifiedFacts(["上年度营业收入3000万元", "从业人员80人", "营业收入5000万元", "企业在海淀区"], message)).toEqual([
      "上年度营业收入3000万元",
      "从业人员80人",
    ]);
  });

  it("reads the verified proposals into fields the message's readers left empty, the message's own reading winning", () => {
    const message = "营收三千万，干技术的三十个";
    const profile = withProposals({ revenue: 3000 }, ["科技人员30人", "营业收入5000万元", "注册在海淀区", "是高新技术企业"], message, "2026-12-01");
    expect(profile).toMatchObject({ revenue: 3000, techStaff: 30 });
    expect(profile.region).toBeUndefined();
    expect(profile.qualifications).toBeUndefined();
    expect(profile.facts).toEqual(["科技人员30人"]);
  });
});
