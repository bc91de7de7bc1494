import { z } from "zod";
import { type ConditionKind, typeOf } from "./kind.js";

export const ApplicantSchema = z.object({
  type: typeOf("applicant", "Kinds of applicant excluded"),
  excluded: z
    .array(z.string())
    .describe("Excluded kinds")
    .meta({ example: ["房地产企业", "金融企业"] }),
});
type Applicant = z.infer<typeof ApplicantSchema>;

const QUESTION = "贵公司的主营业务和所属行业是什么？";

/** Kinds of applicant excluded: «房地产企业、金融企业除外», «除…以外的企业». */
export const applicant: ConditionKind<Applicant> = {
  type: "applicant",
  schema: ApplicantSchema,
  read(clause) {
    const c = clause.text;
    const trivialOutside = clause.unbracketed.replace(/符合条件的|申请|申报|企业|单位|用人/g, "").length < 4;
    // An exclusion in brackets qualifies its clause only when the clause itself says little («符合条件的用人单位（…除外）»).
    const excluded =
      /(.{2,30}?)(?:以外|之外)的|除(.{2,30}?)(?:以外|之外|外)|不含(.{2,20})|(.{2,20}?)除外/.exec(trivialOutside ? c : clause.unbracketed) ??
      // «不属于烟草制造业、住宿和餐饮业、批发和零售业、房地产业等不适用行业».
      /^(?:且|并)?(?:申报单位|企业)?不属于(.{4,90}?)等?(?:不适用|限制类?|禁止类?)(?:的)?行业/.exec(clause.unbracketed);
    if (!excluded) return [];
    const list = (excluded[1] ?? excluded[2] ?? excluded[3] ?? excluded[4])
      .split(/[、和及与,，]/)
      .map((s) => s.trim().replace(/^(?:属于|是|为)/, ""))
      .filter((s) => s.length >= 2 && s.length <= 12);
    return list.length && list.some((s) => /企业|平台|机构|行业|业$/.test(s)) ? [{ type: "applicant", excluded: list }] : [];
  },
  judge(check, _text, company) {
    const said = [...company.industries, ...company.facts.map((f) => f.text)].join("；");
    // «不是房地产企业或政府融资平台»: a kind the company denies being is no hit.
    const hit = check.excluded.find((e) => stems(e).some((s) => affirms(said, s)));
    if (hit) return { status: "unmet", reason: `政策排除${hit}，企业属于此类（${company.industries.join("、") || "见画像"}）` };
    if (!said) return { status: "unknown", reason: `政策排除${check.excluded.join("、")}`, question: QUESTION };
    return { status: "met", reason: `企业不属于${check.excluded.join("、")}` };
  },
  question: () => QUESTION,
  // Applicant kinds stay with the rules.
  verify: () => false,
};

/** Whether the text names the kind other than to deny it («非金融企业», «不属于房地产企业», «不是A或B»). */
function affirms(text: string, kind: string): boolean {
  for (let at = text.indexOf(kind); at >= 0; at = text.indexOf(kind, at + 1)) {
    const clause = text
      .slice(0, at)
      .split(/[，,；;。]/)
      .pop()!;
    if (!/(?:非|不是|不属于|并非|未从事|不从事)/.test(clause)) return true;
  }
  return false;
}

function stems(name: string): string[] {
  const core = name.replace(/(?:企业|公司|行业|机构)$/, "").replace(/(?<=..)业$/, "");
  return [...new Set([name, core].filter((s) => s.length >= 2))];
}
