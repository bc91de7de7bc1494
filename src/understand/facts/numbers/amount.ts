/**
 * The numbers a chat message holds, as people type them: 「640万」「两千五百万」
 * 「一点二亿」「两个多亿」「三十来个人」「十几个人」「员工一百五」「RMB 9 million」
 * 「7项」「8%」. Readers decide whose figure and which field a number is; this
 * only says what it is, and drops numbers that are names (5G, 3551人才计划,
 * 第二个, 2025年, 6月) or ranges and bounds (200-300人, 不到50人, 100人以上).
 */

export type AmountKind = "money" | "count" | "ratio" | "bare";

export type Amount = {
  kind: AmountKind;
  /** 万元 for money, a fraction for ratios, the number itself otherwise. */
  value: number;
  /** The counted thing for counts: 人, 项, 件, 个, 家 …; "人" also for 名, 位, 个人. */
  unit?: string;
  /** 三百多万, 七十来人, 十几个: the value is a lower bound. */
  approx?: boolean;
  /** 不到 / 超过 / 以上 / 以下 / 至少 …: the number bounds the figure rather than states it. */
  bound?: boolean;
  /** 不是两个亿: the speaker rules this number out. */
  denied?: boolean;
  start: number;
  end: number;
};

const DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const SMALL: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * A Chinese numeral below 万: 「一百二十」 120, 「一百五」 150 (the spoken short form),
 * 「一点二」 1.2, 「十几」 10 (approx); null for a vague or malformed one (几十, 两三百).
 */
export function parseChineseNumeral(text: string): { value: number; approx: boolean } | null {
  let t = text;
  let approx = false;
  if (/几$/.test(t) && /十几$/.test(t)) {
    t = t.slice(0, -1);
    approx = true;
  }
  if (t.includes("几")) return null;
  const [int, frac] = t.split("点");
  if (frac !== undefined && !/^[零〇一二三四五六七八九]+$/.test(frac)) return null;
  let total = 0;
  let digit: number | null = null;
  let lastUnit = 0;
  for (const ch of int) {
    if (ch in DIGIT) {
      // 「两三百」: two digits in a row are a range, not a number.
      if (digit !== null && digit !== 0 && DIGIT[ch] !== 0) return null;
      digit = DIGIT[ch];
    } else if (ch in SMALL) {
      if (lastUnit && SMALL[ch] >= lastUnit) return null;
      total += (digit ?? 1) * SMALL[ch];
      lastUnit = SMALL[ch];
      digit = null;
    } else return null;
  }
  if (digit !== null) {
    // 「一百五」「一千二」: a last digit right after 百/千 counts in the next unit down.
    const short = lastUnit >= 100 && !/零/.test(int) && int.length >= 3 && int[int.length - 2] in SMALL;
    total += short ? digit * (lastUnit / 10) : digit;
  }
  if (int === "" && frac === undefined) return null;
  const value = frac !== undefined ? total + Number(`0.${[...frac].map((c) => DIGIT[c]).join("")}`) : total;
  return { value, approx };
}

const AR = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
const CN = String.raw`[零〇一二两三四五六七八九十百千几]+(?:点[零〇一二三四五六七八九]+)?`;
const MULT = String.raw`亿|千万|百万|万|[wW](?![A-Za-z])|\s?(?:million|billion|mn)\b`;
const AMOUNT = new RegExp(
  String.raw`(?<pre>(?:RMB|CNY|人民币|¥|￥)\s*)?(?<num>${AR}|${CN})\s*(?<a1>多|余|来)?\s*(?:个(?=\s*多?\s*(?:亿|千万|百万|万)))?(?<a2>多)?\s*` +
    String.raw`(?:(?<pct>%|％)|(?<mult>${MULT})?\s*(?<a3>多|余)?\s*(?<cur>元|块钱|块|人民币|\s?yuan\b|\s?RMB\b)?(?<unit>个人|号人|人(?!才|民|均|次)|名(?!称|字|单|义)|位|项|件|个|家|篇)?)`,
  "gu",
);
const PERCENT_WORDS = /百分之([零〇一二两三四五六七八九十点]+)/gu;
const MULT_VALUE: Record<string, number> = { 亿: 10000, 千万: 1000, 百万: 100, 万: 1, w: 1, W: 1, million: 100, mn: 100, billion: 100000 };

const BOUND_BEFORE =
  /(?:不到|不足|不满|未满|不超过|超过|低于|高于|少于|多于|小于|大于|至少|最多|最少|最高|最低|上限|近|将近|接近|没有|不止|above|over|under|less than|more than|at least|up to)\s*(?:RMB|CNY|¥|￥)?\s*$/i;
const BOUND_AFTER = /^\s*(?:以上|以下|以内|之内|上下|开外|及以上|及以下|\+|or more|or less)/i;
const DENIED_BEFORE = /(?:不是|而不是|并非|并不是|不再是)\s*$/;
const RANGE_BEFORE = /\d\s*[-~～到至]\s*$|[零一二两三四五六七八九十百千]\s*[到至]\s*$/;
const RANGE_AFTER = /^\s*[-~～到至]\s*(?:\d|[零一二两三四五六七八九十])/;

/** Every number in the text that is a quantity, not a name. */
export function findAmounts(original: string): Amount[] {
  // 「员工三是人」: 是 typed for 十 (both shi) between a numeral and its unit; same length, so offsets hold.
  const text = original.replace(/([一二三四五六七八九])是(?=[多来余]?(?:个人|号人|人|名|万|亿))/gu, "$1十");
  const out: Amount[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const g = m.groups!;
    const start = m.index! + (g.pre ? 0 : m[0].indexOf(g.num));
    let end = m.index! + m[0].length;
    while (end > start && /\s/.test(text[end - 1])) end--;
    const before = text.slice(Math.max(0, start - 8), start);
    const after = text.slice(end, end + 8);
    const numEnd = m.index! + m[0].indexOf(g.num) + g.num.length;
    const arabic = /^\d/.test(g.num);
    // Names, not quantities: 第二个, 5G, H100, 3551人才计划, 2025年, 6月, 3号楼, 1.5倍.
    if (/第\s*$/.test(before)) continue;
    if (arabic && /[A-Za-z]$/.test(text.slice(0, m.index!))) continue;
    if (!g.mult && !g.pre && /^[A-Za-z]/.test(text.slice(numEnd)) && !/^\s?(?:million|billion|mn|yuan|RMB)\b/i.test(text.slice(numEnd))) continue;
    if (
      !g.mult &&
      !g.cur &&
      !g.pct &&
      /^\s*(?:年|月|日|号|期|批|届|代|楼|层|室|路|倍|岁|天|周|小时|分|次|平|米|公里|吨|台|套|万(?=人)|K\b)/.test(text.slice(numEnd))
    )
      continue;
    if (!g.mult && !g.cur && !g.pct && !g.unit && /^\d{4}$/.test(g.num) && /^\s*年/.test(text.slice(numEnd))) continue;
    let value: number;
    let approx = !!(g.a1 || g.a2 || g.a3);
    if (arabic) value = Number(g.num.replace(/,/g, ""));
    else {
      // A lone 一/十/百 inside words (一下, 一家, 十分) is no figure unless a unit follows.
      const parsed = parseChineseNumeral(g.num);
      if (!parsed) continue;
      value = parsed.value;
      approx ||= parsed.approx;
    }
    let kind: AmountKind;
    const mult = g.mult?.trim();
    if (g.pct) {
      kind = "ratio";
      value /= 100;
    } else if (mult) {
      kind = "money";
      value *= MULT_VALUE[mult.toLowerCase() === "mn" ? "mn" : mult];
    } else if (g.cur) {
      kind = "money";
      value /= 10000;
    } else if (g.unit) kind = "count";
    else kind = "bare";
    if (kind === "bare" && !arabic && !/[十百千]/.test(g.num) && g.num.length === 1) continue;
    const unit = g.unit && kind === "count" ? (/^(?:个人|号人|人|名|位)$/.test(g.unit) ? "人" : g.unit) : undefined;
    const amount: Amount = { kind, value, start, end, ...(unit ? { unit } : {}), ...(approx ? { approx } : {}) };
    if (BOUND_BEFORE.test(before) || BOUND_AFTER.test(after) || RANGE_BEFORE.test(before) || RANGE_AFTER.test(after)) amount.bound = true;
    // 「上千万」「过百人」「破亿」: over a round figure, a bound.
    if (/[上过破超]$/.test(before) && /^[十百千]/.test(g.num)) amount.bound = true;
    if (DENIED_BEFORE.test(before)) amount.denied = true;
    out.push(amount);
  }
  for (const m of text.matchAll(PERCENT_WORDS)) {
    const parsed = parseChineseNumeral(m[1]);
    if (parsed) out.push({ kind: "ratio", value: parsed.value / 100, start: m.index!, end: m.index! + m[0].length });
  }
  return out.sort((a, b) => a.start - b.start);
}
