/** Words the word readers share: who is speaking, and whether a clause asks rather than states. */
import type { Clause, FactContext } from "../reader.js";

/** The company speaking of itself. */
export const SELF = /我们|我司|我公司|本公司|我单位|本单位|咱们|我们公司|我方|本企业|公司|企业|单位|we\b|our\b/i;

/** The company naming itself, strictly: not 公司 or 企业 in general. */
export const WE = /我们|我司|我公司|本公司|我单位|本单位|咱们|我方|本企业|我校|本校|我所|本所|我院|本院|\bwe\b|\bour\b/i;

/** Another entity as the subject: 集团, 隔壁公司, 他们. */
export const OTHERS = /集团|总公司|关联公司|兄弟公司|同行|隔壁|别的公司|其他公司|别人家?|朋友|他们|她们|对方|客户|合作方|很多企业|有些企业|不少企业/;

/** Words that make what follows a plan or a wish, not a fact. */
export const INTENT = /想|打算|考虑|准备|计划|拟|希望|争取|筹备|正在申|能否|能不能|可不可以|是否|如何|怎么|怎样|要是|如果|假如|假设|若/;

/** The clause is a question: it ends in ？ or holds a question word. */
export function asks(ctx: FactContext, clause: Clause): boolean {
  const next = ctx.text[clause.end] ?? "";
  return /[？?]/.test(next) || /吗|么样|哪些|什么|多少|是否|能否|能不能|可否|有没有|如何|怎么|怎样/.test(clause.text);
}

/** The clause states something about the company (not a customer's, a policy's or a hypothetical one). */
export function ours(ctx: FactContext, offset: number): boolean {
  const owner = ctx.ownerAt(offset);
  return owner === "us" || owner === "question";
}

/** Text of the clause before and after [start, end). */
export function around(ctx: FactContext, start: number, end: number): { before: string; after: string; clause: Clause } {
  const clause = ctx.clauseAt(start);
  return { before: ctx.text.slice(clause.start, start), after: ctx.text.slice(end, clause.end), clause };
}
