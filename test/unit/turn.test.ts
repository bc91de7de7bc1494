import { describe, expect, it } from "vitest";
import { type TurnInput, understandTurn } from "../../src/understand/turn.js";

const table = [
  { id: "p-voucher", title: "武汉市科技创新券实施办法" },
  { id: "p-patent", title: "武汉市发明专利资助实施细则" },
  { id: "p-gazelle", title: "东湖高新区瞪羚企业认定和支持申报通知" },
];
const turn = (question: string, more: Partial<TurnInput> = {}) =>
  understandTurn({ question, earlierQuestions: [], previousPolicies: [], today: "2026-12-01", ...more });
const followUp = (question: string) => turn(question, { earlierQuestions: ["武汉有哪些科技补贴？"], previousPolicies: table });

describe("reading a turn once", () => {
  it("normalises before anything reads the message", () => {
    const t = turn("我們是武漢的高新技術企業，員工１２０人");
    expect(t.text).toBe("我们是武汉的高新技术企业，员工120人");
    expect(t.place).toEqual(["湖北省", "武汉市"]);
    expect(t.profile?.employees).toBe(120);
    expect(t.understoodAs).toBeUndefined();
  });

  it("says what it understood when a typo in a policy term was corrected", () => {
    expect(turn("高心技术企业奖历有多少").understoodAs).toContain("高新技术企业奖励");
  });

  it("lets the message win over the profile sent, and the profile sent over what was remembered", () => {
    const t = turn("我们现在有60个员工", { sent: { employees: 40, revenue: 900 }, known: { employees: 30, revenue: 500, techStaff: 8 } });
    expect(t.profile).toMatchObject({ employees: 60, revenue: 900, techStaff: 8 });
  });

  it.each([
    ["什么时候截止？", "deadline", ["p-voucher", "p-patent", "p-gazelle"]],
    ["第二个要准备什么材料？", "materials", ["p-patent"]],
    ["最后一个最多能拿多少钱", "amount", ["p-gazelle"]],
    ["创新券那个怎么申请", "process", ["p-voucher"]],
  ])("points %s at the previous answer's policies", (q, intent, ids) => {
    const t = followUp(q);
    expect(t.intent).toBe(intent);
    expect(t.focus?.map((p) => p.id)).toEqual(ids);
  });

  it("searches afresh when a follow-up names another topic, and when there is no answer to follow", () => {
    expect(followUp("那人才公寓有什么政策？").focus).toBeNull();
    expect(turn("什么时候截止？").focus).toBeNull();
  });

  it("carries the previous question into the search for a short follow-up that is not about the answer's policies", () => {
    const t = turn("那海淀呢", { earlierQuestions: ["专精特新企业有什么奖励"] });
    expect(t.searchText).toContain("专精特新企业有什么奖励");
  });

  it("keeps the place of the previous question for a follow-up that leans on it", () => {
    expect(turn("那申报条件呢？", { earlierQuestions: ["武汉高企认定有奖励吗"] }).place).toEqual(["湖北省", "武汉市"]);
  });

  it("searches a follow-up that names a topic of its own without the previous topic, in the previous place", () => {
    const t = turn("那孵化器呢？", { earlierQuestions: ["武汉的首台套奖励怎么申请"] });
    expect(t.searchText).not.toContain("首台套");
    expect(t.place).toEqual(["湖北省", "武汉市"]);
  });

  it.each([
    ["你好", "greeting"],
    ["在吗", "greeting"],
    ["明天会下雨吗", "out_of_scope"],
  ])("reads %s as %s", (q, intent) => {
    expect(turn(q).intent).toBe(intent);
  });
});

describe("a follow-up presumed to be about the policies on the table", () => {
  it.each(["厂房改造后想申报市级特色产业园区，要达到哪些标准？", "市级工业设计中心认定需要满足哪些条件？"])(
    "is only presumed when it names a programme none of them is titled by: %s",
    (question) => {
      const t = followUp(question);
      expect(t.focus?.map((p) => p.id)).toEqual(["p-voucher", "p-patent", "p-gazelle"]);
      expect(t.focusPresumed).toBe(true);
    },
  );

  it.each(["什么时候截止？", "需要提交审计报告吗", "创新券的申报条件是什么？", "这个补贴标准是多少", "我们是小微企业，能申请吗"])(
    "is taken as meant when it names nothing new, points at the table or asks about the company: %s",
    (question) => {
      expect(followUp(question).focusPresumed).toBeUndefined();
    },
  );
});
