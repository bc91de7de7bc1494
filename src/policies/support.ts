/**
 * Support rules as data, and what they come to for one company: «按其研发费用较上年度增量部分的
 * 10%给予奖励，单个企业最高500万元» is a rate of a base with a cap; with the company's two years of
 * R&D it is a sum, shown with how it was computed, as policy calculators do.
 */
import type { Company } from "./company.js";
import { overlap } from "./conditions/kind.js";
import { findQuantities } from "./quantity.js";

export type RateRule = {
  /** The base in the policy's words («研发费用较2024年度增量部分»). */
  base: string;
  /** The share of the base paid, as a fraction. */
  rate: number;
  /** The most paid, in 万元, when the sentence caps it. */
  cap?: number;
  /** The sentence the rule was read from. */
  text: string;
};

export type Estimate = {
  /** What the company could get, in 万元. */
  amount: number;
  /** The base, in 万元, and what it is. */
  base: number;
  baseName: string;
  rate: number;
  cap?: number;
  /** The cap decided the sum. */
  capped: boolean;
  /** The rule's sentence. */
  rule: string;
};

// «按其2025年度研发费用较2024年度增量部分的10%给予奖励», «按技术合同实际支付额的10%给予最高100万元奖补».
// Only money paid: a share to deduct from taxable income («加计扣除», «摊销», «抵扣») is not a sum received.
const RATE = /按(?:照)?(?:其)?([^，。；%]{2,40}?)的\s*(\d+(?:\.\d+)?)\s*[%％]\s*(?:的比例)?\s*(?:给予|予以)(?:[^，。；]{0,12}?)(?:奖励|补贴|补助|支持|贴息|资助|奖补)/g;
const CAP = /最高(?:不超过)?\s*(\d+(?:\.\d+)?)\s*(万元|亿元)|(?:不超过|上限为?)\s*(\d+(?:\.\d+)?)\s*(万元|亿元)/g;

/** The rate-of-a-base rules these sentences state, each with the lowest cap its sentence names. */
export function readRateRules(sentences: string[]): RateRule[] {
  const out: RateRule[] = [];
  for (const raw of sentences) {
    const text = raw.replace(/\s+/g, "").replace(/\[\d+\]/g, "");
    for (const m of text.matchAll(RATE)) {
      const rest = text.slice(m.index!).split(/[。；]/)[0];
      const caps = [...rest.matchAll(CAP)].map((c) => Number(c[1] ?? c[3]) * ((c[2] ?? c[4]) === "亿元" ? 10000 : 1));
      const rate = Number(m[2]) / 100;
      if (!(rate > 0 && rate <= 1)) continue;
      out.push({ base: m[1], rate, ...(caps.length ? { cap: Math.min(...caps) } : {}), text: rest });
    }
  }
  return out;
}

/** The company's figure for a rule's base: its R&D growth or R&D from the profile, else a sum a fact names by the base's words. */
function baseOf(rule: RateRule, company: Company): { value: number; name: string } | undefined {
  if (/研发(?:费用|投入|经费)/.test(rule.base) && /增量|增长额|增加额|增加部分|增长部分/.test(rule.base)) {
    return company.rdGrowth !== undefined && company.rdGrowth > 0 ? { value: company.rdGrowth, name: "研发费用增量" } : undefined;
  }
  if (/研发(?:费用|投入|经费)/.test(rule.base) && !/增/.test(rule.base)) {
    return company.rdExpense !== undefined ? { value: company.rdExpense, name: "研发费用" } : undefined;
  }
  // «按实际支付利息的50%» against «今年付了贷款利息80万元»: a sum the company states, named as the base is.
  for (const f of company.facts) {
    for (const q of f.quantities) {
      if (q.dimension !== "money" || (q.currency && q.currency !== "CNY") || q.op) continue;
      if (overlap(rule.base.replace(/实际|支付|缴纳|金额|额/g, ""), q.context) >= 0.5) return { value: q.value, name: rule.base.replace(/^(?:企业|其)/, "") };
    }
  }
  return undefined;
}

/** What the first rule whose base the company's figures give comes to for it. */
export function estimateAmount(rules: RateRule[], company: Company): Estimate | undefined {
  for (const rule of rules) {
    const base = baseOf(rule, company);
    if (!base) continue;
    const raw = base.value * rule.rate;
    const capped = rule.cap !== undefined && raw > rule.cap;
    return {
      amount: Math.round((capped ? rule.cap! : raw) * 100) / 100, base: base.value, baseName: base.name, rate: rule.rate,
      ...(rule.cap !== undefined ? { cap: rule.cap } : {}), capped, rule: rule.text,
    };
  }
  return undefined;
}

/** What a policy's text, as written, comes to for the company: its rate rules read sentence by sentence. */
export function estimateFromText(texts: string[], company: Company): Estimate | undefined {
  return estimateAmount(readRateRules(texts.flatMap((t) => t.split(/(?<=[。；])|\n/))), company);
}

const wan = (v: number) => (v >= 10000 ? `${+(v / 10000).toFixed(2)}亿元` : `${+v.toFixed(2)}万元`);

/** «按贵公司研发费用增量300万元 × 10% 估算，约可获30万元（单个企业上限500万元）». */
export function estimateLine(e: Estimate): string {
  const cap = e.cap === undefined ? "" : e.capped ? `，已按上限${wan(e.cap)}计` : `，上限${wan(e.cap)}`;
  return `按贵公司${e.baseName}${wan(e.base)} × ${+(e.rate * 100).toFixed(2)}% 估算，约可获${wan(e.amount)}${cap}（以主管部门核定为准）`;
}
