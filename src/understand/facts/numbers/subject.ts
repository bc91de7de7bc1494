/**
 * Whose number is it and of what: the word a figure belongs to is the last
 * subject word before it in its clause (「员工200人，其中研发人员60人」), and a
 * clause with a figure but no subject word of its own continues the one before
 * (「去年研发640万，前年520万」). Words that name some other money or people
 * (注册资本, 估值, 补贴, 博士, 股东 …) are subjects too, so that their figures
 * are not read as revenue or headcount.
 */

import type { Clause, FactContext, FactField } from "../reader.js";
import { type Amount, findAmounts } from "./amount.js";

/** A subject word: the field its figures go to, or null for a figure the profile has no field for. */
export type Subject = { field: FactField | null; start: number; end: number };

const MONEY: Array<[FactField | null, string]> = [
  // Not the company's revenue, spending or assets: capital, valuation, money received, profit, increments.
  [
    null,
    String.raw`高新技术产品(?:（服务）|\(服务\))?收入|高新产品收入|高品收入|产品收入|技术收入|补助收入|补贴收入|投资收入|利息收入|其他收入|营业外收入|注册资本|注册资金|实缴资本|实缴|实收资本|估值|市值|融资|投资|贷款|补贴|补助|奖励|资助|奖金|扶持|利润|净利|盈利|毛利|亏损|亏了|赚了|纳税|缴税|税收|税额|工资|薪资|薪酬|房租|租金|合同|订单|产值|成本|采购|购买|买了|设备|增量|增加|增长|增幅|减少|下降|多了|少了|差额|目标|门槛|要求|加计扣除|扣除|抵扣|退税|净资产|固定资产|无形资产|流动资产|负债|人均(?:收入|营收|产值|工资)?|年薪|月薪|大楼|厂房|基地|现金|存款|累计|合计|拿了|拿到|获得|到账|valuation|funding|profit|grant|subsid\w*`,
  ],
  [
    "rdExpense",
    String.raw`研发费用|研发投入|研发经费|研发支出|研发开支|研发投了|研发花了|研发上投了|研发|R&D\s*(?:spending|expenses?|investment)?|research and development`,
  ],
  ["revenue", String.raw`营业收入|主营业务收入|主营收入|销售收入|销售额|营业额|营收|年收入|总收入|收入|revenue|sales|turnover`],
  ["totalAssets", String.raw`资产总额|资产总计|总资产|资产规模|资产|total assets`],
];

const COUNT: Array<[FactField | null, string]> = [
  // People the profile does not count on their own: degrees, shareholders, hires, talents, customers.
  [
    null,
    String.raw`博士|硕士|研究生|本科|大专|学历|社保|股东|客户|用户|人才|专家|院士|实习生|实习|兼职|外包|学生|老师|教授|海归|留学|销售人员|销售|管理人员|管理层|行政|党员|创始人|合伙人|高管|门店|分公司|子公司|岗位|招聘|招了|新招|招|新增|增加|离职|占比|比例|比重`,
  ],
  ["techStaff", String.raw`科技人员|研发人员|技术人员|科研人员|研发团队|技术团队|研发工程师|研发|R&D\s*(?:staff|engineers|personnel|team)`],
  [
    "employees",
    String.raw`员工总数|员工人数|总共|一共|共有|合计|共计|总计|员工|职工|从业人员|在职人员|雇员|全职|总人数|人数|团队|规模|公司|我们|我司|本公司|企业|headcount|employees|staff|people`,
  ],
];

const compile = (table: Array<[FactField | null, string]>) => new RegExp(table.map(([, re]) => `(${re})`).join("|"), "giu");
const MONEY_RE = compile(MONEY);
const COUNT_RE = compile(COUNT);

/** Subject words of one kind of figure in a stretch of text, in order. */
export function subjectsIn(text: string, offset: number, kind: "money" | "count"): Subject[] {
  const [table, re] = kind === "money" ? [MONEY, MONEY_RE] : [COUNT, COUNT_RE];
  const out: Subject[] = [];
  for (const m of text.matchAll(re)) {
    const i = m.slice(1).findIndex((g) => g !== undefined);
    out.push({ field: table[i][0], start: offset + m.index!, end: offset + m.index! + m[0].length });
  }
  return out;
}

/**
 * The subject of a figure: the last subject word between the figure before it
 * (in the clause) and the figure; else the subject the figure before it had;
 * else, for a clause with no subject word at all that lists on or corrects, the
 * previous clause's last one.
 */
export function subjectOf(ctx: FactContext, amount: Amount, kind: "money" | "count", previous: Amount | undefined): Subject | undefined {
  const clause = ctx.clauseAt(amount.start);
  const from = previous && previous.start >= clause.start ? previous.end : clause.start;
  const own = levelSubject(ctx, subjectsIn(ctx.text.slice(from, amount.start), from, kind), amount.start);
  if (own) return own;
  if (previous && previous.start >= clause.start) return subjectOf(ctx, previous, kind, undefined);
  if (subjectsIn(clause.text, clause.start, kind).length) return undefined;
  // Only a list (「去年研发640万，前年520万」) or a correction (「营收我说错了，应该是三千万」) continues a subject.
  const before = previousClause(ctx, clause);
  if (!before) return undefined;
  const continues = findAmountsOf(before, kind).length > 0 || CONTINUATION.test(clause.text);
  if (!continues) return undefined;
  const subjects = subjectsIn(before.text, before.start, kind);
  // 「销售额同比增长了20%，达到4800万」「营收比前年增长30%，前年是2000万」: the growth word is not the subject.
  return CONTINUATION.test(clause.text) ? subjects.filter((s) => s.field).pop() : subjects.pop();
}

/** 「营收增长到3000万」: after an increment word, 到/达到 names the level, not the increment. */
function levelSubject(ctx: FactContext, subjects: Subject[], at: number): Subject | undefined {
  const last = subjects.pop();
  if (last && !last.field && INCREMENT.test(ctx.text.slice(last.start, last.end)) && /(?:到|至|达到)\s*$/.test(ctx.text.slice(last.end, at)))
    return subjects.filter((s) => s.field).pop();
  return last;
}

const INCREMENT = /^(?:增长|增加|增幅|多了)$/;
// A clause that goes on with the subject before it: a correction (「营收说错了，是两千万」「去年其实是520万」),
// a qualification (「不含税大概1800万」), the level after a growth rate (「达到6750万」).
const CONTINUATION =
  /^\s*(?:(?:去年|前年|今年|上年度?|\d{4}年)?\s*(?:其实|实际上?|应该|准确说|准确地说|现在)?\s*是|改成|改为|更正为|不含税|含税|税后|税前|审计后|经审计|达到|达|增长到|增加到|涨到|到了)/;

function findAmountsOf(clause: Clause, kind: "money" | "count"): Amount[] {
  return findAmounts(clause.text).filter((a) => (kind === "money" ? a.kind === "money" : a.kind === "count" || a.kind === "bare"));
}

export function previousClause(ctx: FactContext, clause: Clause): Clause | undefined {
  const i = ctx.clauses.findIndex((c) => c.start === clause.start);
  return i > 0 ? ctx.clauses[i - 1] : undefined;
}

const YEAR_WORD =
  /(上上年度|上上一年度|上上年|前年|前一年|去年|上一?年度?|上一会计年度|上个年度|今年|本年度|当年|last year|this year|the year before(?: last)?|(20\d{2})\s*年度?)/giu;

/**
 * Which year a figure is for, counted from today: 0 this year, -1 last year (the
 * default: a company's figures are last year's), -2 the year before.
 */
export function yearOf(ctx: FactContext, amount: Amount): number | undefined {
  const clause = ctx.clauseAt(amount.start);
  const words = [...ctx.text.slice(clause.start, amount.start).matchAll(YEAR_WORD)];
  const w = words.pop();
  if (!w) return undefined;
  const word = w[1].toLowerCase();
  if (w[2]) return Number(w[2]) - Number(ctx.today.slice(0, 4));
  if (/上上|前年|前一年|the year before/.test(word)) return -2;
  if (/今年|本年|当年|this year/.test(word)) return 0;
  return -1;
}
