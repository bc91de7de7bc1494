import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expandQuery, LEXICON } from "../../src/retrieval/lexicon.js";
import { SHARED_CORPUS, sharedCorpusMissing } from "../helpers/corpus.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;

describe("the lexicon: how businesses say it, how policies write it", () => {
  it("gives every entry its reason", () => {
    for (const entry of LEXICON) {
      expect(entry.why.length, String(entry.says)).toBeGreaterThan(15);
      expect(entry.policiesSay.trim(), String(entry.says)).not.toBe("");
    }
  });

  it.skipIf(sharedCorpusMissing("the lexicon's corpus check"))("writes its policy side in words that real policy texts use", () => {
    const texts = [
      ...readdirSync(SHARED_CORPUS)
        .filter((f) => f.endsWith(".md"))
        .map((f) => readFileSync(SHARED_CORPUS + f, "utf8")),
      ...readdirSync(DEMO)
        .filter((f) => /\.(md|txt|html)$/.test(f))
        .map((f) => readFileSync(DEMO + f, "utf8")),
    ].map((t) => t.replace(/\s+/g, ""));
    const unused = LEXICON.flatMap((e) =>
      e.policiesSay
        .split(" ")
        .filter((term) => !texts.some((t) => t.includes(term)))
        .map((term) => `${e.says}: ${term}`),
    );
    expect(unused).toEqual([]);
  });

  it.each([
    ["我们打算明年挂新三板", "全国中小企业股份转让系统"],
    ["公司刚从规下升到规上", "规模以上"],
    ["想把总部从外地搬到这边来", "迁入"],
    ["厂里想租设备，以租代购", "融资租赁"],
    ["有人山寨我们的产品", "侵权"],
  ])("expands %s with %s", (question, term) => {
    expect(expandQuery(question).join(" ")).toContain(term);
  });

  it("adds nothing to a question in the policies' own words", () => {
    expect(expandQuery("全国中小企业股份转让系统挂牌企业的支持标准")).toEqual([]);
  });

  it("adds nothing for a short form that the question already writes out in full", () => {
    // «加计扣除» stands inside «研发费用加计扣除», and «科技型中小» inside «科技型中小企业»: nothing is left to translate.
    expect(expandQuery("研发费用加计扣除在季度预缴时也能享受吗")).toEqual([]);
    expect(expandQuery("科技型中小企业每年几月开始评价")).toEqual([]);
    // Said the short way, the same entries still add the policy terms.
    expect(expandQuery("加计扣除怎么算").join(" ")).toContain("研发费用加计扣除");
    expect(expandQuery("科小资格怎么拿").join(" ")).toContain("科技型中小企业");
  });
});
