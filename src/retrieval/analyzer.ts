import { POLICY_WORDS } from "./policy-terms.js";

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const TOKEN_OK = /[\p{L}\p{N}]/u;
/** Bigrams live in their own namespace: "~研发" is the bigram, "研发" the word. */
export const BIGRAM_PREFIX = "~";

export type Analyzer = {
  /** Canonical form for indexing: NFKC, lower case, PDF line breaks inside sentences removed. */
  normalize(text: string): string;
  /** jieba words (HMM on), punctuation dropped. */
  words(text: string): string[];
  /** Index terms: words plus Han bigrams in their own namespace ("~研发"). */
  terms(text: string): string[];
};

/**
 * jieba, whichever build: the native one on Node (@node-rs/jieba, see
 * analyzer-node.ts), jieba-wasm on Workers. Both are jieba-rs with the same
 * dictionary, so a library indexed on Node is searched alike on Workers.
 */
export type Segmenter = {
  /** Words of `text`, HMM on for unknown words. */
  cut(text: string): string[];
  /** Adds words to the dictionary, each with a high frequency so it stays whole. */
  addWords(words: string[]): void;
};

/** Policy vocabulary added to the segmenter once, at build. */
export function analyzerFrom(jieba: Segmenter, extraWords: string[] = []): Analyzer {
  jieba.addWords([...POLICY_WORDS, ...extraWords]);

  const normalize = (text: string) =>
    text
      .normalize("NFKC")
      .toLowerCase()
      // PDF tables break lines mid-word: a break between two Han characters joins them.
      .replace(/(\p{Script=Han})[ \t]*\r?\n[ \t]*(?=\p{Script=Han})/gu, "$1");

  const words = (text: string) => {
    const out: string[] = [];
    for (const w of jieba.cut(normalize(text))) {
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
