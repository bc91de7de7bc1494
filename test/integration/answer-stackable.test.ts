import { describe, expect, it } from "vitest";
import { testDatabases } from "../helpers/databases.js";
import { demoChat } from "../helpers/demo-chat.js";

type Body = { answer: string; policies: Array<{ id: string; title: string }>; citations: Array<{ ref: number; policyId: string }> };

describe.each(testDatabases())("whether two policies can be combined ($name)", (database) => {
  const { conversation } = demoChat<Body>(database, "u-stackable");

  it("answers 这两个能同时申请吗 with yes or no in its first sentence, from a policy's own clause, cited", async () => {
    const ask = conversation();
    const first = await ask("江夏区科技企业认定为专精特新有什么奖励？");
    expect(first.policies.length).toBeGreaterThan(1);

    const both = await ask("这两个能同时申请吗？");
    const firstSentence = both.answer.split("\n")[0];
    expect(firstSentence).toMatch(/^这两项政策(?:不能同时享受|可同时享受)：《[^》]+》规定[^。]*(?:不重复|就高|叠加|重复申报)[^。]*\[\d+\]。$/);
    // The clause is cited to the policy the sentence names.
    const named = firstSentence.match(/《([^》]+)》/)![1];
    const ref = Number(firstSentence.match(/\[(\d+)\]/)![1]);
    const policy = both.policies.find((p) => p.title === named)!;
    expect(both.citations.find((c) => c.ref === ref)?.policyId).toBe(policy.id);
  });

  it("says for each policy on the table what its own text says about combining, or that it says nothing", async () => {
    const ask = conversation();
    await ask("武汉的科技型中小企业有哪些补贴？");
    const all = await ask("可以叠加吗？");
    expect(all.answer.split("\n")[0]).toMatch(/^(?:不能同时享受：《[^》]+》规定.*\[\d+\]。|可以同时享受：|原文未写明)/);
    for (const line of all.answer.split("\n").filter((l) => /^\d+\. 《/.test(l))) {
      expect(line).toMatch(/：(?:不能同时享受：.*\[\d+\]|可以同时享受：.*\[\d+\]|政策原文未写明能否与其他政策同时享受)/);
    }
  });
});
