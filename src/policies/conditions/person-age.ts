import { z } from "zod";
import { compare, OP_WORDS } from "../quantity.js";
import { isPersonAge } from "./clause.js";
import { ComparatorSchema, type ConditionKind, quote, typeOf } from "./kind.js";

export const PersonAgeSchema = z.object({
  type: typeOf("personAge", "The age of the person behind the company (法定代表人, 借款人)"),
  limits: z
    .array(
      z.object({
        sex: z.enum(["女", "男"]).optional().describe("Whose limit this is, when the limits differ by sex"),
        op: ComparatorSchema,
        years: z.number().describe("Age in years").meta({ example: 55 }),
      }),
    )
    .min(1)
    .describe("Age limits"),
});
type PersonAge = z.infer<typeof PersonAgeSchema>;

/** «女性不超过55周岁、男性不超过60周岁», «年龄在45周岁以下»: the age of the person behind the company, per sex when one is named. */
export const personAge: ConditionKind<PersonAge> = {
  type: "personAge",
  schema: PersonAgeSchema,
  read(clause) {
    const limits = clause.quantities
      .filter((q) => q.op && isPersonAge(q))
      .map((q) => {
        const sex = /(女|男)性?[^，,；;、（(]{0,4}$/.exec(clause.text.slice(Math.max(0, q.start - 8), q.start))?.[1] as "女" | "男" | undefined;
        return { ...(sex ? { sex } : {}), op: q.op!, years: q.value };
      });
    return limits.length ? [{ type: "personAge", limits }] : [];
  },
  judge(check, text, company) {
    const limits = check.limits.filter((l) => !l.sex || !company.personSex || l.sex === company.personSex);
    const rule = check.limits.map((l) => `${l.sex ? `${l.sex}性` : ""}${OP_WORDS[l.op]}${l.years}周岁`).join("、");
    if (company.personAge === undefined) return { status: "unknown", reason: `政策要求${quote(text)}`, question: ask(company.personAge) };
    const passes = limits.map((l) => compare(company.personAge!, l.op, l.years));
    const who = `${company.personSex ? `${company.personSex}，` : ""}${company.personAge}岁`;
    // Sex unknown: decided only when every limit agrees.
    if (passes.every(Boolean)) return { status: "met", reason: `政策要求${rule}；申请人${who}` };
    if (passes.every((p) => !p)) return { status: "unmet", reason: `政策要求${rule}；申请人${who}，超出` };
    return { status: "unknown", reason: `政策要求${rule}，画像未写明性别`, question: ask(company.personAge) };
  },
  question: (_check, _text, company) => ask(company.personAge),
  // People's ages stay with the rules.
  verify: () => false,
};

const ask = (age: number | undefined) => (age === undefined ? "贵公司法定代表人（申请人）的年龄和性别是？" : "贵公司法定代表人（申请人）的性别是？");
