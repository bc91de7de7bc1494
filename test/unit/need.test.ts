import { describe, expect, it } from "vitest";
import { namesTopic, needText } from "../../src/understand/need.js";

describe("needText: what a question asks about", () => {
  it.each([
    // greetings, politeness and hearsay go; the topic stays
    ["您好，麻烦问一下，听朋友说有孵化器的房租补贴？", "孵化器的房租"],
    // the company's figures, places and what it says it is go: they are for eligibility, not for the topic
    ["我们是深圳的一家做储能电池的企业，去年营收八千多万，员工120人，研发投入占比6%，想申请研发补贴", "研发投入占比"],
    ["公司在海淀，2023年5月成立，注册资本500万元，能申报高新技术企业认定吗？", "高新技术企业认定"],
  ])("%s", (question, kept) => {
    const need = needText(question);
    expect(need).toContain(kept);
    for (const gone of ["您好", "麻烦", "听", "深圳", "海淀", "八千多万", "120人", "6%", "2023年", "500万元", "吗", "补贴", "申报", "申请"])
      expect(need).not.toContain(gone);
  });

  it("drops the kind of answer wanted, which every policy's text has, and keeps the topic it is wanted for", () => {
    const need = needText("流片补贴最多能给多少？需要什么材料？");
    expect(need).toContain("流片");
    for (const gone of ["补贴", "最多", "多少", "需要", "什么", "材料"]) expect(need).not.toContain(gone);
  });

  it("keeps a Chinese numeral that is part of a word, and a word that holds a dropped one (节能, 一次性)", () => {
    const need = needText("一次性奖励和节能改造有什么区别");
    expect(need).toContain("一次性");
    expect(need).toContain("节能改造");
  });

  it("drops what the company says it is («我们是…的软件公司，»), unless that is all the message says", () => {
    const need = needText("我们是杭州滨江的一家软件公司，滨江区的人才公寓怎么申请？");
    expect(need).toContain("人才公寓");
    expect(need).not.toContain("软件");
    expect(needText("我司为一家做激光器的企业，有什么补贴？")).toContain("激光器");
    // A qualification is what policies are written for: it stays.
    expect(needText("我们是武汉的高新技术企业，去年研发费用600万，能申请哪些补贴？")).toContain("高新技术企业");
  });

  it("keeps the whole question when it is all topic", () => {
    expect(needText("集成电路设计企业流片")).toBe("集成电路设计企业流片");
  });
});

describe("namesTopic: whether a question says what it is about, beyond who asks", () => {
  it.each([
    // a place's policies, asked for as a whole
    ["武汉有哪些补贴？", false],
    ["海淀区有什么支持政策", false],
    ["我们是北京海淀的一家做芯片设计的公司，成立三年，能申请哪些补贴？", false],
    ["我们是南京的企业，去年营收两千万，员工八十人，有什么政策可以申请？", false],
    // a topic named, in the question or in a clause of its own
    ["海淀有首台套政策吗？", true],
    ["武汉的孵化器房租补贴怎么申请？", true],
    ["我们是北京海淀的一家做芯片设计的公司，流片有补贴吗？", true],
    ["我们是武汉的高新技术企业，研发投入占比5%，能申请哪些补贴？", true],
    // the company's own figure is for eligibility: the place's policies are asked for
    ["我们是北京海淀的公司，研发投入占比5%，能申请哪些补贴？", false],
  ])("%s → %s", (question, named) => {
    expect(namesTopic(question)).toBe(named);
  });
});
