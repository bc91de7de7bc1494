import { z } from "zod";
import { findFields } from "../vocabulary.js";
import { type ConditionKind, quote, typeOf } from "./kind.js";

export const IndustrySchema = z.object({
  type: typeOf("industry", "The company's field"),
  fields: z
    .array(z.string())
    .describe("Fields admitted")
    .meta({ example: ["医药健康", "集成电路"] }),
});
type Industry = z.infer<typeof IndustrySchema>;

const QUESTION = "贵公司属于哪个行业或技术领域？";

/** The company's field: «集成电路、人工智能等领域», «文化及相关产业». */
export const industry: ConditionKind<Industry> = {
  type: "industry",
  schema: IndustrySchema,
  read(clause, _ctx, before) {
    const c = clause.text;
    // «不属于批发和零售业等不适用行业» excludes fields (the applicant kind reads it); it admits none.
    if (/不属于/.test(c) && before.some((x) => x.type === "applicant")) return [];
    if (!/(?:产业|行业|技术)?领域|产业方向|行业分类|属于.{0,12}(?:产业|行业)|从事.{0,10}(?:业|产业|行业)|文化企业|文化及相关产业/.test(c)) return [];
    const fields = findFields(c);
    if (/文化/.test(c)) fields.push("文化产业");
    return fields.length ? [{ type: "industry", fields: [...new Set(fields)] }] : [];
  },
  judge(check, text, company) {
    const overlap = company.fields.filter((f) => check.fields.includes(f));
    if (overlap.length) return { status: "met", reason: `企业所属领域（${company.industries.join("、") || overlap.join("、")}）属于${overlap.join("、")}` };
    if (company.industries.length && company.fields.length) {
      return { status: "unmet", reason: `政策要求${quote(text)}，企业所属领域为${company.industries.join("、")}` };
    }
    return { status: "unknown", reason: `政策要求${quote(text)}`, question: QUESTION };
  },
  question: () => QUESTION,
  verify(check, text) {
    const fields = findFields(text);
    return check.fields.length > 0 && check.fields.every((f) => fields.includes(f));
  },
};
