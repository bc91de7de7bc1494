/**
 * Revenue, R&D expense and total assets, in 万元: 「去年营收3000万」「研发投了两百多万」
 * 「营收一点二亿」「资产总额约两个亿」「营业收入：5200万元」「RMB 9 million on R&D」.
 * When one field is given for two years (去年/前年, 2024年/2025年, 上年度/上上年度)
 * the later is the last year's figure and the earlier the year before's.
 */

import type { FactContext, FactField, FactReader, Finding } from "../reader.js";
import { type Amount, findAmounts } from "./amount.js";
import { isOurs } from "./ours.js";
import { subjectOf, subjectsIn, yearOf } from "./subject.js";

const PREV_YEAR: Partial<Record<FactField, FactField>> = { revenue: "revenuePrevYear", rdExpense: "rdExpensePrevYear" };
const FIELDS = new Set<FactField>(["revenue", "rdExpense", "totalAssets"]);
// English puts the subject after the figure: 「spent RMB 9 million on R&D」.
const ENGLISH_AFTER: Array<[FactField, RegExp]> = [
  ["rdExpense", /^\s*(?:on|in|for)\s+(?:R&D|research)/i],
  ["revenue", /^\s*(?:in|of)\s+(?:revenue|sales)/i],
];

// A month's, a quarter's or several years' money is not the year's figure: 「月营收200万」「累计研发投入2000万」.
const NOT_A_YEAR =
  /第[一二三1-3]年|头一年|成立当年|刚成立|累计|历年|近[三两五3-5]年|[三两五3-5]年(?:来|累计|共|合计)|总共|一共|合计|月营收|月收入|月均|每月|一个月|单月|季度|上半年|下半年|前三季度|\d{1,2}\s*[-~至到]\s*\d{1,2}\s*月|\d{1,2}月份?(?:的)?(?:营收|收入|销售)/;

type Candidate = { field: FactField; year: number; amount: Amount; subjectStart: number };

export const moneyReader: FactReader = {
  name: "money",
  read(ctx) {
    const money = findAmounts(ctx.text).flatMap((a) => (a.kind === "money" ? [a] : formMoney(ctx.text, a)));
    const candidates: Candidate[] = [];
    const listed = new Set<Amount>();
    for (const list of respectiveLists(ctx, money)) {
      list.members.forEach((a, i) => {
        listed.add(a);
        const year = list.years.length === list.members.length ? list.years[i] : i - list.members.length;
        if (list.field && isOurs(ctx, a)) candidates.push({ field: list.field, year, amount: a, subjectStart: list.start });
      });
    }
    money.forEach((a, i) => {
      if (listed.has(a)) return;
      if (!isOurs(ctx, a) || NOT_A_YEAR.test(ctx.text.slice(ctx.clauseAt(a.start).start, a.start))) return;
      const subject = subjectOf(ctx, a, "money", money[i - 1]);
      const english = subject ? undefined : ENGLISH_AFTER.find(([, re]) => re.test(ctx.text.slice(a.end, a.end + 24)))?.[0];
      const field = subject?.field ?? english;
      if (!field || !FIELDS.has(field)) return;
      candidates.push({ field, year: yearOf(ctx, a) ?? -1, amount: a, subjectStart: Math.min(subject?.start ?? a.start, a.start) });
    });
    const out: Finding[] = [];
    for (const field of FIELDS) {
      const mine = candidates.filter((c) => c.field === field);
      const years = [...new Set(mine.map((c) => c.year))].sort((x, y) => y - x);
      const slots: Array<[FactField | undefined, number | undefined]> =
        years.length >= 2
          ? [
              [field, years[0]],
              [PREV_YEAR[field], years[1]],
            ]
          : years[0] === -2
            ? [[PREV_YEAR[field], -2]]
            : years[0] >= -1
              ? [[field, years[0]]]
              : [];
      for (const [slot, year] of slots) {
        const c = mine.find((m) => m.year === year);
        if (!slot || !c) continue;
        out.push({
          field: slot,
          value: round(c.amount.value),
          start: c.subjectStart,
          end: c.amount.end,
          reader: "money",
          ...(c.amount.approx ? { approx: true } : {}),
        });
      }
    }
    return out;
  },
};

const round = (v: number) => Math.round(v * 10000) / 10000;

const RESPECTIVELY = /分别(?:是|为|有)?/gu;
const LIST_GAP = /^\s*(?:[、，,和与及]|以及)\s*$/;
const LIST_YEAR = /(前年|去年|今年|(20\d{2})\s*年)/gu;

/**
 * 「近三年营收分别是800万、1200万、2000万」「去年和前年研发分别为500万和400万」:
 * the figures in the order of the years named, or else oldest first, the last being last year's.
 */
function respectiveLists(ctx: FactContext, money: Amount[]): Array<{ field: FactField | undefined; years: number[]; members: Amount[]; start: number }> {
  const out: Array<{ field: FactField | undefined; years: number[]; members: Amount[]; start: number }> = [];
  for (const m of ctx.text.matchAll(RESPECTIVELY)) {
    const at = m.index! + m[0].length;
    const first = money.find((a) => a.start >= at && /^\s*$/.test(ctx.text.slice(at, a.start)));
    if (!first) continue;
    const members = [first];
    for (
      let next = money[money.indexOf(first) + 1];
      next && LIST_GAP.test(ctx.text.slice(members[members.length - 1].end, next.start));
      next = money[money.indexOf(next) + 1]
    )
      members.push(next);
    const clause = ctx.clauseAt(m.index!);
    const head = ctx.text.slice(clause.start, m.index!);
    const subject = subjectsIn(head, clause.start, "money").pop();
    const today = Number(ctx.today.slice(0, 4));
    const years = [...head.matchAll(LIST_YEAR)].map((y) => (y[2] ? Number(y[2]) - today : y[1] === "前年" ? -2 : y[1] === "去年" ? -1 : 0));
    out.push({ field: subject?.field ?? undefined, years, members, start: subject?.start ?? m.index! });
  }
  return out;
}

// A form states the unit once, in its label: 「营业收入（万元）：3500」「研发费用(元)：4,200,000」.
const LABEL_UNIT = /[（(]\s*(万元|万|元)\s*[）)]\s*[:：]?\s*$/;

function formMoney(text: string, a: Amount): Amount[] {
  if (a.kind !== "bare") return [];
  const unit = LABEL_UNIT.exec(text.slice(Math.max(0, a.start - 10), a.start))?.[1];
  return unit ? [{ ...a, kind: "money", value: unit === "元" ? a.value / 10000 : a.value }] : [];
}
