import { describe, expect, it } from "vitest";
import { mergeProfiles, profileFromQuestion } from "../../src/policies/profile.js";
import { clausesOf, factContext, readCompanyFacts } from "../../src/understand/facts/index.js";
import { ownersOf } from "../../src/understand/facts/owner.js";

const TODAY = "2026-12-01";

describe("clauses", () => {
  it("splits at clause punctuation but not inside a number", () => {
    expect(clausesOf("去年营收：1,250万元；研发占比6.5%，员工50人").map((c) => c.text)).toEqual(["去年营收：1,250万元", "研发占比6.5%", "员工50人"]);
  });
});

describe("whose statement a clause is", () => {
  const owners = (text: string) => {
    const clauses = clausesOf(text);
    return ownersOf(clauses, text);
  };
  it.each([
    ["我们员工50人", ["us"]],
    ["文件上说最高补300万，我们能拿多少？", ["policy", "policy"]],
    ["如果我们研发占比做到6%，可以申请高企吗？", ["hypothetical", "hypothetical"]],
    ["如果我们迁到顺义，研发做到900万，能拿多少？", ["hypothetical", "hypothetical", "hypothetical"]],
    ["如果能申请，我们去年营收3000万够吗", ["hypothetical", "us"]],
    ["客户那边营收几十亿，我们营收800万", ["customer", "us"]],
    ["我们给比亚迪做配套，比亚迪一年营收几千亿，我们也就八十来人", ["us", "customer", "us"]],
    ["不到50人能申请吗？", ["question"]],
    ["股东给我们定的目标是后年营收8000万", ["hypothetical"]],
  ])("reads %s as %j", (text, expected) => {
    expect(owners(text)).toEqual(expected);
  });

  it("answers ownerAt by the clause holding the offset", () => {
    const ctx = factContext("政策最高给500万，我们营收800万", TODAY);
    expect(ctx.ownerAt(ctx.text.indexOf("500"))).toBe("policy");
    expect(ctx.ownerAt(ctx.text.indexOf("800"))).toBe("us");
  });
});

describe("readCompanyFacts", () => {
  it("keeps the R&D ratio only when the amounts are not both given", () => {
    expect(readCompanyFacts("营收5000万，研发费用350万，占比7%", { today: TODAY }).profile).not.toHaveProperty("rdRatio");
    expect(readCompanyFacts("研发投入占比8%", { today: TODAY }).profile).toMatchObject({ rdRatio: 0.08 });
  });

  it("marks estimates as approximate", () => {
    expect(readCompanyFacts("三十来个人，去年营收三百多万", { today: TODAY }).approx.sort()).toEqual(["employees", "revenue"]);
  });

  it("keeps unplaced clauses about the company as facts, never a question or a policy's figure", () => {
    const read = readCompanyFacts("上年度获得A轮融资3000万元，政策最高给500万，员工50人，不到100人能申请吗", { today: TODAY });
    expect(read.facts).toEqual(["上年度获得A轮融资3000万元"]);
  });

  it("keeps a request to the assistant out of the facts", () => {
    expect(readCompanyFacts("帮我写一份申报书", { today: TODAY }).facts).toEqual([]);
    expect(readCompanyFacts("麻烦帮我们列一下3个可以申请的项目，我们有20个员工", { today: TODAY }).facts).toEqual([]);
  });
});

describe("profileFromQuestion", () => {
  it("reads figures the old table misread", () => {
    expect(profileFromQuestion("研发投入150万，有2件发明专利", { today: TODAY })).toMatchObject({ rdExpense: 150, inventionPatents: 2 });
    expect(profileFromQuestion("研发投入150万，有2件发明专利", { today: TODAY })).not.toHaveProperty("employees");
    expect(profileFromQuestion("入选3551人才计划", { today: TODAY })).not.toHaveProperty("employees");
    expect(profileFromQuestion("员工人数：86；科技人员：31；营业收入：5200万元", { today: TODAY })).toMatchObject({
      employees: 86,
      techStaff: 31,
      revenue: 5200,
    });
    expect(profileFromQuestion("去年研发640万，前年520万", { today: TODAY })).toMatchObject({ rdExpense: 640, rdExpensePrevYear: 520 });
  });

  it("reads traditional characters", () => {
    expect(profileFromQuestion("員工七十人，去年研發投入一千五百萬", { today: TODAY })).toMatchObject({ employees: 70, rdExpense: 1500 });
  });

  it("reads an English message's figures from its own words", () => {
    expect(
      profileFromQuestion("Our company has about 220 employees, 70 of them are R&D staff, and we spent RMB 18 million on R&D last year.", { today: TODAY }),
    ).toMatchObject({
      employees: 220,
      techStaff: 70,
      rdExpense: 1800,
    });
  });

  it("returns no facts for a plain question", () => {
    expect(profileFromQuestion("上海的科技创新券在哪里申领？", { today: TODAY })).toEqual({});
  });
});

describe("mergeProfiles", () => {
  it("lets a correction in a later turn replace the field", () => {
    const previous = { employees: 45, revenue: 3000 };
    expect(mergeProfiles(profileFromQuestion("人数现在六十了", { today: TODAY }), previous)).toMatchObject({ employees: 60, revenue: 3000 });
  });

  it("replaces a district and drops the park below it when the winning side names another district", () => {
    const merged = mergeProfiles(
      { region: { city: "北京市", district: "朝阳区" } },
      { region: { province: "北京市", city: "北京市", district: "海淀区", park: "中关村科学城" } },
    );
    expect(merged.region).toEqual({ province: "北京市", city: "北京市", district: "朝阳区" });
  });

  it("keeps the other side's lower levels when the winning side agrees above them", () => {
    const merged = mergeProfiles({ region: { city: "深圳市", park: "前海" } }, { region: { province: "广东省", city: "深圳市", district: "南山区" } });
    expect(merged.region).toEqual({ province: "广东省", city: "深圳市", district: "南山区", park: "前海" });
  });

  it("settles a qualification one side holds and the other lacks the winning side's way", () => {
    expect(mergeProfiles({ lacks: ["高新技术企业"] }, { qualifications: ["高企", "科技型中小企业"] })).toEqual({
      lacks: ["高新技术企业"],
      qualifications: ["科技型中小企业"],
    });
    expect(mergeProfiles({ qualifications: ["高新技术企业"] }, { lacks: ["高新技术企业", "专精特新中小企业"] })).toEqual({
      qualifications: ["高新技术企业"],
      lacks: ["专精特新中小企业"],
    });
  });

  it("settles a later turn's change against the profile so far", () => {
    const t = { today: TODAY };
    expect(mergeProfiles(profileFromQuestion("员工又招了8个", t), { employees: 12 })).toEqual({ employees: 20 });
    expect(mergeProfiles(profileFromQuestion("研发那个数字其实是前年的，去年是610万", t), { rdExpense: 450 })).toEqual({
      rdExpense: 610,
      rdExpensePrevYear: 450,
    });
    expect(mergeProfiles(profileFromQuestion("前年的数字我说错了，应该是900万", t), { revenue: 1200, revenuePrevYear: 800 })).toEqual({
      revenue: 1200,
      revenuePrevYear: 900,
    });
    // With nothing to change, nothing is made up, and the change itself never reaches the profile.
    expect(mergeProfiles(profileFromQuestion("员工又招了8个", t), {})).toEqual({});
  });

  it("accumulates facts, the base's first", () => {
    expect(mergeProfiles({ facts: ["无失信记录"] }, { facts: ["拥有市级企业技术中心", "无失信记录"] }).facts).toEqual(["无失信记录", "拥有市级企业技术中心"]);
  });
});
