import type { Judgement } from "../policies/eligibility.js";
import type { PolicyRecord, StoredChunk } from "../db/policy-store.js";
import type { PolicyHit } from "../retrieval/search.js";

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
  source: string | null;
  citations: Citation[];
  /** The company's standing against this policy's conditions, when we know something of the company. */
  eligibility?: Judgement;
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

const sentences = (text: string) =>
  text
    .split(/(?<=[。；！？])|\n/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 4);

export const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function deadlineOf(policy: PolicyRecord, chunks: StoredChunk[], today: string): Deadline | null {
  const timeChunk = chunks.find((c) => c.heading && TIME_HEADING.test(c.heading.split(" > ").pop()!));
  const text = timeChunk ? clip(sentences(timeChunk.text)[0] ?? "", 80) || null : null;
  if (!policy.applyStart && !policy.applyEnd && !text) return null;
  let state: Deadline["state"] = "unknown";
  if (policy.applyEnd && policy.applyEnd < today) state = "closed";
  else if (policy.applyStart && policy.applyStart > today) state = "upcoming";
  else if (policy.applyEnd) state = "open";
  return { applyStart: policy.applyStart, applyEnd: policy.applyEnd, state, text };
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
  const supportCandidates = chunks.flatMap((c) =>
    sentences(c.text).map((s, i) => ({
      chunk: c,
      s,
      score:
        (AMOUNT.test(s) ? 2 : 0) + (SUPPORT_WORDS.test(s) ? 1 : 0) + (SUPPORT_HEADING.test(lastHeading(c)) ? 1.5 : 0) +
        (retrieved.has(c.id) ? 0.5 : 0) - (CONDITION_HEADING.test(lastHeading(c)) ? 1 : 0) - i * 0.01,
    })),
  );
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
    source: policy.source,
    citations,
  };
}

const DEADLINE_WORDS: Record<Deadline["state"], (d: Deadline) => string> = {
  open: (d) => `申报截止 ${d.applyEnd}`,
  upcoming: (d) => `${d.applyStart} 起受理${d.applyEnd ? `，截止 ${d.applyEnd}` : ""}`,
  closed: (d) => `本期申报已于 ${d.applyEnd} 截止（此类项目常按年度开展，可关注下一期）`,
  unknown: (d) => (d.text ? `申报时间：${d.text}` : ""),
};

/** Composes a Chinese answer from the cards, every statement carrying its citation. */
const VERDICT_WORDS = { eligible: "按您提供的信息，符合各项申报条件", ineligible: "按您提供的信息，不符合申报条件", needs_info: "还需补充信息才能判断" } as const;

/** One line on where the company stands: the verdict, the first unmet condition or the facts still missing. */
export function eligibilityLine(j: Judgement): string {
  const unmet = j.checklist.find((r) => r.status === "unmet" && !r.soft);
  if (j.verdict === "ineligible" && unmet) return `${VERDICT_WORDS.ineligible}：${unmet.reason}`;
  if (j.verdict === "needs_info") return `${VERDICT_WORDS.needs_info}：${j.missing.slice(0, 2).map((m) => m.question).join(" ")}`;
  return VERDICT_WORDS[j.verdict];
}

export function composeAnswer(cards: PolicyCard[]): string {
  if (cards.length === 0) {
    return "未在政策库中找到与您的问题直接相关的政策。您可以换一种说法，或补充企业所在地区、行业和想了解的支持方向（如研发补贴、人才、融资），我们再为您查找。";
  }
  const lines = [`根据政策库检索，以下 ${cards.length} 项政策与您的问题相关：`];
  cards.forEach((c, i) => {
    const head = `${i + 1}. 《${c.title}》${[c.docNumber, c.issuer].filter(Boolean).length ? `（${[c.docNumber, c.issuer].filter(Boolean).join("，")}）` : ""}`;
    const parts = [head];
    if (c.support) parts.push(`   支持内容：${c.support}`);
    if (c.conditions.length) parts.push(`   主要条件：${c.conditions.slice(0, 4).join("；")}`);
    if (c.howToApply) parts.push(`   申报方式：${c.howToApply}`);
    const deadline = c.deadline ? DEADLINE_WORDS[c.deadline.state](c.deadline) : "";
    if (deadline) parts.push(`   ${deadline}`);
    if (c.eligibility) parts.push(`   ${eligibilityLine(c.eligibility)}`);
    if (!c.support && !c.conditions.length) parts.push(`   相关条文：${c.citations[0]?.quote ?? ""}[${c.citations[0]?.ref ?? ""}]`);
    lines.push(parts.join("\n"));
  });
  lines.push("以上内容摘自政策原文，方括号内为出处编号；最终以主管部门发布的申报通知为准。");
  return lines.join("\n");
}
