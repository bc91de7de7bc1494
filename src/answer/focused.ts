/**
 * A follow-up about policies already on the table («什么时候截止？», «哪个钱最多？»)
 * is answered about those policies: the sentences of their own text that
 * answer that kind of question, each cited, rather than the whole card again.
 */
import type { StoredChunk } from "../db/policy-store.js";
import { findQuantities } from "../policies/quantity.js";
import type { Intent } from "../understand/intent.js";
import { eligibilityLine, type PolicyCard } from "./extractive.js";

/** Words that steer the search inside the focused policies to the passages that answer the intent. */
export const INTENT_QUERY: Partial<Record<Intent, string>> = {
  amount: "支持标准 给予 最高 万元 奖励 补贴 资助",
  compare: "支持标准 给予 最高 万元 奖励 补贴 资助",
  deadline: "申报时间 截止 受理时间 申报期限",
  materials: "申报材料 提交 提供 材料清单",
  conditions: "申报条件 申报对象 要求",
  process: "申报程序 申报流程 申报方式 受理 审核",
  contact: "联系方式 联系电话 咨询 联系人",
  stackable: "同时享受 叠加 重复 不重复 就高",
  eligibility: "申报条件 申报对象",
};

type Detail = { heading: RegExp; sentence: RegExp };

/** Where each kind of answer sits in a policy: the section heading, and the words of the sentence itself. */
const DETAIL: Partial<Record<Intent, Detail>> = {
  // A bare date is usually the day the text was signed; a deadline says 截止, 前 or gives a range.
  deadline: {
    heading: /时间|期限|截止|安排|进度/,
    sentence: /截止|申报时间|受理时间|申报期|即日起|常年受理|至\s*\d{4}\s*年\s*\d{1,2}\s*月|至\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:前|之前|以前)/,
  },
  materials: { heading: /材料|申报要求|提交/, sentence: /材料|提交|提供|复印件|证明|申请表|申报书|承诺书|营业执照/ },
  process: { heading: /流程|程序|方式|办理|步骤|组织实施/, sentence: /登录|系统|网上|线上|提交|审核|受理|推荐|评审|公示|拨付/ },
  contact: { heading: /联系|咨询/, sentence: /联系电话|联系人|咨询电话|电话|邮箱|\d{3,4}-\d{7,8}|\d{8}/ },
  stackable: { heading: /./, sentence: /叠加|同时享受|重复(?:享受|支持|申报|资助)|就高|兼得|不再(?:享受|给予|支持)|同一(?:项目|企业|事项)/ },
};

const sentencesOf = (text: string) =>
  text
    .split(/(?<=[。；！？])|\n/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 6);

/** «第十条 申报时间。»: a heading standing as a sentence says nothing. */
const isHeadingOnly = (s: string) => s.replace(/^第[一二三四五六七八九十百\d]+条\s*/, "").replace(/^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*/, "").replace(/[。：:；\s]/g, "").length < 8;

/** The sentences of a policy that answer this intent, best first: at most `max`. */
export function detailSentences(chunks: StoredChunk[], intent: Intent, retrieved: Set<string>, max = 2): Array<{ chunk: StoredChunk; sentence: string }> {
  const detail = DETAIL[intent];
  if (!detail) return [];
  const scored = chunks.flatMap((chunk) => {
    const heading = chunk.heading?.split(" > ").pop() ?? "";
    const inSection = detail.heading.test(heading);
    return sentencesOf(chunk.text).flatMap((sentence, i) => {
      if (!detail.sentence.test(sentence) || isHeadingOnly(sentence)) return [];
      // When a text took effect or lapses is not when to apply.
      if (intent === "deadline" && /施行|有效期|印发之日/.test(sentence) && !/申报|受理|申请/.test(sentence)) return [];
      return [{ chunk, sentence, score: (inSection ? 2 : 0) + (retrieved.has(chunk.id) ? 1 : 0) + 1 - i * 0.01 }];
    });
  });
  scored.sort((a, b) => b.score - a.score);
  const out: Array<{ chunk: StoredChunk; sentence: string }> = [];
  for (const s of scored) if (out.length < max && !out.some((o) => o.sentence === s.sentence)) out.push(s);
  return out;
}

/** A figure the applicant must reach (研发费用不低于1000万元), not a sum on offer. */
const THRESHOLD_SUBJECT = /(?:费用|收入|营收|投入|资产|规模|销售额|产值|融资|投资)[^，,；;。]{0,6}$/;

/** The largest sum of money a card's support line offers, in 万元 (0 when it names none). */
export function largestAmount(card: PolicyCard): number {
  const text = card.support ?? "";
  const offered = findQuantities(text).filter(
    (q) => q.dimension === "money" && (!q.currency || q.currency === "CNY") && q.op !== ">=" && q.op !== ">" && !THRESHOLD_SUBJECT.test(text.slice(Math.max(0, q.start - 12), q.start)),
  );
  return Math.max(0, ...offered.map((q) => q.value));
}

const NOT_STATED: Partial<Record<Intent, string>> = {
  deadline: "政策原文未写明本期申报时间，通常以当年申报通知为准",
  materials: "政策原文未列出申报材料清单，以申报通知或申报系统要求为准",
  process: "政策原文未写明申报流程",
  contact: "政策原文未留联系方式，可向发文部门咨询",
  stackable: "政策原文未写明能否与其他政策同时享受，建议向主管部门确认",
  amount: "政策原文未写明具体金额",
  conditions: "政策原文未单列申报条件",
};

const fmtWan = (v: number) => (v >= 10000 ? `${+(v / 10000).toFixed(2)}亿元` : `${+v.toFixed(2)}万元`);

/**
 * The answer to a follow-up: the statement asked for comes first, per policy,
 * in the order the user saw them (by amount for «哪个钱最多»).
 */
export function composeFocusedAnswer(cards: PolicyCard[], intent: Intent, details: Map<string, string[]>): string {
  const title = (c: PolicyCard) => `《${c.title}》`;
  const lines: string[] = [];
  if (intent === "compare") {
    const ranked = [...cards].sort((a, b) => largestAmount(b) - largestAmount(a));
    const top = ranked[0];
    if (top && largestAmount(top) > 0) lines.push(`按政策原文，支持金额最高的是${title(top)}，最高 ${fmtWan(largestAmount(top))}。`);
    ranked.forEach((c, i) => lines.push(`${i + 1}. ${title(c)}：${c.support ?? NOT_STATED.amount}`));
  } else {
    const one = cards.length === 1;
    cards.forEach((c, i) => {
      const head = one ? `${title(c)}：` : `${i + 1}. ${title(c)}：`;
      lines.push(head + statementFor(c, intent, details.get(c.id) ?? []));
    });
  }
  lines.push("以上内容摘自政策原文，方括号内为出处编号；最终以主管部门发布的申报通知为准。");
  return lines.join("\n");
}

function statementFor(card: PolicyCard, intent: Intent, details: string[]): string {
  switch (intent) {
    case "amount":
      return card.support ?? (details.join("") || (NOT_STATED.amount as string));
    case "conditions":
      return card.conditions.length ? card.conditions.slice(0, 6).join("；") : (NOT_STATED.conditions as string);
    case "eligibility":
      return card.eligibility ? eligibilityLine(card.eligibility) : card.conditions.slice(0, 4).join("；") || (NOT_STATED.conditions as string);
    case "deadline": {
      const d = card.deadline;
      const dated = d?.applyEnd ? (d.state === "closed" ? `本期申报已于 ${d.applyEnd} 截止（此类项目常按年度开展，可关注下一期）` : `申报截止 ${d.applyEnd}`) : "";
      return [dated, ...details].filter(Boolean).join("；") || (NOT_STATED.deadline as string);
    }
    case "process":
      return details.join("") || card.howToApply || (NOT_STATED.process as string);
    default:
      return details.join("") || NOT_STATED[intent] || card.support || "";
  }
}
