import { describe, expect, it } from "vitest";
import { readCompanyFacts } from "../../src/understand/facts/index.js";
import { absentReader } from "../../src/understand/facts/numbers/absent.js";
import { findAmounts, parseChineseNumeral } from "../../src/understand/facts/numbers/amount.js";
import { headcountReader } from "../../src/understand/facts/numbers/headcount.js";
import { NUMBER_READERS } from "../../src/understand/facts/numbers/index.js";
import { moneyReader } from "../../src/understand/facts/numbers/money.js";
import { patentsReader } from "../../src/understand/facts/numbers/patents.js";
import { ratioReader } from "../../src/understand/facts/numbers/ratio.js";
import { relativeReader } from "../../src/understand/facts/numbers/relative.js";
import type { FactReader } from "../../src/understand/facts/reader.js";
import { normalizeText } from "../../src/understand/normalize.js";

const TODAY = "2026-12-01";

/** The profile a message gives with these readers only. */
const read = (text: string, readers: FactReader[]) => readCompanyFacts(normalizeText(text), { today: TODAY, readers }).profile;

describe("amounts", () => {
  it.each([
    ["一百二十", 120],
    ["一百五", 150],
    ["一千二", 1200],
    ["两千五百", 2500],
    ["一点二", 1.2],
    ["一百零五", 105],
    ["三十五", 35],
  ])("reads the Chinese numeral %s as %d", (text, value) => {
    expect(parseChineseNumeral(text)?.value).toBe(value);
  });

  it.each(["几十", "两三百", "几百"])("reads no figure in the vague %s", (text) => {
    expect(parseChineseNumeral(text)).toBeNull();
  });

  it.each([
    ["640万", { kind: "money", value: 640 }],
    ["两千万", { kind: "money", value: 2000 }],
    ["一点二亿", { kind: "money", value: 12000 }],
    ["两个多亿", { kind: "money", value: 20000, approx: true }],
    ["三百多万", { kind: "money", value: 300, approx: true }],
    ["1,250万元", { kind: "money", value: 1250 }],
    ["3000000元", { kind: "money", value: 300 }],
    ["50w", { kind: "money", value: 50 }],
    ["RMB 12 million", { kind: "money", value: 1200 }],
    ["七十来人", { kind: "count", value: 70, unit: "人", approx: true }],
    ["十几个人", { kind: "count", value: 10, unit: "人", approx: true }],
    ["一百二十来号人", { kind: "count", value: 120, unit: "人", approx: true }],
    ["7项", { kind: "count", value: 7, unit: "项" }],
    ["8%", { kind: "ratio", value: 0.08 }],
    ["百分之六", { kind: "ratio", value: 0.06 }],
    ["不到50人", { kind: "count", value: 50, bound: true }],
    ["100人以上", { kind: "count", value: 100, bound: true }],
    ["200-300人", { kind: "count", value: 300, bound: true }],
    ["不是两个亿", { kind: "money", value: 20000, denied: true }],
  ])("reads %s", (text, expected) => {
    expect(findAmounts(text).pop()).toMatchObject(expected);
  });

  it.each(["5G", "第二个", "2025年", "6月", "3号楼", "H100"])("reads the name %s as no quantity", (text) => {
    expect(findAmounts(text).filter((a) => a.kind !== "bare")).toEqual([]);
  });
});

describe("money reader", () => {
  it.each([
    ["去年营收3000万", { revenue: 3000 }],
    ["去年营收大约700万，研发投了一百多万", { revenue: 700, rdExpense: 100 }],
    ["营业收入：5200万元", { revenue: 5200 }],
    ["我们在浦东，营收一点二亿", { revenue: 12000 }],
    ["再补充一点，资产总额大约两个亿", { totalAssets: 20000 }],
    ["去年研发640万，前年520万", { rdExpense: 640, rdExpensePrevYear: 520 }],
    ["2024年营收1800万，2025年营收2300万", { revenue: 2300, revenuePrevYear: 1800 }],
    ["上年度研发费用410万元，上上年度350万元", { rdExpense: 410, rdExpensePrevYear: 350 }],
    ["去年营收：2,340万元（已审计）；前年：1,870万元", { revenue: 2340, revenuePrevYear: 1870 }],
    ["前年营收1000万", { revenuePrevYear: 1000 }],
    ["研发投入去年花了800万", { rdExpense: 800 }],
    ["研发经费支出六百万左右", { rdExpense: 600 }],
    ["年收入50w左右", { revenue: 50 }],
    ["净利润500万，营收4000万", { revenue: 4000 }],
    ["估值5亿，去年营收2000万", { revenue: 2000 }],
    ["营收我说错了，是三千万，不是三个亿", { revenue: 3000 }],
    ["营收同比增长了20%，达到4800万", { revenue: 4800 }],
    ["营收增长到3000万了", { revenue: 3000 }],
    ["营收是含税数，不含税约2300万", { revenue: 2300 }],
    ["同行一家公司营收两个亿，我们只有四千万", { revenue: 4000 }],
    ["客户一年营收几百亿，我们营收800万", { revenue: 800 }],
    ["去年研发费用480万，比前年多了120万", { rdExpense: 480 }],
    ["近三年营收分别是800万、1200万、2000万", { revenue: 2000, revenuePrevYear: 1200 }],
    ["去年和前年研发分别为500万和400万", { rdExpense: 500, rdExpensePrevYear: 400 }],
    ["去年营收比前年增长30%，前年是2000万", { revenuePrevYear: 2000 }],
    ["总资产5000万，净资产3000万", { totalAssets: 5000 }],
    ["固定资产3000万，总资产8000万", { totalAssets: 8000 }],
    ["我们年营收五千万左右，研发一年大概投四百万", { revenue: 5000, rdExpense: 400 }],
    ["营业收入（万元）：3500", { revenue: 3500 }],
    ["研发费用(元)：4,200,000", { rdExpense: 420 }],
    ["项目总投资3000万，其中研发投入800万", { rdExpense: 800 }],
    ["去年销售额1.2亿，其中高新技术产品收入9000万", { revenue: 12000 }],
    ["去年营收1200万，今年预计2000万", { revenue: 1200 }],
  ])("reads %s", (text, expected) => {
    expect(read(text, [moneyReader])).toEqual(expected);
  });

  it.each([
    "公司注册资本2000万，实缴500万",
    "去年拿了300万补贴",
    "政策说最高给500万",
    "研发费用增量300万以上奖励20万",
    "我们今年研发费用比去年多了90万",
    "我们给比亚迪做电池壳，比亚迪去年营收6000亿",
    "明年营收目标是一个亿",
    "要是我们把注册地搬到丰台，研发做到700万，能拿多少？",
    "营收5000万以上的企业能申请吗",
    "高新技术产品收入3000万",
    "研发费用加计扣除了200万",
    "融资了两千万",
    "营收上千万",
    "人均收入20万",
    "研发大楼花了3000万",
    "去年交了300万的税",
    "营收大概在三四千万",
    "累计研发投入2000万",
    "月营收200万",
    "今年1-9月营收3000万",
    "研发投入连续三年超过500万",
    "第一年营收100万",
    "今年上半年营收800万",
    "我们拿到了300万的天使轮",
    "我们的客户包括国家电网，年采购额5000万",
  ])("reads no company money in %s", (text) => {
    expect(read(text, [moneyReader])).toEqual({});
  });
});

describe("headcount reader", () => {
  it.each([
    ["员工45人", { employees: 45 }],
    ["团队25人", { employees: 25 }],
    ["公司在西安，28个人", { employees: 28 }],
    ["我们公司也就七十来人", { employees: 70 }],
    ["我们是徐汇的，十几个人", { employees: 10 }],
    ["我们一百二十来号人", { employees: 120 }],
    ["员工人数：86；科技人员：31", { employees: 86, techStaff: 31 }],
    ["人数现在六十了", { employees: 60 }],
    ["员工一百五", { employees: 150 }],
    ["headcount 60", { employees: 60 }],
    ["有员工260人，其中研发人员75人", { employees: 260, techStaff: 75 }],
    ["研发团队15人", { techStaff: 15 }],
    ["员工一千二百人", { employees: 1200 }],
    ["员工三十名，技术人员十二名", { employees: 30, techStaff: 12 }],
    ["公司现有职工86人", { employees: 86 }],
    ["从业人员120人左右", { employees: 120 }],
    ["员工三是人", { employees: 30 }],
    ["公司有30个员工，其中60名研发人员", { employees: 30, techStaff: 60 }],
    ["我们有8个人是做研发的", { techStaff: 8 }],
    ["团队有博士3人，硕士10人，总共50人", { employees: 50 }],
    ["现有员工68名（其中研发人员22名）", { employees: 68, techStaff: 22 }],
  ])("reads %s", (text, expected) => {
    expect(read(text, [headcountReader])).toEqual(expected);
  });

  it.each([
    "入选3551人才计划",
    "我们有5个博士",
    "股东3人",
    "不到50人能申请吗？",
    "员工200-300人",
    "员工超过100人",
    "今年新招了10个人",
    "我们是第二个入驻的",
    "研发投入150万，有2件发明专利",
    "5G团队",
    "员工50人以上的企业有哪些政策",
    "我们是人工智能公司",
    "我们想招30个人，有补贴吗",
    "我们员工80人的话能申请吗",
    "一个员工都没有",
    "团队核心成员5个博士",
    "我们在2号楼3层",
  ])("reads no headcount in %s", (text) => {
    expect(read(text, [headcountReader])).toEqual({});
  });
});

describe("ratio reader", () => {
  it.each([
    ["研发投入占比5%", 0.05],
    ["研发费用占营业收入比重8%", 0.08],
    ["研发投入强度12%", 0.12],
    ["我们研发占营收的比例大概是6.5%", 0.065],
    ["研发投入占销售收入的百分之六", 0.06],
    ["我们目前研发占比4%，要是做到6%能申请吗", 0.04],
    ["研發投入佔比7%", 0.07],
    ["研发投入大概占营收的5%", 0.05],
    ["研发费用是营收的6%", 0.06],
    ["公司去年研发支出400多万元，占营收的5%左右", 0.05],
    ["高企认定需要研发费用占比不低于5%吗？我们去年是4.2%", 0.042],
  ])("reads %s as %d", (text, rdRatio) => {
    expect(read(text, [ratioReader])).toEqual({ rdRatio });
  });

  it.each([
    "科技人员占比30%",
    "研发人员占比40%",
    "本科以上学历占80%",
    "营收增长了20%",
    "如果研发占比做到7%，可以申请高企吗？",
    "研发占比不低于3%的企业能申请吗",
    "高企要求研发占比5%以上",
    "员工50人，我们是5%",
    "员工本科以上占比70%",
    "营收增长率30%",
    "研发费用加计扣除比例是100%吗？",
  ])("reads no R&D ratio in %s", (text) => {
    expect(read(text, [ratioReader])).toEqual({});
  });
});

describe("patents reader", () => {
  it.each([
    ["拥有发明专利7项", { inventionPatents: 7 }],
    ["我们有3件发明专利，8个软著", { inventionPatents: 3, ipCount: 11 }],
    ["知识产权30多项，其中发明专利5项", { inventionPatents: 5, ipCount: 30 }],
    ["实用新型专利12项", { ipCount: 12 }],
    ["专利20件，其中发明专利5件", { inventionPatents: 5, ipCount: 20 }],
    ["发明专利：3", { inventionPatents: 3 }],
    ["软件著作权15个", { ipCount: 15 }],
    ["授权发明专利六件，实用新型十件，外观设计两件", { inventionPatents: 6, ipCount: 18 }],
    ["发明专利授权8件，另有12件在审", { inventionPatents: 8 }],
    ["有两项发明专利、十几个实用新型", { inventionPatents: 2, ipCount: 12 }],
    ["我们申请了10项发明专利，已经授权3项", { inventionPatents: 3 }],
    ["专利有十来项，发明专利3项", { inventionPatents: 3, ipCount: 10 }],
  ])("reads %s", (text, expected) => {
    expect(read(text, [patentsReader])).toEqual(expected);
  });

  it.each(["申请中的发明专利4项", "我们有个发明专利正在申请", "有两个商标", "高企要求至少1项发明专利", "申请高企需要几项发明专利？"])(
    "reads no IP held in %s",
    (text) => {
      expect(read(text, [patentsReader])).toEqual({});
    },
  );
});

describe("absent reader", () => {
  it.each([
    ["还没有营收", { revenue: 0 }],
    ["暂无收入", { revenue: 0 }],
    ["营收为零", { revenue: 0 }],
    ["零营收，靠融资", { revenue: 0 }],
    ["没有发明专利", { inventionPatents: 0 }],
    ["发明专利还没有", { inventionPatents: 0 }],
    ["还没有知识产权", { inventionPatents: 0, ipCount: 0 }],
  ])("reads %s as zero", (text, expected) => {
    expect(read(text, [absentReader])).toEqual(expected);
  });

  it.each(["没有营收要求吗？", "不是没有收入"])("reads nothing absent in %s", (text) => {
    expect(read(text, [absentReader])).toEqual({});
  });
});

describe("English figures, read from the message's own words", () => {
  const readRaw = (text: string) => readCompanyFacts(text, { today: TODAY, readers: NUMBER_READERS }).profile;
  it.each([
    ["Our company has about 220 employees, 70 of them are R&D staff.", { employees: 220, techStaff: 70 }],
    ["We hold 4 invention patents and 11 software copyrights.", { inventionPatents: 4, ipCount: 15 }],
    ["We spent RMB 12 million on R&D last year.", { rdExpense: 1200 }],
    ["Revenue RMB 50 million, 80 employees.", { revenue: 5000, employees: 80 }],
  ])("reads %s", (text, expected) => {
    expect(readRaw(text)).toEqual(expected);
  });
});

describe("relative reader", () => {
  const changes = (text: string) => readCompanyFacts(normalizeText(text), { today: TODAY, readers: [relativeReader] }).changes;
  it.each([
    ["员工又招了8个", [{ change: "add", field: "employees", value: 8 }]],
    [
      "最近新招了3个研发工程师",
      [
        { change: "add", field: "employees", value: 3 },
        { change: "add", field: "techStaff", value: 3 },
      ],
    ],
    ["研发那个数是前年的", [{ change: "toYearBefore", field: "rdExpense", value: 0 }]],
    ["营收的数据其实是前年的", [{ change: "toYearBefore", field: "revenue", value: 0 }]],
    ["前年的数字我说错了，应该是900万", [{ change: "yearBefore", field: "revenuePrevYear", value: 900 }]],
  ])("reads %s as a change", (text, expected) => {
    expect(changes(text)).toEqual(expected);
  });

  it.each(["员工80人", "如果再招10个人能申请吗", "前年营收1000万"])("reads no change in %s", (text) => {
    expect(changes(text)).toEqual([]);
  });
});

describe("number readers together", () => {
  it("reads the issue's message into each figure once", () => {
    const text = "公司2020年6月在苏州工业园区注册，做医疗器械，员工45人，拥有发明专利7项，去年研发640万，前年520万，还不是高企";
    expect(read(text, NUMBER_READERS)).toEqual({ employees: 45, inventionPatents: 7, rdExpense: 640, rdExpensePrevYear: 520 });
  });

  it("prefers a stated figure to an absence", () => {
    expect(read("没有发明专利，但有实用新型5项", NUMBER_READERS)).toEqual({ inventionPatents: 0, ipCount: 5 });
  });
});
