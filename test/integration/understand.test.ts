import { describe, expect, it } from "vitest";
import { testDatabases } from "../helpers/databases.js";
import { demoChat } from "../helpers/demo-chat.js";

type Card = { id: string; title: string; support: string | null };
type Body = { answer: string; policies: Card[]; followUpQuestions: string[]; profile?: Record<string, unknown>; sessionId?: string };

describe.each(testDatabases())("a conversation read turn by turn ($name)", (database) => {
  const { conversation } = demoChat<Body>(database, "u-understand");

  it("answers 什么时候截止 and 哪个钱最多 about the first turn's policies, not with a new search or the same dump", async () => {
    const ask = conversation();
    const first = await ask("武汉东湖高新区的高企，研发投入150万，2件发明专利，还不是高企吗？");
    const firstIds = first.policies.map((p) => p.id);
    expect(firstIds.length).toBeGreaterThan(1);

    const deadline = await ask("什么时候截止？");
    expect(deadline.policies.map((p) => p.id)).toEqual(firstIds);
    expect(deadline.answer).not.toBe(first.answer);
    // Each policy gets its own line about the time to apply, stated or said to be unstated.
    for (const p of deadline.policies) expect(deadline.answer).toContain(`《${p.title}》`);
    expect(deadline.answer).toMatch(/截止|申报时间|受理|未写明本期申报时间/);
    expect(deadline.answer).not.toContain("主要条件");

    const most = await ask("哪个钱最多？");
    expect(new Set(most.policies.map((p) => p.id))).toEqual(new Set(firstIds));
    expect(most.answer).toMatch(/^按政策原文，支持金额最高的是《/);
    const named = most.answer.match(/^按政策原文，支持金额最高的是《([^》]+)》/)![1];
    expect(first.policies.map((p) => p.title)).toContain(named);
  });

  it("answers a follow-up about the second policy alone when it says 第二个", async () => {
    const ask = conversation();
    const first = await ask("武汉的科技型中小企业有哪些补贴？");
    expect(first.policies.length).toBeGreaterThan(1);
    const second = await ask("第二个要准备什么材料？");
    expect(second.policies.map((p) => p.id)).toEqual([first.policies[1].id]);
    expect(second.answer).toContain(`《${first.policies[1].title}》`);
  });

  it("searches afresh when a follow-up turns to another topic", async () => {
    const ask = conversation();
    const first = await ask("武汉有什么科技保险补贴？");
    expect(first.policies[0].title).toMatch(/保险/);
    const next = await ask("那博士后有什么资助政策？");
    expect(next.policies[0].title).toMatch(/博士后/);
  });

  it("greets a greeting with three example questions and no policy", async () => {
    const body = await conversation()("你好");
    expect(body.policies).toEqual([]);
    expect(body.followUpQuestions).toHaveLength(3);
    for (const q of body.followUpQuestions) expect(body.answer).toContain(q);
    expect(body.answer).not.toContain("未在政策库中找到");
  });

  it.each(["今天天气怎么样", "同济医院怎么挂号", "出口退税多久到账"])(
    "returns no policy for a message outside science and technology policy, and says what it covers: %s",
    async (q) => {
      const body = await conversation()(q);
      expect(body.policies).toEqual([]);
      expect(body.answer).toMatch(/科技/);
    },
  );

  it.each([
    ["武汉高企认定有奖励吗", "武漢高企認定有獎勵嗎"],
    ["武汉高新技术企业认定有奖励吗", "武汉高新技术企业认定有奖历吗"],
    ["武汉的专利资助怎么申请", "武漢的專利資助怎麼申請"],
  ])("finds the same top policy for %s written as %s", async (plain, variant) => {
    const a = await conversation()(plain);
    const b = await conversation()(variant);
    expect(a.policies.length).toBeGreaterThan(0);
    expect(b.policies[0]?.id).toBe(a.policies[0].id);
  });

  it("lets a later turn correct a fact, and keeps the question out of the company's facts", async () => {
    const ask = conversation();
    const first = await ask("我们是海淀的软件公司，员工40人，有什么补贴？");
    expect((first.profile?.region as Record<string, string>)?.district).toBe("海淀区");
    expect(first.profile?.employees).toBe(40);
    const fixed = await ask("不对，是朝阳不是海淀，人数现在六十了");
    expect((fixed.profile?.region as Record<string, string>)?.district).toBe("朝阳区");
    expect(fixed.profile?.employees).toBe(60);
    for (const f of (fixed.profile?.facts as string[] | undefined) ?? []) expect(f).not.toMatch(/有什么补贴/);
  });
});
