import { BoundedMemo } from "../lib/bounded-memo.js";
import type { Judgement } from "../policies/eligibility.js";
import type { PolicyRecord, StoredChunk } from "../policies/policy.js";
import { type Estimate, estimateLine, type SupportRule } from "../policies/support.js";
import { type ApplicationWindow, readWindow } from "../policies/window.js";
import type { PolicyHit } from "../retrieval/search.js";
import type { Intent } from "../understand/intent.js";

export type Citation = { ref: number; chunkId: string; policyId: string; heading: string | null; quote: string };
export type Deadline = { applyStart: string | null; applyEnd: string | null; state: "open" | "upcoming" | "closed" | "unknown"; text: string | null };
export type PolicyCard = {
  id: string;
  title: string;
  issuer: string | null;
  docNumber: string | null;
  region: string | null;
  level: string;
  status: string;
  score: number;
  support: string | null;
  conditions: string[];
  howToApply: string | null;
  deadline: Deadline | null;
  /** What the policy pays, rule by rule, as data (read at ingest; empty when the text states no sum). */
  supportRules: SupportRule[];
  source: string | null;
  citations: Citation[];
  /** The company's standing against this policy's conditions, when we know something of the company. */
  eligibility?: Judgement;
  /** What a rate-of-a-base rule of the policy comes to for the company, when its figures give the base. */
  estimate?: Estimate;
};
export type ExtractiveAnswer = { answer: string; policies: PolicyCard[] };

const SUPPORT_HEADING = /支持|标准|内容|奖励|资助|补贴|扶持|措施|服务内容|政策/;
const SUPPORT_WORDS = /万元|亿元|给予|补贴|补助|奖励|资助|贴息|最高|不超过|减按|扣除|支持/;
const AMOUNT = /\d[\d,.]*\s*(?:万元|亿元|元|%|％)/;
const CONDITION_HEADING = /条件|对象|要求|资格|申报主体|支持范围|适用范围|认定标准/;
const CONDITION_LEAD = /(须|应当?|需|必须)(同时)?(满足|具备|符合)(以下|下列)?(条件|要求)|申报条件|基本条件|(以下|下列)条件/;
const ITEM_START = /^(\d{1,2}\s*[．.、]|[（(]\d{1,2}[）)]|[（(][一二三四五六七八九十]+[）)]|[①-⑳])/;
const APPLY_HEADING = /流程|方式|程序|材料|办理|申报渠道/;
const TIME_HEADING = /时间|频度|期限|截止/;

const sentences = (text: string): readonly string[] => sentenceMemo.get(text, splitSentences);
const splitSentences = (text: string) =>
  text
    .split(/(?<=[。；！？])|\n/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 4);
/** Every card reads the same chunks the same way: a match builds ten cards per call from the snapshot's texts. */
const sentenceMemo = new BoundedMemo<string, readonly string[]>(20_000);

/**
 * «（二）上年度研发费用不低于1000万元；» under a 支持标准 heading is the bar a tier sets, not what it pays:
 * an amount behind a floor (不低于, 以上), and no word of paying anywhere in the sentence.
 */
const PAYS = /给予|奖励|资助|补贴|补助|贴息|奖补|支持|扣除|减按|拨付|补偿/;
const FLOOR = /(?:不低于|不少于|达到|超过|高于)\s*\d[\d,.]*\s*(?:万元|亿元|元|%|％)|\d[\d,.]*\s*(?:万元|亿元|元|%|％)\s*(?:[（(]含[）)])?\s*(?:及以上|以上)/;
const setsBarOnly = (s: string) => FLOOR.test(s) && !PAYS.test(s);

/** A chunk's sentences, each with its worth as a support line by its own words: an amount, the words of support. */
const supportLines = (text: string): ReadonlyArray<{ s: string; worth: number }> =>
  supportMemo.get(text, (t) => sentences(t).map((s) => ({ s, worth: setsBarOnly(s) ? 0 : (AMOUNT.test(s) ? 2 : 0) + (SUPPORT_WORDS.test(s) ? 1 : 0) })));
const supportMemo = new BoundedMemo<string, ReadonlyArray<{ s: string; worth: number }>>(20_000);

export const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Where a policy's application window stands on a day. */
export function windowState(policy: Pick<PolicyRecord, "applyStart" | "applyEnd">, today: string): Deadline["state"] {
  if (policy.applyEnd && policy.applyEnd < today) return "closed";
  if (policy.applyStart && policy.applyStart > today) return "upcoming";
  return policy.applyEnd ? "open" : "unknown";
}

export function deadlineOf(policy: PolicyRecord, chunks: StoredChunk[], today: string): Deadline | null {
  const timeChunk = chunks.find((c) => c.heading && TIME_HEADING.test(c.heading.split(" > ").pop()!));
  // Without dates, what the text says of its rounds (每年8月左右, 常年受理, 以申报通知为准) is the window;
  // a sentence under a time heading that names no time («…办理具体流程如下») is none.
  // A policy stored before its structure was read has its window read from its chunks, headings kept as the cells' labels.
  const said =
    policy.applyStart || policy.applyEnd
      ? null
      : roundsWords(
          policy.structure?.window ??
            readWindow(
              [...chunks]
                .sort((a, b) => a.position - b.position)
                .map((c) => `【${c.heading?.split(" > ").pop() ?? ""}】\n${c.text}`)
                .join("\n"),
            ),
        );
  const first = timeChunk ? clip(sentences(timeChunk.text)[0] ?? "", 80) : "";
  const text = said ?? (/\d|年|月|季度|常年|随时|通知|即日/.test(first) ? first : null);
  if (!policy.applyStart && !policy.applyEnd && !text) return null;
  return { applyStart: policy.applyStart, applyEnd: policy.applyEnd, state: windowState(policy, today), text };
}

/** A window without dates in words: «通常每年8月受理，以当年申报通知为准». */
function roundsWords(w: ApplicationWindow): string | null {
  if (w.kind === "annual") {
    const months = w.months.length > 1 ? `${w.months[0]}—${w.months[w.months.length - 1]}月` : `${w.months[0]}月`;
    return `通常每年${months}受理，以当年申报通知为准`;
  }
  if (w.kind === "rolling") return "常年受理";
  if (w.kind === "notice") return "以当年申报通知为准";
  return null;
}

/** Pulls support, conditions, how to apply and the deadline out of a policy's own text. */
export function buildCard(policy: PolicyRecord, chunks: StoredChunk[], hit: PolicyHit, today: string, nextRef: () => number): PolicyCard {
  const citations: Citation[] = [];
  const cite = (chunk: StoredChunk, quote: string) => {
    const existing = citations.find((c) => c.chunkId === chunk.id);
    if (existing) return existing.ref;
    const ref = nextRef();
    citations.push({ ref, chunkId: chunk.id, policyId: policy.id, heading: chunk.heading, quote: clip(quote, 160) });
    return ref;
  };
  const lastHeading = (c: StoredChunk) => c.heading?.split(" > ").pop() ?? "";

  // Support: sentences with amounts, preferring the sections that state support and the retrieved chunks.
  const retrieved = new Set(hit.chunks.map((c) => c.id));
  const supportCandidates = chunks.flatMap((c) => {
    const heading = lastHeading(c);
    const bias = (SUPPORT_HEADING.test(heading) ? 1.5 : 0) + (retrieved.has(c.id) ? 0.5 : 0) - (CONDITION_HEADING.test(heading) ? 1 : 0);
    return supportLines(c.text).map(({ s, worth }, i) => ({ chunk: c, s, score: worth + bias - i * 0.01 }));
  });
  supportCandidates.sort((a, b) => b.score - a.score);
  const supportPicks = supportCandidates.filter((c) => c.score >= 2.5).slice(0, 2);
  let support: string | null = null;
  if (supportPicks.length) {
    support = supportPicks.map((p) => `${clip(p.s, 140)}[${cite(p.chunk, p.s)}]`).join("");
  }

  // Conditions: numbered items of the conditions section, or the items after a "须满足以下条件" lead.
  const conditions: string[] = [];
  const addItems = (chunk: StoredChunk, lines: string[]) => {
    for (const line of lines) {
      if (conditions.length >= 8) return;
      const item = clip(line.trim(), 160);
      if (item.length >= 4 && !conditions.some((c) => c.startsWith(item.slice(0, 20)))) conditions.push(`${item}[${cite(chunk, line)}]`);
    }
  };
  for (const c of chunks.filter((c) => CONDITION_HEADING.test(lastHeading(c)))) {
    const lines = c.text.split("\n");
    const items = lines.filter((l) => ITEM_START.test(l.trim()));
    addItems(c, items.length ? items : sentences(c.text).slice(0, 4));
  }
  if (conditions.length === 0) {
    for (const c of chunks) {
      const lines = c.text.split("\n");
      const lead = lines.findIndex((l) => CONDITION_LEAD.test(l));
      if (lead < 0) continue;
      const items = lines.slice(lead + 1).filter((l) => ITEM_START.test(l.trim()));
      addItems(c, items.length ? items : [lines[lead]]);
      if (conditions.length) break;
    }
  }

  const applyChunk = chunks.find((c) => APPLY_HEADING.test(lastHeading(c)));
  const applySentence = applyChunk ? sentences(applyChunk.text)[0] : undefined;
  const howToApply = applyChunk && applySentence ? `${clip(applySentence, 120)}[${cite(applyChunk, applySentence)}]` : null;

  if (citations.length === 0 && hit.chunks[0]) {
    const best = chunks.find((c) => c.id === hit.chunks[0].id);
    if (best) cite(best, best.text);
  }

  return {
    id: policy.id,
    title: policy.title,
    issuer: policy.issuer,
    docNumber: policy.docNumber,
    region: policy.region,
    level: policy.level,
    status: policy.status,
    score: Number(hit.score.toFixed(4)),
    support,
    conditions,
    howToApply,
    deadline: deadlineOf(policy, chunks, today),
    supportRules: policy.structure?.support ?? [],
    source: policy.source,
    citations,
  };
}

export const FOOTER = "以上内容摘自政策原文，方括号内为出处编号；最终以主管部门发布的申报通知为准。";

/** What to say when a policy's text does not state the fact asked for. */
export const NOT_STATED: Partial<Record<Intent, string>> = {
  deadline: "政策原文未写明本期申报时间，通常以当年申报通知为准",
  materials: "政策原文未列出申报材料清单，以申报通知或申报系统要求为准",
  process: "政策原文未写明申报流程",
  contact: "政策原文未留联系方式，可向发文部门咨询",
  stackable: "政策原文未写明能否与其他政策同时享受，建议向主管部门确认",
  amount: "政策原文未写明具体金额",
  conditions: "政策原文未单列申报条件",
};

/** Where the application window stands, in words; empty when nothing is known of it. */
export function windowWords(d: Deadline | null): string {
  if (!d) return "";
  switch (d.state) {
    case "open":
      return `目前可申报，截止 ${d.applyEnd}`;
    case "upcoming":
      return `${d.applyStart} 起受理${d.applyEnd ? `，截止 ${d.applyEnd}` : ""}`;
    case "closed":
      return `已截止（本期于 ${d.applyEnd} 截止），此类项目通常每年开展，可关注下一期`;
    default:
      return d.text ? `申报时间：${tidy(d.text)}` : "";
  }
}

const VERDICT_WORDS = {
  eligible: "按您提供的信息，符合各项申报条件",
  ineligible: "按您提供的信息，不符合申报条件",
  needs_info: "还需补充信息才能判断",
} as const;

/** One line on where the company stands: the verdict, the first unmet condition or the facts still missing. */
export function eligibilityLine(j: Judgement): string {
  const unmet = j.checklist.find((r) => r.status === "unmet" && !r.soft);
  const line =
    j.verdict === "ineligible" && unmet
      ? `${VERDICT_WORDS.ineligible}：${unmet.reason}`
      : j.verdict === "needs_info"
        ? `${VERDICT_WORDS.needs_info}：${j.missing
            .slice(0, 2)
            .map((m) => m.question)
            .join(" ")}`
        : VERDICT_WORDS[j.verdict];
  // The engine's own words for the company's data never reach the user.
  return line.replace(/画像(?:中|里)?/g, "您提供的信息中");
}

const ENUMERATOR =
  /^(?:第[一二三四五六七八九十百\d]+条\s*|[一二三四五六七八九十]{1,3}、\s*|\d{1,2}\s*[．.、]\s*|[（(][一二三四五六七八九十\d]{1,3}[）)]\s*|[①-⑳]\s*)+/;

/** A quoted sentence as a clause of an answer: no leading item number, no trailing stop, no doubled punctuation. */
export function tidy(s: string): string {
  return s
    .replace(ENUMERATOR, "")
    .replace(/\s+/g, (m) => (m.includes("\n") ? "" : " "))
    .replace(/([；。，、：])(?:\s*[；。，、])+/g, "$1")
    .replace(/[；。，、：:\s]+(?=\[\d+\]$)/, "")
    .replace(/[；。，、：:\s]+$/, "")
    .trim();
}

/** Clauses joined into one statement, within a budget of characters (the first always). */
function joinClauses(clauses: string[], budget: number): string {
  const out: string[] = [];
  let used = 0;
  for (const c of clauses.map(tidy).filter((c) => c && !/^\[\d+\]$/.test(c))) {
    if (out.length && used + c.length > budget) break;
    out.push(c);
    used += c.length + 1;
  }
  return out.join("；");
}

/** Card lines («……；[2]») as clauses: each clause keeps its citation. */
const cardClauses = (items: string[]) => items.map((i) => i.replace(/[；。，\s]+(\[\d+\])$/, "$1"));

/** The statement that answers `intent` about one policy, from the sentences picked for it; a fact the text lacks is said to be missing. */
export function statementFor(card: PolicyCard, intent: Intent, details: string[]): string {
  switch (intent) {
    case "find": {
      // What the policy offers, then whether it is still in force.
      const offers = details.filter((d) => !VALIDITY.test(d));
      const validity = details.filter((d) => VALIDITY.test(d)).slice(0, 1);
      const support = joinClauses(offers.length ? offers : card.support ? splitCited(card.support) : [], 160) || quoteOf(card);
      return [support, ...validity.map(tidy)].filter(Boolean).join("。");
    }
    case "amount":
    case "compare":
      return joinClauses(details.length ? details : card.support ? splitCited(card.support) : [], 240) || NOT_STATED.amount!;
    case "conditions":
      return joinClauses(details.length ? details : cardClauses(card.conditions), 240) || NOT_STATED.conditions!;
    case "eligibility": {
      const verdict = card.eligibility ? eligibilityLine(card.eligibility) : "";
      const conditions = joinClauses(details.length ? details : cardClauses(card.conditions), verdict ? 120 : 240);
      return [verdict, conditions ? `${verdict ? "主要条件：" : ""}${conditions}` : ""].filter(Boolean).join("。") || NOT_STATED.conditions!;
    }
    case "deadline": {
      const d = card.deadline;
      const dated = d?.applyEnd || d?.applyStart ? windowWords(d) : "";
      return [dated, joinClauses(details, 200)].filter(Boolean).join("；") || NOT_STATED.deadline!;
    }
    case "process":
    case "materials":
      // What the text lacks, the issuer answers: the next step is to ask it.
      return (
        joinClauses(details.length ? details : intent === "process" && card.howToApply ? [card.howToApply] : [], 220) ||
        `${NOT_STATED[intent]}${card.issuer ? `，可向${card.issuer}咨询` : ""}`
      );
    case "stackable": {
      const { verdict, sentence } = stackingOf(details);
      return verdict === "unstated" ? NOT_STATED.stackable! : `${STACK_WORDS[verdict]}：${tidy(sentence!)}`;
    }
    default:
      return joinClauses(details, 200) || NOT_STATED[intent] || quoteOf(card);
  }
}

/** A policy's own words that forbid combining it: «不重复支持», «就高», «同一项目不得重复申报», «只能选择其中一项». */
const STACK_NO =
  /不(?:得|能|可|予)兼(?:报|得|享)|择一|二选一|选择其一|不重复|不得重复|不予重复|不再重复|重复(?:申报|申请|享受|支持)的?[^。；]{0,6}不予|就高|从高|择优(?:享受|选择|申报|执行)|不可叠加|不得叠加|不能叠加|不叠加|不能同时|不得同时|不可同时|不同时享受|只能(?:申报|申请|享受|选择)(?:其中)?(?:一|1)|不再(?:享受|给予|支持)/;
/** Words that allow it: «可叠加享受», «可同时申报». */
const STACK_YES = /(?<!不)(?:可以?|允许|能够?)(?:叠加|同时享受|同时申报|同时申请|累加|重复享受)|叠加享受|照常兑现/;
const STACK_WORDS = { no: "不能同时享受", yes: "可以同时享受" } as const;
export type Stacking = { verdict: "no" | "yes" | "unstated"; sentence?: string };

/** Whether the quoted sentences let a policy be combined with others: a clause that forbids it decides. */
export function stackingOf(details: string[]): Stacking {
  const no = details.find((d) => STACK_NO.test(d));
  if (no) return { verdict: "no", sentence: no };
  const yes = details.find((d) => STACK_YES.test(d));
  return yes ? { verdict: "yes", sentence: yes } : { verdict: "unstated" };
}

/**
 * Whether these policies can be combined, in one first sentence: the first
 * that forbids it decides for the pair («不能同时享受：《X》规定…[n]»), else
 * one that allows it, else that their texts do not say.
 */
export function stackingLead(cards: PolicyCard[], detailsOf: (c: PolicyCard) => string[], question?: string): string {
  const stated = cards.map((c) => ({ c, ...stackingOf(detailsOf(c)) }));
  // A clause allowing combination with something the question does not name is said as what it is, not as a yes.
  const aside = stated.find((r) => r.verdict === "yes" && question && !allowsWhatIsAsked(r.sentence!, question, r.c.title));
  const read = stated.map((r) => (r === aside ? { c: r.c, verdict: "unstated" as const } : r));
  const decided = read.find((r) => r.verdict === "no") ?? read.find((r) => r.verdict === "yes");
  const pair = cards.length === 2 ? "这两项政策" : "";
  if (!decided) {
    const named = cards.map((c) => `《${c.title}》`).join("、");
    if (aside) return `原文未写明能否与所问政策同时享受（《${aside.c.title}》只写明：${tidy(aside.sentence!)}），建议向主管部门确认。`;
    return `原文未写明${pair ? `${pair}能否同时享受` : "能否与其他政策同时享受"}（在${named}中未找到相关条款），建议向主管部门确认。`;
  }
  const words = decided.verdict === "no" ? `${pair}${STACK_WORDS.no}` : `可以${pair ? `，${pair}可同时享受` : "同时享受"}`;
  return `${words}：《${decided.c.title}》规定${tidy(decided.sentence!)}。`;
}

/** Words any question about combining uses, and any clause allowing it. */
const COMBINING_WORDS = /可以|能否|能不能|同时|申报|申请|享受|叠加|重复|企业|政策|奖励|补贴|资金|支持/g;

/**
 * «高企认定奖励和研发投入奖励可以同时拿吗» is not answered «可以» by «已获得省级研发投入补助的企业可以同时申报»:
 * a clause that allows combining must speak generally (其他, 各级, 同类) or name what the question names beside the policy itself.
 */
function allowsWhatIsAsked(sentence: string, question: string, title: string): boolean {
  if (/其他|其它|各级|各类|同类|相关政策|上级/.test(sentence)) return true;
  const own = new Set([...title.matchAll(/(?=(\p{Script=Han}{2}))/gu)].map((m) => m[1]));
  const clause = sentence.replace(COMBINING_WORDS, "、");
  const asked = [...question.replace(COMBINING_WORDS, "、").matchAll(/(?=(\p{Script=Han}{2}))/gu)].map((m) => m[1]).filter((g) => !own.has(g));
  return asked.some((g) => clause.includes(g));
}

/** When a text is in force: «自2023年9月8日起施行，有效期3年», «2025 年失效» — not «在有效期内的高新技术企业». */
export const VALIDITY =
  /有效期(?:为|至|自|到|\d|[一二两三四五]年)|失效|废止|(?:起|之日)(?:施行|实施|执行|试行)|(?:^|，)从\s*\d{4}\s*年[^。；]*起|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?起(?:[，。；[]|$)/;

/** A card's support line («…。[1]…。[2]») as its cited sentences. */
const splitCited = (text: string) => text.split(/(?<=\])/).filter((s) => s.trim());
const quoteOf = (c: PolicyCard) => (c.citations[0] ? `${clip(tidy(c.citations[0].quote), 120)}[${c.citations[0].ref}]` : "");

/** A sum or a rate: what a statement of support names. */
export const SUM_OR_RATE = /\d[\d,.]*\s*(?:万元|亿元|元|%|％|个百分点)/;

/** The clause of a statement that names its sum, with the statement's citation: «最高不超过 3000 万元[4]». */
export function amountClause(card: PolicyCard, details: string[]): string {
  const sentences = details.length ? details : card.support ? splitCited(card.support) : [];
  for (const s of sentences) {
    const ref = s.match(/\[\d+\]\s*$/)?.[0] ?? "";
    const clause = tidy(s.replace(/\[\d+\]\s*$/, ""))
      .split(/[，,；]/)
      .find((c) => SUM_OR_RATE.test(c) && !/不低于|以上(?!.*给予)/.test(c));
    if (clause) return `${clip(tidy(clause), 50)}${ref}`;
  }
  return "";
}

const LEAD: Partial<Record<Intent, string>> = {
  amount: "的支持标准",
  deadline: "的申报时间",
  materials: "的申报材料",
  conditions: "的申报条件",
  process: "的申报流程",
  contact: "的联系方式",
};

export type AnswerContext = {
  /** What the turn asks for (find when absent). */
  intent?: Intent;
  /** Per policy, the cited sentences that answer the intent. */
  details?: Map<string, string[]>;
  /** The question as asked. */
  question?: string;
  /** Nothing answers because the question asks about a place the library holds no policy of. */
  uncoveredPlace?: string[];
};

/**
 * The answer to a question: first what was asked, stated from the best
 * policy's own text with its citations (how much, by when, what it takes),
 * then one short line per further policy: its sum and its window.
 */
export function composeAnswer(cards: PolicyCard[], context: AnswerContext = {}): string {
  if (cards.length === 0 && context.uncoveredPlace?.length) {
    const place = context.uncoveredPlace.at(-1)!;
    return `政策库中暂未收录${place}的政策，无法说明当地的支持标准和申报要求，建议向${place}的科技或产业主管部门咨询。国家层面的政策可以直接问我，例如「科技型中小企业有哪些税收优惠？」`;
  }
  if (cards.length === 0) {
    return "未在政策库中找到与您的问题直接相关的政策。您可以换一种说法，或补充企业所在地区、行业和想了解的支持方向（如研发补贴、人才、融资），我们再为您查找。";
  }
  const intent = context.intent ?? "find";
  const detailsOf = (c: PolicyCard) => context.details?.get(c.id) ?? [];
  const [top, ...rest] = cards;
  const lines: string[] = [];
  const window = intent === "deadline" ? "" : windowWords(top.deadline);
  // A new question is about the best policy alone: the next one found need not be what it asks to combine.
  const lead =
    intent === "stackable"
      ? stackingLead([top], detailsOf, context.question)
      : `《${top.title}》${LEAD[intent] ?? ""}：${statementFor(top, intent, detailsOf(top))}。`;
  // What the support comes to for the company: first when asked how much; asked anything else about the policy
  // (when, what it takes), after the first sentence, since it is what the company weighs.
  const estimate = top.estimate && intent !== "stackable" && intent !== "compare" ? `${estimateLine(top.estimate)}。` : "";
  if (estimate && intent === "amount") lines.push(`《${top.title}》：${estimate}`);
  lines.push(`${lead}${window ? `${intent === "stackable" ? `《${top.title}》` : ""}${window}。` : ""}`);
  if (estimate && intent !== "amount") lines.push(estimate);
  if (top.eligibility && intent !== "eligibility") lines.push(`${eligibilityLine(top.eligibility)}。`);
  if (rest.length) {
    lines.push("其他相关政策：");
    rest.forEach((c, i) => {
      const facts = [
        amountClause(c, intent === "amount" || intent === "find" || intent === "compare" ? detailsOf(c) : []) || "未写明支持金额",
        windowWords(c.deadline),
      ].filter(Boolean);
      lines.push(`${i + 2}. 《${c.title}》：${facts.join("；")}。`);
    });
  }
  lines.push(FOOTER);
  return lines
    .join("\n")
    .replace(/。{2,}/g, "。")
    .replace(/；。/g, "。")
    .replace(/([？！])。/g, "$1");
}
