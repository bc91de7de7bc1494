/**
 * Which of the previous answer's policies a follow-up is about. A follow-up
 * points at them by position («第二个», «前两个», «这两个»), by a distinctive
 * part of a title («创新券那个» → 《…科技创新券…》), or not at all («什么时候
 * 截止？» → every one, in order). It may instead ask about something none of
 * them cover («那人才公寓有什么政策» after answers on 研发补贴): then a new
 * search is needed.
 *
 * Input is normalised text (`normalizeText`: simplified, half-width).
 */

import { anyOf, QUALIFICATION_ABBREVIATIONS, QUALIFICATION_TOPICS } from "../policies/vocabulary.js";
import type { Intent } from "./intent.js";

export type FocusCandidate = { id: string; title: string };
export type Focus = { policyIds: string[]; changesTopic: boolean; by: "position" | "name" | "all" | "none" };

// ── Positions ─────────────────────────────────────────────────────────────

const DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const NUMERAL = "[一二两三四五六七八九十\\d]+";

/** «三» → 3, «十二» → 12, «12» → 12. */
function numberOf(word: string): number | null {
  if (/^\d+$/.test(word)) return Number(word);
  if (word === "十") return 10;
  const m = word.match(/^([一二两三四五六七八九])?十([一二三四五六七八九])?$/);
  if (m) return (m[1] ? DIGITS[m[1]] : 1) * 10 + (m[2] ? DIGITS[m[2]] : 0);
  return word.length === 1 && word in DIGITS ? DIGITS[word] : null;
}

/** Counters that make «第二» a position in a list; «第二批», «第三年» are something else. */
const ITEM = "(?:个|项|条|款|种|份|家|篇|则)";

/** «第一个和第三个», «第二、三个», «第2项». */
const ORDINALS = new RegExp(
  `(倒数)?第(${NUMERAL}(?:\\s*(?:[、，,和跟与及]|还有)\\s*(?:第)?${NUMERAL})*)(?!${NUMERAL})(?=${ITEM}|[的那这吗呢？?]|$|和|跟|与)`,
  "g",
);
/** «最后一个», «最后那项», «后两个». */
const LAST = new RegExp(`最后(?:一|那|这)?${ITEM}|(?:后|最后)(${NUMERAL})${ITEM}`);
/** «前两个», «前三项». */
const FIRST_N = new RegExp(`前(${NUMERAL})${ITEM}`);
/** «头一个», «首个». */
const HEAD = new RegExp(`头一${ITEM}|首(?:个|项|条)`);
/** «这两个», «那三项», «两个都», «这俩»: the first N. */
const THESE_N = new RegExp(`(?:这|那|上面|上述|以上)(${NUMERAL})${ITEM}|(${NUMERAL})${ITEM}都|这俩|那俩|它俩|它们俩`);
/** «这几个», «这些», «以上», «全部»: every one. */
const ALL_OF_THEM = /这几(?:个|项|条)|那几(?:个|项|条)|这些|那些|它们|以上|上述|全部|所有|都/;
/** «上面那个», «这个政策», «它»: one policy already on the table, the first. */
const THAT_ONE =
  /上面(?:那|这)(?:个|项|条)|上一(?:个|项|条)|刚才(?:说的)?(?:那|这)(?:个|项|条)|(?:这|那|该)(?:个|项)?(?:政策|补贴|项目|奖励|资助|办法|专项)|(?:^|[，,])(?:这|那)(?:个|项)(?!和|跟|与)|它(?!们|俩)/g;

function positions(text: string, count: number): number[] | null {
  const picked: number[] = [];
  for (const m of text.matchAll(ORDINALS)) {
    const ns = m[2].split(/\s*(?:[、，,和跟与及]|还有)\s*(?:第)?/).map(numberOf);
    for (const n of ns) if (n !== null) picked.push(m[1] ? count - n + 1 : n);
  }
  const last = text.match(LAST);
  if (last) {
    const n = last[1] ? numberOf(last[1]) : 1;
    if (n) for (let i = Math.max(1, count - n + 1); i <= count; i++) picked.push(i);
  }
  const first = text.match(FIRST_N);
  if (first) {
    const n = numberOf(first[1]);
    if (n) for (let i = 1; i <= Math.min(n, count); i++) picked.push(i);
  }
  if (HEAD.test(text)) picked.push(1);
  if (!picked.length) return null;
  return [...new Set(picked)].filter((i) => i >= 1 && i <= count);
}

// ── Facts ─────────────────────────────────────────────────────────────────

/**
 * Words in a statement about the company («我们是高企», «我们在海淀区», «研发投入
 * 500万», «有3个发明专利») are facts for judging, not a name or a new topic.
 */
const FACT_BEFORE = /(?:是|有|在|位于|注册|落户|获得|获评|拿到|拿过|取得|具备|属于|作为|已经|已)[^，。？?；;]{0,5}$/;
const FACT_AFTER = /^(?:资质|证书|称号)|^[^，。？?；;]{0,4}\d/;
const isFact = (text: string, at: number, length: number) => FACT_BEFORE.test(text.slice(0, at)) || FACT_AFTER.test(text.slice(at + length));

// ── Names ─────────────────────────────────────────────────────────────────

/** How companies shorten programme names, as the titles spell them. */
const ABBREVIATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  ...QUALIFICATION_ABBREVIATIONS,
  [/技改/g, "技术改造"],
  [/知产/g, "知识产权"],
  [/首台套/g, "首台"],
  [/研发补贴|研发补助|研发资助/g, "研发费用"],
  [/双创/g, "创新创业"],
  [/孵化器/g, "孵化"],
];

const expand = (text: string) => ABBREVIATIONS.reduce((t, [re, full]) => t.replace(re, full), text);
const squash = (text: string) => text.replace(/[\s\p{P}\p{S}]/gu, "");

/**
 * Words every policy title is made of: a match on these alone names none of
 * them («申报», «材料», «认定»). Longer first, so «中小企业» goes before «企业».
 */
const GENERIC = [
  "北京市",
  "上海市",
  "广州市",
  "深圳市",
  "武汉市",
  "北京",
  "上海",
  "广州",
  "关于",
  "印发",
  "通知",
  "实施",
  "办法",
  "细则",
  "管理",
  "暂行",
  "若干",
  "措施",
  "政策",
  "支持",
  "补贴",
  "资助",
  "奖励",
  "扶持",
  "资金",
  "项目",
  "专项",
  "企业",
  "单位",
  "申报",
  "申请",
  "指南",
  "工作",
  "认定",
  "条件",
  "材料",
  "发展",
  "促进",
  "推动",
  "加快",
  "进一步",
  "服务",
  "科技",
  "创新",
  "技术",
  "产业",
  "年度",
  "规定",
  "方案",
  "计划",
  "意见",
  "标准",
  "流程",
  "时间",
  "截止",
  "电话",
  "联系",
  "市级",
  "区级",
  "国家",
  "给予",
  "提供",
  "我们",
  "那个",
  "这个",
  "什么",
  "多少",
  "能否",
  "可以",
  "的",
  "和",
  "与",
  "及",
  "对",
  "市",
  "区",
  "年",
];
const GENERIC_RE = new RegExp(GENERIC.join("|"), "g");

/** A shared stretch names a title when it still says something once the generic words are gone. */
function distinctive(shared: string): number {
  const rest = shared.replace(GENERIC_RE, "").replace(/\d/g, "");
  if (rest.length >= 2 || (rest.length === 1 && shared.length >= 3)) return rest.length;
  return 0;
}

/** The stretches of `text` (2+ characters) that also occur in `title`, longest at each start. */
function sharedStretches(text: string, title: string): Array<{ at: number; part: string }> {
  const out: Array<{ at: number; part: string }> = [];
  for (let i = 0; i < text.length - 1; i++) {
    let j = i + 2;
    if (!title.includes(text.slice(i, j))) continue;
    while (j < text.length && title.includes(text.slice(i, j + 1))) j++;
    if (!out.some((o) => o.at <= i && o.at + o.part.length >= j)) out.push({ at: i, part: text.slice(i, j) });
  }
  return out;
}

/**
 * The previous policies a turn names, in the order it names them. For
 * «已经拿过创新券，还能申请小巨人吗» (`keepHeld`) the one already held counts too.
 */
function byName(text: string, previous: FocusCandidate[], keepHeld: boolean): string[] {
  const t = expand(text).replace(/\s+/g, "");
  const titles = previous.map((p) => squash(expand(p.title)));
  const hits: Array<{ id: string; at: number; index: number }> = [];
  previous.forEach((p, index) => {
    const named = sharedStretches(t, titles[index]).filter(({ at, part }) => {
      if (!distinctive(part) || (!keepHeld && isFact(t, at, part.length))) return false;
      // A stretch every title shares («人工智能» in all of them) tells none apart.
      return previous.length === 1 || titles.some((other) => !other.includes(part));
    });
    if (named.length) hits.push({ id: p.id, at: Math.min(...named.map((n) => n.at)), index });
  });
  return hits.sort((a, b) => a.at - b.at || a.index - b.index).map((h) => h.id);
}

// ── New topics ────────────────────────────────────────────────────────────

/**
 * Programmes and subjects a company asks about. One that no previous title
 * covers means the turn is about something new.
 */
const TOPICS = new RegExp(
  String.raw`${anyOf(QUALIFICATION_TOPICS)}|创新券|算力|人工智能|大模型|集成电路|芯片|生物医药|医疗器械|新材料|新能源|储能|低空|机器人|具身智能|智能网联|数字化|工业互联网|数据要素|人才|公寓|住房|租房|落户|博士后|院士|专利|知识产权|商标|首台|技术改造|研发费用|加计扣除|贷款|贴息|融资|担保|保险|上市|孵化|众创空间|实验室|技术中心|工程中心|新型研发机构|成果转化|技术转移|技术合同|展会|参展|出海|国际化|创业|留学|软件|信息化|碳|绿色|节能|文化|影视`,
  "g",
);

/** «还有别的吗», «其他的呢»: asks for more than what is on the table. */
const ASKS_FOR_MORE = /别的|其他|其它|另外的|还有(?:没有|什么|哪些)|换个/;

function newTopics(text: string, previous: FocusCandidate[]): string[] {
  const t = expand(text);
  const titles = previous.map((p) => squash(expand(p.title)));
  const out: string[] = [];
  for (const m of t.matchAll(TOPICS)) {
    if (isFact(t, m.index ?? 0, m[0].length)) continue;
    if (!titles.some((title) => title.includes(m[0]))) out.push(m[0]);
  }
  return out;
}

// ── Resolution ────────────────────────────────────────────────────────────

/** Which of `previous` (the last answer's policies, in its order) a follow-up is about. */
export function resolveFocus(text: string, previous: FocusCandidate[], intent: Intent): Focus {
  if (!previous.length) return { policyIds: [], changesTopic: true, by: "none" };
  if (intent === "greeting" || intent === "out_of_scope") return { policyIds: [], changesTopic: false, by: "none" };

  const ids = previous.map((p) => p.id);
  const fresh = newTopics(text, previous);
  const changesTopic = fresh.length > 0 || (intent === "find" && ASKS_FOR_MORE.test(text));

  const at = positions(text, previous.length);
  if (at) return at.length ? { policyIds: at.map((i) => ids[i - 1]), changesTopic, by: "position" } : { policyIds: [], changesTopic: false, by: "none" };

  const named = byName(text, previous, intent === "stackable" || intent === "compare");
  if (named.length) return { policyIds: named, changesTopic, by: "name" };

  if (changesTopic) return { policyIds: [], changesTopic: true, by: "none" };

  const these = text.match(THESE_N);
  if (these) {
    const n = numberOf(these[1] ?? these[2] ?? "") ?? 2;
    return { policyIds: ids.slice(0, n), changesTopic: false, by: "position" };
  }
  if (ALL_OF_THEM.test(text)) return { policyIds: ids, changesTopic: false, by: "all" };
  const thatOne = text.match(THAT_ONE);
  if (thatOne) return { policyIds: ids.slice(0, Math.min(thatOne.length, ids.length)), changesTopic: false, by: "position" };

  // A plain «找政策» turn after an answer is a new search; every other intent asks about what is on the table.
  if (intent === "find") return { policyIds: [], changesTopic: true, by: "none" };
  return { policyIds: ids, changesTopic: false, by: "all" };
}
