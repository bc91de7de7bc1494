import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { add_word, cut } from "jieba-wasm";
import { describe, expect, it } from "vitest";
import { analyzerFrom } from "../../src/retrieval/analyzer.js";
import { createAnalyzer } from "../../src/retrieval/analyzer-node.js";
import { SHARED_CORPUS as CORPUS, sharedCorpusMissing } from "../helpers/corpus.js";

// Thousands of lines from 60 documents: the few fixture documents are not enough to compare segmenters on.
describe.skipIf(sharedCorpusMissing("comparing jieba-wasm with native jieba"))("jieba-wasm (Workers) against native jieba (Node)", () => {
  it("gives the same index terms on corpus text, so a library indexed on Node is searched alike on Workers", () => {
    const native = createAnalyzer();
    const wasm = analyzerFrom({ cut: (text) => cut(text, true), addWords: (words) => words.forEach((w) => add_word(w, 100_000, "n")) });
    const lines = readdirSync(CORPUS)
      .sort()
      .slice(0, 60)
      .flatMap((f) => readFileSync(join(CORPUS, f), "utf8").slice(0, 3000).split("\n"))
      .filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(1000);
    const differing = lines.filter((l) => native.terms(l).join(" ") !== wasm.terms(l).join(" "));
    expect(differing).toEqual([]);
  });
});
