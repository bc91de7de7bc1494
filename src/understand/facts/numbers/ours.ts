/**
 * A figure the company states about itself: in a clause of its own (not a
 * policy's cap, a customer's revenue, a hypothetical or a question's bound),
 * stated rather than bounded (不到50人) or ruled out (不是两个亿), and not a
 * description of some kind of company (「营收5000万以上的企业」).
 */

import type { FactContext } from "../reader.js";
import type { Amount } from "./amount.js";

const GENERIC_AFTER = /^\s*(?:以上|以下)?\s*的\s*(?:企业|公司|单位|项目|补贴|奖励|资助|支持|额度)/;

export function isOurs(ctx: FactContext, a: Amount): boolean {
  if (a.bound || a.denied) return false;
  if (ctx.ownerAt(a.start) !== "us") return false;
  return !GENERIC_AFTER.test(ctx.text.slice(a.end, a.end + 8));
}
