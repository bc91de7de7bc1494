import { z } from "zod";
import type { CompanyFact } from "../company.js";
import { type ConditionKind, quote, typeOf } from "./kind.js";

const SUBJECTS = ["accident", "violation", "arrears", "patent"] as const;
type Subject = (typeof SUBJECTS)[number];

export const RecordSchema = z.object({
  type: typeOf("record", "A clean record: no major accident, violation or penalty, arrears of wages, or abnormal patent filing"),
  about: z
    .array(z.enum(SUBJECTS))
    .min(1)
    .describe("What must not have happened: accident (安全、质量、环境事故), violation (违法违规、受到处罚), arrears (拖欠工资、社保), patent (非正常专利申请)")
    .meta({ example: ["accident"] }),
});
type RecordCheck = z.infer<typeof RecordSchema>;

const NO = String.raw`(?:未|无|没有|没|不存在|从未|未曾|不得有)`;
/** How a policy names each thing a clean record excludes, after its «未», «无». */
const WHAT: Record<Subject, string> = {
  accident: String.raw`(?:发生)?[^，。；]{0,24}?(?:事故|安全事件|网络安全[^，。；]{0,4}事件|重大事件)`,
  violation: String.raw`[^，。；]{0,24}?(?:违法行为|违规行为|违法记录|违规记录|违法违规|因[^，。；]{0,16}?(?:受到|被)[^，。；]{0,6}?(?:处理|处罚|查处))`,
  arrears: String.raw`[^，。；]{0,10}?(?:拖欠|欠缴|欠薪)`,
  patent: String.raw`[^，。；]{0,6}?非正常专利申请`,
};
const POLICY_SAYS = Object.fromEntries(SUBJECTS.map((s) => [s, new RegExp(NO + WHAT[s])])) as Record<Subject, RegExp>;
/** The same things as a company says it has them («去年发生过一起安全事故», «因…受到行政处罚»). */
const HAPPENED: Record<Subject, RegExp> = {
  accident: /(?:发生|出)(?:过|了)[^，。；]{0,12}?事故|事件/,
  violation: /(?:受到|被)[^，。；]{0,8}?(?:行政)?(?:处罚|处理|查处)|违法行为|违规行为/,
  arrears: /拖欠|欠缴|欠薪/,
  patent: /非正常专利申请/,
};

const QUESTION = "贵公司近三年是否发生过重大安全、质量、环境事故，或有违法违规受处罚、拖欠工资社保等情形？";

/**
 * «未发生重大安全、质量、环境事故», «无重大安全生产、质量和生态环境违法行为», «未因财政科技资金使用违规受到处理»,
 * «申请年度未拖欠职工工资», «近两年内无非正常专利申请行为»: the record the applicant undertakes to have.
 * A company that says it has such a record meets it; one that says the thing happened fails; silence asks,
 * once for all of them.
 */
export const record: ConditionKind<RecordCheck> = {
  type: "record",
  schema: RecordSchema,
  read(clause, _ctx, before) {
    if (before.some((c) => c.type === "unfunded")) return [];
    // «无拖欠职工工资、欠缴社会保险费等严重违法违规信用记录»: kinds of a credit record, which credit reads.
    if (before.some((c) => c.type === "credit") && /(?:信用|诚信|不良)记录/.test(clause.text)) return [];
    const about = SUBJECTS.filter((s) => POLICY_SAYS[s].test(clause.text));
    return about.length ? [{ type: "record", about }] : [];
  },
  judge(check, text, company) {
    const said = check.about.map((s) => ({ s, clean: cleanOn(s, company.facts), happened: happenedOn(s, company.facts) }));
    const bad = said.find((x) => x.happened);
    if (bad) return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${bad.happened!.text}` };
    if (said.every((x) => x.clean)) return { status: "met", reason: `企业自述：${[...new Set(said.map((x) => x.clean!.text))].join("；")}` };
    return { status: "unknown", reason: `政策要求${quote(text)}`, question: QUESTION };
  },
  question: () => QUESTION,
  verify: (check, text) => check.about.every((s) => POLICY_SAYS[s].test(text)),
};

const cleanOn = (s: Subject, facts: CompanyFact[]) => facts.find((f) => POLICY_SAYS[s].test(f.text));
const happenedOn = (s: Subject, facts: CompanyFact[]) =>
  facts.find((f) => HAPPENED[s].test(f.text) && !POLICY_SAYS[s].test(f.text) && !/(?:未|无|没有|没|不存在|从未|未曾)/.test(f.text));
