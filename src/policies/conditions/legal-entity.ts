import { z } from "zod";
import { type ConditionKind, quote, typeOf } from "./kind.js";

export const LegalEntitySchema = z.object({ type: typeOf("legalEntity", "An independent legal person (独立法人资格)") });
type LegalEntity = z.infer<typeof LegalEntitySchema>;

/** An independent legal person: «具有独立法人资格», «独立核算». A company is taken as one unless it says otherwise. */
export const legalEntity: ConditionKind<LegalEntity> = {
  type: "legalEntity",
  schema: LegalEntitySchema,
  read: (clause) => (/独立法人|法人企业|企业法人|法人资格|独立核算/.test(clause.text) && !/不具备|非法人/.test(clause.text) ? [{ type: "legalEntity" }] : []),
  judge(_check, text, company) {
    const against = company.facts.find((f) => /未设(?:立)?独立法人|不具备法人|分公司|个体(?:工商)?户|非法人/.test(f.text));
    if (against) return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${against.text}` };
    return { status: "met", reason: "企业为独立法人（公司制企业）" };
  },
  verify: (_check, text) => /法人/.test(text),
};
