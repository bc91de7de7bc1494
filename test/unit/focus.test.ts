import { describe, expect, it } from "vitest";
import { type Focus, resolveFocus } from "../../src/understand/focus.js";
import type { Intent } from "../../src/understand/intent.js";
import { normalizeText } from "../../src/understand/normalize.js";

// A previous answer of five made-up policies, in the order it gave them.
const FIVE = [
  { id: "a", title: "北京市科技创新券实施管理办法" },
  { id: "b", title: "中关村专精特新“小巨人”企业培育奖励细则" },
  { id: "c", title: "海淀区研发费用后补助申报指南" },
  { id: "d", title: "北京市高新技术企业认定奖励办法" },
  { id: "e", title: "北京市首台（套）重大技术装备保险补偿政策" },
];
const ALL = FIVE.map((p) => p.id);

const focus = (text: string, intent: Intent, previous = FIVE) => resolveFocus(normalizeText(text), previous, intent);

describe("resolveFocus by position", () => {
  it.each<[string, Intent, string[]]>([
    ["第二个最多能拿多少", "amount", ["b"]],
    ["第一项的申报条件是什么", "conditions", ["a"]],
    ["第2个的联系方式", "contact", ["b"]],
    ["头一个能拿多少", "amount", ["a"]],
    ["它俩有啥区别", "compare", ["a", "b"]],
    ["最后一个怎么申报", "process", ["e"]],
    ["倒数第二个什么时候截止", "deadline", ["d"]],
    ["前两个的截止时间", "deadline", ["a", "b"]],
    ["前三项哪个最划算", "compare", ["a", "b", "c"]],
    ["这两个能同时申请吗？", "stackable", ["a", "b"]],
    ["三个都能拿吗", "stackable", ["a", "b", "c"]],
    ["第一个和第三个能兼得吗", "stackable", ["a", "c"]],
    ["第二、三个有什么区别", "compare", ["b", "c"]],
    ["上面那个联系电话是多少", "contact", ["a"]],
    ["这个政策什么时候截止", "deadline", ["a"]],
    ["我们是高企，能申请第二个吗", "eligibility", ["b"]],
  ])("%s → %j", (text, intent, ids) => {
    expect(focus(text, intent)).toEqual<Focus>({ policyIds: ids, changesTopic: false, by: "position" });
  });

  it("ignores a position past the end of the list rather than guessing", () => {
    expect(focus("第六个能拿多少", "amount")).toEqual<Focus>({ policyIds: [], changesTopic: false, by: "none" });
  });

  it("does not take a batch («第二批») for a position", () => {
    expect(focus("今年还有第二批吗", "deadline")).toEqual<Focus>({ policyIds: ALL, changesTopic: false, by: "all" });
  });
});

describe("resolveFocus by name", () => {
  it.each<[string, Intent, string[]]>([
    ["创新券那个什么时候截止？", "deadline", ["a"]],
    ["小巨人那个奖励多少", "amount", ["b"]],
    ["高企那个要什么材料", "materials", ["d"]],
    ["首台套的补贴比例是多少", "amount", ["e"]],
    ["研发补贴怎么申报", "process", ["c"]],
    ["创新券和小巨人能同时申请吗", "stackable", ["a", "b"]],
    ["小巨人和创新券哪个钱多", "compare", ["b", "a"]],
    ["专精特新的门槛高吗", "conditions", ["b"]],
  ])("%s → %j", (text, intent, ids) => {
    expect(focus(text, intent)).toEqual<Focus>({ policyIds: ids, changesTopic: false, by: "name" });
  });

  it("counts a policy the company already holds when asking whether another can be added to it", () => {
    expect(focus("我们已经拿过创新券了，还能申请小巨人吗", "stackable")).toEqual<Focus>({ policyIds: ["a", "b"], changesTopic: false, by: "name" });
  });

  it("names the one policy of a one-policy answer by a part of its title", () => {
    expect(focus("算力那个能补多少", "amount", [{ id: "x", title: "某区人工智能算力补贴实施细则" }])).toEqual<Focus>({
      policyIds: ["x"],
      changesTopic: false,
      by: "name",
    });
  });

  it("does not take a word every title shares for a name", () => {
    const two = [
      { id: "x", title: "北京市人工智能算力券实施细则" },
      { id: "y", title: "海淀区人工智能大模型应用奖励办法" },
    ];
    expect(focus("人工智能那个什么时候截止", "deadline", two)).toEqual<Focus>({ policyIds: ["x", "y"], changesTopic: false, by: "all" });
    expect(focus("大模型那个什么时候截止", "deadline", two)).toEqual<Focus>({ policyIds: ["y"], changesTopic: false, by: "name" });
  });

  it("does not take the word 材料 in a question for a policy on 新材料, but does take 新材料", () => {
    const two = [
      { id: "m", title: "新材料首批次应用保险补偿办法" },
      { id: "n", title: "科技创新券实施细则" },
    ];
    expect(focus("要准备什么材料？", "materials", two)).toEqual<Focus>({ policyIds: ["m", "n"], changesTopic: false, by: "all" });
    expect(focus("新材料那个要什么材料", "materials", two)).toEqual<Focus>({ policyIds: ["m"], changesTopic: false, by: "name" });
  });
});

describe("resolveFocus for a plain follow-up", () => {
  it.each<[string, Intent]>([
    ["什么时候截止？", "deadline"],
    ["要准备什么材料？", "materials"],
    ["最多能拿多少？", "amount"],
    ["哪个钱最多？", "compare"],
    ["这几个有什么区别", "compare"],
    ["那申报条件呢", "conditions"],
    ["我们员工50人，能申请吗", "eligibility"],
    ["我们有3个发明专利，满足要求吗", "eligibility"],
    ["怎么申报，在哪个系统", "process"],
    // Facts about the company that share words with a title are not names.
    ["我们是高企，能申请吗", "eligibility"],
    ["我们在海淀区，可以报吗", "eligibility"],
    ["我们营收3000万，研发投入500万，符合条件吗", "eligibility"],
    // An enumeration is not a position.
    ["第一，我们是高企；第二，我们有专利，能申请吗", "eligibility"],
  ])("%s → every previous policy, in order", (text, intent) => {
    expect(focus(text, intent)).toEqual<Focus>({ policyIds: ALL, changesTopic: false, by: "all" });
  });
});

describe("resolveFocus when the turn turns to something new", () => {
  it.each<[string, Intent]>([
    ["那人才公寓有什么政策", "find"],
    ["人才公寓什么时候截止", "deadline"],
    ["还有别的补贴吗", "find"],
    ["那跟人工智能有关的呢", "find"],
    ["贷款贴息要什么材料", "materials"],
  ])("%s → a new search", (text, intent) => {
    expect(focus(text, intent)).toEqual<Focus>({ policyIds: [], changesTopic: true, by: "none" });
  });

  it("keeps what a turn names on the table while saying it also names something new", () => {
    expect(focus("瞪羚企业奖励能和第一个同时享受吗", "stackable")).toEqual<Focus>({ policyIds: ["a"], changesTopic: true, by: "position" });
  });

  it("needs a search when there is no previous answer", () => {
    expect(focus("什么时候截止？", "deadline", [])).toEqual<Focus>({ policyIds: [], changesTopic: true, by: "none" });
  });

  it("points at nothing for small talk", () => {
    expect(focus("谢谢", "greeting")).toEqual<Focus>({ policyIds: [], changesTopic: false, by: "none" });
  });
});
