/**
 * A later turn that changes an earlier figure instead of stating one: 「员工又招了8个」
 * (employees + 8), 「研发那个数是前年的」 (the R&D figure given was the year before's),
 * 「前年的数字我说错了，应该是900万」 (the year-before figure, whichever was given).
 * Each becomes a Finding with `change`, which mergeProfiles settles against the profile so far.
 */

import type { FactField, FactReader, Finding } from "../reader.js";
import { findAmounts } from "./amount.js";
import { isOurs } from "./ours.js";
import { subjectsIn } from "./subject.js";

const HIRED = /(?:又|新|再|另外|刚|最近)(?:招|招聘|招进|进|增加|多)了?/;
const FIGURE = String.raw`(?:那个|这个|的)?(?:数|数字|数据|金额|值)?`;
const WAS_YEAR_BEFORE = new RegExp(String.raw`(研发费用|研发投入|研发|营业收入|营收|收入)${FIGURE}(?:其实|实际上?|应该)?是前年的`, "u");
const YEAR_BEFORE_FIGURE = new RegExp(String.raw`前年(?:那个|的那个|那|的)(?:数|数字|数据|金额)`, "u");

export const relativeReader: FactReader = {
  name: "relative",
  read(ctx) {
    const out: Finding[] = [];
    const amounts = findAmounts(ctx.text);
    for (const a of amounts) {
      if (!isOurs(ctx, a) || !Number.isInteger(a.value) || !(a.kind === "count" && /^(?:人|个)$/.test(a.unit ?? ""))) continue;
      const clause = ctx.clauseAt(a.start);
      const before = ctx.text.slice(clause.start, a.start);
      if (!HIRED.test(before)) continue;
      // New engineers are new employees too.
      const tech = /研发|技术|工程师/.test(before) || /^(?:的)?(?:研发|技术|工程师)/.test(ctx.text.slice(a.end, a.end + 4));
      for (const field of (tech ? ["employees", "techStaff"] : ["employees"]) as FactField[])
        out.push({ field, value: a.value, start: clause.start, end: a.end, reader: "relative", change: "add" });
    }
    for (const clause of ctx.clauses) {
      if (ctx.ownerAt(clause.start) !== "us") continue;
      const moved = WAS_YEAR_BEFORE.exec(clause.text);
      if (moved) {
        const field: FactField = /研发/.test(moved[1]) ? "rdExpense" : "revenue";
        out.push({
          field,
          value: 0,
          start: clause.start + moved.index,
          end: clause.start + moved.index + moved[0].length,
          reader: "relative",
          change: "toYearBefore",
        });
        continue;
      }
      if (!YEAR_BEFORE_FIGURE.test(clause.text)) continue;
      // The figure in this clause or the next, with no subject word of its own.
      const next = ctx.clauses[ctx.clauses.indexOf(clause) + 1];
      const figure = amounts.find((a) => a.kind === "money" && a.start >= clause.start && a.start < (next?.end ?? clause.end) && isOurs(ctx, a));
      if (!figure || subjectsIn(ctx.text.slice(clause.start, figure.start), clause.start, "money").some((s) => s.field)) continue;
      out.push({ field: "revenuePrevYear", value: figure.value, start: clause.start, end: figure.end, reader: "relative", change: "yearBefore" });
    }
    return out;
  },
};
