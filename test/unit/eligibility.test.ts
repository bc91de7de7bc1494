import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadDocument } from "../../src/ingest/loaders.js";
import { extractMetadata } from "../../src/ingest/metadata.js";
import { companyFrom } from "../../src/policies/company.js";
import { extractCriteria, type PolicyCriteria } from "../../src/policies/criteria.js";
import { judge } from "../../src/policies/eligibility.js";
import { CompanyProfileSchema, mergeProfiles, normalizeProfile, profileFromQuestion } from "../../src/policies/profile.js";
import { findQuantities, parseNumber } from "../../src/policies/quantity.js";
import { profileRegionPath, regionCovers } from "../../src/policies/region.js";
import { fixture } from "../helpers/corpus.js";

const q = (text: string) => findQuantities(text).map(({ value, dimension, op, currency }) => ({ value, dimension, op, currency }));

describe("quantities in policy Chinese", () => {
  it("normalises money to 万元 and keeps the currency", () => {
    expect(q("年营业收入在 2 亿元（含）以下")).toEqual([{ value: 20000, dimension: "money", op: "<=", currency: "CNY" }]);
    expect(q("注册资本总额不低于 1000 万美元")).toEqual([{ value: 1000, dimension: "money", op: ">=", currency: "USD" }]);
    expect(q("补贴10000元")).toEqual([{ value: 1, dimension: "money", op: undefined, currency: "CNY" }]);
    expect(q("营收一个多亿")[0]).toMatchObject({ value: 10000, dimension: "money" });
    // 来 after a number is «about», as 多 is; «近3年来» is a span of time, not an approximate figure.
    expect(findQuantities("一年销售额只有三百来万元").find((x) => x.dimension === "money")).toMatchObject({
      value: 300,
      dimension: "money",
      approximate: true,
    });
    expect(findQuantities("团队二十来人")[0]).toMatchObject({ value: 20, dimension: "count", unit: "人", approximate: true });
    expect(findQuantities("近3年来累计投入研发经费")[0]).toMatchObject({ value: 3, dimension: "years" });
    expect(findQuantities("近3年来累计投入研发经费")[0].raw).not.toContain("来");
  });

  it("reads 「以上」「不超过」「满」「（不含）」 and a comparison standing before its subject", () => {
    expect(q("年营业收入 1000 万元以下（不含）")[0].op).toBe("<");
    expect(q("企业注册成立不超过 5 年（含）")[0]).toMatchObject({ value: 5, dimension: "years", op: "<=" });
    expect(q("成立满两年")[0]).toMatchObject({ value: 2, dimension: "years", op: ">=" });
    expect(q("具有大专以上学历的员工占企业职工总数的 50%以上")).toEqual([{ value: 0.5, dimension: "ratio", op: ">=", currency: undefined }]);
    expect(q("离岸服务外包业务取得的收入不低于企业当年总收入的 35%")[0]).toMatchObject({ value: 0.35, op: ">=" });
    expect(q("同比增量为 100 万元（含）至 500 万元").map((x) => x.op)).toEqual([">=", "<"]);
  });

  it("does not read a calendar year or 「上一会计年度」 as a quantity", () => {
    expect(q("2023年6月签订合同")).toEqual([]);
    expect(q("上一会计年度年末从业人员 100 人（含）以下").map((x) => x.value)).toEqual([100]);
    expect(parseNumber("一百二十")).toBe(120);
    expect(parseNumber("两")).toBe(2);
  });
});

describe("region containment", () => {
  it("district ⊂ city ⊂ province, parks inside their city", () => {
    expect(regionCovers(["湖北省", "武汉市"], profileRegionPath({ district: "洪山" }))).toBe(true);
    expect(regionCovers(["北京市"], profileRegionPath({ park: "中关村科学城" }))).toBe(true);
    expect(regionCovers(["北京市", "海淀区"], profileRegionPath({ city: "北京市", district: "朝阳区" }))).toBe(false);
    expect(regionCovers([], profileRegionPath({ city: "天津市" }))).toBe(true);
  });
});

describe("company facts from free text", () => {
  it("reads a change of a figure («比前年多了200万») as the change, never as the figure", () => {
    const c = companyFrom({ facts: ["研发费用去年比前年多了200万", "营收比上年增加了3000万"] }, "2026-12-01");
    expect(c).toMatchObject({ rdGrowth: 200 });
    expect(c.rdExpense).toBeUndefined();
    expect(c.revenue).toBeUndefined();
  });

  it("reads figures, R&D growth and places out of facts", () => {
    const c = companyFrom(
      {
        region: { city: "上海市" },
        facts: [
          "上一会计年度研发费用520万元（加计扣除申报口径），前一年度为360万元",
          "依法在徐汇区经营",
          "2025年首次被认定为国家级专精特新“小巨人”企业",
          "未上市",
        ],
      },
      "2026-11-23",
    );
    expect(c.rdExpense).toBe(520);
    expect(c.rdGrowth).toBe(160);
    expect(c.regionPath).toEqual(["上海市", "徐汇区"]);
    expect(c.qualifications).toContain("专精特新“小巨人”企业");
    expect(c.listed).toBe(false);
  });

  it("does not credit a qualification the company says it lacks", () => {
    expect(companyFrom({ facts: ["自主研制的样机尚未列入首台（套）目录", "还不是高新技术企业"] }, "2026-11-23").qualifications).not.toContain("高新技术企业");
  });

  it("reads company facts stated in a question", () => {
    const p = profileFromQuestion("我们在海淀，去年营收3000万，是高企，有什么补贴？");
    expect(p.region).toMatchObject({ city: "北京市", district: "海淀区" });
    expect(p.revenue).toBe(3000);
    expect(p.qualifications).toEqual(["高新技术企业"]);
    // The caller's profile wins; the question fills gaps. A clause the readers placed is no fact.
    const merged = mergeProfiles({ revenue: 2500, facts: ["无失信记录"] }, p);
    expect(merged.revenue).toBe(2500);
    expect(merged.facts).toEqual(["无失信记录"]);
  });
});

describe("company profile", () => {
  it("normalises synonyms and keeps unknown keys", () => {
    const p = normalizeProfile(CompanyProfileSchema.parse({ region: { district: "海淀" }, qualifications: ["高企", "小巨人"], wechatOpenId: "o-123" }));
    expect(p.region).toMatchObject({ province: "北京市", city: "北京市", district: "海淀区" });
    expect(p.qualifications).toEqual(["高新技术企业", "专精特新“小巨人”企业"]);
    expect(p).toHaveProperty("wechatOpenId", "o-123");
  });

  it("rejects negative money, a founding date in the future and strings for numbers, naming the field", () => {
    const issues = (v: unknown) => CompanyProfileSchema.safeParse(v).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ revenue: -5 })).toEqual(["revenue: 营业收入不能为负数"]);
    expect(issues({ established: "2999-01-01" })).toEqual(["established: 成立日期不能晚于今天"]);
    expect(issues({ employees: "120" })?.[0]).toMatch(/^employees: /);
  });
});

const RULES: PolicyCriteria = {
  common: [
    { id: "c1", text: "在北京市注册", mode: "all", checks: [{ type: "region", path: ["北京市"], place: "北京市" }] },
    {
      id: "c2",
      text: "上一年度营业收入 2000 万元（含）以下",
      mode: "all",
      checks: [{ type: "threshold", metric: "revenue", op: "<=", value: 2000, dimension: "money", subject: "上一年度营业收入" }],
    },
    { id: "c3", text: "国家高新技术企业或科技型中小企业", mode: "all", checks: [{ type: "qualification", anyOf: ["高新技术企业", "科技型中小企业"] }] },
    { id: "c4", text: "具有较强的研发能力", mode: "all", checks: [{ type: "text" }] },
  ],
  programmes: [],
};

describe("judging a company against criteria", () => {
  const beijing = { region: { city: "北京市", district: "海淀区" }, qualifications: ["高企"] };

  it("is eligible when every hard criterion is met; a vague one does not hold it back", () => {
    const j = judge(RULES, { ...beijing, revenue: 1600 }, "2026-11-23");
    expect(j.verdict).toBe("eligible");
    expect(j.checklist.find((r) => r.id === "c2")?.reason).toContain("1600万元");
    expect(j.checklist.find((r) => r.id === "c4")).toMatchObject({ status: "unknown", soft: true });
  });

  it("never calls a company outside the policy's region eligible", () => {
    const j = judge(RULES, { region: { city: "天津市" }, revenue: 1600, qualifications: ["高新技术企业"] }, "2026-11-23");
    expect(j.verdict).toBe("ineligible");
    expect(j.checklist[0]).toMatchObject({ status: "unmet" });
    expect(j.checklist[0].reason).toContain("天津市");
  });

  it("asks for the deciding fact rather than guess", () => {
    const j = judge(RULES, beijing, "2026-11-23");
    expect(j.verdict).toBe("needs_info");
    expect(j.missing).toEqual([{ criterion: "上一年度营业收入 2000 万元（含）以下", question: "贵公司上一年度营业收入是多少（万元）？" }]);
  });

  it("takes a listed qualification set as complete, and an absent one as unknown", () => {
    expect(judge(RULES, { ...beijing, revenue: 100, qualifications: ["专精特新中小企业"] }, "2026-11-23").verdict).toBe("ineligible");
    const unknown = judge(RULES, { region: beijing.region, revenue: 100 }, "2026-11-23");
    expect(unknown.verdict).toBe("needs_info");
    expect(unknown.missing[0].question).toContain("高新技术企业或科技型中小企业");
  });

  it("judges age as of the case's date, and only applies a conditional criterion to whom it concerns", () => {
    const rules: PolicyCriteria = {
      common: [
        { id: "c1", text: "注册成立不超过 5 年（含）", mode: "all", checks: [{ type: "age", op: "<=", years: 5 }] },
        {
          id: "c2",
          text: "注册成立两年以上的，研发费用同比增量 100 万元以上",
          mode: "all",
          when: { type: "age", op: ">=", years: 2 },
          checks: [{ type: "threshold", metric: "rdGrowth", op: ">=", value: 100, dimension: "money", subject: "研发费用同比增量" }],
        },
      ],
      programmes: [],
    };
    expect(judge(rules, { established: "2021-12-01" }, "2026-11-23").verdict).toBe("needs_info");
    expect(judge(rules, { established: "2021-12-01" }, "2027-06-01").verdict).toBe("ineligible");
    expect(judge(rules, { established: "2025-06-01" }, "2026-11-23").verdict).toBe("eligible");
    expect(judge(rules, { established: "2022-06-01", facts: ["研发费用900万元，前一年度为600万元"] }, "2026-11-23").verdict).toBe("eligible");
  });

  it("says it cannot tell when no condition could be read", () => {
    const j = judge({ common: [], programmes: [] }, beijing, "2026-11-23");
    expect(j.verdict).toBe("needs_info");
    expect(j.missing[0].question).toContain("请对照原文确认");
  });
});

/** Criteria of a real corpus policy, extracted exactly as ingest does. */
async function corpusCriteria(id: string): Promise<PolicyCriteria> {
  const file = fixture(id);
  const doc = await loadDocument(file.pathname, readFileSync(file));
  const meta = extractMetadata(doc.text, doc.meta, { title: doc.title, fileName: id });
  return extractCriteria(doc.text, { policyRegionPath: meta.regionPath, title: meta.title });
}

const one = (text: string, check: PolicyCriteria["common"][number]["checks"][number]): PolicyCriteria => ({
  common: [
    { id: "c1", text: "在广州市行政区域内登记注册", mode: "all", checks: [{ type: "region", path: ["广东省", "广州市"], place: "广州市" }] },
    { id: "c2", text, mode: "all", checks: [check] },
  ],
  programmes: [],
});
const guangzhou = { region: { city: "广州市", district: "海珠区" } };

describe("conditions on the person and on what the company has not got", () => {
  // gz_04/gz_05: 「提交贷款申请时女性不超过55周岁、男性不超过60周岁」
  const age = one("提交贷款申请时女性不超过55周岁、男性不超过60周岁", {
    type: "personAge",
    limits: [
      { sex: "女", op: "<=", years: 55 },
      { sex: "男", op: "<=", years: 60 },
    ],
  });

  it("judges the legal representative's age by the limit for their sex", () => {
    expect(judge(age, { ...guangzhou, facts: ["法定代表人为退役军人，男，62岁"] }, "2026-11-23").verdict).toBe("ineligible");
    expect(judge(age, { ...guangzhou, facts: ["法定代表人为女性，58岁"] }, "2026-11-23").verdict).toBe("ineligible");
    expect(judge(age, { ...guangzhou, facts: ["法定代表人，男，58岁"] }, "2026-11-23").verdict).toBe("eligible");
    // Without the sex, 58 passes one limit and fails the other: ask.
    expect(judge(age, { ...guangzhou, facts: ["法定代表人今年58岁"] }, "2026-11-23").verdict).toBe("needs_info");
    // Someone else's age is not the applicant's.
    expect(judge(age, { ...guangzhou, facts: ["一名香港居民（30岁）持股15%"] }, "2026-11-23").verdict).toBe("needs_info");
  });

  it("reads 「非上市文化企业」 as: must not be listed", () => {
    const rules = one("非上市文化企业", { type: "qualification", anyOf: ["上市公司"], absent: true });
    expect(judge(rules, { ...guangzhou, listed: true }, "2026-11-23").verdict).toBe("ineligible");
    expect(judge(rules, { ...guangzhou, listed: false }, "2026-11-23").verdict).toBe("eligible");
    expect(judge(rules, { ...guangzhou, qualifications: ["高新技术企业"] }, "2026-11-23").verdict).toBe("needs_info");
  });

  it("reads a requirement not to hold a qualification against the company's list and words", () => {
    const rules = one("尚未认定为国家高新技术企业", { type: "qualification", anyOf: ["高新技术企业"], absent: true });
    expect(judge(rules, { ...guangzhou, qualifications: ["高企"] }, "2026-11-23").verdict).toBe("ineligible");
    expect(judge(rules, { ...guangzhou, qualifications: ["科技型中小企业"] }, "2026-11-23").verdict).toBe("eligible");
    expect(judge(rules, { ...guangzhou, facts: ["还不是高新技术企业"] }, "2026-11-23").verdict).toBe("eligible");
    expect(judge(rules, guangzhou, "2026-11-23").verdict).toBe("needs_info");
    // And a company that says it lacks a required one is not waved through as unknown.
    const required = one("国家高新技术企业", { type: "qualification", anyOf: ["高新技术企业"] });
    expect(judge(required, { ...guangzhou, facts: ["还不是高新技术企业"] }, "2026-11-23").verdict).toBe("ineligible");
  });

  it("does not take 「已获得…」 for the 「未获得…」 a policy asks", () => {
    // bj_028: 「申报企业未获得其他市级财政资金的相关智能算力补贴支持。」
    const rules = one("申报企业未获得其他市级财政资金的相关智能算力补贴支持", { type: "text" });
    expect(judge(rules, { ...guangzhou, facts: ["已获得其他市级财政资金的智能算力补贴支持"] }, "2026-11-23").verdict).toBe("ineligible");
    expect(judge(rules, { ...guangzhou, facts: ["未获得其他市级财政资金的智能算力补贴支持"] }, "2026-11-23").verdict).toBe("eligible");
  });

  it("holds a fact to the span a condition names, and reads years since graduation", () => {
    // gz_04: 「申请补贴当月前连续3个月有在职员工（不含该初创企业法定代表人或个体户经营者）正常缴纳社会保险费」
    const insured = one("申请补贴当月前连续3个月有在职员工（不含该初创企业法定代表人或个体户经营者）正常缴纳社会保险费", { type: "text" });
    expect(judge(insured, { ...guangzhou, facts: ["公司已连续5个月为3名在职员工正常缴纳社会保险费"] }, "2026-11-23").verdict).toBe("eligible");
    expect(judge(insured, { ...guangzhou, facts: ["公司已连续2个月为3名在职员工正常缴纳社会保险费"] }, "2026-11-23").verdict).toBe("ineligible");
    expect(judge(insured, { ...guangzhou, facts: ["公司为在职员工正常缴纳社会保险费"] }, "2026-11-23").verdict).toBe("needs_info");
    // gz_04: 「普通高等学校、中等职业学校、技工院校学生（在校及毕业5年内）…」
    const graduate = one("普通高等学校、中等职业学校、技工院校学生（在校及毕业5年内）和出国（境）留学回国人员（领取毕业证5年内）", { type: "text" });
    expect(judge(graduate, { ...guangzhou, facts: ["法定代表人为2022届普通高校本科毕业生"] }, "2026-11-23").verdict).toBe("eligible");
    expect(judge(graduate, { ...guangzhou, facts: ["法定代表人为2019届大专毕业生"] }, "2026-11-23").verdict).toBe("ineligible");
  });
});

describe("choosing the programme of a multi-programme policy", () => {
  it("gz_04: judges the programme the company's facts speak to, or the one it names", async () => {
    const c = await corpusCriteria("gz_04");
    // Age and social insurance speak to 一次性创业资助/创业租金补贴, not to the 「赢在广州」 prize, which only the address decides.
    const veteran = judge(
      c,
      { ...guangzhou, established: "2025-01-15", facts: ["法定代表人为退役军人，男，62岁", "已连续4个月为4名员工缴纳社保"] },
      "2026-11-23",
    );
    expect(veteran.verdict).toBe("ineligible");
    expect(veteran.programme).not.toBe("优秀创业项目资助");
    const named = judge(c, { ...guangzhou, established: "2025-03-01", facts: ["法定代表人和公司此前均未领取过一次性创业资助"] }, "2026-11-23");
    expect(named.programme).toBe("一次性创业资助");
    expect(named.verdict).toBe("needs_info");
  });

  it("gz_05: a company borrower is judged on the 小微企业借款人 conditions, not on a person's age", async () => {
    const c = await corpusCriteria("gz_05");
    const j = judge(c, { region: { city: "广州市", district: "番禺区" }, facts: ["无拖欠职工工资、欠缴社会保险费等违法违规信用记录"] }, "2026-11-23");
    expect(j.programme).toBe("小微企业借款人");
    expect(j.verdict).toBe("needs_info");
    expect(judge(c, { region: { city: "佛山市", district: "顺德区" } }, "2026-11-23").verdict).toBe("ineligible");
  });
});

describe("programmes for kinds of applicant", () => {
  it("bj_093: names each programme by the kind of body, and judges a company on the one for its kind", async () => {
    const criteria = await corpusCriteria("bj_093");
    expect(criteria.programmes.map((p) => p.name)).toContain("创业投资机构");
    expect(criteria.programmes.map((p) => p.name)).toContain("文化企业");
    const fund = {
      region: { city: "北京市", district: "朝阳区" },
      established: "2019-06-01",
      industries: ["创业投资"],
      facts: ["受托管理的资金实缴到位6000万元"],
    };
    const j = judge(criteria, fund, "2026-11-23");
    expect(j.programme).toBe("创业投资机构");
    expect(j.verdict).toBe("ineligible");
  });
});

describe("不予支持 cases", () => {
  const criteria = (text: string): PolicyCriteria => ({
    common: [
      { id: "c1", text: "在本市注册", mode: "all", checks: [{ type: "region", path: ["北京市"], place: "北京市" }] },
      { id: "c2", text, mode: "all", checks: [{ type: "text" }], disqualifier: true },
    ],
    programmes: [],
  });
  const profile = { region: { province: "北京市", city: "北京市", district: "通州区" }, facts: ["项目已取得规划许可文件"] };

  it("bj_141: a case of a word or two («项目申报») rules no one out, however a fact matches it", () => {
    expect(judge(criteria("项目申报"), profile, "2026-06-30").verdict).toBe("eligible");
  });

  it("a case the company's facts describe still rules it out", () => {
    expect(judge(criteria("项目未取得规划许可文件"), { ...profile, facts: ["项目取得规划许可文件仍在办理中"] }, "2026-06-30").verdict).not.toBe("eligible");
  });
});

describe("what a needs_info verdict asks", () => {
  const wuhan = { region: { city: "武汉市" } };
  const text = [
    "一、申报条件",
    "申报企业须同时满足以下条件：",
    "（一）在武汉市注册的企业，上一年度营业收入不超过 8000 万元；",
    "（二）注册资金在 500 万元以上，年度技术合同成交额应达到 300 万元以上；",
    "（三）上一年度营业收入不超过 8000 万元，且研发费用占营业收入比例不低于 5%。",
    "二、支持标准",
    "给予一次性补贴 30 万元。",
  ].join("\n");
  const criteria = extractCriteria(text, { policyRegionPath: ["湖北省", "武汉市"], title: "测试市科技型企业研发补贴" });

  it("lists each missing fact once, as a plain Chinese question", () => {
    const j = judge(criteria, wuhan, "2026-11-23");
    expect(j.verdict).toBe("needs_info");
    const questions = j.missing.map((m) => m.question);
    expect(new Set(questions).size).toBe(questions.length);
    expect(questions).toContain("贵公司上一年度营业收入是多少（万元）？");
    expect(questions).toContain("贵公司注册资金是多少（万元）？");
    expect(questions).toContain("贵公司年度技术合同成交额是多少（万元）？");
    for (const q of questions) {
      expect(q).toMatch(/？(?:（满足所列条件之一即可）)?$/);
      expect(q).not.toMatch(/请提供|政策要求|^（|：（/);
    }
  });

  it("asks a fact the common conditions and a programme both need only once", () => {
    const place = { id: "c1", text: "在武汉市注册", mode: "all" as const, checks: [{ type: "region" as const, path: ["湖北省", "武汉市"], place: "武汉市" }] };
    const listed = { id: "c2", text: "非上市企业", mode: "all" as const, checks: [{ type: "qualification" as const, anyOf: ["上市公司"], absent: true }] };
    const j = judge(
      {
        common: [place],
        programmes: [
          {
            name: "首台套研发补贴",
            criteria: [
              { ...place, id: "c3", text: "注册地在武汉市" },
              { ...listed, id: "c4" },
            ],
          },
        ],
      },
      {},
      "2026-11-23",
    );
    expect(j.missing.map((m) => m.question)).toEqual(["贵公司注册在哪个省、市、区？", "贵公司是否已上市？"]);
  });

  it("asks what the kind asks, through its question, when a case and its rule are both open", () => {
    const rule = {
      id: "c1",
      text: "成立不满 3 年的，研发人员不少于 5 人",
      mode: "all" as const,
      when: { type: "age" as const, op: "<" as const, years: 3 },
      checks: [{ type: "threshold" as const, metric: "techStaff" as const, op: ">=" as const, value: 5, dimension: "count" as const, subject: "研发人员" }],
    };
    const j = judge({ common: [rule], programmes: [] }, wuhan, "2026-11-23");
    expect(j.missing).toEqual([{ criterion: rule.text, question: "贵公司的成立（注册）日期是？" }]);
  });

  it("does not call a company eligible when where it is registered is all the policy's conditions we could read", () => {
    const place = {
      id: "c1",
      text: "在武汉市注册的企事业单位",
      mode: "all" as const,
      checks: [{ type: "region" as const, path: ["湖北省", "武汉市"], place: "武汉市" }],
    };
    const j = judge({ common: [place], programmes: [] }, { region: { city: "武汉市" } }, "2026-11-23");
    expect(j.verdict).toBe("needs_info");
    expect(j.missing[0].question).toMatch(/除注册地外/);
    const staff = {
      id: "c2",
      text: "从业人员不少于 10 人",
      mode: "all" as const,
      checks: [{ type: "threshold" as const, metric: "employees" as const, op: ">=" as const, value: 10, dimension: "count" as const, subject: "从业人员" }],
    };
    expect(judge({ common: [place, staff], programmes: [] }, { region: { city: "武汉市" }, employees: 30 }, "2026-11-23").verdict).toBe("eligible");
  });

  it("lets an aim of the project («促进科技成果产业化») inform but not hold back the verdict", () => {
    const criteria = extractCriteria("申报条件：\n（一）在武汉市注册，从业人员不少于 10 人；\n（二）促进科技成果产业化，有利于形成优势产业。", {
      policyRegionPath: ["湖北省", "武汉市"],
    });
    const j = judge(criteria, { region: { city: "武汉市" }, employees: 30 }, "2026-11-23");
    expect(j.checklist.filter((c) => /促进|有利于/.test(c.text)).every((c) => c.soft)).toBe(true);
    expect(j.verdict).toBe("eligible");
  });
});

describe("what a company's own words say of it", () => {
  it("does not take a qualification applied for, or being applied for, as held", () => {
    for (const said of ["前年申请专精特新“小巨人”企业没有通过", "高新技术企业认定还在评审中", "正在申请高新技术企业"]) {
      expect(companyFrom({ facts: [said] }, "2026-06-30").qualifications, said).toEqual([]);
    }
    expect(companyFrom({ facts: ["2024年通过高新技术企业认定"] }, "2026-06-30").qualifications).toContain("高新技术企业");
  });

  it("reads a spoken «没» as a denial («没挂牌»)", () => {
    const c = companyFrom({ facts: ["目前没上市，新三板也没挂牌"] }, "2026-06-30");
    expect(c.qualifications).not.toContain("新三板挂牌企业");
    expect(c.lacks).toContain("新三板挂牌企业");
    expect(c.listed).toBe(false);
  });

  it("reads the last year's R&D and its growth from two years named side by side", () => {
    const c = companyFrom({ facts: ["研发费用：2023年度300万元，2024年度450万元"] }, "2025-06-30");
    expect([c.rdExpense, c.rdPrevious, c.rdGrowth]).toEqual([450, 300, 150]);
  });
});

describe("a local policy's own jurisdiction", () => {
  const body = "申报条件：\n（一）上一年度营业收入不低于 500 万元；\n（二）具有健全的财务管理制度。";
  const criteria = extractCriteria(body, { policyRegionPath: ["上海市", "徐汇区"] });
  it("binds applicants to the issuer's district when the policy names no place for them", () => {
    expect(judge(criteria, { region: { city: "上海市", district: "松江区" }, revenue: 900 }, "2026-06-30").verdict).toBe("ineligible");
    expect(judge(criteria, { region: { city: "上海市", district: "徐汇区" }, revenue: 900, facts: ["财务管理制度健全"] }, "2026-06-30").verdict).toBe(
      "eligible",
    );
  });

  it("asks, rather than rules out, a company registered elsewhere that works in the district, but not one that only names the district's fund", () => {
    const works = judge(criteria, { region: { city: "上海市", district: "松江区" }, revenue: 900, facts: ["在徐汇租了研发办公室"] }, "2026-06-30");
    expect(works.verdict).toBe("needs_info");
    const names = judge(criteria, { region: { city: "上海市", district: "松江区" }, revenue: 900, facts: ["想申请徐汇区的专项资金"] }, "2026-06-30");
    expect(names.verdict).toBe("ineligible");
  });

  it("leaves a call open to the whole country, and a national policy, without one", () => {
    const open = extractCriteria(`面向全国征集。${body}`, { policyRegionPath: ["北京市"] });
    expect(open.common.some((c) => c.checks.some((k) => k.type === "region"))).toBe(false);
    const national = extractCriteria(body, { policyRegionPath: [] });
    expect(national.common.some((c) => c.checks.some((k) => k.type === "region"))).toBe(false);
  });
});

describe("a clause for another kind of company", () => {
  it("says it does not apply, without a «不符合» that reads as the company failing it", () => {
    const criteria = extractCriteria("申报条件：\n（一）在武汉市注册；\n（二）上年度营业收入不足500万元的，研发费用总额不低于30万元。", {
      policyRegionPath: ["湖北省", "武汉市"],
    });
    const j = judge(criteria, { region: { city: "武汉市" }, revenue: 3000, rdExpense: 200 }, "2026-06-30");
    const clause = j.checklist.find((c) => c.text.includes("不足500万元"))!;
    expect(clause).toMatchObject({ status: "met", reason: expect.stringContaining("不适用（此条只针对另一类企业）") });
    expect(clause.reason).not.toMatch(/不符合$/);
  });
});
