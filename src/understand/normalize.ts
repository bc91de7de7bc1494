/**
 * A message as every later stage reads it, before facts are read or policies
 * searched: simplified characters, half-width letters and digits, typos in the
 * policy vocabulary corrected, and an English message read as a Chinese query.
 */
import * as OpenCC from "opencc-js/t2cn";
import { englishInline, englishToChinese, isMostlyEnglish } from "./english.js";
import { correctTypos } from "./typos.js";

export type NormalizeChange = {
  from: string;
  to: string;
  kind: "script" | "width" | "typo" | "english";
  /** Where `to` starts in the normalised text. */
  index: number;
};

export type NormalizedTurn = { text: string; changes: NormalizeChange[]; language: "zh" | "en" };

/**
 * Characters only ("t", not "twp"): phrase conversion rewrites simplified text
 * too (建立 → 创建, 核心 → 内核, 程序 → 进程, 文件 → 文档), which breaks retrieval.
 */
const toSimplified = OpenCC.Converter({ from: "t", to: "cn" });

/**
 * Taiwan and Hong Kong names for what mainland policies call otherwise, in
 * their traditional spelling only, so simplified text is never touched.
 */
const TAIWAN_PHRASES: Array<[string, string]> = [
  ["網際網路", "互联网"],
  ["人工智慧", "人工智能"],
  ["積體電路", "集成电路"],
  ["智慧財產權", "知识产权"],
  ["智慧財產", "知识产权"],
  ["軟體", "软件"],
  ["硬體", "硬件"],
  ["資訊", "信息"],
  ["網路", "网络"],
  ["數位", "数字"],
  ["專案", "项目"],
  ["雲端", "云"],
  ["新創", "初创"],
  ["資安", "网络安全"],
  ["晶片", "芯片"],
  ["補助款", "补助资金"],
  ["員工數", "员工人数"],
  ["營業額", "营业收入"],
  ["行動裝置", "移动设备"],
];

/**
 * Taiwan usage written the same in both scripts (資金支援 = 资金支持): read so
 * only in a message that has traditional characters, as 技术支援 is mainland usage too.
 */
const TAIWAN_USAGE: Array<[string, string]> = [
  ["支援", "支持"],
  ["程式", "程序"],
  ["影片", "视频"],
];

/** Full-width letters, digits and signs (ＡＢＣ１２３％＋－．／) as ASCII; Chinese punctuation （，。；：？！） is kept. */
const FULL_WIDTH = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF05\uFF0B\uFF0D\uFF0E\uFF0F\uFF1C\uFF1D\uFF1E\uFF03\uFF06\uFF0A\uFF20\uFF3F]/g;

function halfWidth(text: string): string {
  return text.replace(FULL_WIDTH, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

/** What changed between two texts, as runs: character by character when the lengths agree, else the middle that differs. */
function diffRuns(before: string, after: string, kind: NormalizeChange["kind"]): NormalizeChange[] {
  if (before === after) return [];
  if (before.length !== after.length) {
    let head = 0;
    while (head < before.length && head < after.length && before[head] === after[head]) head++;
    let tail = 0;
    while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
    return [{ from: before.slice(head, before.length - tail), to: after.slice(head, after.length - tail), kind, index: head }];
  }
  const runs: NormalizeChange[] = [];
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    let j = i;
    while (j < before.length && before[j] !== after[j]) j++;
    runs.push({ from: before.slice(i, j), to: after.slice(i, j), kind, index: i });
    i = j;
  }
  return runs;
}

/** Traditional characters as simplified; a Taiwan or Hong Kong phrase as the mainland says it. */
function simplify(text: string): { text: string; changes: NormalizeChange[] } {
  const changes: NormalizeChange[] = [];
  let out = "";
  let i = 0;
  while (i < text.length) {
    const phrase = TAIWAN_PHRASES.find(([t]) => text.startsWith(t, i));
    if (phrase) {
      changes.push({ from: phrase[0], to: phrase[1], kind: "script", index: out.length });
      out += phrase[1];
      i += phrase[0].length;
      continue;
    }
    let j = i;
    while (j < text.length && !TAIWAN_PHRASES.some(([t]) => text.startsWith(t, j))) j++;
    const piece = text.slice(i, j);
    const converted = toSimplified(piece);
    for (const c of diffRuns(piece, converted, "script")) changes.push({ ...c, index: c.index + out.length });
    out += converted;
    i = j;
  }
  if (!changes.length) return { text: out, changes };
  for (const [taiwan, mainland] of TAIWAN_USAGE) {
    for (let at = out.indexOf(taiwan); at >= 0; at = out.indexOf(taiwan, at + 1)) {
      changes.push({ from: taiwan, to: mainland, kind: "script", index: at });
      out = out.slice(0, at) + mainland + out.slice(at + taiwan.length);
    }
  }
  return { text: out, changes };
}

/** A message normalised, with every change it made and the language it was written in. */
export function normalizeTurn(text: string): NormalizedTurn {
  const script = simplify(text);
  const narrow = halfWidth(script.text);
  const width = diffRuns(script.text, narrow, "width");
  const earlier = [...script.changes, ...width];
  const han = (narrow.match(/[\u4e00-\u9fff]/g) ?? []).length;
  // A message with Chinese clauses of its own keeps them: only its English terms are put in Chinese.
  if (isMostlyEnglish(narrow) && han < 6) {
    const chinese = englishToChinese(narrow);
    // The English message is replaced whole: earlier offsets no longer point anywhere.
    return { text: chinese, changes: [{ from: narrow, to: chinese, kind: "english", index: 0 }], language: "en" };
  }
  const inline = /[A-Za-z]{3,}/.test(narrow) ? englishInline(narrow) : narrow;
  const english = inline !== narrow ? [{ from: narrow, to: inline, kind: "english" as const, index: 0 }] : [];
  const typos = correctTypos(inline);
  const changes = [...(english.length ? english : earlier), ...typos.changes.map((c) => ({ ...c, kind: "typo" as const }))].sort((a, b) => a.index - b.index);
  return { text: typos.text, changes, language: "zh" };
}

/** The normalised text alone: what every later stage reads. */
export function normalizeText(text: string): string {
  return normalizeTurn(text).text;
}
