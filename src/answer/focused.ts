/**
 * The sentences of a policy's own text that answer a kind of question
 * («多少钱», «什么时候截止», «要什么材料»), best first, and the answer to a
 * follow-up about policies already on the table, built from them.
 */
import { BoundedMemo } from "../lib/bounded-memo.js";
import type { StoredChunk } from "../policies/policy.js";
import { findQuantities } from "../policies/quantity.js";
import type { Intent } from "../understand/intent.js";
import { FOOTER, NOT_STATED, type PolicyCard, stackingLead, stackingOf, statementFor, VALIDITY } from "./extractive.js";

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

/** What a detail is asked about: an intent, or a text's term of validity (施行、有效期), which is not its application window. */
export type DetailKind = Intent | "validity";

/** A sum of money or a rate. */
const MONEY = /\d[\d,.]*\s*(?:万元|亿元|元|%|％|个百分点|万|倍)|[一二两三四五六七八九十百千]+(?:万|千|百)?元/;
/** Words of support on offer. */
const OFFER = /给予|补贴|补助|奖励|资助|贴息|支持|奖金|报酬|减按|扣除|发给|拨付|一次性|配套|减免|免收|返还|承担/;
/** Sums a text imposes, not offers. */
const PENALTY = /罚款|罚金|没收|违法所得|滞纳金/;
/** A sum the text offers, not one the applicant must reach («投入超过 50 万元», «500 万元以上»). */
function offersMoney(s: string): boolean {
  for (const m of s.matchAll(new RegExp(MONEY.source, "g"))) {
    const before = s.slice(Math.max(0, m.index - 6), m.index);
    const after = s.slice(m.index + m[0].length, m.index + m[0].length + 5);
    if (!/(?<!不)超过|不低于|达到|高于|突破|之和/.test(before) && !/^\s*(?:（含）|\(含\))?以上/.test(after)) return true;
  }
  return false;
}

/** A quantity an applicant must reach. */
const THRESHOLD = /以上|以下|不低于|不少于|不超过|不高于|达到|超过|满\s*\d|至少|占比|比例|比重|(?<!\d)\d{1,2}\s*(?:年|个月)|\d\s*(?:人|名|家|件|项|平方米|亩)/;

/** Steps of the procedure and a text's own validity: not conditions an applicant meets. */
const PROCEDURE = /→|申报流程|申报程序|评审|拨付|验收|公示|有效期|本办法|本意见|本细则|本措施/;

/** Words on combining policies: what forbids it (不重复, 就高, 只能…一项) and what allows it (可叠加). */
const STACKING =
  /兼报|兼享|择一|二选一|选择其一|叠加|同时(?:享受|申报|申请)|重复(?:享受|支持|申报|申请|资助|奖励|补贴|给予)|不重复|就高|从高|择优(?:享受|选择|申报|执行)|兼得|只能(?:申报|申请|享受|选择)|不再(?:享受|给予|支持)|照常兑现/;

/** Where an application is filed. */
const CHANNEL = /登录|网办|线上|网上|平台|窗口|现场(?:提交|报送|受理)/;
/** The steps of a procedure. */
const STEP = /提交|报送|受理|审核|审查|评审|推荐|公示|拨付|立项|办结/g;

type Detail = {
  heading: RegExp;
  /** Whether a sentence answers this kind of question at all. */
  fits: (s: string) => boolean;
  /** Extra weight for the sentences that answer it best. */
  bonus?: (s: string) => number;
  /** Sentences longer than this are cut to the clauses that carry figures or the question's words (90 when absent). */
  compactFrom?: number;
  /** Compacting keeps only the clauses with figures and thresholds (the decisive part of a condition). */
  figuresOnly?: boolean;
  /** Compacting always keeps the clauses that match this. */
  keep?: RegExp;
  /** Quote the picks in the text's own order (the steps of a procedure). */
  inOrder?: boolean;
  /** Among picks quoted in order, those matching this lead. */
  first?: RegExp;
  /** The characters an answer quotes of it (picks quoted in order are chosen to fit it, best first). */
  room?: number;
  /** Outside its own section a sentence answers only when it also passes this (a lone «推荐» in a statute is no procedure). */
  outside?: (s: string) => boolean;
};

const DETAIL: Partial<Record<DetailKind, Detail>> = {
  amount: {
    heading: /支持|标准|内容|奖励|资助|补贴|扶持|措施|政策|奖金|报酬/,
    fits: (s) => offersMoney(s) && OFFER.test(s) && !PENALTY.test(s),
    // How much is the rule itself; a clause on combining it with other support («可以同时申报，但合计不超过…») comes after.
    bonus: (s) => (/最高|不超过|上限|最低|不少于|每(?:个|项|家|年|件)/.test(s) ? 0.5 : 0) - (STACKING.test(s) ? 1 : 0),
    compactFrom: 60,
    figuresOnly: true,
  },
  // A bare date is usually the day the text was signed; a deadline says 截止, 前 or gives a range.
  deadline: {
    heading: /时间|期限|截止|安排|进度/,
    fits: (s) =>
      /截止|申报时间|受理时间|申报期|即日起|常年受理|至\s*\d{4}\s*年\s*\d{1,2}\s*月|至\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:前|之前|以前)|每年\s*\d{1,2}\s*月|每年(?:上|下)半年|(?:每年|每)(?:第[一二三四]|[一二三四])季度|常年|随时(?:申报|受理|申请)|分批(?:次)?(?:申报|受理)|\d{1,2}\s*月(?:份|底|中旬|上旬|下旬)(?:前)?(?:申报|受理|启动|开展)/.test(
        s,
      ) &&
      // When a text took effect or lapses is not when to apply.
      !(/施行|有效期|印发之日/.test(s) && !/申报|受理|申请/.test(s)),
  },
  validity: {
    heading: /时间|期限|附则|联络|联系/,
    fits: (s) => VALIDITY.test(s) && !/申报截止|受理截止/.test(s),
    bonus: (s) => (/有效期|失效|废止/.test(s) ? 1 : 0),
  },
  materials: {
    heading: /材料|申报要求|提交|文件/,
    fits: (s) => /材料|提交|提供|复印件|证明|申请表|申请书|申报书|承诺书|营业执照|报告|文件|清单/.test(s),
    bonus: (s) => (/下列|以下|包括|如下/.test(s) ? 1 : 0),
  },
  process: {
    // Vouchers are claimed, not applied for: «第四章　申领和兑付» is where a 算力券 or 创新券 says how.
    // «一、申领条件», «申报对象» are who may apply, not how.
    heading: /流程|程序|方式|办理|步骤|组织实施|(?:申报|申领)(?!条件|对象|资格|范围|主体)/,
    // A sum on offer is support, whatever step it mentions («提交申请获得授权后，每件资助不超过 1000 元»).
    // «…3个工作日内，对技术进口合同进行登记，颁发登记证»: registering and issuing are steps too (登记注册 is where a company is).
    fits: (s) =>
      /登录|系统|网上|网办|线上|提交|审核|受理|推荐|评审|公示|拨付|→|审查|办理|办结|颁发|核发|登记(?!注册)/.test(s) &&
      (/→/.test(s) || !(offersMoney(s) && OFFER.test(s))),
    // Steps in a row and time limits answer best; where to file (登录…系统, 网办) is what a company does first;
    // who is in charge of what (负责, 指导) is not a step.
    bonus: (s) =>
      (/→/.test(s) ? 1 : 0) +
      (/工作日|\d+\s*日内|\d+\s*天/.test(s) ? 1 : 0) +
      (CHANNEL.test(s) ? 1 : 0) +
      (new Set(s.match(STEP) ?? []).size >= 2 ? 0.5 : 0) -
      (/负责|职责|指导|统筹|监督/.test(s) ? 1 : 0),
    inOrder: true,
    first: CHANNEL,
    room: 220,
    // «职称评审、科研立项» names steps of other procedures; steps in a row, a time limit or where to file are a procedure.
    // So is the applicant handing something in («申请单位根据要求向指定的项目受理部门提交申报材料»).
    outside: (s) =>
      /→|工作日|\d+\s*日内|登录|网办|(?:线上|网上|在线)(?:申报|申请|申领|提交|办理|填报)|窗口|系统(?:提交|填报|申报)/.test(s) ||
      /(?:申请|申报)(?:单位|企业|人|主体)[^。；]{0,30}(?:提交|报送|填报)/.test(s),
  },
  contact: { heading: /联系|咨询|联络/, fits: (s) => /联系电话|联系人|咨询电话|电话|邮箱|\d{3,4}-\d{7,8}|\d{8}/.test(s) },
  stackable: {
    heading: /./,
    fits: (s) => STACKING.test(s) || /同一(?:项目|企业|事项)/.test(s),
    // A clause that decides (不重复, 就高, 可叠加) answers; «同一企业» alone only names the subject.
    bonus: (s) => (STACKING.test(s) ? 2 : 0),
    keep: STACKING,
  },
  conditions: {
    heading: /条件|对象|要求|资格|申报主体|支持范围|适用范围|认定标准|门槛/,
    fits: (s) => (THRESHOLD.test(s) || /具有|具备|拥有|须|应当?|必须|注册|成立|符合|属于|取得/.test(s)) && !PROCEDURE.test(s) && !VALIDITY.test(s),
    // A figure to reach decides; a sum on offer («出资额不超过 3000 万元») is support, not a condition.
    // An exception («新建成 3 年内的园区…可适当放宽») relaxes a condition; it is not one to meet.
    bonus: (s) =>
      (/\d/.test(s) && THRESHOLD.test(s) ? (offersMoney(s) && OFFER.test(s) ? 1 : 2.5) : 0) + (PENALTY.test(s) ? -2 : 0) + (EXCEPTION.test(s) ? -5 : 0),
    compactFrom: 60,
    figuresOnly: true,
    // The conditions picked read in the text's order (1．空间规模 … 3．产业发展), as a caseworker lists them.
    inOrder: true,
  },
};
DETAIL.eligibility = DETAIL.conditions;

/** How much speaking to the question counts against sitting in the right section (PDF cards often lose their section markers). */
const RELEVANCE_WEIGHT = 4;

/** A question's words with their weight in this policy's text: rare in the text weighs more. */
export type QuestionTerms = Array<{ word: string; weight: number }>;

/** Units of text an answer can quote: sentences, and a lead ending in «：» together with the items it introduces. */
const unitsOf = (text: string): readonly string[] => unitsMemo.get(text, readUnits);
/** Every answer reads the retrieved chunks the same way: their units and lines are kept by text. */
const unitsMemo = new BoundedMemo<string, readonly string[]>(20_000);
function readUnits(text: string): string[] {
  const lines = healedLines(text);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const parts = lines[i]
      .split(/(?<=[。；！？])/)
      .map((s) => s.trim())
      .filter(Boolean);
    for (const [j, p] of parts.entries()) {
      if (j === parts.length - 1 && /[：:]$/.test(p)) {
        const items: string[] = [];
        let k = i;
        while (k + 1 < lines.length && ITEM_START.test(lines[k + 1]) && items.length < 6) items.push(lines[++k].replace(/[；;。]$/, ""));
        // A short list («提交下列文件：(一)…；(二)…») is one answer; long items stand each on its own.
        const joined = `${p}${items.join("；")}`;
        if (items.length && joined.length <= 150) {
          out.push(joined);
          i = k;
        } else out.push(p);
      } else out.push(p);
    }
  }
  return out.filter((s) => s.length >= 6);
}

/** The labels of a PDF policy card's left column, which land inside a sentence of the right one. */
const CARD_LABEL = /(?:办理流程|服务流程|申报流程|条件要求|服务内容|联络方式|服务对象|时间\/频度|工具分类|政策支持)$/;

/**
 * A text's lines, a sentence that a PDF card's column label broke in two made whole again:
 * «…对拟推荐办理流程» + «的创业孵化基地进行资格审查，…» is «…对拟推荐的创业孵化基地进行资格审查，…».
 * A line that ends a sentence, a heading or a list item is left as it is.
 */
const healedLines = (text: string): readonly string[] => linesMemo.get(text, healLines);
const linesMemo = new BoundedMemo<string, readonly string[]>(20_000);
function healLines(text: string): string[] {
  const out: string[] = [];
  let marker = false;
  for (const raw of text.split("\n")) {
    // «申 请 单 位 登 陆…»: a letter-spaced PDF line, read as the words it spells.
    const spaced = (raw.match(/\p{Script=Han} (?=\p{Script=Han})/gu) ?? []).length >= 4;
    const line = (spaced ? raw.replace(/(\p{Script=Han}) (?=\p{Script=Han})/gu, "$1").replace(/\s*([（）])\s*/g, "$1") : raw).trim();
    if (!line) continue;
    if (/^【[^】]{2,8}】$/.test(line)) {
      marker = true;
      continue;
    }
    const prev = out[out.length - 1];
    // Across a 【…】 marker only a line that stops at a comma goes on: «每年2月左右，一般每年一次» / 【联络方式】 ends a cell.
    const open = marker ? /[，、]$/ : /[^。；;！？：:]$/;
    const broken =
      prev !== undefined &&
      prev.length >= 12 &&
      /[，、]/.test(prev) &&
      open.test(prev) &&
      /^\p{Script=Han}/u.test(line) &&
      !ITEM_START.test(line) &&
      !/^第[一二三四五六七八九十百\d]+[条章]/.test(line);
    if (broken) out[out.length - 1] = prev.replace(CARD_LABEL, "") + line;
    else out.push(line);
    marker = false;
  }
  return out;
}

const ITEM_START = /^(\d{1,2}\s*[．.、]|[（(]\d{1,2}[）)]|[（(][一二三四五六七八九十]+[）)]|[①-⑳])/;

/** «第十条 申报时间。», «（一）申报方式。»: a heading standing as a sentence says nothing. */
export const isHeadingOnly = (s: string) =>
  s
    .replace(/^第[一二三四五六七八九十百\d]+条\s*/, "")
    .replace(/^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*/, "")
    .replace(/[。：:；\s]/g, "").length < 8;

/** How much of the question a sentence speaks to, 0–1. */
function relevance(sentence: string, terms: QuestionTerms): number {
  const total = terms.reduce((n, t) => n + t.weight, 0);
  if (!total) return 0;
  return terms.reduce((n, t) => n + (sentence.includes(t.word) ? t.weight : 0), 0) / total;
}

/** The question's words weighted by how rare they are among this policy's sentences. */
export function weighTerms(words: Array<{ word: string; weight: number }>, chunks: StoredChunk[]): QuestionTerms {
  const units = chunks.flatMap((c) => unitsOf(c.text));
  const n = units.length || 1;
  return words.map(({ word, weight }) => {
    const df = units.filter((u) => u.includes(word)).length;
    return { word, weight: df === 0 ? 0 : weight * Math.log((n + 1) / df) };
  });
}

/**
 * A long sentence cut to the clauses that carry figures or the question's words
 * (and its first clause, which names what it is about).
 */
function compact(sentence: string, terms: QuestionTerms, from = 90, figuresOnly = false, keep?: RegExp): string {
  if (sentence.length <= from) return sentence;
  if (sentence.includes("→")) return compactSteps(sentence);
  const clauses = sentence.split(/(?<=[，；])/);
  const kept = clauses.filter(
    (c, i) => i === 0 || FIGURE.test(c) || keep?.test(c) || (figuresOnly ? THRESHOLD.test(c) : terms.some((t) => t.weight > 0 && c.includes(t.word))),
  );
  return kept.length < clauses.length ? kept.join("").replace(/[，；]$/, "") : sentence;
}

/** A procedure written as steps («在线填写项目申报书：……→评审立项：……»): each step's name, and the clauses that carry time limits. */
function compactSteps(sentence: string): string {
  return sentence
    .split("→")
    .map((step, i) => {
      // «…主要包括以下环节：在线填写项目申报书，…»: the words that introduce the steps are not the first one.
      if (i === 0) step = step.replace(/^[^→]*?(?:环节|步骤|流程|程序|如下|以下)[^：:，,]{0,6}[：:]/, "");
      // A colon of an address («http://…») does not end a step's name.
      const [name, ...rest] = step.split(/[：:](?!\/\/)/);
      const body = rest.join("：");
      // A comma inside brackets («（网址…，或从…栏目登陆）») does not end the step's first clause.
      let head = body ? name : (step.match(/^(?:[^，,；。（]|（[^）]*）?)+/)?.[0] ?? step);
      // «市科委根据评审意见，确定认定名单»: a clause that only says on what grounds leads into the one that says what is done.
      if (!body && /^[^，,]*(?:根据|按照|依据|对)[^，,]*(?:意见|要求|规定|通知|结果|情况)$|的$/.test(head)) {
        head = step.match(/^(?:[^，,；。（]|（[^）]*）?)+[，,](?:[^，,；。（]|（[^）]*）?)+/)?.[0] ?? head;
      }
      const figures = (body || step.slice(head.length)).split(/[，,；。]/).filter((c) => FIGURE.test(c) && !head.includes(c));
      return [clipWords(head, 24), ...figures].join("，");
    })
    .join("→");
}

/** The first `n` characters, not cutting a bracket («（网址 http://…）») in two: it is kept whole when short, else left out. */
function clipWords(s: string, n: number): string {
  if (s.length <= n) return s;
  const open = s.lastIndexOf("（", n);
  if (open >= 0 && s.indexOf("）", open) > n) {
    const close = s.indexOf("）", open);
    return close - open <= 60 ? `${s.slice(0, close + 1)}${close + 1 < s.length ? "…" : ""}` : `${s.slice(0, open)}…`;
  }
  // A cut at a pause («…合格通知、获得受理编号») reads better than one inside a word.
  const pause = Math.max(s.lastIndexOf("、", n), s.lastIndexOf("，", n));
  return `${s.slice(0, pause > n / 2 ? pause : n)}…`;
}

/** A figure: digits, or a sum or span in Chinese numerals (三年以上, 五千元). */
const FIGURE = /\d|[一二两三四五六七八九十百千]+(?:万|千|百)?(?:元|年|个月|人|名|家|件|项|倍)/;

/** The sentences of a policy that answer this kind of question, best first: at most `max`. */
export type DetailOptions = {
  /** The question's words, weighed by how rare they are in the policy. */
  terms?: QuestionTerms;
  /** The policy's criteria texts: where its conditions are, whatever the headings say. */
  conditions?: string[];
  /** The question asks for the most on offer (最多, 最高, 上限): the sentence with the largest sum is quoted. */
  most?: boolean;
};

export function detailSentences(
  chunks: StoredChunk[],
  kind: DetailKind,
  retrieved: Set<string>,
  max = 2,
  { terms = [], conditions = [], most = false }: DetailOptions = {},
): Array<{ chunk: StoredChunk; sentence: string }> {
  const detail = DETAIL[kind];
  if (!detail) return [];
  // A procedure written as named steps, each with its description («提交资料。申报单位…→资料初审。…→名单公示。…公示期为 5 个工作日→签约授牌。»),
  // is answered by the names in order with their time limits, read across the chunks it runs over.
  if (kind === "process") {
    const chain = stepChain(chunks) ?? numberedSteps(chunks);
    if (chain) return [chain];
  }
  // A sentence the criteria reader took as a condition is in the conditions section, wherever a PDF card's
  // floating 【条件要求】 marker put the chunk boundary.
  const known =
    kind === "conditions" || kind === "eligibility"
      ? conditions
          .map(squeeze)
          .filter((c) => c.length >= 8)
          .map((c) => c.slice(0, 12))
      : [];
  const isCondition = (sentence: string) => {
    const squeezed = known.length ? squeeze(sentence) : "";
    return known.some((c) => squeezed.includes(c));
  };
  const scored = chunks.flatMap((chunk) => {
    const heading = chunk.heading?.split(" > ").pop() ?? "";
    const inSection = detail.heading.test(heading);
    return unitsOf(chunk.text).flatMap((sentence, i) => {
      if (!detail.fits(sentence) || isHeadingOnly(sentence) || /[：:]$/.test(sentence) || PAGE_CHROME.test(sentence)) return [];
      if (detail.outside && !inSection && !detail.outside(sentence)) return [];
      const score =
        (inSection || isCondition(sentence) ? 2 : 0) +
        (retrieved.has(chunk.id) ? 1 : 0) +
        1 +
        (detail.bonus?.(sentence) ?? 0) +
        RELEVANCE_WEIGHT * relevance(sentence, terms) -
        i * 0.01;
      return [{ chunk, sentence: compact(sentence, terms, detail.compactFrom, detail.figuresOnly, detail.keep), score, at: chunk.position * 1000 + i }];
    });
  });
  if (most && kind === "amount" && scored.length) {
    // The first sums a card lists are often for its smaller items; asked for the most, the largest leads.
    const sums = scored.map((s) => largestSum(s.sentence));
    const top = Math.max(...sums);
    if (top > 0) scored.forEach((s, i) => sums[i] === top && (s.score += 3));
  }
  scored.sort((a, b) => b.score - a.score);
  const out: typeof scored = [];
  let length = 0;
  for (const s of scored) {
    if (out.length >= max || out.some((o) => o.sentence.includes(s.sentence) || s.sentence.includes(o.sentence))) continue;
    // Quoted in the text's order, the picks must fit the answer's room by merit: what does not fit is the least apt, not the last.
    if (detail.inOrder && out.length && length + s.sentence.length > (detail.room ?? Infinity)) continue;
    out.push(s);
    length += s.sentence.length + 1;
  }
  // Steps follow the text's order; where to file, when a pick says it, comes first (what a company does first).
  if (detail.inOrder) out.sort((a, b) => (detail.first ? Number(detail.first.test(b.sentence)) - Number(detail.first.test(a.sentence)) : 0) || a.at - b.at);
  return out.map(({ chunk, sentence }) => ({ chunk, sentence }));
}

/** A web page's own furniture saved with the text (a comment form, a login prompt): no sentence of the policy. */
const PAGE_CHROME = /请先登录|尚未注册|发送留言|我要发表意见|您的留言|[*＊]\s*姓\s*名\s*[：:]|打印本页|关闭窗口|分享到[：:]/;

/** A step's name: a few words standing before the 。 that starts its description. */
const STEP_NAME = /^[\p{Script=Han}（）]{2,10}$/u;
const TIME_LIMIT = /[^，。；→]*?\d+\s*(?:个)?(?:工作日|日内|天|个月内)[^，。；→]*/;

/** The named steps of a procedure, in order, with the time limits their descriptions state; null when the text is not written so. */
function stepChain(chunks: StoredChunk[]): { chunk: StoredChunk; sentence: string } | null {
  const ordered = [...chunks].sort((a, b) => a.position - b.position);
  for (const chunk of ordered) {
    if (!chunk.text.includes("→")) continue;
    // The chain may run on into the chunks after this one (a 【…】 marker splits a card's cell).
    const text = ordered
      .filter((c) => c.position >= chunk.position)
      .slice(0, 3)
      .flatMap((c) => healedLines(c.text))
      .join("");
    const segments = text.split("→");
    if (segments.length < 4) return null;
    const firstPieces = segments[0]
      .split("。")
      .map((x) => x.trim())
      .filter(Boolean);
    const first = firstPieces.length >= 2 ? firstPieces[firstPieces.length - 2].replace(/^.*[：:]/, "") : "";
    const steps: string[] = [];
    if (STEP_NAME.test(first)) steps.push(first);
    for (const seg of segments.slice(1)) {
      const [name, ...rest] = seg.split("。");
      if (!STEP_NAME.test(name.trim())) break;
      // Its time limit is in the description that follows it, up to the next step.
      const limit = TIME_LIMIT.exec(rest.join("。"))?.[0]?.trim();
      steps.push(limit ? `${name.trim()}（${limit.replace(/^[，,]/, "")}）` : name.trim());
    }
    return steps.length >= 4 ? { chunk, sentence: `${steps.join("→")}。` } : null;
  }
  return null;
}

/** «1．发布通知。…», «2．组织申报：…»: a numbered step with its name, then what it involves. */
const NUMBERED_STEP = /^(\d{1,2})\s*[．.、]\s*([\p{Script=Han}（）]{2,10})[。：:]\s*(.*)$/u;
/** Where a step is done («通过指定网站填报专项申报书», «登录北京市科技计划综合管理平台»). */
const STEP_CHANNEL = /(?:通过|登录|登陆|在)[^，。；]{2,24}?(?:网站|平台|系统|窗口|服务网)(?:[^，。；]{0,12}?(?:填报|提交|申报|报送))?/;

/**
 * A procedure section written as numbered, named steps («1．发布通知。… 2．组织申报。市科委…通过指定网站填报…»):
 * the names in order, with where to file and the time limits their descriptions state; null when it is not written so.
 */
function numberedSteps(chunks: StoredChunk[]): { chunk: StoredChunk; sentence: string } | null {
  const ordered = [...chunks].sort((a, b) => a.position - b.position);
  const at = ordered.findIndex((c) => /流程|程序/.test(c.heading?.split(" > ").pop() ?? ""));
  if (at < 0) return null;
  const steps: string[] = [];
  for (const line of ordered.slice(at, at + 2).flatMap((c) => healedLines(c.text))) {
    const m = NUMBERED_STEP.exec(line);
    if (!m) continue;
    if (Number(m[1]) !== steps.length + 1) {
      if (steps.length >= 3) break;
      if (Number(m[1]) === 1) steps.length = 0;
      else continue;
    }
    const notes = [
      STEP_CHANNEL.exec(m[3])?.[0],
      TIME_LIMIT.exec(m[3])?.[0]
        ?.trim()
        .replace(/^[，,]/, ""),
    ].filter(Boolean);
    steps.push(notes.length ? `${m[2]}（${notes.join("，")}）` : m[2]);
  }
  return steps.length >= 3 ? { chunk: ordered[at], sentence: `${steps.join("→")}。` } : null;
}

const EXCEPTION = /(?:可|予以|适当)放宽|不受此限|除外[。；]?$/;
const squeeze = (s: string) => s.replace(/\s+/g, "");

/** A figure the applicant must reach (研发费用不低于1000万元), not a sum on offer. */
const THRESHOLD_SUBJECT = /(?:费用|收入|营收|投入|资产|规模|销售额|产值|融资|投资)[^，,；;。]{0,6}$/;

/** The largest sum of money a card's support line offers, in 万元 (0 when it names none). */
export function largestAmount(card: PolicyCard): number {
  return largestSum(card.support ?? "");
}

/** The largest sum of money a text offers, in 万元: not a figure the applicant must reach. */
function largestSum(text: string): number {
  const offered = findQuantities(text).filter(
    (q) =>
      q.dimension === "money" &&
      (!q.currency || q.currency === "CNY") &&
      q.op !== ">=" &&
      q.op !== ">" &&
      !THRESHOLD_SUBJECT.test(text.slice(Math.max(0, q.start - 12), q.start)),
  );
  return Math.max(0, ...offered.map((q) => q.value));
}

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
    ranked.forEach((c, i) => lines.push(`${i + 1}. ${title(c)}：${statementFor(c, "amount", details.get(c.id) ?? []) || NOT_STATED.amount}`));
  } else {
    if (intent === "stackable") {
      const lead = stackingLead(cards, (c) => details.get(c.id) ?? []);
      lines.push(lead);
      // Each further policy's own clause follows when there are several and some text speaks to it;
      // those whose texts say nothing are named together, once.
      if (cards.length > 1 && cards.some((c) => stackingOf(details.get(c.id) ?? []).verdict !== "unstated")) {
        const silent: string[] = [];
        cards.forEach((c, i) => {
          if (lead.includes(`${title(c)}规定`)) return;
          if (stackingOf(details.get(c.id) ?? []).verdict === "unstated") silent.push(title(c));
          else lines.push(`${i + 1}. ${title(c)}：${statementFor(c, intent, details.get(c.id) ?? [])}`);
        });
        if (silent.length) lines.push(`${silent.join("、")}原文未写明能否与其他政策同时享受。`);
      }
      lines.push(FOOTER);
      return lines.join("\n");
    }
    const one = cards.length === 1;
    cards.forEach((c, i) => {
      const head = one ? `${title(c)}：` : `${i + 1}. ${title(c)}：`;
      lines.push(head + statementFor(c, intent, details.get(c.id) ?? []));
    });
  }
  lines.push(FOOTER);
  return lines.join("\n");
}
