import { z } from "zod";
import { type ConditionKind, quote, typeOf } from "./kind.js";

export const CreditSchema = z.object({ type: typeOf("credit", "Good credit: not on a list of dishonest or abnormal businesses") });
type Credit = z.infer<typeof CreditSchema>;

const QUESTION = "贵公司是否有失信、严重违法或经营异常记录？";

/** Good credit: «未被列入严重失信主体名单», «无经营异常记录». */
export const credit: ConditionKind<Credit> = {
  type: "credit",
  schema: CreditSchema,
  read: (clause) => (/失信|不良(?:信用|诚信)?记录|信用记录|违法违规|经营异常|黑名单|信用良好|诚信/.test(clause.text) ? [{ type: "credit" }] : []),
  judge(_check, text, company) {
    const clean = company.facts.find(
      (f) => /(?:无|未|没有|不存在)[^，。；]{0,12}(?:失信|违法|不良|经营异常|黑名单|拖欠|欠缴|惩戒)/.test(f.text) || /信用(?:良好|记录良好)/.test(f.text),
    );
    if (clean) return { status: "met", reason: `企业自述：${clean.text}` };
    const bad = company.facts.find((f) => /失信|违法|不良记录|经营异常|黑名单/.test(f.text) && !/(?:无|未|没有|不存在)/.test(f.text));
    if (bad) return { status: "unmet", reason: `企业自述：${bad.text}` };
    return { status: "unknown", reason: `政策要求${quote(text)}`, question: QUESTION };
  },
  question: () => QUESTION,
  verify: (_check, text) => /信用|失信|异常名录|违法/.test(text),
};
