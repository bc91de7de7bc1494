import { z } from "zod";
import type { Company } from "../company.js";
import { canonicalQualification, findQualifications } from "../vocabulary.js";
import { type CheckResult, type ConditionKind, quote, typeOf } from "./kind.js";

export const QualificationSchema = z.object({
  type: typeOf("qualification", "A qualification the company must (or must not) hold"),
  anyOf: z
    .array(z.string())
    .describe("Any one of these qualifies")
    .meta({ example: ["高新技术企业", "科技型中小企业"] }),
  absent: z.boolean().optional().describe("The company must NOT hold it (「尚未认定为高新技术企业」「非上市企业」)"),
});
type Qualification = z.infer<typeof QualificationSchema>;

const LACKS_BEFORE = /(?:(?<!除)非|尚未|未|没有|不是|不属于)(?:被|曾|经)?(?:认定为|认定|评为|评定为|获得|取得|列入|纳入|成为|是|属于)?$/;

/** «贵公司是否已获得国家高新技术企业认定？»; a listing is no 认定: «贵公司是否已上市？». */
const ask = (names: string[]) => {
  const titles = names.filter((n) => n !== "上市公司");
  const listed = titles.length < names.length;
  if (!titles.length) return "贵公司是否已上市？";
  return `贵公司是否已获得${titles.join("或")}认定${listed ? "，或已上市" : ""}？`;
};

/** A qualification the company must hold («国家高新技术企业»), or must not («尚未认定为高新技术企业», «非上市企业»). */
export const qualification: ConditionKind<Qualification> = {
  type: "qualification",
  schema: QualificationSchema,
  read(clause) {
    const c = clause.text;
    const quals = findQualifications(c).filter((q) => q.name !== "首台套产品");
    if (quals.length && !/(?:以外|除外|不含)/.test(c)) {
      const absent = quals.every((q) => LACKS_BEFORE.test(c.slice(Math.max(0, q.index - 8), q.index)));
      return [{ type: "qualification", anyOf: quals.map((q) => q.name), ...(absent ? { absent } : {}) }];
    }
    if (/(?:非|未)上市(?:公司|企业|的|文化)/.test(c)) return [{ type: "qualification", anyOf: ["上市公司"], absent: true }];
    return [];
  },
  judge(check, text, company) {
    const have = check.anyOf.find((name) => company.qualifications.includes(name));
    if (check.absent) return judgeAbsent(check.anyOf, have, text, company);
    if (have) return { status: "met", reason: `企业具有${have}资质` };
    const lacking = check.anyOf.filter((name) => company.lacks.includes(name));
    if (lacking.length === check.anyOf.length) return { status: "unmet", reason: `政策要求${check.anyOf.join("或")}，企业自述尚不具备` };
    if (check.anyOf.includes("上市公司") && company.listed === false) return { status: "unmet", reason: `政策要求${quote(text)}，企业未上市` };
    if (company.qualificationsStated) {
      return { status: "unmet", reason: `政策要求${check.anyOf.join("或")}，企业所列资质（${company.qualifications.join("、") || "无"}）不含` };
    }
    return { status: "unknown", reason: `政策要求${check.anyOf.join("或")}`, question: ask(check.anyOf) };
  },
  question: (check) => ask(check.anyOf),
  verify(check, text) {
    const named = findQualifications(text).map((q) => q.name);
    return check.anyOf.length > 0 && check.anyOf.every((n) => named.includes(canonicalQualification(n)));
  },
};

/** A requirement not to hold a qualification («尚未认定为高新技术企业», «非上市企业»). */
function judgeAbsent(names: string[], have: string | undefined, text: string, company: Company): CheckResult {
  if (have) return { status: "unmet", reason: `政策要求${quote(text)}，企业已具有${have}` };
  if (names.includes("上市公司") && company.listed === false) return { status: "met", reason: "企业未上市" };
  const said = names.find((name) => company.lacks.includes(name));
  if (said) return { status: "met", reason: `企业自述尚不是${said}` };
  // A list of 资质 says nothing about a listing, which has its own field.
  if (company.qualificationsStated && !names.includes("上市公司"))
    return { status: "met", reason: `企业所列资质（${company.qualifications.join("、") || "无"}）不含${names.join("、")}` };
  return { status: "unknown", reason: `政策要求${quote(text)}`, question: ask(names) };
}
