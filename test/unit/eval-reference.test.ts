import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createReferenceIndex,
  joinHanLines,
  luceneIdf,
  packParagraphs,
  readReferenceCorpus,
  referenceTerms,
  stripFrontMatter,
} from "../../src/eval/reference.js";
import { createAnalyzer } from "../../src/retrieval/analyzer-node.js";

// Three made-up documents whose words are separated by spaces, so that this
// whitespace tokenizer gives exactly the terms worked out below. Every word
// has two Han characters, so each adds one word term and one bigram term with
// the same counts.
const FIXTURE = join(import.meta.dirname, "../fixtures/eval-reference");
const whitespace = (text: string) => text.split(/\s+/).filter(Boolean);

/*
 * With chunks of at most 16 characters, fx_a's two paragraphs (10 characters
 * each, 21 joined) are two chunks; fx_b and fx_c are one each. Each chunk is
 * "title\nchunk":
 *   A1 算力 补贴 | 1. 购买 算力 服务        6 words + 5 bigrams = 11 terms
 *   A2 算力 补贴 | 2. 最高 补贴 企业        6 + 5 = 11
 *   B  研发 补贴 | 1. 研发 投入 补贴 企业   7 + 6 = 13
 *   C  人才 奖励 | 1. 引进 人才 企业 团队   7 + 6 = 13
 * N = 4 chunks, average length 48 / 4 = 12.
 * Length norm K(len) = k1 (1 − b + b len / avg) = 1.2 (0.25 + 0.75 len / 12):
 *   K(11) = 1.2 × 0.9375 = 1.125,  K(13) = 1.2 × 1.0625 = 1.275.
 * Term score = idf × f (k1 + 1) / (f + K), counted twice (word and bigram).
 *
 * "补贴": in A1, A2, B → df 3, idf = ln(1 + (4 − 3 + 0.5) / (3 + 0.5)) = ln(10/7) = 0.356675
 *   A1 f 1: 2 × 0.356675 × 2.2 / 2.125 = 0.738527
 *   A2 f 2: 2 × 0.356675 × 4.4 / 3.125 = 1.004397   ← fx_a's best chunk
 *   B  f 2: 2 × 0.356675 × 4.4 / 3.275 = 0.958394
 *   → fx_a 1.004397, fx_b 0.958394 (fx_a wins only by its best chunk and length: A1 alone would lose)
 *
 * "研发 企业": 研发 only in B → idf = ln(1 + 3.5 / 1.5) = ln(10/3) = 1.203973; 企业 in A2, B, C → idf 0.356675
 *   B : 2 × 1.203973 × 4.4 / 3.275 + 2 × 0.356675 × 2.2 / 2.275 = 3.235102 + 0.689833 = 3.924935
 *   A2: 2 × 0.356675 × 2.2 / 2.125 = 0.738527
 *   C : 2 × 0.356675 × 2.2 / 2.275 = 0.689833
 *   → fx_b, fx_a, fx_c
 */
describe("the reference retriever (plain BM25 + bigrams)", () => {
  it("ranks the fixture corpus as computed by hand", async () => {
    const docs = await readReferenceCorpus(FIXTURE);
    expect(docs.map((d) => [d.id, d.title])).toEqual([
      ["fx_a", "算力 补贴"],
      ["fx_b", "研发 补贴"],
      ["fx_c", "人才 奖励"],
    ]);
    const index = createReferenceIndex(docs, whitespace, { maxChunkChars: 16 });
    expect(index.chunks).toBe(4);

    const subsidy = index.search("补贴");
    expect(subsidy.map((h) => h.id)).toEqual(["fx_a", "fx_b"]);
    expect(subsidy[0].score).toBeCloseTo(1.004397, 5);
    expect(subsidy[1].score).toBeCloseTo(0.958394, 5);

    const rd = index.search("研发 企业");
    expect(rd.map((h) => h.id)).toEqual(["fx_b", "fx_a", "fx_c"]);
    expect(rd.map((h) => h.score)).toEqual([expect.closeTo(3.924935, 5), expect.closeTo(0.738527, 5), expect.closeTo(0.689833, 5)]);
    expect(index.search("研发 企业", 1).map((h) => h.id)).toEqual(["fx_b"]);
    expect(index.search("出口 退税")).toEqual([]);
  });

  it("gives the same ranking with the project's analyzer on space-separated words", async () => {
    const analyzer = createAnalyzer();
    const index = createReferenceIndex(await readReferenceCorpus(FIXTURE), (t) => analyzer.words(t), { maxChunkChars: 16 });
    expect(index.search("补贴").map((h) => h.id)).toEqual(["fx_a", "fx_b"]);
    expect(index.search("研发 企业").map((h) => h.id)).toEqual(["fx_b", "fx_a", "fx_c"]);
  });

  it("uses Lucene's idf, which stays positive for a term in every chunk", () => {
    expect(luceneIdf(4, 3)).toBeCloseTo(Math.log(10 / 7), 12);
    expect(luceneIdf(4, 4)).toBeGreaterThan(0);
  });

  it("adds Han bigrams in their own namespace and joins lines broken between Han characters", () => {
    expect(joinHanLines("研发\n投入 a\nb")).toBe("研发投入 a\nb");
    const terms = referenceTerms(whitespace, "研发投\n入");
    expect(terms[0]).toBe("研发投入");
    expect(terms.slice(1).map((t) => t.slice(1))).toEqual(["研发", "发投", "投入"]);
    expect(terms.slice(1).every((t) => !whitespace("研发 发投 投入").includes(t))).toBe(true);
  });

  it("packs paragraphs into chunks of at most the limit and cuts an over-long paragraph", () => {
    expect(packParagraphs("甲乙\n\n丙丁\n\n戊己庚辛壬癸", 6)).toEqual(["甲乙\n丙丁", "戊己庚辛壬癸"]);
    expect(packParagraphs("一二三四五六七", 3)).toEqual(["一二三", "四五六", "七"]);
    expect(stripFrontMatter('---\n{"title": "x"}\n---\n正文')).toBe("正文");
    expect(stripFrontMatter("正文\n---\n")).toBe("正文\n---\n");
  });
});
