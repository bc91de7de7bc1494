import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { englishToChinese, isMostlyEnglish } from "../../src/understand/english.js";
import { normalizeText, normalizeTurn } from "../../src/understand/normalize.js";
import { correctTypos, homophones } from "../../src/understand/typos.js";
import { FIXTURE_CORPUS } from "../helpers/corpus.js";

describe("script: traditional characters", () => {
  it("reads traditional characters as simplified and says which it changed", () => {
    const turn = normalizeTurn("我們是武漢的高新技術企業，能申請哪些補貼？");
    expect(turn.text).toBe("我们是武汉的高新技术企业，能申请哪些补贴？");
    expect(turn.language).toBe("zh");
    expect(turn.changes).toContainEqual({ from: "們", to: "们", kind: "script", index: 1 });
    expect(turn.changes).toContainEqual({ from: "補貼", to: "补贴", kind: "script", index: 18 });
  });

  it("maps Taiwan names to the mainland's only where they are written in traditional characters", () => {
    expect(normalizeText("我們是軟體公司，做資訊服務和積體電路，有補助嗎？")).toBe("我们是软件公司，做信息服务和集成电路，有补助吗？");
    expect(normalizeText("人工智慧新創企業")).toBe("人工智能初创企业");
    expect(normalizeText("併購重組有什麼資金支援？")).toBe("并购重组有什么资金支持？");
  });

  it("never rewrites simplified phrases as Taiwan phrasing would (建立, 核心, 程序, 文件 stay)", () => {
    const text = "企业应当建立研发机构，掌握核心技术，按程序提交申报文件，新增投资显著，提供技术支援。";
    expect(normalizeTurn(text)).toEqual({ text, changes: [], language: "zh" });
  });
});

describe("width: full-width letters, digits and signs", () => {
  it("makes letters, digits and ％＋－．／ half-width and keeps Chinese punctuation", () => {
    const turn = normalizeTurn("ＡＩ企业研发投入占比５．５％，营收３０００万元（２０２５年）；员工１００＋人：能申请吗？！");
    expect(turn.text).toBe("AI企业研发投入占比5.5%，营收3000万元（2025年）；员工100+人：能申请吗？！");
    expect(turn.changes.every((c) => c.kind === "width")).toBe(true);
    expect(turn.changes[0]).toEqual({ from: "ＡＩ", to: "AI", kind: "width", index: 0 });
  });

  it("keeps every offset: the text is as long as the message", () => {
    const message = "我們的研發費用占比５％";
    expect(normalizeText(message)).toHaveLength(message.length);
  });
});

describe("typos in the policy vocabulary", () => {
  it.each([
    ["高心技术企业奖历", "高新技术企业奖励"],
    ["我们是科技型中小企叶，想了解政策", "我们是科技型中小企业，想了解政策"],
    ["研发废用加计扣除怎么算", "研发费用加计扣除怎么算"],
    ["申请加记扣除要什么材料", "申请加计扣除要什么材料"],
    ["专精特心小巨人企业有奖励吗", "专精特新小巨人企业有奖励吗"],
    ["技术先进性服务企业认定", "技术先进型服务企业认定"],
    ["我们是登羚企业", "我们是瞪羚企业"],
    ["人工职能企业有什么补贴", "人工智能企业有什么补贴"],
    ["集成电录设计企业", "集成电路设计企业"],
    ["科技形中小企业评价入库", "科技型中小企业评价入库"],
    ["研发头入占比多少才行", "研发投入占比多少才行"],
    ["高新技术企业认订需要几项专利", "高新技术企业认定需要几项专利"],
    ["有没有贷款帖息", "有没有贷款贴息"],
    ["首都科技创心券怎么用", "首都科技创新券怎么用"],
    ["知识产权质押融资风险补尝", "知识产权质押融资风险补偿"],
  ])("corrects %s to %s", (typed, meant) => {
    expect(normalizeText(typed)).toBe(meant);
  });

  it("reports each correction with its offset, so the service can say 已按“高新技术企业”理解", () => {
    expect(normalizeTurn("高心技术企业奖历").changes).toEqual([
      { from: "高心技术企业", to: "高新技术企业", kind: "typo", index: 0 },
      { from: "奖历", to: "奖励", kind: "typo", index: 6 },
    ]);
  });

  it("corrects typos in traditional characters too", () => {
    expect(normalizeText("高心技術企業獎歷")).toBe("高新技术企业奖励");
  });

  it("corrects only a homophone: a character that sounds different makes another word", () => {
    expect(homophones("心", "新")).toBe(true);
    expect(homophones("产", "企")).toBe(false);
    expect(normalizeText("高新技术产业开发区")).toBe("高新技术产业开发区");
  });

  it.each([
    "我们是武汉的高新技术企业，研发投入占比5%，能申请哪些补贴？",
    "高新技术产业开发区内的企业可以申请吗？",
    "我们的高新技术产品收入占总收入的六成以上。",
    "公司主要做新材料研发，去年营收三千万元。",
    "科技创新全过程都有哪些支持政策？",
    "要加入长三角科技创新圈需要什么条件？",
    "我们做医学文献的技术转译服务，算不算科技服务业？",
    "知识产业园区的房租能补贴吗？",
    "人工只有两个人的小公司能申请创新券吗？",
    "我们去年新增了三项发明专利和五项实用新型专利。",
    "研发费用加计扣除比例是不是提高到百分之百了？",
    "专精特新中小企业认定的有效期是几年？",
    "中关村示范区的企业如何申请首都科技创新券？",
    "孵化器里的初创企业有房租补贴吗？",
    "我们公司成立于2019年，注册在海淀区，有80名员工。",
    "去年营业收入5000万元，研发人员占比超过20%。",
    "小巨人企业和单项冠军企业有什么区别？",
    "申报截止时间是什么时候，逾期还能补报吗？",
    "需要提交营业执照、财务审计报告和知识产权证明。",
    "企业技术中心认定对研发投入有什么要求？",
    "首台套重大技术装备保险补偿怎么申请？",
    "天使投资机构投资早期科技企业可以获得补贴吗？",
    "知识产权质押融资的贷款利息能不能补助一部分？",
    "北京的人工智能企业能申请算力券吗？",
    "我们是一家做工业机器人的智能制造企业。",
    "生物医药企业开展临床试验有没有资助？",
    "集成电路设计企业流片费用可以补贴吗？",
    "文化创意企业的贷款能贴息吗？",
    "跨境电子商务体验店的建设有资金支持吗？",
    "跨国公司地区总部认定需要哪些材料？",
    "高校毕业生创业补贴一次能领多少钱？",
    "创业担保贷款的额度和期限是多少？",
    "具身智能企业在徐汇区落地有哪些支持？",
    "技术合同登记以后可以享受什么优惠？",
    "我们想了解一下新型研发机构的认定条件。",
    "低空经济领域的无人机企业有专项资金吗？",
    "科技型中小企业评价入库以后有什么好处？",
    "技术先进型服务企业的离岸外包收入怎么算？",
  ])("leaves a correct sentence as it is: %s", (sentence) => {
    expect(correctTypos(sentence)).toEqual({ text: sentence, changes: [] });
  });

  it("leaves every sentence of the fixture policy documents as it is", () => {
    const files = readdirSync(FIXTURE_CORPUS).filter((f) => f.endsWith(".md") && f !== "README.md");
    expect(files).toHaveLength(22);
    let sentences = 0;
    for (const file of files) {
      const text = readFileSync(new URL(file, FIXTURE_CORPUS), "utf8");
      for (const sentence of text.split(/[。；！？\n]/).filter((s) => /[\u4e00-\u9fff]/.test(s))) {
        sentences++;
        const { changes } = correctTypos(sentence);
        expect(changes, `${file}: ${sentence}`).toEqual([]);
      }
    }
    expect(sentences).toBeGreaterThan(500);
  });
});

describe("English questions", () => {
  it.each([
    ["high-tech enterprise subsidy in Wuhan", true],
    ["How do we apply for the R&D super deduction?", true],
    ["我们是高新技术企业，有AI和SaaS产品", false],
    ["IPO", false],
    ["请看 https://www.example.gov.cn/zhengce/content/2024/notice.html 这个政策", false],
  ])("tells whether %s is mostly English (%s)", (text, english) => {
    expect(isMostlyEnglish(text)).toBe(english);
  });

  it.each([
    ["high-tech enterprise subsidy in Wuhan", "高新技术企业，补贴，武汉"],
    ["Technology-based SME in Zhongguancun with 50 employees", "科技型中小企业，中关村，员工50人"],
    ["revenue of 30 million yuan, R&D ratio 5%", "营业收入3000万元，研发投入占比5%"],
    ["Grants for startups in Optics Valley up to RMB 2 million", "资助，初创企业 创业，光谷 东湖高新区，最高200万元"],
    ["What is the deadline and which materials are needed?", "截止时间 申报时间，申报材料"],
    ["invention patent award in Shenzhen", "发明专利，奖励，深圳"],
    ["founded in 2019, annual revenue 500 thousand", "成立2019年，营业收入50万"],
    ["R&D super deduction 怎么申请", "研发费用加计扣除，怎么申请"],
    ["We are a technology-based SME with 2 invention patents", "我们是科技型中小企业，发明专利2项"],
    ["We have 2000 employees, turnover 1.5 billion yuan", "我们员工2000人，营业收入15亿元"],
  ])("reads %s as %s", (english, chinese) => {
    expect(englishToChinese(english)).toBe(chinese);
  });

  it("answers an English message with a Chinese query and says it was English", () => {
    const turn = normalizeTurn("Ｈigh-tech enterprise subsidy in Wuhan?");
    expect(turn).toMatchObject({ text: "高新技术企业，补贴，武汉", language: "en" });
    expect(turn.changes).toEqual([{ from: "High-tech enterprise subsidy in Wuhan?", to: "高新技术企业，补贴，武汉", kind: "english", index: 0 }]);
  });

  it("leaves English words inside a Chinese question alone", () => {
    expect(normalizeTurn("我们用AI做SaaS，有补贴吗？")).toEqual({ text: "我们用AI做SaaS，有补贴吗？", changes: [], language: "zh" });
  });
});
