/**
 * Numbers with units and comparisons as Chinese policy texts and companies
 * write them: 「2 亿元（含）以下」「不低于 35%」「满 3 年」「一千多万」.
 * Money is normalised to 万元 (with its currency), ratios to fractions.
 */
export type Dimension = "money" | "ratio" | "count" | "years" | "months";
export type Comparator = ">=" | ">" | "<=" | "<" | "=";

export type Quantity = {
  value: number;
  dimension: Dimension;
  /** For money: CNY unless stated. */
  currency?: "CNY" | "USD" | "EUR" | "HKD";
  /** The counted thing for counts: 人, 件, 项, 家, 个 … */
  unit?: string;
  /** Set when the text says how the value bounds something (a threshold). */
  op?: Comparator;
  /** Approximate ("一千多万", "约 150 万"). */
  approximate?: boolean;
  start: number;
  end: number;
  raw: string;
};

const DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const SMALL_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** "三" → 3, "十二" → 12, "一百二十" → 120, "1,500.5" → 1500.5; null when not a number. */
export function parseNumber(text: string): number | null {
  const t = text.replace(/[,，]/g, "");
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  if (!/^[零〇一二两三四五六七八九十百千]+$/.test(t)) return null;
  let total = 0;
  let digit = 0;
  for (const ch of t) {
    if (ch in DIGIT) digit = DIGIT[ch];
    else {
      total += (digit || 1) * SMALL_UNIT[ch];
      digit = 0;
    }
  }
  return total + digit;
}

const NUM = String.raw`\d+(?:[,，]\d{3})*(?:\.\d+)?|(?<![上下第每同其唯单统万])[零〇一二两三四五六七八九十百千]+`;
const BEFORE = String.raw`不低于|不少于|不小于|不高于|不超过|不大于|不多于|不足|未满|不满|不到|低于|少于|小于|高于|超过|大于|多于|达到|达|满|≥|≤|>|<`;
const UNIT = String.raw`万亿|千万|百万|万|亿|千`;
const CURRENCY = String.raw`美元|欧元|港元|港币|元|块`;
const COUNTED = String.raw`个会计年度|个纳税年度|个自然年度|个年度|人次|个月|周岁|岁|年|人|名|件|项|家|个|台|套|次|倍|平方米|平米`;
const INCLUSIVE = String.raw`[（(]\s*(?:含|不含|含本数|不含本数)\s*[）)]`;
const AFTER = String.raw`及以上|及以下|以上|以下|以内|之内|之上|之下`;

// «一千多万», «十余家», «三百来万», «二十来人»: 多, 余 and 来 after a number say «about»; 来 only when a unit or a
// counted thing follows, so «近3年来» and «一来…二来» are not figures.
const QUANTITY = new RegExp(
  String.raw`(?<before>${BEFORE})?\s*(?<num>${NUM})\s*(?:个(?=多?(?:${UNIT})))?(?<approx>多|余|来(?=\s*(?:${UNIT}|${CURRENCY}|${COUNTED})))?\s*(?<mult>${UNIT})?\s*(?<approx2>多|余)?\s*` +
    String.raw`(?:(?<cur>${CURRENCY})|(?<pct>%|％|个百分点)|(?<counted>${COUNTED}))?` +
    String.raw`\s*(?<incl>${INCLUSIVE})?\s*(?<after>${AFTER})?\s*(?<incl2>${INCLUSIVE})?`,
  "gu",
);

const MULT: Record<string, number> = { 千: 0.1, 万: 1, 百万: 100, 千万: 1000, 亿: 10000, 万亿: 1e8 };

/** Every quantity in a text, with the comparison the words around it state. */
export function findQuantities(text: string): Quantity[] {
  const out: Quantity[] = [];
  for (const m of text.matchAll(QUANTITY)) {
    const g = m.groups!;
    const value = parseNumber(g.num);
    if (value === null) continue;
    const raw = m[0];
    const q = toQuantity(value, g);
    if (!q) continue;
    const incl = g.incl ?? g.incl2;
    const op = comparator(g.before, g.after, incl, text.slice(m.index! + raw.length, m.index! + raw.length + 4));
    const approximate = !!(g.approx || g.approx2) || /约|大约|近|左右/.test(text.slice(Math.max(0, m.index! - 2), m.index!));
    out.push({
      ...q,
      ...(op ? { op } : {}),
      ...(approximate ? { approximate } : {}),
      start: m.index!,
      end: m.index! + raw.length,
      raw: raw.trim(),
    });
  }
  for (let i = 0; i < out.length; i++) {
    const q = out[i];
    const next = out[i + 1];
    // A range: 「100 万元（含）至 500 万元」 is ≥ the first and < the second.
    if (next && /^\s*(?:至|到|~|～|-|－|—)\s*$/.test(text.slice(q.end, next.start)) && q.dimension === next.dimension) {
      q.op = ">=";
      next.op ??= "<";
      i++;
      continue;
    }
    // 「不低于企业当年总收入的 35%」: the comparison stands before what the number is a share of.
    if (!q.op) {
      const clause =
        text
          .slice(0, q.start)
          .split(/[，,。；;：:！？\n]/)
          .pop() ?? "";
      const hit = [...clause.matchAll(new RegExp(BEFORE, "g"))].pop();
      if (hit && /的\s*$/.test(clause) && !/\d/.test(clause.slice(hit.index! + hit[0].length))) {
        q.op = comparator(hit[0]);
      }
    }
  }
  return out;
}

function toQuantity(value: number, g: Record<string, string | undefined>): Omit<Quantity, "start" | "end" | "raw"> | null {
  const mult = g.mult ? MULT[g.mult] : undefined;
  if (g.pct) return { value: g.pct === "个百分点" ? value / 100 : value / 100, dimension: "ratio" };
  if (g.cur) {
    const currency = g.cur === "美元" ? "USD" : g.cur === "欧元" ? "EUR" : g.cur === "港元" || g.cur === "港币" ? "HKD" : "CNY";
    return { value: mult !== undefined ? value * mult : value / 10000, dimension: "money", currency };
  }
  if (g.counted) {
    if (/年度$/.test(g.counted)) return { value, dimension: "years", unit: "年" };
    if (g.counted === "年" || g.counted === "周岁" || g.counted === "岁") {
      // A four-digit "年" is a calendar year, not a duration.
      if (g.counted === "年" && value >= 1900 && !mult) return null;
      return { value, dimension: "years", unit: g.counted };
    }
    if (g.counted === "个月") return { value, dimension: "months", unit: g.counted };
    return { value: mult !== undefined ? value * mult * 10000 : value, dimension: "count", unit: g.counted === "名" ? "人" : g.counted };
  }
  // "2000万" with no currency is money in these texts; a bare number is not a quantity.
  if (mult !== undefined) return { value: value * mult, dimension: "money", currency: "CNY" };
  return null;
}

function comparator(before?: string, after?: string, inclusive?: string, next = ""): Comparator | undefined {
  const excl = inclusive ? /不含/.test(inclusive) : false;
  switch (before) {
    case "不低于":
    case "不少于":
    case "不小于":
    case "达到":
    case "达":
    case "满":
    case "≥":
      return ">=";
    case "不高于":
    case "不超过":
    case "不大于":
    case "不多于":
    case "≤":
      return "<=";
    case "低于":
    case "少于":
    case "小于":
    case "不足":
    case "未满":
    case "不满":
    case "不到":
    case "<":
      return "<";
    case "高于":
    case "超过":
    case "大于":
    case "多于":
    case ">":
      return after && /以上/.test(after) ? ">=" : ">";
  }
  if (after) {
    if (/以上|之上/.test(after)) return excl ? ">" : ">=";
    if (/以下|以内|之内|之下/.test(after)) return excl ? "<" : "<=";
  }
  if (/^[（(]?含/.test(next)) return undefined;
  return undefined;
}

/** Does `actual` satisfy `op threshold`? */
export function compare(actual: number, op: Comparator, threshold: number): boolean {
  const eps = 1e-9 * Math.max(1, Math.abs(threshold));
  switch (op) {
    case ">=":
      return actual >= threshold - eps;
    case ">":
      return actual > threshold + eps;
    case "<=":
      return actual <= threshold + eps;
    case "<":
      return actual < threshold - eps;
    case "=":
      return Math.abs(actual - threshold) <= eps;
  }
}

export const OP_WORDS: Record<Comparator, string> = { ">=": "不低于", ">": "高于", "<=": "不超过", "<": "低于", "=": "等于" };

/** 2000 (万元) → "2000万元", 20000 → "2亿元", 0.35 → "35%". */
export function formatQuantity(q: Pick<Quantity, "value" | "dimension" | "currency" | "unit">): string {
  const n = (v: number) => String(Math.round(v * 100) / 100);
  switch (q.dimension) {
    case "money": {
      const cur = q.currency === "USD" ? "美元" : q.currency === "EUR" ? "欧元" : q.currency === "HKD" ? "港元" : "元";
      return q.value >= 10000 ? `${n(q.value / 10000)}亿${cur}` : `${n(q.value)}万${cur}`;
    }
    case "ratio":
      return `${n(q.value * 100)}%`;
    case "years":
      return `${n(q.value)}年`;
    case "months":
      return `${n(q.value)}个月`;
    case "count":
      return `${n(q.value)}${q.unit ?? ""}`;
  }
}
