import { describe, expect, it } from "vitest";
import { readCompanyFacts } from "../../src/understand/facts/index.js";
import { WORD_READERS } from "../../src/understand/facts/words/index.js";
import { normalizeText } from "../../src/understand/normalize.js";

const TODAY = "2026-12-01";
const read = (text: string) => readCompanyFacts(normalizeText(text), { today: TODAY, readers: WORD_READERS }).profile;

describe("place reader", () => {
  it.each([
    ["我们在海淀，有什么补贴？", { city: "北京市", district: "海淀区" }],
    ["我们在中关村，做AI病理分析", { city: "北京市", park: "中关村" }],
    ["公司2020年6月在苏州工业园区注册，做医疗器械", { province: "江苏省", city: "苏州市", park: "苏州工业园区" }],
    ["我们公司位于武汉光谷", { province: "湖北省", city: "武汉市", park: "东湖新技术开发区" }],
    ["我们是武汉的高新技术企业，能申请哪些补贴？", { province: "湖北省", city: "武汉市" }],
    ["我们在亦庄，做机器人", { city: "北京市", park: "北京经济技术开发区" }],
    ["张江这边的一家创新药企业", { city: "上海市", district: "浦东新区", park: "张江" }],
    ["我们是江苏常州的，做新材料", { province: "江苏省", city: "常州市" }],
    ["公司注册在成都高新区", { province: "四川省", city: "成都市", park: "成都高新区" }],
    ["我们在杭州余杭，二十个人", { province: "浙江省", city: "杭州市", district: "余杭区" }],
    ["总部在深圳南山", { province: "广东省", city: "深圳市", district: "南山区" }],
    ["我们在前海注册的", { city: "深圳市", district: "南山区", park: "前海" }],
    ["我们办公在天河，注册地在黄埔", { city: "广州市", district: "黄埔区" }],
    ["公司在上海闵行", { city: "上海市", district: "闵行区" }],
    ["我们现在在河北保定", { province: "河北省", city: "保定市" }],
    ["我们是南京江宁的一家软件公司", { city: "南京市", district: "江宁区" }],
    ["我们这家企业坐落于合肥高新区", { province: "安徽省", city: "合肥市", park: "合肥高新区" }],
    ["我们是北京大学的实验室", { city: "北京市" }],
    ["我们在海淀，想了解上海有什么政策", { city: "北京市", district: "海淀区" }],
    ["我们之前在海淀，现在搬到了昌平", { city: "北京市", district: "昌平区" }],
    ["我们来自湖北，公司在深圳", { province: "广东省", city: "深圳市" }],
    ["我们公司在上海南京路", { province: "上海市", city: "上海市" }],
    ["我们在北京有什么政策可以申请吗？", { city: "北京市" }],
    ["我们入驻了张江", { city: "上海市", park: "张江" }],
    ["我们苏州这边做精密制造", { province: "江苏省", city: "苏州市" }],
    ["注册地址：上海市徐汇区", { city: "上海市", district: "徐汇区" }],
    ["不对，不是海淀，是朝阳", { city: "北京市", district: "朝阳区" }],
    ["不对，是朝阳不是海淀，人数现在六十了", { city: "北京市", district: "朝阳区" }],
    ["我们不在海淀，在朝阳", { city: "北京市", district: "朝阳区" }],
    ["我们在海淀，刚搬到朝阳", { city: "北京市", district: "朝阳区" }],
    ["我们在北京，具体是海淀区", { city: "北京市", district: "海淀区" }],
    ["公司在东莞，松山湖那边", { city: "东莞市", park: "松山湖" }],
    ["我们是广州开发区的企业", { city: "广州市", park: "广州开发区" }],
    ["我们在武汉高新区", { city: "武汉市", park: "东湖新技术开发区" }],
    ["我们在苏州园区", { city: "苏州市", park: "苏州工业园区" }],
    ["总部在北京，在武汉光谷有研发中心", { province: "北京市", city: "北京市" }],
  ])("%s", (text, region) => {
    expect(read(text).region).toMatchObject(region);
  });

  it.each([
    "北京有什么科技政策？",
    "上海市科技创新券怎么申领？",
    "要是我们在中关村注册，可以享受哪些政策？",
    "我们的客户在深圳，他们是高企",
    "我们打算在苏州设立子公司",
    "武汉的企业可以申请吗？",
    "政策文件说注册在北京市的企业可以申请",
    "我们之前在海淀",
  ])("reads no place of the company from 「%s」", (text) => {
    expect(read(text).region).toBeUndefined();
  });

  it("reads no district of another city from a short name (上海滨江 is not 杭州滨江区)", () => {
    expect(read("我们在上海滨江").region).toEqual({ province: "上海市", city: "上海市" });
  });

  it.each([
    ["我们公司在北京朝杨区", { city: "北京市", district: "朝阳区" }],
    ["我们在上海徐会区", { city: "上海市", district: "徐汇区" }],
  ])("reads a place name typed by sound: %s", (text, region) => {
    expect(read(text).region).toMatchObject(region);
  });

  it("does not take an ordinary word for a misspelt place (北京大型企业 is not 大兴区)", () => {
    expect(read("我们是北京大型企业").region).toEqual({ province: "北京市", city: "北京市" });
  });

  it("keeps a park spanning districts without a district (光谷, 中关村)", () => {
    expect(read("我们在光谷").region?.district).toBeUndefined();
    expect(read("我们在中关村").region?.district).toBeUndefined();
  });
});

describe("founded reader", () => {
  it.each([
    ["我们2019年成立", "2019"],
    ["公司成立于2016年5月", "2016-05"],
    ["今年3月注册的新公司", "2026-03"],
    ["我们是去年注册的", "2025"],
    ["准确地说是2018年3月9日注册的", "2018-03-09"],
    ["公司2020年6月在苏州工业园区注册", "2020-06"],
    ["注册时间是2018-09-20", "2018-09-20"],
    ["补充一下成立时间，是2022年4月", "2022-04"],
    ["我们19年成立的", "2019"],
    ["前年创立的", "2024"],
    ["公司上个月刚注册", "2026-11"],
    ["成立两年多", "2024-12"],
    ["成立五年多", "2021-12"],
    ["公司成立三年半", "2023-06"],
    ["成立不到两年", "2025-06"],
    ["我们成立了8个月", "2026-04"],
    ["公司成立十多年了", "2016-12"],
    ["2015年就成立了", "2015"],
    ["今年刚成立", "2026"],
  ])("%s → %s", (text, established) => {
    expect(read(text).established).toBe(established);
  });

  it.each([
    "我们是高企，2020年认定的，2023年重新认定了",
    "我们去年11月在创业板上市了",
    "成立不满三年的企业可以申请吗",
    "我们去年底刚认定了科技型中小企业",
    "2030年成立的公司",
    "如果成立满三年，能申请吗",
    "我们2022年拿到了A轮融资",
    "我们去年成立了研发中心",
    "公司注册资本2000.5万元",
    "2018年注册了商标",
    "2019年成立的研发中心",
    "我们去年注册了一家分公司",
    "成立3年内的企业有什么政策",
  ])("reads no founding date from 「%s」", (text) => {
    expect(read(text).established).toBeUndefined();
  });

  it("marks an age as an estimate", () => {
    const facts = readCompanyFacts("成立两年多", { today: TODAY, readers: WORD_READERS });
    expect(facts.approx).toContain("established");
  });
});

describe("qualifications reader", () => {
  it.each([
    ["我们是高企", ["高新技术企业"], undefined],
    ["是高新技术企业，也是科技型中小企业", ["高新技术企业", "科技型中小企业"], undefined],
    ["我们去年底刚认定了科技型中小企业", ["科技型中小企业"], undefined],
    ["我们是国家级专精特新小巨人", ["专精特新“小巨人”企业"], undefined],
    ["公司还不是高企", undefined, ["高新技术企业"]],
    ["我们没有评上专精特新", undefined, ["专精特新中小企业"]],
    ["我们不是高企也不是科小", undefined, ["高新技术企业", "科技型中小企业"]],
    ["高企还没批下来", undefined, ["高新技术企业"]],
    ["客户是高企，我们不是", undefined, ["高新技术企业"]],
    ["我们是科小，还不是高企", ["科技型中小企业"], ["高新技术企业"]],
    ["我们是武汉的高新技术企业，能申请哪些补贴？", ["高新技术企业"], undefined],
    ["我们是国家高新技术企业和专精特新企业", ["高新技术企业", "专精特新中小企业"], undefined],
    ["公司去年通过了高企认定", ["高新技术企业"], undefined],
    ["高企、科小都不是", undefined, ["高新技术企业", "科技型中小企业"]],
    ["我们的高企资质去年到期了", undefined, ["高新技术企业"]],
    ["我们不是高企和专精特新", undefined, ["高新技术企业", "专精特新中小企业"]],
    ["我们不具备高企资格", undefined, ["高新技术企业"]],
    ["科小已经入库了", ["科技型中小企业"], undefined],
    ["我们是高新企业", ["高新技术企业"], undefined],
    ["我们是雏鹰企业", ["雏鹰企业"], undefined],
    // Words between 是 and the name say where from, not whether: 「是从…迁来的高企」.
    ["我们是前年从合肥整体搬到苏州的高企", ["高新技术企业"], undefined],
    ["我是想问问高企", undefined, undefined],
    // Where the company is, then what it is, opening the message.
    ["海淀的小巨人企业，研发费用增长了500万，专精特新资金怎么申请？", ["专精特新“小巨人”企业"], undefined],
    ["光谷一家高企，能申请什么？", ["高新技术企业"], undefined],
  ])("%s", (text, held, lacked) => {
    const p = read(text);
    expect(p.qualifications).toEqual(held);
    expect(p.lacks).toEqual(lacked);
  });

  it.each([
    "如果我们是高企，能拿多少？",
    "我们想申请高企",
    "申报高企需要什么条件？",
    "高企认定有什么补贴？",
    "我们正在申报专精特新",
    "我们是不是高企还不确定",
    "我们客户那边是高企",
    "我们之前是高企",
    "我们是高企培育库入库企业",
    "高企还在申请中",
    "我们集团是高企",
    "我们是潜在独角兽",
    "如果我们研发占比做到6%，可以申请高企吗？",
    "北京的高企有哪些补贴？",
  ])("holds nothing in 「%s」", (text) => {
    expect(read(text).qualifications).toBeUndefined();
  });
});

describe("industries reader", () => {
  it.each([
    ["我们在中关村，做AI病理分析", ["AI病理分析", "人工智能"]],
    ["张江这边的生物医药企业", ["生物医药"]],
    ["做光伏逆变器配件，目前15个人", ["光伏逆变器配件"]],
    ["我们主要从事工业软件研发", ["工业软件研发"]],
    ["我们是一家软件公司", ["软件"]],
    ["公司专注于储能电池管理系统", ["储能电池管理系统"]],
    ["我们主营业务是工业视觉检测设备", ["工业视觉检测设备"]],
    ["我们属于新材料行业", ["新材料"]],
    ["我们是徐汇的AI公司", ["AI", "人工智能"]],
    ["我们是一家做跨境电商的公司", ["跨境电商"]],
    ["公司属于高端装备制造业", ["高端装备制造业"]],
    ["我们是做智能语音的", ["智能语音"]],
  ])("%s", (text, industries) => {
    expect(read(text).industries).toEqual(industries);
  });

  it.each(["我们给华为做配套", "我们是上市公司", "我们想转型做储能", "我们是一家民营企业", "做什么行业能申请？", "我们属于科技型中小企业"])(
    "reads no industry from 「%s」",
    (text) => {
      expect(read(text).industries).toBeUndefined();
    },
  );
});

describe("listed reader", () => {
  it.each([
    ["我们还没上市", false],
    ["公司未上市", false],
    ["我们没有在新三板挂牌", false],
    ["我们已在科创板上市", true],
    ["我们是深交所创业板上市公司", true],
    ["我们去年11月在创业板上市了", true],
    ["我们新三板挂牌了，营收6000万", true],
  ])("%s → %s", (text, listed) => {
    expect(read(text).listed).toBe(listed);
  });

  it.each(["上市公司能申请吗？", "还没上市的企业能申请吗？", "我们准备明年上市", "如果上市了还能申请吗", "我们客户是上市公司"])(
    "reads nothing from 「%s」",
    (text) => {
      expect(read(text).listed).toBeUndefined();
    },
  );
});

describe("applicant reader", () => {
  it.each([
    ["我们是一所高校", "高校"],
    ["想以学校名义牵头申报", "高校"],
    ["我们是中科院下属的研究所", "科研院所"],
    ["我们是中国科学院的研究所", "科研院所"],
    ["我们是一家民办非企业单位", "社会组织"],
    ["我们是市级行业协会", "社会组织"],
    ["我们是事业单位", "事业单位"],
    ["我们不是事业单位，是一家民营企业", "企业"],
    ["我是个人开发者，还没注册公司", "个人"],
    ["我们单位是事业单位改制的国有企业", "企业"],
    ["我司系事业单位，下属研究所想申请成果转化奖励", "事业单位"],
  ])("%s → %s", (text, kind) => {
    expect(read(text).applicantType).toBe(kind);
  });

  it.each([
    "我们是一家做AI的公司",
    "我们和清华大学合作",
    "我们是做高校实验室设备的",
    "我们是清华大学孵化的企业",
    "我们是高校老师创办的公司",
    "高校可以申请吗？",
    "我们是研究院有限公司",
    "申报主体必须是高校吗？",
    "我们是产业联盟理事单位",
  ])("reads no applicant type from 「%s」", (text) => {
    expect(read(text).applicantType).toBeUndefined();
  });
});

describe("the words readers together", () => {
  it("reads the issue's example", () => {
    expect(read("公司2020年6月在苏州工业园区注册，做医疗器械，员工45人，还不是高企，没上市")).toMatchObject({
      region: { province: "江苏省", city: "苏州市", park: "苏州工业园区" },
      established: "2020-06",
      industries: ["医疗器械"],
      lacks: ["高新技术企业"],
      listed: false,
    });
  });
});
