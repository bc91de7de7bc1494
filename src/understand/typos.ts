/**
 * Typos in the policy vocabulary (高心技术企业奖历 → 高新技术企业奖励), corrected
 * conservatively: a false correction is worse than a missed one. A window of the
 * text is corrected only when it differs from a dictionary term of four or more
 * characters in exactly one character, and that character sounds the same
 * (pinyin without tones): Chinese is typed by sound, so the typos people make
 * are homophones, while a different-sounding character usually makes a
 * different word (高新技术产业 is not a typo of 高新技术企业). Short words of
 * support (奖励, 补贴…) are corrected only right after a dictionary term.
 * Substitution keeps the text's length, so every offset stays meaningful.
 */
import { pinyin } from "pinyin-pro";
import { FIELDS, QUALIFICATIONS } from "../policies/vocabulary.js";
import { POLICY_WORDS } from "../retrieval/policy-terms.js";

export type TypoChange = { from: string; to: string; index: number };

/** The common words of support and application that questions use. */
export const SUPPORT_WORDS = [
  "奖励",
  "补贴",
  "补助",
  "资助",
  "奖补",
  "扶持",
  "支持",
  "贴息",
  "申报",
  "申请",
  "认定",
  "评价",
  "入库",
  "政策",
  "条件",
  "材料",
  "研发费用",
  "研发投入",
  "加计扣除",
  "专精特新",
  "知识产权",
  "资金支持",
  "申报条件",
  "申报材料",
  "申报时间",
  "截止时间",
  "申报指南",
  "支持标准",
  "奖励标准",
  "补贴标准",
  "一次性奖励",
  "房租补贴",
  "租金补贴",
  "贷款贴息",
  "创业补贴",
  "人才引进",
  "科技创新",
  "技术创新",
  "成果转化",
  "中小企业",
  "小微企业",
  "初创企业",
  "营业收入",
  "从业人员",
  "研发人员",
  "科技人员",
];

/**
 * Real words a homophone away from a dictionary term, or that a window would
 * cut through (科技创新全过程 is not 科技创新券 + 过程): never corrected.
 */
const COMMON_WORDS = [
  "技术转译",
  "知识产业",
  "科技创新圈",
  "全过程",
  "全链条",
  "全流程",
  "全方位",
  "全周期",
  "全面",
  "全国",
  "全省",
  "全市",
  "全区",
  "全部",
  "全球",
  "全社会",
  "全体",
];

const CJK = /^[\u4e00-\u9fff]+$/;
const MIN_TERM = 4;

function dictionary(): string[] {
  const names = [
    ...Object.entries(QUALIFICATIONS).flatMap(([k, v]) => [k, ...v]),
    ...Object.entries(FIELDS).flatMap(([k, v]) => [k, ...v]),
    ...POLICY_WORDS,
    ...SUPPORT_WORDS,
  ];
  return [...new Set(names)].filter((w) => CJK.test(w));
}

const TERMS = dictionary();
const KNOWN = new Set([...TERMS, ...COMMON_WORDS]);
const LONG_TERMS = TERMS.filter((t) => t.length >= MIN_TERM).sort((a, b) => b.length - a.length);
const SHORT_SUPPORT = SUPPORT_WORDS.filter((w) => w.length < MIN_TERM);
/** Terms by length: a window is compared only with terms as long as it. */
const BY_LENGTH = new Map<number, string[]>();
for (const t of LONG_TERMS) BY_LENGTH.set(t.length, [...(BY_LENGTH.get(t.length) ?? []), t]);

const readings = new Map<string, Set<string>>();
function soundsOf(ch: string): Set<string> {
  let r = readings.get(ch);
  if (!r) {
    const all = pinyin(ch, { toneType: "none", multiple: true, type: "array" }).map((p) => p.replace(/ü/g, "v"));
    readings.set(ch, (r = new Set(all.filter((p) => /^[a-z]+$/.test(p)))));
  }
  return r;
}

/** Two different Chinese characters that share a reading (心/新, 历/励). */
export function homophones(a: string, b: string): boolean {
  if (a === b || !CJK.test(a) || !CJK.test(b)) return false;
  const sa = soundsOf(a);
  for (const s of soundsOf(b)) if (sa.has(s)) return true;
  return false;
}

/** The one position where `window` differs from `term` by a homophone, or -1. */
function homophoneSlip(window: string, term: string): number {
  let at = -1;
  for (let i = 0; i < term.length; i++) {
    if (window[i] === term[i]) continue;
    if (at >= 0) return -1;
    at = i;
  }
  return at >= 0 && homophones(window[at], term[at]) ? at : -1;
}

/** Spans [start, end) where one of `words` stands as written. */
function exactSpans(text: string, words: Iterable<string>): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const t of words) {
    if (t.length < 2) continue;
    for (let i = text.indexOf(t); i >= 0; i = text.indexOf(t, i + 1)) spans.push([i, i + t.length]);
  }
  return spans;
}

/** Text with dictionary-term typos corrected, and each correction with its offset (the length never changes). */
export function correctTypos(text: string): { text: string; changes: TypoChange[] } {
  const chars = [...text];
  // Offsets are UTF-16 code units; text with astral characters is left as it is.
  if (chars.length !== text.length) return { text, changes: [] };
  const changes: TypoChange[] = [];
  const spans = exactSpans(text, KNOWN);
  const anchors = exactSpans(text, LONG_TERMS);
  // A window that cuts through a term written correctly is part of that term, not a typo.
  const cutsExact = (start: number, end: number) => spans.some(([s, e]) => s < end && e > start && !(s >= start && e <= end));
  const taken: Array<[number, number]> = [];
  const free = (start: number, end: number) => !taken.some(([s, e]) => s < end && e > start);

  for (let start = 0; start < chars.length; start++) {
    for (const [length, terms] of BY_LENGTH) {
      const end = start + length;
      if (end > chars.length || !free(start, end)) continue;
      const window = chars.slice(start, end).join("");
      if (!CJK.test(window) || KNOWN.has(window) || cutsExact(start, end)) continue;
      const term = terms.find((t) => homophoneSlip(window, t) >= 0);
      if (!term) continue;
      changes.push({ from: window, to: term, index: start });
      chars.splice(start, length, ...term);
      taken.push([start, end]);
      spans.push([start, end]);
      anchors.push([start, end]);
      break;
    }
  }

  // A short word of support right after a term (高新技术企业奖历): the term makes the reading safe.
  for (const [, e] of anchors) {
    for (const word of SHORT_SUPPORT) {
      const end = e + word.length;
      if (end > chars.length || !free(e, end)) continue;
      const window = chars.slice(e, end).join("");
      if (KNOWN.has(window) || cutsExact(e, end) || homophoneSlip(window, word) < 0) continue;
      changes.push({ from: window, to: word, index: e });
      chars.splice(e, word.length, ...word);
      taken.push([e, end]);
      break;
    }
  }
  changes.sort((a, b) => a.index - b.index);
  return { text: chars.join(""), changes };
}
