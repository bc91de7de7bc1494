import { z } from "zod";
import { compare, findQuantities, OP_WORDS, type Quantity } from "../quantity.js";
import { type Clause, isFigure } from "./clause.js";
import { ComparatorSchema, type ConditionKind, quote, round, typeOf } from "./kind.js";

export const AgeSchema = z.object({
  type: typeOf("age", "The company's age since founding"),
  op: ComparatorSchema,
  years: z.number().describe("Years").meta({ example: 5 }),
});
type Age = z.infer<typeof AgeSchema>;

const QUESTION = "贵公司的成立（注册）日期是？";

/** «注册成立不超过5年», «成立满2年»: a span after a word of founding counts the company's age, not one of its figures. */
export function isFounding(clause: Clause, q: Quantity): boolean {
  const before = clause.text.slice(Math.max(0, q.start - 40), q.start);
  return /成立|注册|经营|设立/.test(before.slice(-20)) && (q.dimension === "years" || q.dimension === "months") && !/周岁|岁/.test(q.raw);
}

/** The company's age since founding. */
export const age: ConditionKind<Age> = {
  type: "age",
  schema: AgeSchema,
  read(clause) {
    const out: Age[] = [];
    for (const q of clause.quantities) {
      if (!isFigure(clause, q) || !isFounding(clause, q)) continue;
      const check: Age = { type: "age", op: q.op!, years: q.dimension === "months" ? q.value / 12 : q.value };
      clause.at.set(check, q.start);
      out.push(check);
    }
    return out;
  },
  judge(check, text, company) {
    const rule = `成立年限${OP_WORDS[check.op]}${round(check.years)}年`;
    if (company.ageYears === undefined) return { status: "unknown", reason: `政策要求${quote(text)}，画像中没有成立日期`, question: QUESTION };
    const ok = compare(company.ageYears, check.op, check.years);
    return { status: ok ? "met" : "unmet", reason: `${rule}；企业已成立约${round(company.ageYears)}年` };
  },
  question: () => QUESTION,
  verify: (check, text) => findQuantities(text).some((q) => q.dimension === "years" && q.value === check.years),
};
