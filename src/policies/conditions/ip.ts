import { z } from "zod";
import { type ConditionKind, quote, typeOf } from "./kind.js";

export const IpSchema = z.object({ type: typeOf("ip", "Owns intellectual property (核心技术或自主知识产权)") });
type Ip = z.infer<typeof IpSchema>;

const QUESTION = "贵公司拥有多少件发明专利或其他知识产权？";

/** Owns intellectual property: «拥有核心技术或自主知识产权». A count of patents, when stated, is a threshold instead. */
export const ip: ConditionKind<Ip> = {
  type: "ip",
  schema: IpSchema,
  read(clause, _ctx, before) {
    if (!/核心技术|自主知识产权|拥有.{0,6}(?:专利|知识产权)/.test(clause.text)) return [];
    const counted = before.some((x) => x.type === "threshold" && (x.metric === "ipCount" || x.metric === "inventionPatents"));
    return counted ? [] : [{ type: "ip" }];
  },
  judge(_check, text, company) {
    if ((company.inventionPatents ?? 0) > 0 || (company.ipCount ?? 0) > 0) {
      return { status: "met", reason: `企业拥有${company.inventionPatents ? `发明专利${company.inventionPatents}件` : `知识产权${company.ipCount}件`}` };
    }
    const fact = company.facts.find((f) => /专利|知识产权|核心技术|软件著作权/.test(f.text) && !/未|没有|无/.test(f.text));
    if (fact) return { status: "met", reason: `企业自述：${fact.text}` };
    if (company.inventionPatents === 0 && (company.ipCount ?? 0) === 0) return { status: "unmet", reason: "企业没有专利或其他知识产权" };
    return { status: "unknown", reason: `政策要求${quote(text)}`, question: QUESTION };
  },
  question: () => QUESTION,
  verify: (_check, text) => /知识产权|专利|软件著作权/.test(text),
};
