/**
 * When the company was founded, as precisely as it says: 「2019年成立」 → 2019,
 * 「成立于2016年5月」 → 2016-05, 「今年3月注册的」 → this year's March, 「去年注册的」 → last
 * year, and ages counted back from today: 「成立两年多」, 「成立不到两年」 → the month that
 * many years ago, marked approximate. A date is the founding date only when 成立/注册/创立
 * is the event next to it: 「2021年认定的」 is a qualification's, 「今年9月上市」 a listing's.
 */
import { isoDate } from "../../../lib/china-time.js";
import { parseNumber } from "../../../policies/quantity.js";
import type { FactContext, FactReader, Finding } from "../reader.js";
import { around, ours } from "./cues.js";

const UNIT = String.raw`(?:了|的)?(?:一家|一个|新的)?(?:研发|子公司|分公司|分支机构|办事处|实验室|研究院|部门|团队|工作站|中心|党|商标|专利|软著|品牌|域名)`;
const FOUND = new RegExp(
  String.raw`成立(?!${UNIT})|注册(?!资本|资金|${UNIT})|创立|创办|创建|设立(?!${UNIT})|开业|founded|established|registered|incorporated`,
  "i",
);
/** Other events a date can belong to. */
const OTHER = /认定|复审|评上|评为|入库|入选|获批|获评|上市|挂牌|融资|申报|申请|搬|迁|认证|通过|备案|拿到|获得|投产|开始/;
const N = String.raw`\d{1,2}|[一二两三四五六七八九十]{1,3}`;
const MONTH = String.raw`(?<month>\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:份)?(?:(?<day>\d{1,2}|[一二三]?十?[一二三四五六七八九]?)[日号])?`;
const DATE = new RegExp(
  String.raw`(?<!\d)(?<year>(?:19|20)\d{2}|\d{2}(?=年(?:\d|[一二三四五六七八九十]+月|成立|注册|创立|底|初)))年(?:${MONTH})?|(?<!\d)(?<iso>(?:19|20)\d{2})[-/.](?<isoMonth>\d{1,2})(?:[-/.](?<isoDay>\d{1,2}))?(?![\d.万元%])|(?<rel>今年|去年|前年|本年|上一年)(?:(?<relEdge>初|年初|底|年底|年中)|${MONTH.replace(/month/g, "relMonth").replace(/day/g, "relDay")})?|(?<lastMonth>上个月|上月|这个月|本月)`,
  "gu",
);
const AGE = new RegExp(
  String.raw`(?:成立|注册|创立|创办)(?:了|至今|到现在|以来)?(?:已经|已|才|刚|刚刚|大概|大约|差不多)?(?<less>不到|不足|未满|不满|快|近|将近|接近|刚满|满|刚)?(?<n>${N}|半)(?<more0>多|来)?(?<unit>年|个月|个多月)(?<more>多|半|左右)?`,
  "gu",
);

const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : parseNumber(s));
const pad = (n: number) => String(n).padStart(2, "0");

/** The month `months` before today, as YYYY-MM. */
function monthsAgo(today: string, months: number): string {
  const [y, m] = today.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1 - months, 1));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}`;
}

/** The date written at a match, at the precision given, or null when it is not a real past date. */
function dateOf(g: Record<string, string | undefined>, today: string): { value: string; approx?: boolean } | null {
  const ty = Number(today.slice(0, 4));
  let year: number;
  let month: number | null = null;
  let day: number | null = null;
  let approx = false;
  if (g.lastMonth) {
    const value = monthsAgo(today, /上/.test(g.lastMonth) ? 1 : 0);
    return { value };
  }
  if (g.rel) {
    year = ty - ({ 今年: 0, 本年: 0, 去年: 1, 上一年: 1, 前年: 2 } as Record<string, number>)[g.rel];
    if (g.relEdge) {
      month = /初/.test(g.relEdge) ? 1 : /中/.test(g.relEdge) ? 6 : 12;
      approx = true;
    }
    if (g.relMonth) month = num(g.relMonth);
    if (g.relDay) day = num(g.relDay);
  } else if (g.iso) {
    year = Number(g.iso);
    month = Number(g.isoMonth);
    if (g.isoDay) day = Number(g.isoDay);
  } else {
    year = Number(g.year);
    if (g.year!.length === 2) year += year + 2000 <= ty ? 2000 : 1900;
    if (g.month) month = num(g.month);
    if (g.day) day = num(g.day);
  }
  if (year < 1949 || year > ty) return null;
  if (month === null) return { value: String(year) };
  if (!month || month > 12) return null;
  if (day !== null) {
    const iso = day ? isoDate(year, month, day) : null;
    return iso && iso <= today ? { value: iso } : null;
  }
  const value = `${year}-${pad(month)}`;
  return value <= today.slice(0, 7) ? { value, ...(approx ? { approx } : {}) } : null;
}

/** The founding event is the one nearest the date in its clause (or in the clause before: 「补充一下成立时间，是2022年4月」). */
function foundedAt(ctx: FactContext, start: number, end: number): boolean {
  const { before, after, clause } = around(ctx, start, end);
  // 「不是2019年成立的」 denies that date.
  if (/(?:不是|并非|而不是)\s*$/.test(before)) return false;
  const next = after.match(FOUND)?.index ?? Infinity;
  const nextOther = after.match(OTHER)?.index ?? Infinity;
  if (next < nextOther && next <= 12) return true;
  const last = Math.max(before.search(new RegExp(`(?:${FOUND.source})(?!.*(?:${FOUND.source}))`, "i")), -1);
  const lastOther = Math.max(before.search(new RegExp(`(?:${OTHER.source})(?!.*(?:${OTHER.source}))`)), -1);
  if (last >= 0 && last > lastOther && nextOther === Infinity) return true;
  // 「补充一下成立时间，是2022年4月」: the clause before names the date's subject.
  if (last < 0 && nextOther === Infinity && next === Infinity && /^(?:是|为|在)?\s*$/.test(before.replace(/其实|应该|准确说|大概|大约/g, ""))) {
    const prev = ctx.clauses.filter((c) => c.end <= clause.start).pop();
    return !!prev && (/(?:成立|注册)(?:时间|日期|年份)/.test(prev.text) || (/^(?:不是|并非)/.test(prev.text.trim()) && FOUND.test(prev.text)));
  }
  return false;
}

export const foundedReader: FactReader = {
  name: "founded",
  read(ctx) {
    const out: Finding[] = [];
    for (const m of ctx.text.matchAll(DATE)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (!ours(ctx, start) || !foundedAt(ctx, start, end)) continue;
      const date = dateOf(m.groups ?? {}, ctx.today);
      if (date) out.push({ field: "established", value: date.value, start, end, ...(date.approx ? { approx: true } : {}), reader: "founded" });
    }
    for (const m of ctx.text.matchAll(AGE)) {
      const start = m.index!;
      const end = start + m[0].length;
      const { after } = around(ctx, start, end);
      // 「成立不满三年的企业」, 「成立满两年以上」: a policy's condition, not the company's age.
      if (!ours(ctx, start) || /^(?:以上|以内|以下|及以上|内|之内)|^的(?:企业|公司|单位)|^(?:才|就)?(?:能|可以|可)/.test(after)) continue;
      const g = m.groups!;
      const n = g.n === "半" ? 0.5 : num(g.n);
      if (n === null) continue;
      let months = /月/.test(g.unit) ? n : n * 12;
      if (g.more === "半") months += 6;
      // 「不到两年」, 「快两年」: somewhat less than that many years.
      if (g.less && /不到|不足|未满|不满|快|近|将近|接近/.test(g.less) && !/月/.test(g.unit)) months -= 6;
      out.push({ field: "established", value: monthsAgo(ctx.today, Math.round(months)), start, end, approx: true, reader: "founded" });
    }
    return out;
  },
};
