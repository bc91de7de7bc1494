import { z } from "zod";
import type { Company, CompanyFact } from "../company.js";
import { compare, findQuantities, parseNumber } from "../quantity.js";
import { APPLICANT_KINDS } from "../vocabulary.js";
import { overlap, quote, round, typeOf, type CheckResult, type ConditionKind } from "./kind.js";

export const TextSchema = z.object({ type: typeOf("text", "Not structured: judged against the company's facts by the policy's words") });
type Text = z.infer<typeof TextSchema>;

const ask = (text: string) => `贵公司是否符合：${text}？`;

/**
 * What no other kind reads: decided only by what the company says, by the
 * policy's words. Read last: a clause with no other check, or one a weak
 * check only touches.
 */
export const text: ConditionKind<Text> = {
  type: "text",
  schema: TextSchema,
  read(clause, _ctx, before) {
    const c = clause.text;
    // A long clause that a weak check only touches («初创企业招用员工（…除外）») also needs the company's word on the rest.
    const weakOnly = before.length > 0 && before.filter((x) => x.type === "applicant" || x.type === "legalEntity").length === before.length;
    if (weakOnly && clause.unbracketed.replace(/具有|具备|独立法人资格|法人|企业|的/g, "").length >= 8) return [{ type: "text" }];
    if (before.length > 0) return [];
    // A bare applicant-kind phrase is not a condition to check on its own: 「以及高等学校、科研机构等创新主体」.
    if (/^以及/.test(c) && Object.values(APPLICANT_KINDS).some((re) => re.test(c))) return [];
    return c.length >= 6 ? [{ type: "text" }] : [];
  },
  judge(_check, text, company) {
    // Brackets qualify («（不含法定代表人）»); the words outside them say what is asked.
    const core = text.replace(/[（(][^）)]*[）)]/g, "");
    let best: { fact: CompanyFact; score: number } | undefined;
    for (const f of company.facts) {
      const score = Math.max(overlap(text, f.text), core.length >= 8 ? overlap(core, f.text) : 0);
      if (!best || score > best.score) best = { fact: f, score };
    }
    if (best && best.score >= 0.5) {
      const criterionNegated = /不得|不属于|未被|未(?:获得|享受|领取|列入|发生|受到)|无|非/.test(text);
      const contradicts =
        (best.fact.negated && !criterionNegated && /尚未|未|没有|不是|不属于/.test(best.fact.text)) ||
        // «未获得其他市级财政资金支持» against «已获得市级财政资金支持».
        (criterionNegated && !best.fact.negated && /已|获得|取得|享受|领取|列入/.test(best.fact.text));
      if (contradicts) return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${best.fact.text}` };
      const span = durationShortfall(core, best.fact);
      if (span === "short") return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${best.fact.text}，时长或数量不足` };
      if (span === "unstated") return { status: "unknown", reason: `政策要求${quote(text)}；企业自述未写明时长或数量：${best.fact.text}`, question: ask(text) };
      return { status: "met", reason: `企业自述：${best.fact.text}` };
    }
    const graduate = graduateWithin(text, company);
    if (graduate) return graduate;
    return { status: "unknown", reason: `政策要求${quote(text)}，画像中没有相关信息`, question: ask(text) };
  },
  question: (_check, text) => ask(text),
  // A model's proposal is a structured check; one that is free text again adds nothing.
  verify: () => false,
};

/**
 * «连续3个月…缴纳社会保险费» against «已连续5个月…缴纳»: a fact that speaks to a
 * condition with a minimum span or count must also meet the number.
 */
function durationShortfall(core: string, fact: CompanyFact): "short" | "unstated" | null {
  for (const need of findQuantities(core)) {
    if (need.dimension !== "months" && need.dimension !== "years" && need.dimension !== "count") continue;
    const op = need.op ?? (/(?:连续|满|累计|至少)\s*$/.test(core.slice(0, need.start)) ? ">=" : undefined);
    if (!op) continue;
    const said = fact.quantities.find((x) => x.dimension === need.dimension && (need.dimension !== "count" || x.unit === need.unit));
    if (!said) return "unstated";
    if (!compare(said.value, op, need.value)) return "short";
  }
  return null;
}

/** «高校毕业生（毕业5年内）» against «2022届普通高校本科毕业生»: years since graduation, as of the case's day. */
function graduateWithin(text: string, company: Company): CheckResult | null {
  const within = /毕业\s*(\d+|[一二三四五])\s*年内/.exec(text);
  if (!within || !/学校|院校|高校|大学|毕业生/.test(text) || company.graduatedYearsAgo === undefined) return null;
  const limit = parseNumber(within[1]) ?? 0;
  const ok = company.graduatedYearsAgo <= limit;
  return {
    status: ok ? "met" : "unmet",
    reason: `政策要求${quote(text)}；申请人约${round(company.graduatedYearsAgo)}年前毕业，${ok ? "在" : "超出"}${limit}年内`,
  };
}
