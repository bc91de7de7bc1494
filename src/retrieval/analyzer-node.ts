import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict";
import { type Analyzer, analyzerFrom } from "./analyzer.js";

/** The analyzer on Node: native jieba. Built once per process (loading the dictionary costs ~100 ms). */
export function createAnalyzer(extraWords: string[] = []): Analyzer {
  const jieba = Jieba.withDict(dict);
  return analyzerFrom(
    {
      cut: (text) => jieba.cut(text, true),
      addWords: (words) => jieba.loadDict(Buffer.from(words.map((w) => `${w} 100000 n`).join("\n"), "utf8")),
    },
    extraWords,
  );
}
