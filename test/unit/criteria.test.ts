import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { criteriaCoverage } from "../../src/eval/criteria-coverage.js";
import { loadDocument } from "../../src/ingest/loaders.js";
import { extractMetadata } from "../../src/ingest/metadata.js";
import { type Check, type Criterion, extractCriteria, type PolicyCriteria } from "../../src/policies/criteria.js";
import { judge } from "../../src/policies/eligibility.js";
import { fixture } from "../helpers/corpus.js";

/** Criteria of a real corpus policy, extracted exactly as ingest does. */
async function criteriaOf(id: string): Promise<PolicyCriteria> {
  const file = fixture(id);
  const doc = await loadDocument(file.pathname, readFileSync(file));
  const meta = extractMetadata(doc.text, doc.meta, { title: doc.title, fileName: id });
  return extractCriteria(doc.text, { policyRegionPath: meta.regionPath, title: meta.title });
}

const all = (c: PolicyCriteria): Criterion[] => [...c.common, ...c.programmes.flatMap((p) => p.criteria)];
/** The one criterion whose text contains `words`. */
function find(c: PolicyCriteria, words: string): Criterion {
  const hits = all(c).filter((x) => x.text.includes(words));
  expect(hits.length, `a criterion containing «${words}»`).toBeGreaterThan(0);
  return hits[0];
}
const threshold = (c: Criterion) => c.checks.find((k): k is Extract<Check, { type: "threshold" }> => k.type === "threshold");

// Each expectation below was checked by hand against the policy text (test/fixtures/corpus, copied from ../shared/corpus).
describe("criteria extracted from real 申报条件", () => {
  it("bj_065 科技型小微企业: size caps, age-dependent R&D conditions, two programmes", async () => {
    const c = await criteriaOf("bj_065");
    expect(c.programmes.map((p) => p.name)).toEqual(["科技型小微企业", "相关赛事获奖优胜企业"]);
    expect(threshold(find(c, "从业人员 100 人"))).toMatchObject({ metric: "employees", op: "<=", value: 100 });
    expect(threshold(find(c, "营业收入 2000 万元"))).toMatchObject({ metric: "revenue", op: "<=", value: 2000 });
    const growth = find(c, "同比增量 100 万元");
    expect(growth.when).toEqual({ type: "age", op: ">=", years: 2 });
    expect(threshold(growth)).toMatchObject({ metric: "rdGrowth", op: ">=", value: 100 });
    const young = find(c, "不足两个会计年度");
    expect(young.when).toEqual({ type: "age", op: "<", years: 2 });
    expect(threshold(young)).toMatchObject({ metric: "rdExpense", op: ">=", value: 100 });
    const age = find(c, "注册成立不超过 5 年");
    expect(age.mode).toBe("any");
    expect(age.checks).toEqual([
      { type: "age", op: "<=", years: 5 },
      { type: "qualification", anyOf: ["科技型中小企业"] },
    ]);
    // 「注册在中关村示范区…，注册在北京市其他区域的创新主体参照执行」 covers all of Beijing.
    expect(find(c, "注册在中关村示范区").checks).toContainEqual({ type: "region", path: ["北京市"], place: "北京市" });
  });

  it("bj_049 知识产权质押: revenue cap in 亿元, high-end fields, own IP", async () => {
    const c = await criteriaOf("bj_049");
    expect(threshold(find(c, "年营业收入在 2 亿元"))).toMatchObject({ metric: "revenue", op: "<=", value: 20000, dimension: "money" });
    expect(find(c, "高精尖产业领域").checks[0]).toMatchObject({ type: "industry" });
    expect(find(c, "高精尖产业领域").checks[0]).toHaveProperty("fields", expect.arrayContaining(["新一代信息技术", "医药健康", "新材料"]));
    expect(find(c, "自主知识产权").checks.every((k) => k.type === "ip")).toBe(true);
    // The loan-rate rule applies only to one kind of application: it informs, it does not decide.
    expect(find(c, "利率上浮幅度不得超过").soft).toBe(true);
  });

  it("bj_057 技术先进型服务企业: shares of staff and income with 「以上」 and 「不低于…的 35%」", async () => {
    const c = await criteriaOf("bj_057");
    expect(find(c, "在本市行政区域内注册").checks).toEqual([{ type: "region", path: ["北京市"], place: "北京市" }, { type: "legalEntity" }]);
    expect(threshold(find(c, "大专以上学历"))).toMatchObject({ metric: "other", op: ">=", value: 0.5, dimension: "ratio" });
    expect(threshold(find(c, "离岸服务外包"))).toMatchObject({ op: ">=", value: 0.35, dimension: "ratio" });
    expect(threshold(find(c, "取得的收入占企业当年总收入的 50%"))).toMatchObject({ op: ">=", value: 0.5 });
  });

  it("bj_114 跨国公司地区总部: 美元 amounts are the parent's, not the applicant's", async () => {
    const c = await criteriaOf("bj_114");
    expect(threshold(find(c, "境外母公司资产总额"))).toMatchObject({ metric: "other", op: ">=", value: 20000, currency: "USD" });
    expect(threshold(find(c, "累计实缴注册资本"))).toMatchObject({ op: ">=", value: 1000, currency: "USD" });
    // 注册资本 names capital, not a place of registration.
    expect(find(c, "累计实缴注册资本").checks.some((k) => k.type === "region")).toBe(false);
    expect(find(c, "独立法人资格的外商投资企业").checks).toContainEqual({ type: "legalEntity" });
  });

  it("bj_062 首都科技创新券: three limits in one clause, each with its own subject", async () => {
    const c = await criteriaOf("bj_062");
    const limits = find(c, "职工总数不超过 500 人").checks;
    expect(limits).toEqual([
      expect.objectContaining({ metric: "employees", op: "<=", value: 500 }),
      expect.objectContaining({ metric: "revenue", op: "<=", value: 20000 }),
      expect.objectContaining({ metric: "totalAssets", op: "<=", value: 20000 }),
    ]);
    expect(find(c, "无不良诚信记录").checks).toEqual([{ type: "credit" }]);
  });

  it("bj_076 创新券 for small firms: 「1000 万元以下（不含）」 is strict", async () => {
    const c = await criteriaOf("bj_076");
    expect(threshold(find(c, "年营业收入 1000 万元以下"))).toMatchObject({ metric: "revenue", op: "<", value: 1000 });
    expect(threshold(find(c, "在职正式职工不多于 100 人"))).toMatchObject({ metric: "employees", op: "<=", value: 100 });
    expect(c.programmes.map((p) => p.name)).toEqual(expect.arrayContaining([expect.stringContaining("小微企业"), expect.stringContaining("创业团队")]));
  });

  it("bj_066 前沿技术企业: an exception widens the age limit for one field", async () => {
    const c = await criteriaOf("bj_066");
    const age = find(c, "注册成立不超过 5 年");
    expect(age.mode).toBe("any");
    expect(age.checks[0]).toEqual({ type: "age", op: "<=", years: 5 });
    expect(age.checks[1]).toMatchObject({
      type: "both",
      checks: [expect.objectContaining({ type: "age", op: "<=", years: 7 }), expect.objectContaining({ type: "industry" })],
    });
  });

  it("bj_094 房租通: cultural firms in Beijing, in business for a year", async () => {
    const c = await criteriaOf("bj_094");
    expect(find(c, "文化及相关产业分类").checks[0]).toMatchObject({ type: "industry", fields: ["文化产业"] });
    expect(find(c, "持续经营 1 年").checks).toEqual([{ type: "age", op: ">=", years: 1 }]);
    expect(find(c, "在北京市注册登记").checks).toEqual([{ type: "region", path: ["北京市"], place: "北京市" }]);
  });

  it("bj_052 并购: listed or on 新三板, and a deal of at least 1000 万元", async () => {
    const c = await criteriaOf("bj_052");
    expect(find(c, "境内外上市").checks).toEqual([{ type: "qualification", anyOf: ["上市公司", "新三板挂牌企业"] }]);
    expect(threshold(find(c, "并购交易额在 1000 万元"))).toMatchObject({ op: ">=", value: 1000, dimension: "money" });
  });

  it("bj_053 外债便利化: real estate and financing platforms excluded; age in 「满一年（含）以上」", async () => {
    const c = await criteriaOf("bj_053");
    expect(find(c, "房地产企业").checks).toContainEqual({ type: "applicant", excluded: ["房地产企业", "政府融资平台"] });
    expect(find(c, "成立时间满一年").checks).toContainEqual({ type: "age", op: ">=", years: 1 });
  });

  it("bj_024 两业融合: 「或」 between two growth rates; qualification lists", async () => {
    const c = await criteriaOf("bj_024");
    const growth = find(c, "平均增长率不低于 20%");
    expect(growth.mode).toBe("any");
    expect(growth.checks.map((k) => (k.type === "threshold" ? [k.op, k.value] : k.type))).toEqual([
      [">=", 0.2],
      [">=", 0.08],
    ]);
    expect(find(c, "称号之一").checks).toEqual([{ type: "qualification", anyOf: ["高新技术企业", "专精特新“小巨人”企业", "专精特新中小企业"] }]);
  });

  it("xuhui_02 具身智能: district registration from a run-on text; 5% R&D share in a support clause", async () => {
    const c = await criteriaOf("xuhui_02");
    expect(find(c, "徐汇区").checks).toContainEqual({ type: "region", path: ["上海市", "徐汇区"], place: "徐汇区", operating: true });
    expect(find(c, "无严重违法失信行为").checks).toEqual([{ type: "credit" }]);
    const share = all(c).find((x) => x.text.includes("研发投入金额占年度营业收入5%"));
    expect(share && threshold(share)).toMatchObject({ metric: "rdRatio", op: ">=", value: 0.05 });
  });

  it("bj_028 算力券: Beijing registration and a credit record", async () => {
    const c = await criteriaOf("bj_028");
    expect(find(c, "具备独立法人资格且在北京市注册").checks).toEqual(
      expect.arrayContaining([{ type: "region", path: ["北京市"], place: "北京市" }, { type: "legalEntity" }]),
    );
    expect(find(c, "无失信记录").checks).toEqual([{ type: "credit" }]);
  });

  it("gz_04 创业补贴: four programmes; a lead that binds above options; sex-specific age limits; 补贴对象 stays with its programme", async () => {
    const c = await criteriaOf("gz_04");
    expect(c.programmes.map((p) => p.name)).toEqual(["一次性创业资助", "优秀创业项目资助", "创业租金补贴", "创业带动就业补贴"]);
    // 「补贴对象：符合条件的用人单位（…除外）」 is the 创业带动就业补贴 one's, not everyone's.
    expect(c.common).toEqual([]);
    const [grant] = c.programmes;
    expect(grant.criteria.find((x) => x.text.includes("法定代表人或个体户经营者"))?.checks).toEqual([
      {
        type: "personAge",
        limits: [
          { sex: "女", op: "<=", years: 55 },
          { sex: "男", op: "<=", years: 60 },
        ],
      },
    ]);
    const options = grant.criteria.filter((x) => x.group);
    expect(options.map((x) => x.text)).toEqual(expect.arrayContaining(["军转干部、退役军人", "创办驿道客栈、民宿、农家乐的人员"]));
    expect(new Set(options.map((x) => x.option)).size).toBe(5);
    // 「申请补贴当月前…」 asks for support; it is a condition, not support given. Item （2） follows the options, binding again.
    expect(grant.criteria.find((x) => x.text.includes("登记注册满6个月"))).toMatchObject({ checks: [{ type: "age", op: ">=", years: 0.5 }] });
    expect(grant.criteria.find((x) => x.text.includes("连续3个月有在职员工"))).toMatchObject({ mode: "all", checks: [{ type: "text" }] });
    expect(grant.criteria.find((x) => x.text.includes("连续3个月有在职员工"))?.group).toBeUndefined();
    expect(c.programmes[3].criteria.find((x) => x.text.includes("劳务派遣企业除外"))?.checks).toContainEqual({ type: "applicant", excluded: ["劳务派遣企业"] });
  });

  it("gz_02 引进人才: options after 「3.满足以下条件之一：」 end where an outer list resumes", async () => {
    const c = await criteriaOf("gz_02");
    const options = all(c).filter((x) => x.group === "g2");
    expect(options.map((x) => x.option)).toEqual([0, 0, 1, 1, 1, 1, 2, 2]);
    // 「（六）以薪酬、投资等市场化方式评价…」 belongs to an outer list, not to these options.
    expect(options.some((x) => x.text.includes("市场化方式"))).toBe(false);
    expect(find(c, "年龄在40周岁以下").checks).toEqual([{ type: "personAge", limits: [{ op: "<=", years: 40 }] }]);
  });

  it("gz_05 创业担保贷款: 「个人借款人申请条件：」 and 「小微企业借款人申请条件：」 are separate programmes", async () => {
    const c = await criteriaOf("gz_05");
    expect(c.programmes.map((p) => p.name)).toEqual(["个人借款人", "小微企业借款人"]);
    expect(c.programmes[0].criteria[0].checks[0]).toMatchObject({ type: "personAge" });
    expect(c.programmes[1].criteria.map((x) => x.checks[0].type)).toEqual(["region", "text", "threshold", "credit"]);
  });

  it("numbered leads naming who applies («…的其他法人单位申请认定应具备以下条件：») are programmes named by the applicant", () => {
    const c = extractCriteria(
      [
        "【条件要求】",
        "1．以软件开发为主营业务的法人单位申请认定应具备以下条件：",
        "（1）成立三年以上。",
        "（2）软件开发人员占职工总人数的比重不低于 40%。",
        "2．设有独立研发部门的制造业、建筑业、服务业等其他各类法人单位申请认定应具备以下条件：",
        "（1）已设立独立的研发部门两年以上。",
      ].join("\n"),
      { policyRegionPath: ["北京市"] },
    );
    expect(c.programmes.map((p) => p.name)).toEqual(["以软件开发为主营业务的法人单位", "设有独立研发部门的制造业、建筑业、服务业等其他各类法人单位"]);
    expect(c.programmes[1].criteria.map((x) => x.text)).toEqual(["已设立独立的研发部门两年以上"]);
  });

  it("bj_093 文化金融: 「非上市文化企业」 requires not being listed", async () => {
    const c = await criteriaOf("bj_093");
    expect(find(c, "非上市文化企业").checks).toContainEqual({ type: "qualification", anyOf: ["上市公司"], absent: true });
  });

  it("reads where a facility the support pays for must be from the support's own words, as a site alone", () => {
    const c = extractCriteria("二、支持内容\n鼓励建设充电设施，对本市行政区域范围内建成的公共充电站，按照装机功率给予每千瓦 200 元的建设补贴。", {
      policyRegionPath: ["北京市"],
    });
    const placed = all(c).find((k) => k.text.includes("本市行政区域范围内建成的公共充电站"));
    expect(placed?.checks).toEqual([expect.objectContaining({ type: "site", what: "built", paths: [["北京市"]] })]);
  });

  it("reads «当年未获得…专项资金的支持» as a condition that the project be unfunded", async () => {
    // bj_110: 「当年未获得相同性质的其他同级专项资金的支持」.
    const c = find(await criteriaOf("bj_110"), "未获得相同性质");
    expect(c.checks.map((k) => k.type)).toContain("unfunded");
  });

  it("a 或 inside brackets qualifies a word, unless the bracket opens with it", async () => {
    // bj_046: 「转让方（个人、政府投资基金代持机构或管理机构除外）应在北京市注册」 is one place requirement.
    const transfer = all(await criteriaOf("bj_046")).filter((x) => x.text.includes("转让方（个人"));
    expect(transfer.map((x) => x.checks)).toEqual([[{ type: "region", path: ["北京市"], place: "北京市" }]]);
    // bj_128: 「不少于 500 万元(或月均不少于 40 万元)」 offers a monthly alternative.
    const sales = find(await criteriaOf("bj_128"), "单店年度销售额");
    expect(sales.mode).toBe("any");
    expect(sales.checks.map((k) => (k.type === "threshold" ? k.value : k.type))).toEqual([500, 40]);
  });

  it("bj_021 设备更新贴息: a purchase amount with 「及以上」", async () => {
    const c = await criteriaOf("bj_021");
    expect(threshold(find(c, "实际设备采购金额"))).toMatchObject({ op: ">=", value: 500, dimension: "money" });
  });
});

describe("criteria extraction on odd text", () => {
  it("copes with a number that opens its clause and with conditions in run-on Q&A text", () => {
    const text =
      "高新技术企业认定必须同时满足以下条件：（一）企业申请认定时须注册成立一年以上；（五）研究开发费用总额占同期销售收入总额的比例符合如下要求：（1）最近一年销售收入小于5,000万元（含）的企业，比例不低于5%；";
    const c = extractCriteria(text, { policyRegionPath: [] });
    const checks = [...c.common, ...c.programmes.flatMap((p) => p.criteria)].flatMap((x) => x.checks);
    expect(checks).toContainEqual({ type: "age", op: ">=", years: 1 });
    expect(() => extractCriteria("1．（不包括含量，限用物质除外。下同）；2．5%", { policyRegionPath: [] })).not.toThrow();
  });

  it("reads 「尚未认定为…」 as a requirement not to hold the qualification", () => {
    const c = extractCriteria("申报条件：\n1．在本市注册的独立法人企业；\n2．尚未认定为国家高新技术企业。", { policyRegionPath: ["北京市"] });
    expect(c.common.find((x) => x.text.includes("尚未认定"))?.checks).toEqual([{ type: "qualification", anyOf: ["高新技术企业"], absent: true }]);
  });
});

describe("clauses that state no condition of the applicant", () => {
  const read = (body: string) => extractCriteria(body, { policyRegionPath: ["北京市"] });
  const texts = (body: string) => all(read(body)).map((c) => c.text);

  it.each([
    ["bj_019", "项目总投资额包括设施购置或租赁费、材料购置费、空间改造费、房屋租赁费等。"],
    ["bj_047", "包括融资类保险、研发类保险、产品类保险。"],
    ["bj_001", "按照固定资产投资总额 30%的比例安排市政府固定资产投资补助资金，最高不超过 5000 万元。"],
    ["bj_021", "项目可为单独设备购置。"],
    ["bj_095", "企业应按照要求如实填写《项目申报书》、《项目评分表》。"],
  ])("%s «%s» is an enumeration, the support or the procedure", (_doc, clause) => {
    expect(texts(`申报条件：\n1．在本市注册的企业。\n2．${clause}`)).toEqual(["在本市注册的企业"]);
  });

  it("bj_053 «成立不满两年的企业，自成立之日起…»: a case that names whom it is about applies only to them", () => {
    const [, c] = all(read("申报条件：\n1．在本市注册的企业。\n2．成立不满两年的企业，自成立之日起无违规处罚记录。"));
    expect(c.when).toMatchObject({ type: "age", op: "<", years: 2 });
  });

  it("bj_107 «申报企业要满足以下要求：…»: the lead is not part of the condition", () => {
    // The excerpt names no place: the issuer's jurisdiction is added after its own conditions.
    expect(texts("申报条件：\n1．申报企业要满足以下要求：经营跨境电子商务零售进口业务的企业。")).toEqual([
      "经营跨境电子商务零售进口业务的企业",
      "本政策由北京市发布，适用于其辖区内的申报主体",
    ]);
  });

  it("bj_087 «不侵犯任何第三方的知识产权»: an undertaking rules a company out only when a fact says so", () => {
    const [c] = all(read("申报条件：\n1．不侵犯任何第三方的知识产权或其他合法权益。"));
    expect(c).toMatchObject({ disqualifier: true, text: "不侵犯任何第三方的知识产权或其他合法权益" });
  });

  it("bj_083 «本项目的项目申报主体为个人，其应同时具备以下条件：»: the lead says who may apply", () => {
    const c = all(read("申报条件：\n本项目的项目申报主体为个人，其应同时具备以下条件：\n（1）具有中华人民共和国内地（大陆）户籍的中国公民。"));
    expect(c[0].checks).toEqual([{ type: "applicantKind", kind: "个人" }]);
  });
});

describe("a policy card's support items", () => {
  it("bj_122 «1．对在京具有独立法人资格的企业，…之和超过 50 万元，…，给予资金支持。»: each numbered item is a programme with the conditions it names", () => {
    const card = [
      "# 首店支持",
      "",
      "服务对象",
      "",
      "在北京地区注册的企业",
      "",
      "1．对在京具有独立法人资格的企业，2021 年 11 月 1 日（含）以后在京新开设首店，店面装修、已支出的房租之和超过 50 万元，给予资金支持。",
      "2．对引进首店的引进方，签订 2 年及以上入驻协议，按照每新增引进 1 个店铺最高给予 10 万元奖励的标准，给予资金支持。",
      "",
      "【服务内容】",
      "",
      "## 条件要求",
      "",
      "【条件要求】",
      "",
      "项目申报单位须满足以下条件：",
      "1．经营状况良好，财务管理制度健全。",
      "",
      "【服务流程】",
      "",
    ].join("\n");
    const c = extractCriteria(card, { policyRegionPath: ["北京市"] });
    expect(c.programmes.length).toBeGreaterThanOrEqual(2);
    const first = c.programmes.find((p) => p.criteria.some((x) => x.text.includes("之和超过 50 万元")));
    expect(first, "a programme with the item's own figure").toBeDefined();
    // «项目申报单位须满足以下条件：» names every applicant, not a programme.
    expect(c.programmes.map((p) => p.name)).not.toContain("项目申报单位");
  });
});

describe("places offered as alternatives", () => {
  it("xuhui_05 «登记注册在本区的，或主要创新活动在本区的»: the place binds as the alternative that lets operating there count", () => {
    const c = extractCriteria("适用对象：\n本意见的适用对象为登记注册在本区的，或主要创新活动在本区的、从事具身智能领域的企业。", {
      policyRegionPath: ["上海市", "徐汇区"],
    });
    const place = all(c)
      .flatMap((x) => x.checks)
      .find((k) => k.type === "region");
    expect(place).toMatchObject({ type: "region", place: "徐汇区", operating: true });
  });
});

describe("cases that rule a company out", () => {
  it("bj_144 «已按照规定享受其他市级财政资金支持的，不再重复享受奖补资金补助»: the case is a 不予支持 case, decided by the company's funding", () => {
    const c = extractCriteria("申报条件：\n1．在本市注册的企业。\n2．已按照规定享受其他市级财政资金支持的，不再重复享受奖补资金补助。", {
      policyRegionPath: ["北京市"],
    });
    const [, rule] = all(c);
    expect(rule).toMatchObject({ disqualifier: true, text: "已按照规定享受其他市级财政资金支持" });
    const profile = { region: { province: "北京市", city: "北京市", district: "房山区" } };
    expect(judge(c, { ...profile, facts: ["该项目已获得市级财政资金补助"] }, "2026-06-30").verdict).toBe("ineligible");
    expect(judge(c, profile, "2026-06-30").verdict).toBe("eligible");
  });
});

describe("kinds of company left out", () => {
  it("reads «不属于…类/企业/活动» as a 不予支持 case: a company is out only when it says it is one", () => {
    const c = extractCriteria(
      "申报条件：\n1．在本市注册的企业；\n2．企业提供的产品和服务不属于国家规定的禁止、限制和淘汰类；\n3．不属于房地产、金融、类金融企业。",
      {
        policyRegionPath: ["北京市"],
      },
    );
    const [, products, finance] = all(c);
    expect(products).toMatchObject({ disqualifier: true });
    expect(finance).toMatchObject({ disqualifier: true });
    const profile = { region: { province: "北京市", city: "北京市", district: "朝阳区" } };
    expect(judge(c, profile, "2026-06-30").verdict).toBe("eligible");
    expect(judge(c, { ...profile, facts: ["我们是一家房地产开发企业，属于房地产企业"] }, "2026-06-30").verdict).toBe("ineligible");
  });
});

describe("a section that refers to another's items", () => {
  const text = [
    "# 某区科技企业评价工作通知",
    "为做好评价工作，现将有关事项通知如下。",
    "### 一、评价对象与基本条件",
    "参加评价的企业应当同时满足以下条件：",
    "1．在本市注册的企业；",
    "2．职工总数不超过300人；",
    "3．近三年未发生重大安全、质量、环境事故；",
    "4．上年度研发费用不低于100万元。",
    "### 二、直接确认情形",
    "符合第一条第1至3项条件的企业，若同时符合下列条件之一，可直接确认符合评价要求：",
    "（一）持有有效期内的高新技术企业证书；",
    "（二）拥有经认定的省部级以上研发机构；",
    "（三）近五年内主导制定过国家标准或行业标准。",
  ].join("\n\n");
  const c = extractCriteria(text, { policyRegionPath: ["湖北省", "武汉市"] });

  it("binds the items referred to («第1至3项») beside its own alternatives", () => {
    const route = c.programmes.find((p) => p.name === "直接确认情形")!;
    expect(route.criteria.filter((x) => !x.group).map((x) => x.text)).toEqual([
      "在本市注册的企业",
      "职工总数不超过300人",
      "近三年未发生重大安全、质量、环境事故",
    ]);
    expect(route.criteria.filter((x) => x.group).map((x) => x.option)).toEqual([0, 1, 2]);
  });

  it("judges a company by the route that holds: a 高企 without the R&D figure, but not one over the headcount", () => {
    const firm = {
      region: { province: "湖北省", city: "武汉市", district: "洪山区" },
      qualifications: ["高新技术企业"],
      facts: ["近三年未发生安全、质量、环境事故"],
    };
    expect(judge(c, { ...firm, employees: 120 }, "2026-06-30").verdict).toBe("eligible");
    expect(judge(c, { ...firm, employees: 450 }, "2026-06-30").verdict).toBe("ineligible");
  });
});

describe("what binds another kind of applicant, and undertakings", () => {
  const c = extractCriteria(
    "【申报条件】\n\n1．在本市注册登记，具有独立法人资格；\n\n2．与受托服务机构之间不存在控股或参股关系；\n\n尚未注册公司的创业团队（成员不少于3人，其中1人具有本科学历），可凭实名认证申领团队补贴，额度单列。",
    { policyRegionPath: ["湖北省", "武汉市"] },
  );
  const firm = { region: { province: "湖北省", city: "武汉市", district: "江岸区" } };

  it("reads «与…之间不存在…关系» as a 不予支持 case and a team's route as the team's", () => {
    expect(all(c).find((x) => x.text.includes("不存在"))).toMatchObject({ disqualifier: true });
    expect(all(c).find((x) => x.text.includes("团队"))).toMatchObject({ case: "尚未注册公司的创业团队" });
  });

  it("judges a registered company on its own conditions, and rules it out when it says it holds shares of the provider", () => {
    expect(judge(c, firm, "2026-06-30").verdict).toBe("eligible");
    expect(judge(c, { ...firm, facts: ["与受托服务机构之间存在参股关系，我们持有对方20%股份"] }, "2026-06-30").verdict).toBe("ineligible");
  });
});

describe("a reward for a grant of one year", () => {
  const text =
    "# 某市专精特新企业奖励\n\n## 一、申报条件\n\n1．在本市注册登记、具有独立法人资格；\n\n2．列入专精特新“小巨人”企业名单或省专精特新中小企业名单。\n\n## 二、奖励标准\n\n2025年度新认定的国家级专精特新“小巨人”企业，给予一次性奖励100万元；2025年度新认定的省级专精特新中小企业，给予一次性奖励20万元。";
  const c = extractCriteria(text, { policyRegionPath: ["湖北省", "武汉市"] });
  const firm = { region: { province: "湖北省", city: "武汉市", district: "江夏区" }, qualifications: ["专精特新中小企业"] };

  it("makes one of the rewarded grants a condition, read after the place and the list", () => {
    const last = all(c).at(-1)!;
    expect(last).toMatchObject({ mode: "any" });
    expect(last.checks).toEqual([
      { type: "recognised", anyOf: ["专精特新“小巨人”企业"], year: 2025 },
      { type: "recognised", anyOf: ["专精特新中小企业"], year: 2025 },
    ]);
  });

  it("passes a grant of that year, fails one of another year, and asks when it is not said", () => {
    expect(judge(c, { ...firm, facts: ["2025年5月被认定为省级专精特新中小企业"] }, "2026-06-30").verdict).toBe("eligible");
    expect(judge(c, { ...firm, facts: ["2023年被认定为省级专精特新中小企业"] }, "2026-06-30").verdict).toBe("ineligible");
    expect(judge(c, firm, "2026-06-30").missing.map((m) => m.question)).toEqual([expect.stringContaining("哪一年")]);
  });
});

describe("alternatives hold only entirely", () => {
  it("bj_094 «申报企业为小微或初创型文化企业»: being a cultural firm does not make it a start-up", () => {
    const c = extractCriteria("申报条件：\n1．申报企业为小微或初创型文化企业。", { policyRegionPath: ["北京市"] });
    const [alt] = all(c).filter((x) => x.mode === "any");
    expect(alt.checks).toContainEqual({ type: "both", checks: [expect.objectContaining({ type: "industry" }), { type: "text" }] });
    const profile = { region: { province: "北京市", city: "北京市", district: "朝阳区" }, industries: ["文化创意"], established: "2010-01-01" };
    expect(judge(c, profile, "2026-06-30").verdict).not.toBe("eligible");
  });
});

describe("a case that only forbids combining", () => {
  it("(written) «申请贷款贴息的，不得同时申请其他补贴» rules no applicant out", () => {
    const c = extractCriteria("申报条件：\n1．在本市注册的企业。\n2．申请贷款贴息的，不得同时申请其他补贴。", { policyRegionPath: ["北京市"] });
    expect(all(c).some((x) => x.disqualifier)).toBe(false);
  });
});

describe("criteria coverage", () => {
  it("counts the checks each kind reads and the share left as free text, a compound check by its members", () => {
    const text = [
      "一、申报条件",
      "申报企业须同时满足以下条件：",
      "（一）在武汉市注册的企业；",
      "（二）上一年度营业收入不超过 8000 万元；",
      "（三）具有完善的财务管理制度和良好的经营业绩；",
      "（四）拥有自主知识产权的核心技术。",
    ].join("\n");
    const read = extractCriteria(text, { policyRegionPath: ["湖北省", "武汉市"], title: "测试市企业补贴" });
    const compound: Criterion = {
      id: "x1",
      text: "生物医药领域企业注册成立不超过7年",
      mode: "all",
      checks: [
        {
          type: "both",
          checks: [
            { type: "industry", fields: ["生物医药"] },
            { type: "age", op: "<=", years: 7 },
          ],
        },
      ],
    };
    const c = criteriaCoverage([read, { common: [compound], programmes: [] }]);
    expect(c.policies).toBe(2);
    expect(c.byKind).toMatchObject({ region: 1, threshold: 1, industry: 1, age: 1 });
    expect(c.byKind.both).toBeUndefined();
    expect(c.checks).toBe(Object.values(c.byKind).reduce((a, b) => a + b, 0));
    expect(c.textShare).toBeCloseTo((c.byKind.text ?? 0) / c.checks);
    expect(c.textShare).toBeGreaterThan(0);
  });
});

describe("clauses that state no condition on the applicant", () => {
  it("leaves out caps on the support and headings over conditions", () => {
    const criteria = extractCriteria(
      "申报条件：\n（一）在武汉市注册的企业；\n（二）上一年度营业收入不低于 500 万元；\n（三）并符合下列条件之一：\n（四）资金支持比例不超过项目实际投资额的 30%，其中设备补助不超过 80 万元。",
      { policyRegionPath: ["湖北省", "武汉市"] },
    );
    const texts = [...criteria.common, ...criteria.programmes.flatMap((p) => p.criteria)].map((c) => c.text);
    expect(texts.some((t) => /营业收入/.test(t))).toBe(true);
    expect(texts.filter((t) => /不超过|下列条件之一/.test(t))).toEqual([]);
  });
});

describe("circumstances, exclusions and ranges", () => {
  const read = (body: string, path = ["湖北省", "武汉市"]) => {
    const c = extractCriteria(`申报条件：\n${body}`, { policyRegionPath: path });
    return [...c.common, ...c.programmes.flatMap((p) => p.criteria)];
  };

  it("binds what follows a circumstance («由外省市整体迁入…的企业，须…») only to companies in it", () => {
    const [c] = read("（一）由外省市整体迁入本市的科技企业，须完成迁入满一年。");
    expect(c.case).toBe("外省市整体迁入本市的科技企业");
    const moved = judge({ common: [c], programmes: [] }, { facts: ["2025年3月从长沙整体迁入本市的科技企业"] }, "2026-06-30");
    expect(moved.checklist[0].status).not.toBe("met");
    const local = judge({ common: [c], programmes: [] }, { facts: ["一直在武汉经营"] }, "2026-06-30");
    expect(local.checklist[0]).toMatchObject({ status: "met", reason: expect.stringContaining("不适用") });
  });

  it("reads «…的企业不适用» as an exclusion a fact must bring home", () => {
    const excluded = read("（一）在境内注册的居民企业，实行简易办法征收的企业不适用。").find((c) => /简易办法/.test(c.text));
    expect(excluded?.disqualifier).toBe(true);
  });

  it("reads a range of revenue as two bounds on the same figure", () => {
    const [c] = read("（一）上年度营业收入在2000万元至8亿元之间。");
    expect(c.checks).toMatchObject([
      { type: "threshold", metric: "revenue", op: ">=", value: 2000 },
      { type: "threshold", metric: "revenue", op: "<=", value: 80000 },
    ]);
  });

  it("reads R&D growth as a rate of the year before, and the 增量 that follows as an amount", () => {
    const [rate, amount] = read("（一）2025年度研发费用较2024年度增长15%以上，且增量不低于200万元。");
    expect(rate.checks[0]).toMatchObject({ type: "threshold", metric: "rdGrowthRate", value: 0.15 });
    expect(amount.checks[0]).toMatchObject({ type: "threshold", metric: "rdGrowth", value: 200 });
    const j = judge({ common: [rate, amount], programmes: [] }, { facts: ["2024年度研发费用1000万元，2025年度研发费用1300万元"] }, "2026-06-30");
    expect(j.checklist.map((r) => r.status)).toEqual(["met", "met"]);
  });

  it("does not read how a term is decided («…为判断标准») as a condition, and reads an excluded list of industries", () => {
    expect(read("（一）以上一年度主营业务收入占比50%以上为判断标准。").filter((c) => !c.text.startsWith("本政策由"))).toEqual([]);
    const [c] = read("（一）不属于房地产业、批发和零售业等不适用行业。");
    expect(c.checks).toEqual([{ type: "applicant", excluded: ["房地产业", "批发", "零售业"] }]);
  });
});

describe("a policy that states no conditions apart: its support items and its definitions", () => {
  const body = [
    "第二条 本办法所称青年科创企业，是指由35周岁以下的创始人控股、成立不超过3年的企业。",
    "第三条 企业支持。对本区符合条件的青年科创企业给予支持，具体如下：",
    "（一）场地补贴。在本区登记注册并入驻本区孵化器的青年科创企业，按实际租金的30%予以场地补贴。",
    "（二）融资奖励。获得天使轮融资的青年科创企业，按融资额的5%给予奖励。",
    "第四条 本办法自发布之日起施行。",
  ].join("\n");
  const criteria = extractCriteria(body, { policyRegionPath: ["浙江省", "杭州市", "滨江区"] });
  it("reads each named support item as a programme, whom it supports as its conditions", () => {
    expect(criteria.programmes.map((p) => p.name)).toEqual(expect.arrayContaining(["场地补贴", "融资奖励"]));
    const rent = criteria.programmes.find((p) => p.name === "场地补贴")!;
    expect(rent.criteria.some((c) => c.checks.some((k) => k.type === "region"))).toBe(true);
  });

  it("adds what a defined term means to the items that name it", () => {
    const rent = criteria.programmes.find((p) => p.name === "场地补贴")!;
    const defined = rent.criteria.filter((c) => c.text.startsWith("（青年科创企业）"));
    expect(defined.flatMap((c) => c.checks.map((k) => k.type))).toEqual(expect.arrayContaining(["age"]));
  });

  it("leaves a policy with its own conditions as it was", () => {
    const own = extractCriteria(`申报条件：\n（一）在本区注册；\n（二）上年度营业收入不低于 500 万元。\n${body}`, {
      policyRegionPath: ["浙江省", "杭州市", "滨江区"],
    });
    expect(own.programmes).toEqual([]);
  });
});

describe("a card's support item that sets a bar for one kind of applicant", () => {
  // Written in the layout of the 《北京市产业政策导引》 cards.
  const card = [
    "# 某市商贸企业线上渠道建设支持",
    "服务对象",
    "在本市注册且具有独立法人资格的商贸流通企业",
    "1．支持商贸流通企业、品牌商建设线上销售渠道。其中，相关品牌商应具备独立的销售主体，上年度网络零售额不低于 300 万元。",
    "【服务内容】",
    "支持内容包括软硬件设备购置。",
    "【条件要求】",
    "1．在本市注册且具有独立法人资格；",
    "2．经营状况良好。",
  ].join("\n");
  const criteria = extractCriteria(card, { policyRegionPath: ["北京市"], title: "某市商贸企业线上渠道建设支持" });

  it("reads the bar as binding that kind of applicant alone", () => {
    const bar = all(criteria).find((c) => c.text.includes("网络零售额"));
    expect(bar?.case).toBe("品牌商");
    expect(all(criteria).find((c) => c.text.includes("独立的销售主体"))?.case).toBe("品牌商");
  });

  it("never calls a brand eligible without the figure, and leaves a plain trader unbound by it", () => {
    const base = { region: { province: "北京市", city: "北京市" }, legalEntity: true };
    const brand = judge(criteria, { ...base, facts: ["我们是服装品牌商，自有品牌，设有独立的销售公司"] }, "2026-12-01");
    expect(brand.verdict).not.toBe("eligible");
    const bar = brand.checklist.find((r) => r.text.includes("网络零售额"));
    expect(bar?.status).toBe("unknown");
    const trader = judge(criteria, { ...base, facts: ["我们是一家批发建材的贸易公司"] }, "2026-12-01");
    expect(trader.checklist.find((r) => r.text.includes("网络零售额"))?.status).not.toBe("unknown");
  });
});

describe("a card's conditions cell above its floating marker", () => {
  // Written in the layout of the 《北京市产业政策导引》 cards: the support cell's list ends just above the
  // conditions cell, whose list starts again at 1 above the 【条件要求】 marker.
  const card = [
    "# 某区特色园区认定",
    "服务对象",
    "园区运营主体",
    "【服务内容】",
    "1．对认定的特色园区给予最高 500 万元支持。",
    "2．所在区要加强园区周边道路、基础设施建设，完善公共服务配套。",
    "3．鼓励区属国有企业参与特色园区建设运营。",
    "1．空间规模：原则上规划建设面积不低于 5 万平方米。",
    "【条件要求】",
    "2．运营管理：运营主体应具有独立法人资格。",
    "3．产业发展：特色产业营业收入占园区总收入 60%以上。",
    "4．公共配套：园区道路、供电供水设施齐全。",
    "【服务流程】",
    "提交申请→专家评审→认定授牌",
  ].join("\n");
  const texts = all(extractCriteria(card, { policyRegionPath: ["北京市"], title: "某区特色园区认定" })).map((c) => c.text);

  it("starts where the list starts again, not among the support items above it", () => {
    expect(texts.some((t) => t.includes("不低于 5 万平方米"))).toBe(true);
    expect(texts.some((t) => t.includes("基础设施建设") || t.includes("区属国有企业"))).toBe(false);
  });
});
