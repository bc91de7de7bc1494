/**
 * The R&D ratio, R&D expense over revenue as a fraction: 「研发投入占比5%」
 * 「研发费用占营收比重9%」「研发投入强度12%」「研发占销售收入的比例约5.5%」.
 * Other shares are not it: 科技人员占比30%, 本科以上学历占80%, 营收增长20%.
 * (When the message gives both amounts the ratio adds nothing: see readCompanyFacts.)
 */

import type { Clause, FactContext, FactReader, Finding } from "../reader.js";
import { findAmounts } from "./amount.js";
import { isOurs } from "./ours.js";
import { subjectsIn } from "./subject.js";

const SHARE = String.raw`(?:大概|大约|约|差不多|基本上?)?(?:是营业收入的|是营收的|是收入的|是销售收入的|占比|占(?:营业收入|营收|销售收入|主营业务收入|收入|销售额)?(?:总额)?的?(?:比例|比重|比)?|比例|比重|强度)`;
const RD_RATIO = new RegExp(
  String.raw`研发(?:费用|投入|经费|支出)?(?:总额)?${SHARE}|研发投入强度|R&D (?:intensity|ratio)|R&D (?:spending|expenses?) (?:is|at|of|was)`,
  "giu",
);
// Shares of something else, after which a percentage is not the R&D ratio.
const OTHER = /人员|人数|员工|团队|工程师|学历|本科|硕士|博士|增长|增幅|增速|同比|毛利|利润|净利|税|持股|股份|股权|份额|高新技术产品|产品收入|出口|市场/u;

export const ratioReader: FactReader = {
  name: "ratio",
  read(ctx) {
    const out: Finding[] = [];
    let from = -1;
    for (const a of findAmounts(ctx.text).filter((x) => x.kind === "ratio")) {
      const clause = ctx.clauseAt(a.start);
      const windowStart = Math.max(clause.start, from);
      const window = ctx.text.slice(windowStart, a.start);
      from = a.end;
      if (!isOurs(ctx, a) || a.value <= 0 || a.value >= 1) continue;
      const rd = [...window.matchAll(RD_RATIO)].pop();
      if (rd && OTHER.test(window.slice(rd.index! + rd[0].length))) continue;
      if (!rd && !continuesRdRatio(ctx, clause, window)) continue;
      out.push({ field: "rdRatio", value: Math.round(a.value * 1e6) / 1e6, start: rd ? windowStart + rd.index! : clause.start, end: a.end, reader: "ratio" });
    }
    return out;
  },
};

// 「研发支出400多万元，占营收的5%左右」: a share of revenue right after the R&D figure.
const SHARE_OF_REVENUE = /^\s*(?:大概|大约|约)?占(?:营业收入|营收|收入|销售收入|销售额)?的?(?:比例|比重|比)?\s*(?:大概|大约|约)?(?:是|为)?\s*$/;
// 「高企要求研发占比多少？我们去年是4.2%」: an answer to the ratio just asked about.
const ANSWER = /^\s*(?:我们|我司|公司)?\s*(?:去年|今年|现在|目前)?\s*(?:大概|大约|约)?\s*(?:是|有|才|只有|达到)\s*(?:大概|大约|约)?\s*$/;

function continuesRdRatio(ctx: FactContext, clause: Clause, window: string): boolean {
  const i = ctx.clauses.findIndex((c) => c.start === clause.start);
  if (i <= 0 || window !== ctx.text.slice(clause.start, clause.start + window.length)) return false;
  const before = ctx.clauses[i - 1];
  if (SHARE_OF_REVENUE.test(window)) return subjectsIn(before.text, before.start, "money").pop()?.field === "rdExpense";
  if (ANSWER.test(window)) return ctx.clauses.slice(Math.max(0, i - 2), i).some((c) => new RegExp(RD_RATIO.source, "iu").test(c.text));
  return false;
}
