/**
 * Support rules as data, and what they come to for one company: «按其研发费用较上年度增量部分的
 * 10%给予奖励，单个企业最高500万元» is a rate of a base with a cap; with the company's two years of
 * R&D it is a sum, shown with how it was computed, as policy calculators do.
 */
import { z } from "zod";
import { BoundedMemo } from "../lib/bounded-memo.js";
import type { Company } from "./company.js";
import { overlap } from "./conditions/kind.js";

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
const RATE =
  /按(?:照)?(?:其)?([^，。；%]{2,40}?)的\s*(\d+(?:\.\d+)?)\s*[%％]\s*(?:的比例)?\s*(?:给予|予以)(?:[^，。；]{0,12}?)(?:奖励|补贴|补助|支持|贴息|资助|奖补)/g;
// «对专精特新中小企业上年度研发费用较前一年度的增量部分，按20%给予支持»: the base named before the rate.
const RATE_AFTER_BASE =
  /对(?:其)?([^，。；%]{2,40}?(?:部分|金额|费用|投入|支出|额))[，,]\s*按(?:照)?\s*(\d+(?:\.\d+)?)\s*[%％]\s*(?:的比例)?\s*(?:给予|予以)(?:[^，。；]{0,12}?)(?:奖励|补贴|补助|支持|贴息|资助|奖补)/g;
const CAP = /最高(?:不超过)?\s*(\d+(?:\.\d+)?)\s*(万元|亿元)|(?:不超过|上限为?)\s*(\d+(?:\.\d+)?)\s*(万元|亿元)/g;

/** The rate-of-a-base rules these sentences state, each with the lowest cap its sentence names. */
export function readRateRules(sentences: string[]): RateRule[] {
  const out: RateRule[] = [];
  for (const raw of sentences) {
    const text = raw.replace(/\s+/g, "").replace(/\[\d+\]/g, "");
    for (const m of [...text.matchAll(RATE), ...text.matchAll(RATE_AFTER_BASE)]) {
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
      amount: Math.round((capped ? rule.cap! : raw) * 100) / 100,
      base: base.value,
      baseName: base.name,
      rate: rule.rate,
      ...(rule.cap !== undefined ? { cap: rule.cap } : {}),
      capped,
      rule: rule.text,
    };
  }
  return undefined;
}

/** What a policy's text, as written, comes to for the company: its rate rules read sentence by sentence. */
export function estimateFromText(texts: string[], company: Company): Estimate | undefined {
  return estimateAmount(texts.flatMap(rateRulesOf), company);
}

/** A chunk's rules do not depend on the company: read once per text, not on every match (the regexes cost more than the judging). */
const rulesByText = new BoundedMemo<string, RateRule[]>(20_000);
const rateRulesOf = (text: string): RateRule[] => rulesByText.get(text, () => readRateRules(text.split(/(?<=[。；])|\n/)));

const wan = (v: number) => (v >= 10000 ? `${+(v / 10000).toFixed(2)}亿元` : `${+v.toFixed(2)}万元`);

/** «按贵公司研发费用增量300万元 × 10% 估算，约可获30万元（单个企业上限500万元）». */
export function estimateLine(e: Estimate): string {
  const cap = e.cap === undefined ? "" : e.capped ? `，已按上限${wan(e.cap)}计` : `，上限${wan(e.cap)}`;
  return `按贵公司${e.baseName}${wan(e.base)} × ${+(e.rate * 100).toFixed(2)}% 估算，约可获${wan(e.amount)}${cap}（以主管部门核定为准）`;
}

/**
 * A policy's support as data, each rule as written: a sum (一次性奖励50万元; 最高500万元), a share of a base
 * with its cap (按投资额的20%，最高3000万元), sums by grade (分别给予100万元、50万元) or a sum per unit counted
 * (每项奖励10万元，最多100万元). Amounts in 万元.
 */
const ruleSentence = z.string().describe("The sentence the rule was read from");
export const SupportRuleSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("fixed").describe("A sum (一次性奖励50万元; 最高500万元)"),
      amount: z.number().describe("万元"),
      upTo: z.boolean().describe("最高/不超过: a ceiling, not a set sum"),
      text: ruleSentence,
    }),
    z.object({
      kind: z.literal("rate").describe("A share of a base (按投资额的20%)"),
      rate: z.number().describe("The share of the base, as a fraction"),
      base: z.string().describe("The base, in the policy's words"),
      cap: z.number().nullable().describe("万元"),
      text: ruleSentence,
    }),
    z.object({
      kind: z.literal("tiered").describe("Sums by grade (分别给予100万元、50万元)"),
      amounts: z.array(z.number()).describe("万元 by grade, in the text's order"),
      text: ruleSentence,
    }),
    z.object({
      kind: z.literal("perItem").describe("A sum per unit counted (每项10万元)"),
      per: z.number().describe("万元 per unit"),
      unit: z.string().describe("What is counted (项, 人, 吨)"),
      cap: z.number().nullable().describe("万元"),
      text: ruleSentence,
    }),
  ])
  .describe("One support rule as written: a sum, a rate of a base with its cap, sums by grade, or a sum per unit counted")
  .meta({
    id: "SupportRule",
    example: { kind: "rate", rate: 0.2, base: "设备投资额", cap: 1000, text: "按照设备投资额的20%予以补贴，单个项目最高不超过1000万元。" },
  });
export type SupportRule = z.infer<typeof SupportRuleSchema>;

/** A sum: digits and a unit of money («3000 万元», «1000元», «200 万» where a card drops the 元). */
const SUM = /(\d+(?:\.\d+)?)\s*(亿元|万元|元|万(?![\p{Script=Han}]{0,1}(?:平方米|人|户|家|个|件|吨|台|套|次|项|名|张|册|份|辆|千瓦|标准)))/gu;
const toWan = (value: string, unit: string) => Math.round(Number(value) * (unit === "亿元" ? 10000 : unit === "元" ? 0.0001 : 1) * 1e6) / 1e6;
/** Words that offer support. */
const OFFERS = /给予|补贴|补助|奖励|资助|贴息|支持|奖补|配套|返还|扣除|发放|补偿/;
const IMPOSES = /罚款|罚金|没收|违法所得|滞纳金/;
/** Before a sum: what makes it a bar the applicant reaches or a base, not what is paid. */
const BAR_BEFORE =
  /(?:(?<!不|不得)超过|不低于|不少于|达到|(?<!不)高于|突破|之和|累计投资|总投资|投资额|营业收入|营收|销售额|产值|融资额?|规模|资产|收入|注册资本|实缴|额度在|合同额|交易额|贷款额度|用于)\s*(?:（含）)?\s*$/;
const BAR_AFTER = /^\s*(?:（含）|\(含\))?\s*(?:以上|以下|及以上|至|到|—|-|～)/;
const UP_TO = /(?:最高|不超过|最多|至多|上限为?|封顶|以内)\s*(?:不超过)?\s*$/;
// «每家企业最高30万元», «每个工作室30万元» are what one applicant gets: a sum, not a sum per unit counted.
const PER_UNIT =
  /每(?!家|个(?:企业|单位|机构|项目|工作室|平台|园区|基地|主体))(?:个|项|件|人|名|台|套|部|张|户|款|场|次|床|亩|平方米|吨|届|首|册)(?:每(?:月|年))?(?:[^，。；、]{0,12}?)$/;
/** «480元/吨». */
const PER_SLASH = /^\s*\/\s*(吨|亩|平方米|人|项|件|台|套|个|床)/;
const RATE_AT = /(\d+(?:\.\d+)?)\s*(?:[%％]|个百分点)/g;

/** The support rules a policy's text states, in the text's order. */
export function readSupportRules(text: string): SupportRule[] {
  const out: SupportRule[] = [];
  for (const sentence of joinWrapped(text).split(/(?<=[。；;])|\n/)) {
    if (!OFFERS.test(sentence) || IMPOSES.test(sentence)) continue;
    out.push(...rulesOf(sentence.trim()));
  }
  return out;
}

/**
 * PDF lines wrap mid-sentence: a long line that does not end a sentence goes on in the next one. A short line
 * («二、支持标准») is a heading and stands alone.
 */
function joinWrapped(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.map((l, i) => (i < lines.length - 1 && l.length >= 15 && !/[。；;：:！？]$/.test(l) ? l : `${l}\n`)).join("");
}

function rulesOf(sentence: string): SupportRule[] {
  const out: SupportRule[] = [];
  const used = new Set<number>();
  const sums = [...sentence.matchAll(SUM)].map((m) => ({ at: m.index, end: m.index + m[0].length, wan: toWan(m[1], m[2]) }));
  // «融资额达到1亿元、5亿元或10亿元的»: sums listed after a bar are bars too.
  const bars = new Set<number>();
  sums.forEach((s, i) => {
    const prev = sums[i - 1];
    if (
      BAR_BEFORE.test(sentence.slice(Math.max(0, s.at - 8), s.at)) ||
      BAR_AFTER.test(sentence.slice(s.end, s.end + 6)) ||
      (prev && bars.has(prev.at) && /^[、和或及\s]*$/.test(sentence.slice(prev.end, s.at)))
    )
      bars.add(s.at);
  });
  // …and so are the sums listed before one that ends as a bar («1000万元、5000万元以上»).
  for (let i = sums.length - 2; i >= 0; i--)
    if (
      bars.has(sums[i + 1].at) &&
      BAR_AFTER.test(sentence.slice(sums[i + 1].end, sums[i + 1].end + 6)) &&
      /^[、和或及\s]*$/.test(sentence.slice(sums[i].end, sums[i + 1].at))
    )
      bars.add(sums[i].at);
  const isBar = (s: { at: number }) => bars.has(s.at);
  const capAfter = (from: number, within = 40) => {
    const cap = sums.find(
      (s) => s.at >= from && s.at - from <= within && !used.has(s.at) && UP_TO.test(sentence.slice(Math.max(0, s.at - 8), s.at)) && !isBar(s),
    );
    if (cap) used.add(cap.at);
    return cap?.wan ?? null;
  };
  // Shares of a base: «按照总投资额的20%予以奖励，单个项目奖励最高不超过3000万元», «给予2.5个百分点的贴息».
  for (const m of sentence.matchAll(RATE_AT)) {
    const before = sentence.slice(Math.max(0, m.index - 30), m.index);
    const after = sentence.slice(m.index + m[0].length, m.index + m[0].length + 16);
    // A share to reach (占比30%以上, 增长20%) or a schedule of payment (首期拨付70%) is not a share paid.
    if (
      /^\s*(?:（含）)?(?:以上|以下|及以上)/.test(after) ||
      (/(?:占|比重|不低于|达到|(?<!不|不得)超过|增长|增速|持股|股权|(?<!不)高于)[^，。；]{0,10}$/.test(before) && !/按/.test(before.slice(-12)))
    )
      continue;
    if (/拨付|分期|首期|尾款|预拨|清算/.test(before.slice(-12) + after.slice(0, 6))) continue;
    const points = m[0].includes("百分点");
    if (!/按|给予|予以|补贴|补助|奖励|资助|贴息|扣除|支持/.test(before.slice(-20) + after)) continue;
    const rate = Number(m[1]) / 100;
    if (!(rate > 0 && rate <= (/扣除/.test(before + after) ? 2 : 1))) continue;
    const base = points
      ? "贷款本金"
      : (/按(?:照)?(?:不超过|不高于)?(?:其)?([^，。；]{2,30}?)的\s*$/.exec(before.replace(/(?:不超过|不高于|最高)\s*$/, ""))?.[1] ?? "");
    out.push({ kind: "rate", rate, base, cap: capAfter(m.index + m[0].length), text: sentence });
  }
  // «按照1:1的比例予以配套»: as much again as the base.
  for (const m of sentence.matchAll(/按(?:照)?\s*1\s*[:：]\s*1\s*的?比例(?:予以|给予)/g))
    out.push({ kind: "rate", rate: 1, base: "", cap: capAfter(m.index + m[0].length), text: sentence });
  // Sums by grade: «分别给予不超过1000万元、200万元», «一等奖100万元，二等奖50万元».
  const respectively = /分别/.exec(sentence);
  if (respectively) {
    const graded = sums.filter((s) => s.at > respectively.index && !used.has(s.at) && !isBar(s));
    const run: typeof graded = [];
    for (const s of graded) if (!run.length || /^[\s、和及与或，]*(?:不超过|最高)?\s*$/.test(sentence.slice(run[run.length - 1].end, s.at))) run.push(s);
    if (run.length >= 2) {
      run.forEach((s) => used.add(s.at));
      out.push({ kind: "tiered", amounts: run.map((s) => s.wan), text: sentence });
    }
  }
  for (const s of sums) {
    if (used.has(s.at) || isBar(s)) continue;
    const before = sentence.slice(Math.max(0, s.at - 18), s.at);
    const per = PER_UNIT.exec(before);
    const slash = PER_SLASH.exec(sentence.slice(s.end, s.end + 6));
    // «每床每月100元、600元或700元»: the sums listed after a sum per unit are per the same unit.
    const prev = out[out.length - 1];
    const listed = prev?.kind === "perItem" && /^[、和或及\s]*$/.test(sentence.slice(sums[sums.indexOf(s) - 1]?.end ?? s.at, s.at)) ? prev.unit : null;
    if (per || slash || listed) {
      used.add(s.at);
      const unit = listed ?? (slash ? slash[1] : per![0].replace(/^每/, "").slice(0, /平方米/.test(per![0]) ? 3 : 1));
      out.push({ kind: "perItem", per: s.wan, unit, cap: capAfter(s.end), text: sentence });
      continue;
    }
    used.add(s.at);
    out.push({ kind: "fixed", amount: s.wan, upTo: UP_TO.test(sentence.slice(Math.max(0, s.at - 8), s.at)), text: sentence });
  }
  return out;
}

/** What decides a reading, for the rules' fingerprint (READING_RULES). */
export const SUPPORT_PATTERNS: unknown[] = [joinWrapped, SUM, toWan, OFFERS, IMPOSES, BAR_BEFORE, BAR_AFTER, UP_TO, PER_UNIT, PER_SLASH, RATE_AT, rulesOf];
