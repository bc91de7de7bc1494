import { z } from "zod";
import { type ConditionKind, quote, typeOf } from "./kind.js";
import { fundedBy } from "./text.js";

export const UnfundedSchema = z.object({
  type: typeOf("unfunded", "Not already funded: the project or company has not had (other) public money for the same purpose"),
});
type Unfunded = z.infer<typeof UnfundedSchema>;

/** «未获得其他市级财政资金支持», «研制过程中未获得财政资金支持», «未享受过同类补助». */
const NOT_FUNDED =
  /(?:未|没有|尚未)(?:曾)?(?:获得|享受|获|领取|取得|申请)过?[^，。；]{0,14}?(?:财政(?:性)?资金|专项资金|资金支持|财政支持|财政补助|补助|资助|扶持资金)/;
/** A fact that says no public money went to it. */
const SAYS_UNFUNDED =
  /(?:未|没有|尚未|从未|不曾|没)(?:曾)?(?:获得|享受|拿到|获批|获|领取|取得|申请)过?[^，。；]{0,16}?(?:财政|资金|补助|资助|补贴|扶持)|(?:无|没有)(?:其他)?(?:财政|政府)(?:资金|补助|资助)/;

const QUESTION = "申报的项目（或企业）此前是否已获得过其他财政资金支持？";

/**
 * Public money not yet had for the same purpose. A company that says it got
 * some fails; one that says it got none meets it; silence leaves it open.
 */
export const unfunded: ConditionKind<Unfunded> = {
  type: "unfunded",
  schema: UnfundedSchema,
  read: (clause) => (NOT_FUNDED.test(clause.text) ? [{ type: "unfunded" }] : []),
  judge(_check, text, company) {
    const funded = fundedBy(text, company.facts);
    if (funded) return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${funded.text}` };
    const none = company.facts.find((f) => SAYS_UNFUNDED.test(f.text));
    if (none) return { status: "met", reason: `企业自述：${none.text}` };
    return { status: "unknown", reason: `政策要求${quote(text)}`, question: QUESTION };
  },
  question: () => QUESTION,
  verify: (_check, text) => NOT_FUNDED.test(text),
};
