import { z } from "zod";
import type { Company } from "../company.js";
import { type ConditionKind, quote, typeOf } from "./kind.js";

export const ApplicantKindSchema = z.object({
  type: typeOf("applicantKind", "Who may apply: an enterprise, or a natural person"),
  kind: z
    .enum(["企业", "单位", "个人"])
    .describe("企业: only enterprises (not 事业单位, 社会组织, persons); 单位: any organisation, not a natural person; 个人: only natural persons"),
});
type ApplicantKind = z.infer<typeof ApplicantKindSchema>;

// «申报单位应是在北京地区注册且具有独立法人资格的企业», «申报主体须为企业».
const ENTERPRISE = /(?:申报|申请)(?:单位|主体)(?:应|须|必须|应当)?(?:是|为)[^，。；]*企业$/;
// «本项目的项目申报主体为个人», «申请人须为个人».
const PERSON = /(?:申报|申请)(?:主体|人)(?:应|须|必须|应当)?(?:是|为)(?:个人|自然人)$/;

// «注册或登记地在本市的单位»: an organisation registered somewhere, whatever its kind.
const ORGANISATION = /(?:注册|登记)[^，。；]*的(?:企事业)?单位$/;
// «以个人名义申请», «没有成立公司»: the applicant is a natural person.
const A_PERSON = /以个人名义|个人身份|(?:没有|未|尚未)(?:成立|注册|设立)(?:公司|企业)|自然人/;

/** What the company says it is, when it is no enterprise: a profile is an enterprise's unless a fact says otherwise. */
function kindOf(company: Company): { kind: string; fact?: string } {
  const person = company.facts.find((f) => A_PERSON.test(f.text));
  if (person) return { kind: "个人", fact: person.text };
  for (const f of company.facts) {
    if (f.negated && /不是|非/.test(f.text)) continue;
    const m = /事业单位|社会团体|社会组织|民办非企业|基金会|机关法人|行业协会|学会/.exec(f.text);
    if (m) return { kind: m[0], fact: f.text };
  }
  return { kind: "企业" };
}

/** Who may apply at all: «申报单位应是…的企业» rules out a 事业单位; «申报主体为个人» rules out a company. */
export const applicantKind: ConditionKind<ApplicantKind> = {
  type: "applicantKind",
  schema: ApplicantKindSchema,
  read(clause) {
    const c = clause.unbracketed.replace(/[。；;]$/, "");
    if (PERSON.test(c)) return [{ type: "applicantKind", kind: "个人" }];
    if (ENTERPRISE.test(c)) return [{ type: "applicantKind", kind: "企业" }];
    if (ORGANISATION.test(c)) return [{ type: "applicantKind", kind: "单位" }];
    return [];
  },
  judge(check, text, company) {
    const own = kindOf(company);
    if (check.kind === own.kind || (check.kind === "单位" && own.kind !== "个人"))
      return { status: "met", reason: `政策要求${quote(text)}；申请方为${own.kind}` };
    return { status: "unmet", reason: `政策要求${quote(text)}；申请方为${own.kind}${own.fact ? `（${own.fact}）` : ""}，不是${check.kind}` };
  },
  verify: (check, text) => text.includes(check.kind),
};
