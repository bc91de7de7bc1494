import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict";
import { POLICY_WORDS } from "./policy-terms.js";

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const TOKEN_OK = /[\p{L}\p{N}]/u;
const BIGRAM_PREFIX = "~";

export type Analyzer = {
  /** Canonical form for indexing: NFKC, lower case, PDF line breaks inside sentences removed. */
  normalize(text: string): string;
  /** jieba words (HMM on), punctuation dropped. */
  words(text: string): string[];
  /** Index terms: words plus Han bigrams in their own namespace ("~研发"). */
  terms(text: string): string[];
};

/** Built once per process: loading jieba's dictionary costs ~100 ms. */
export function createAnalyzer(extraWords: string[] = []): Analyzer {
  const jieba = Jieba.withDict(dict);
  const userDict = [...POLICY_WORDS, ...extraWords].map((w) => `${w} 100000 n`).join("\n");
  jieba.loadDict(Buffer.from(userDict, "utf8"));

  const normalize = (text: string) =>
    text
      .normalize("NFKC")
      .toLowerCase()
      // PDF tables break lines mid-word: a break between two Han characters joins them.
      .replace(/(\p{Script=Han})[ \t]*\r?\n[ \t]*(?=\p{Script=Han})/gu, "$1");

  const words = (text: string) => {
    const out: string[] = [];
    for (const w of jieba.cut(normalize(text), true)) {
      const t = w.trim();
      if (t && TOKEN_OK.test(t)) out.push(t);
    }
    return out;
  };

  const terms = (text: string) => {
    const norm = normalize(text);
    const out = words(norm);
    for (const run of norm.match(HAN_RUN) ?? []) {
      for (let i = 0; i + 1 < run.length; i++) out.push(BIGRAM_PREFIX + run[i] + run[i + 1]);
    }
    return out;
  };

  return { normalize, words, terms };
}

export const isHan = (ch: string) => HAN.test(ch);
