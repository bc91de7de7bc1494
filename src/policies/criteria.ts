import { z } from "zod";
import { toParagraphs } from "../ingest/chunk.js";
import { type Check, CheckSchema, type LeafCheck } from "./conditions/check.js";
import { CLOSE, OPEN, readClause } from "./conditions/clause.js";
import { PROBE, rulesFingerprint } from "./conditions/fingerprint.js";
import { CONDITION_KINDS, type ReadContext, readChecks } from "./conditions/index.js";
import { recognised } from "./conditions/recognised.js";
import type { Comparator } from "./quantity.js";
import { canonicalPlace, completePath } from "./region.js";

/**
 * 申报条件 as data: each policy's condition text split into criteria, each
 * criterion carrying the checks its words allow. Anything the rules cannot
 * read stays a `text` check, decided only by what the company says. What
 * each kind of check is, how it is read, judged and verified is its module's
 * under ./conditions.
 */

// Beside the kinds that read them, which name the type without importing this module back.
export { type Check, CheckSchema, type LeafCheck } from "./conditions/check.js";
export { type Metric, Metrics } from "./conditions/threshold.js";

export const CriterionSchema = z.object({
  id: z.string().describe("Criterion id within the policy").meta({ example: "c3" }),
  text: z.string().describe("The policy's own words for this criterion").meta({ example: "上一会计年度营业收入 2000 万元（含）以下" }),
  mode: z.enum(["all", "any"]).describe("all: every check must hold; any: one of them (「…或…」)"),
  checks: z.array(CheckSchema).min(1).describe("What is checked"),
  when: CheckSchema.optional().describe("Applies only to companies for which this holds (「注册成立时间不足两个会计年度的，…」)"),
  case: z
    .string()
    .optional()
    .describe(
      "A circumstance in the policy's words; the criterion binds only a company whose facts say it is in it (「由外省市整体迁入本市的高新技术企业，须…」)",
    ),
  soft: z.boolean().optional().describe("Describes rather than decides (who is addressed, vague merits): shown, never holds back a verdict"),
  disqualifier: z.boolean().optional().describe("A 不予支持 case: rules a company out only when a fact says it applies"),
  group: z.string().optional().describe("Criteria of one group are alternatives (「具备以下条件之一」): the group holds when all criteria of one option do"),
  option: z.number().int().optional().describe("Which option of its group"),
  source: z.literal("llm").optional().describe('"llm" when the chat model structured it and the text confirmed it; absent when the rules read it'),
});
export type Criterion = z.infer<typeof CriterionSchema>;

export const PolicyCriteriaSchema = z.object({
  common: z.array(CriterionSchema).describe("Conditions for every applicant (申报条件, 服务对象)"),
  programmes: z
    .array(
      z.object({
        name: z.string().describe("The programme's name in the document").meta({ example: "科技型小微企业" }),
        criteria: z.array(CriterionSchema).describe("The programme's own conditions"),
        addOn: z.boolean().optional().describe("「除符合第四条规定外，还应…」: an add-on; the common conditions alone are an option too"),
      }),
    )
    .describe("Separately applied-for programmes of one document, each with its own conditions"),
});
export type PolicyCriteria = z.infer<typeof PolicyCriteriaSchema>;

// Labels that open a block of conditions or of applicants.
const CONDITION_LABEL =
  /^(?:[一二三四五六七八九十]+[、．.]\s*|[（(][一二三四五六七八九十]+[）)]\s*)?(?:条件要求|申报条件|申请条件|补贴条件|支持条件|认定条件|基本条件|资格条件|申报要求|申报资格|评价条件|资助条件)\s*[:：]?/;
const CONDITION_CUE =
  /(?:须|应|需|必须|应当)(?:同时)?(?:满足|符合|具备)(?:以下|下列|如下)(?:所有|全部)?(?:条件|要求)|(?:条件|要求)(?:如下)?\s*[:：]\s*$|符合以下条件/;
const TARGET_LABEL =
  /^(?:[一二三四五六七八九十]+[、．.]\s*|[（(][一二三四五六七八九十]+[）)]\s*)?(?:适用对象|支持对象|扶持对象|服务对象|申报对象|申报主体|申请对象|补贴对象|资助对象|适用范围|支持范围)\s*[:：]?/;
// Labels that end a block: support, process, materials, contacts.
const OTHER_LABEL =
  /^(?:[一二三四五六七八九十]+[、．.]\s*|[（(][一二三四五六七八九十]+[）)]\s*)?(?:服务内容|支持内容|支持标准|支持方式|补贴标准|奖励标准|资助标准|扶持措施|扶持标准|服务流程|申报流程|办理流程|申报程序|办理程序|申报材料|申请材料|时间\/频度|联络方式|联系方式|其他|附则|补贴期限|补贴对象|政策依据)/;
const PROCESS = /→|登录.*平台|在线填写|通过.*(?:平台|系统).*(?:提交|填报)|联系电话|咨询电话/;
const CARD_LABELS = new Set(["工具分类", "服务对象", "服务内容", "条件要求", "服务流程", "时间/频度", "联络方式"]);
const NUMBERED = /^(?:(\d{1,2})\s*[．.、](?!\d)|[（(](\d{1,2})[）)]|([①-⑳])|([一二三四五六七八九十]+)[、．.]|[（(]([一二三四五六七八九十]+)[）)])/;

/**
 * `anyOf`: the block lists alternatives (「具备以下条件之一」), each paragraph one option;
 * `until`: the numbering style of the lead that opened it, whose next item ends the options;
 * `options`: the style of the options themselves.
 */
type Block = {
  programme: string | null;
  role: "target" | "conditions";
  text: string[];
  anyOf?: boolean;
  addOn?: boolean;
  siteOnly?: boolean;
  until?: string;
  options?: string;
  /** The kind of applicant the block binds alone (其中，相关品牌商应…). */
  case?: string;
  /** The outline number of the section the block stands in («一、», «二、»). */
  section?: string;
  /** «符合第一条第1至4项条件的企业，若同时符合下列条件之一…»: the items of another section this block's applicants must also meet. */
  inherits?: { section: string; from: number; to: number };
};

/** Splits a policy into blocks of applicant descriptions and of conditions, grouped by programme. */
export function conditionBlocks(body: string, title?: string): Block[] {
  const paras = toParagraphs(body, title).map((p) => ({ ...p, text: p.text.replace(/\s+/g, " ").trim() }));
  const isCard = paras.some((p) => p.kind === "heading" && p.text === "条件要求");
  return isCard ? cardBlocks(paras, body) : documentBlocks(paras);
}

type P = ReturnType<typeof toParagraphs>[number];

/** 《北京市产业政策导引》 cards: table cells whose 【…】 markers float mid-cell. */
function cardBlocks(paras: P[], body: string): Block[] {
  const blocks: Block[] = [];
  const labelAt = paras.findIndex((p) => p.text === "服务对象");

  // 服务对象: text before the label (after the title) joined with the paragraph after it.
  if (labelAt >= 0) {
    const isCategory = (i: number) => paras[i - 1]?.text === "工具分类";
    const before = paras.slice(0, labelAt).filter((p, i) => p.kind !== "heading" && !CARD_LABELS.has(p.text) && !isCategory(i));
    const after = paras[labelAt + 1] && paras[labelAt + 1].kind !== "heading" ? [paras[labelAt + 1]] : [];
    const target = [...before.filter((p) => !NUMBERED.test(p.text)).slice(0, 2), ...after].map((p) => p.text).join("");
    if (target) blocks.push({ programme: null, role: "target", text: [target] });
  }

  blocks.push(...byProgramme(conditionsCell(body), "conditions"));
  blocks.push(...supportItems(paras));
  blocks.push(...subsetConditions(paras));
  blocks.push(...facilitySites(paras));
  return blocks;
}

/** «对本市行政区域范围内建成（含改扩建）的加氢站，按照…给予…»: the support names where the facility it pays for must be. */
const FACILITY_SITE = /对(?:在)?((?:本市|本区|全市|我市|\p{Script=Han}{2,6}?(?:市|区))(?:行政区域)?(?:范围)?内[^，。；]{0,30}?的\p{Script=Han}{2,10})[，,]/gu;

/** Where a facility the support pays for must be: read only as a site (its other words describe the support). */
function facilitySites(paras: P[]): Block[] {
  const seen = new Set<string>();
  const out: Block[] = [];
  for (const p of paras) {
    for (const m of p.text.matchAll(FACILITY_SITE)) {
      if (seen.has(m[1])) continue;
      seen.add(m[1]);
      out.push({ programme: null, role: "conditions", text: [`${m[1]}。`], siteOnly: true });
    }
  }
  return out;
}

/** «其中，相关品牌商应具备独立的商贸销售主体，年均…网络零售额…不低于 500 万元»: a support item's bar for one kind of applicant. */
const SUBSET_CONDITION = /其中[，,](?:相关|参与的?)?([\p{Script=Han}]{2,10}?(?:商|企业|平台|机构|单位|主体))(?:应|须|需)([^。；]+)/u;

/** Bars a card's support items set for one kind of applicant, each binding only that kind (`case`). */
function subsetConditions(paras: P[]): Block[] {
  const seen = new Set<string>();
  const out: Block[] = [];
  for (const p of paras) {
    for (const sentence of p.text.split(/(?<=[。；])/)) {
      const m = SUBSET_CONDITION.exec(sentence);
      if (!m || seen.has(m[2])) continue;
      seen.add(m[2]);
      out.push({ programme: null, role: "conditions", text: [`${m[2]}。`], case: m[1] });
    }
  }
  return out;
}

/**
 * «1．对在京具有独立法人资格的企业，2021 年 11 月 1 日（含）以后在京新开设…，…之和超过 50 万元，…，给予资金支持。»:
 * a card's numbered support item names whom it supports; each such item is a programme with those conditions.
 */
function supportItems(paras: P[]): Block[] {
  const out: Block[] = [];
  for (const p of paras) {
    const m = /^(?:\d{1,2}\s*[．.、](?!\d)|[（(]\d{1,2}[）)])\s*对(?!于)(.{4,300}?)[，,](?:[^，。]*(?:按照|最高)[^，。]*[，,])?给予/.exec(p.text);
    if (!m) continue;
    const clauses = m[1].split(/[，,](?![^（(]*[）)])/).filter((c) => !/^(?:按照|最高|每)/.test(c));
    const name = clauses[0].replace(/^在京|^本市/, "").slice(0, 24);
    out.push({ programme: name, role: "conditions", text: [clauses.join("，")] });
  }
  return out;
}

const CARD_MARKER_LINE = /^【[^】]{1,12}】$/;
const SENTENCE_DONE = /[。；;：:]$/;
const PROCESS_START = /^(?:在线填写|申报单位根据|申请单位根据|提交申请|登录|企业通过|本办法支持资金申报流程|申报企业按照|项目申报[:：])/;

/**
 * The 【条件要求】 cell of a card. The PDF table puts each marker at the
 * vertical middle of its cell, so the cell reaches about as far above the
 * marker as below it; it starts at a sentence, and the process cell after it
 * starts at the sentence that leads to the first 「→」.
 */
function conditionsCell(body: string): P[] {
  const lines = body
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const m = lines.indexOf("【条件要求】");
  if (m < 0) return [];
  const sentenceStart = (i: number) => NUMBERED.test(lines[i]) || SENTENCE_DONE.test(lines[i - 1] ?? "") || CARD_MARKER_LINE.test(lines[i - 1] ?? "");
  let stop = lines.findIndex((l, i) => i > m && CARD_MARKER_LINE.test(l));
  if (stop < 0) stop = lines.length;
  const arrow = lines.findIndex((l, i) => i > m && i < stop && (l.includes("→") || PROCESS_START.test(l)));
  let end = arrow > 0 ? arrow : stop;
  if (arrow > 0) while (end > m + 1 && !sentenceStart(end) && !PROCESS_START.test(lines[end])) end--;
  const below = end - (m + 1);
  let bound = m - 1;
  while (bound >= 0 && !CARD_MARKER_LINE.test(lines[bound]) && !CARD_LABELS.has(lines[bound]) && !lines[bound].startsWith("#")) bound--;
  const candidates: number[] = [];
  for (let i = bound + 1; i < m; i++) if (sentenceStart(i) && !CARD_LABELS.has(lines[i])) candidates.push(i);
  const cue = candidates.filter((i) => CONDITION_CUE.test(lines[i]) || /条件[:：]/.test(lines[i])).pop();
  // «2．…3．…» of the support cell, then «1．空间规模：…»: a list that starts again is the next cell's.
  const restart = candidates
    .filter(
      (i) =>
        itemNumber(lines[i]) === 1 && candidates.some((j) => j < i && (itemNumber(lines[j]) ?? 0) > 1 && numberingStyle(lines[j]) === numberingStyle(lines[i])),
    )
    .pop();
  const target = m - below;
  const start = cue ?? restart ?? candidates.reduce((best, i) => (Math.abs(i - target) <= Math.abs(best - target) ? i : best), m);
  const cell = [...lines.slice(start, m), ...lines.slice(m + 1, end)].filter((l) => !CARD_LABELS.has(l));
  return toParagraphs(cell.join("\n"));
}

/** The number of a list item («3．» → 3, «（二）» → 2, «①» → 1); undefined when the line is no item. */
function itemNumber(text: string): number | undefined {
  const m = NUMBERED.exec(text);
  if (!m) return undefined;
  const [, a, b, circled, c, d] = m;
  if (a ?? b) return Number(a ?? b);
  if (circled) return circled.charCodeAt(0) - 0x2460 + 1;
  const han = c ?? d ?? "";
  const digit = "一二三四五六七八九".indexOf(han) + 1;
  return han === "十" ? 10 : digit > 0 && han.length === 1 ? digit : undefined;
}

/** «（2）» and «（1）» share a style, «①» has another: items of one list share theirs. */
function numberingStyle(text: string): string | null {
  const m = NUMBERED.exec(text);
  return m ? String(m.slice(1).findIndex((g) => g !== undefined)) : null;
}

// 「个人借款人申请条件：」「答：小微企业借款人申请条件：」: a line naming whose conditions follow.
const NAMED_CONDITIONS = /^(?:答[:：]\s*)?([\p{Script=Han}A-Za-z“”]{2,20}?)(?:的)?(?:申请|申报|补贴|支持|认定)条件[:：]$/u;
const NOT_A_NAME = /^(?:基本|具体|主要|相关|其他|一般|共同|通用|有关|以下|下列|如下)$/;
// 「（1）初创企业的法定代表人（女性不超过55周岁…）符合以下条件之一：」: the lead binds, the items below are options.
const OPTIONS_LEAD = /^(.*?)[，,]?(?:须|应|需|应当)?(?:同时)?(?:符合|满足|具备)(?:以下|下列|如下)(?:条件|情形)之一[:：]?$/;

const CROSS_REFERENCE = /符合(?:本(?:通知|办法|细则|指南))?第([一二三四五六七八九十]+)(?:条|部分)第?(\d{1,2})(?:至|到|-|—|～)(\d{1,2})项(?:规定的?)?条件/;

/** «符合第一条第1至4项条件的企业»: the section and items a lead refers to. */
function crossReference(lead: string): Block["inherits"] {
  const m = CROSS_REFERENCE.exec(lead);
  return m ? { section: m[1], from: Number(m[2]), to: Number(m[3]) } : undefined;
}

/** Documents with headings or inline labels: 一、适用对象 … 补贴条件： … */
function documentBlocks(paras: P[]): Block[] {
  // Run-on texts (no paragraph breaks) are cut into sentences and at outline markers.
  // So is a paragraph that opens a list of conditions inline («须同时满足以下条件：（一）…；（二）…»).
  const units = paras.flatMap((p) =>
    p.text.length > 300 || (CONDITION_CUE.test(p.text) && /[:：]\s*\S/.test(p.text))
      ? p.text
          .split(/(?<=[。；;])|(?<=(?:条件|要求|如下)[:：])|(?=[一二三四五六七八九十]+、)|(?=[（(][一二三四五六七八九十]+[）)])/)
          .map((t) => ({ ...p, text: t.trim() }))
          .filter((u) => u.text)
      : [p],
  );
  const blocks: Block[] = [];
  let current: Block | null = null;
  let programme: string | null = null;
  let section: string | undefined;
  for (const u of units) {
    const t = u.text.replace(/\*\*/g, "").trim();
    // 「第四条　申领算力券的企业应当同时符合下列条件：」 opens the common conditions;
    // 「第五条　申请大模型创新应用支持的，除符合第四条规定外，还应当具备以下条件之一：」 a programme's extra ones.
    const article = /^第[一二三四五六七八九十百\d]+条[\s　]*(.*)$/.exec(t);
    if (article) {
      current = null;
      const rest = article[1];
      const name = /^([^\s　。：:，,]{2,20})[\s　]+\S/.exec(rest)?.[1];
      if (CONDITION_CUE.test(rest) || /条件[:：]|(?:下列|以下)(?:条件|情形)|还应当?(?:满足|具备|符合)/.test(rest)) {
        const extending = /除符合.{0,12}(?:规定|条件)外|还应/.test(rest);
        const applying = /(?:申请|申领|申报)([^，。的]{2,20})的/.exec(rest)?.[1];
        current = {
          programme: extending ? (applying ?? name ?? programme ?? "其他") : null,
          role: "conditions",
          text: [],
          anyOf: /之一/.test(rest),
          ...(extending ? { addOn: true } : {}),
        };
        blocks.push(current);
        const after = rest.split(/[:：]/).slice(1).join("：").trim();
        if (after) current.text.push(after);
      } else if (name && OTHER_LABEL.test(name)) {
        programme = null;
      }
      continue;
    }
    if (/(?:提交|提供|报送)(?:以下|下列|如下)?(?:申报|申请)?材料/.test(t)) {
      current = null;
      continue;
    }
    const named = NAMED_CONDITIONS.exec(t);
    if (named && !GENERIC_APPLICANT.test(named[1]) && !NOT_A_NAME.test(named[1])) {
      programme = named[1];
      current = { programme, role: "conditions", text: [] };
      blocks.push(current);
      continue;
    }
    if (current?.until) {
      const style = numberingStyle(t);
      if (style === current.until) {
        current = { programme: current.programme, role: "conditions", text: [] };
        blocks.push(current);
      } else if (style && current.options && style !== current.options) {
        // An item of some outer list we did not see open: where it belongs is unclear, so it is not read as binding.
        current = null;
        continue;
      } else if (style) current.options ??= style;
    }
    const lead = OPTIONS_LEAD.exec(t.replace(NUMBERED, "").trim());
    if (lead && numberingStyle(t) && (current?.role === "conditions" || programme)) {
      const own = lead[1].trim();
      if (own.length >= 4) {
        if (current?.role !== "conditions") blocks.push((current = { programme, role: "conditions", text: [] }));
        current.text.push(own);
      }
      current = { programme: current?.programme ?? programme, role: "conditions", text: [], anyOf: true, until: numberingStyle(t)! };
      blocks.push(current);
      continue;
    }
    const heading =
      u.kind === "heading" ||
      (t.length <= 30 && /^(?:\d{1,2}[、．.]|[一二三四五六七八九十]+、)/.test(t) && !/[。；;，,]/.test(t)) ||
      (t.length <= 20 && /^[（(][一二三四五六七八九十]+[）)][^，,；;]+。?$/.test(t));
    if (TARGET_LABEL.test(t) || CONDITION_LABEL.test(t) || (CONDITION_CUE.test(t) && t.length <= 60)) {
      const role = TARGET_LABEL.test(t) ? "target" : "conditions";
      // «补贴对象：符合条件的用人单位» after a programme's conditions is that programme's.
      const ownTarget = role === "target" && !!programme && !NUMBERED.test(t) && blocks.some((b) => b.programme === programme && b.role === "conditions");
      const inherits = role === "conditions" ? crossReference(t) : undefined;
      current = {
        programme: role === "target" && !ownTarget ? null : programme,
        role,
        text: [],
        ...(section ? { section } : {}),
        ...(inherits ? { inherits, ...(/(?:以下|下列)(?:条件|情形)之一/.test(t) ? { anyOf: true } : {}) } : {}),
      };
      blocks.push(current);
      const rest = t.replace(TARGET_LABEL, "").replace(CONDITION_LABEL, "").trim();
      if (rest && !CONDITION_CUE.test(rest)) current.text.push(rest);
      const lead = applicantLead(rest);
      if (lead) current.text.push(lead);
      continue;
    }
    if (OTHER_LABEL.test(t) || PROCESS.test(t)) {
      current = null;
      continue;
    }
    if (heading) {
      section = /^([一二三四五六七八九十]+)、/.exec(t)?.[1];
      programme = t
        .replace(/^(?:\d{1,2}[、．.]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])\s*/, "")
        .replace(/。$/, "")
        .slice(0, 40);
      current = null;
      continue;
    }
    if (current) {
      if (/(?:以下|下列)条件之一|情形之一[:：]$/.test(t) && current.text.length === 0) current.anyOf = true;
      else current.text.push(t);
    } else {
      // 「对年度研发投入金额占年度营业收入5%以上的，…给予…支持」: the support names its own condition.
      const m = /(?:^|。|，)对(?!于)([^。；]{4,80}?)的[，,]/.exec(t);
      if (m && /(?:给予|奖励|补贴|支持|资助)/.test(t) && programme) blocks.push({ programme, role: "conditions", text: [m[1]] });
    }
  }
  return [...mergeProgrammes(blocks), ...facilitySites(paras)];
}

/** «本项目的项目申报主体为个人，其应同时具备以下条件：»: the words before the cue, when they say who may apply. */
function applicantLead(text: string): string | null {
  if (!CONDITION_CUE.test(text)) return null;
  const lead = text
    .split(CONDITION_CUE)[0]
    .replace(NUMBERED, "")
    .replace(/[，,]?(?:其|并)?$/, "")
    .trim();
  return lead.length >= 6 && readChecks(lead, { policyRegionPath: [], regionHint: [] }).some((c) => c.type === "applicantKind") ? lead : null;
}

const EXCLUDED = /^([^，,。；]{4,40}?)(?:的(?:企业|单位|项目|活动|情形)?)?(?:不适用|不予支持|不在支持范围内?)(?:本政策|本办法|本通知)?$/;
// «不属于房地产、金融、类金融企业», «企业提供的产品和服务不属于国家规定的禁止、限制和淘汰类»: kinds left out, which rule
// out only a company that says it is one; not «不属于…的，…» (a case) nor what must not be true of a project's content.
const NOT_OF_KIND =
  /^(?:企业|申报单位|申报企业|申请人)?(?:提供的产品和服务|主营业务|所属行业)?不属于([^，,。；]{4,60}?)(?:等)?(?:企业|行业|类|活动|范围|项目)$/;
const CIRCUMSTANCE = /^(?:由|凡|如|若)(?:有)?([^，,]{4,40}?)[，,](?:则)?(?:须|应|需|应当|还须|还应|还需)(.+)$/;
// What sets some applicants apart: moving in from elsewhere, applying jointly, a branch.
const CIRCUMSTANCE_WORDS = /迁入|迁移|搬迁|新引进|联合申报|共同申报|多个|两个及以上|分支机构|分公司|外省市|境外/;
const GENERIC_APPLICANT = /^(?:申请单位|申报单位|项目申报单位|项目申请单位|申报企业|申请企业|申请人|企业|单位|申报主体|项目单位|借款人)$/;

/** A line that opens one programme's conditions, and what follows it on the same line. */
function programmeHeader(text: string): { name: string; rest: string } | null {
  const numbered = /^(?:\d{1,2}\s*[．.、](?!\d)|[（(]\d{1,2}[）)]|[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十]+[）)])\s*(.*)$/.exec(text);
  const body = numbered ? numbered[1] : text;
  // 「2．相关赛事获奖优胜企业须满足条件：获得…」「1．企业信用融资试点条件：」「纳入支持的科技型小微企业须满足以下条件：」
  const labelled =
    /^(.{2,40}?)(?:须|应|需要?)?(?:同时)?(?:满足|符合|具备)?(?:以下|下列|如下)?(?:所有|全部)?(?:支持|申请|申报)?(?:必要|基本)?条件(?:如下)?[:：](.*)$/.exec(
      body,
    );
  if (labelled) {
    const name = labelled[1]
      .split(/[，,]/)
      .filter(Boolean)
      .pop()!
      .replace(/^(?:纳入支持的|申请的?|申报的?)/, "")
      .replace(/(?:在[^，]{0,10}时)?[，,]?$/, "")
      // «以设计为主营业务的法人单位申请认定应具备以下条件»: the programme is who applies, not the act of applying.
      .replace(/(?:申请|申报)(?:认定|支持|资助)?$/, "")
      .replace(/的$/, "");
    if (GENERIC_APPLICANT.test(name) || name.length < 2) return null;
    return { name, rest: labelled[2].trim() };
  }
  // 「1．支持共性技术平台建设。」: a short line naming what is supported.
  if (numbered && body.length <= 18 && /^(?:支持|实施|鼓励|开展)/.test(body) && !/[，,]/.test(body)) return { name: body.replace(/[。：:]$/, ""), rest: "" };
  return null;
}

/** Splits a conditions cell at programme headers; text before the first header applies to all. */
function byProgramme(paras: P[], role: Block["role"]): Block[] {
  const blocks: Block[] = [];
  let current: Block = { programme: null, role, text: [] };
  blocks.push(current);
  for (const p of paras) {
    const header = programmeHeader(p.text);
    if (header) {
      current = { programme: header.name, role, text: header.rest ? [header.rest] : [] };
      blocks.push(current);
      continue;
    }
    if (CONDITION_CUE.test(p.text) && p.text.length <= 40) {
      const lead = applicantLead(p.text);
      if (lead) current.text.push(lead);
      continue;
    }
    current.text.push(p.text);
  }
  return blocks.filter((b) => b.text.length);
}

function mergeProgrammes(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    const same = out.find((o) => o.role === b.role && o.programme === b.programme && !o.anyOf && !b.anyOf && o.case === b.case);
    if (same) same.text.push(...b.text);
    else if (b.text.length && out.find((o) => o.programme === b.programme && o.role === b.role)) out.push({ ...b, text: [...b.text] });
    else if (b.text.length) out.push({ ...b, text: [...b.text] });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Clauses → checks

const FILLER = /^(?:其中|具体如下|具体条件如下|包括|主要包括|如下|等|并符合以下条件的?|符合以下条件之一)$/;
const NOT_A_CONDITION =
  /^(?:也)?可(?:为|以|按)|^[^，。；]{1,10}可为|^鼓励|^支持(?!对象)|参照执行|另行通知|以申报通知为准|提出的其他条件|其他条件$|给予.{0,20}(?:支持|补贴|奖励|资助)|(?:补贴|支持|奖励)(?:金额|标准|期限)|可申请|只能享受一次|不得重复申报|采取.{0,8}方式|支持方式|宣传推广|优先推荐|^包括.{0,30}(?:两类|三类|几类)$|分为.{0,10}类/;
// «项目总投资额包括设施购置或租赁费、…», «包括融资类保险、研发类保险…»: what a term covers, not what the applicant must be.
const ENUMERATION = /^(?:[^，。；须应需不]{0,16})(?<![不未])包括[:：]?(?![^，。；]{0,6}(?:须|应|需))/;
// «最高不超过 5000 万元», «按照固定资产投资总额 30%的比例安排…补助资金», «资助额度一般不超过…»: the support, not a condition.
const SUPPORT_AMOUNT =
  /^(?:单个项目|每[个家项件年])?最高(?:不超过)?\s*[\d.]+\s*[万亿]?元$|安排[^，。；]{0,30}(?:补助|资助|奖励|补贴|支持)资金|^(?:资助|补助|奖励|补贴|支持)(?:额度|金额|比例)|获得[^，。；]{0,16}(?:资助|补助|奖励|补贴)(?:资金)?(?:额度|金额)?(?:一般|原则上)?不超过/;
// «如实填写《项目申报书》», «报送至所在区文化委员会», «每个单位仅可申报 1 个项目»: the procedure, not the applicant.
const PROCEDURE = /填写[^，。；]{0,12}(?:申报书|评分表|申请表)|填写并提交|报送至|(?:材料|申报书)中?(?:需|须|应)?提供|仅(?:可|能)申报\s*\d|限报/;
// Support and promotion sentences say what the government does, not what the applicant must be.
const SUPPORT_VERB = /给予|推荐|推广|奖励|补贴|资助|贴息|补助|共同支持|支持.{0,6}(?:建设|发展|开展)/;
// «申请补贴当月前连续3个月…»: the applicant asking for support is no support being given.
const APPLYING_FOR = /(?:申请|申领|申报|领取|享受)(?:补贴|资助|奖励|补助|贴息|支持)/g;
const CONDITION_MODAL = /须|应|需|要求|条件|符合|具备|具有|满足|不得|不超过|不低于|以上|以下/;
// Sentences about the administration or third parties, not about the applicant.
const NOT_ABOUT_APPLICANT =
  /^(?:由|经)?(?:市|区|各区|省)[^，。]{0,12}(?:委|局|办|政府|管委会)|管委会|第三方(?:专业)?机构|专家(?:评审|论证)|形式审查|初审|复审|评审|公示|工作日|时限|办理(?:流程|方式|事项)|具体流程|受理|颁发|送达|申报材料|汇总|组织(?:专家|评审|实施|开展|申报)|审核|^(?:银行|担保机构|合作担保机构|保险机构|金融服务机构|金融机构|开放单位|平台|机构|该机构|单家机构)|对该机构|代偿|追偿|风险补偿/;
const APPLICANT_DEFINITION = /^(?:其中，?)?(?:金融服务机构|金融机构|高等学校|科研机构|担保机构|开放单位)(?:是指|指)/;
// 「有下列情形的不予支持：…」: what follows disqualifies; absent a fact saying so, it does not apply.
const DISQUALIFIERS = /(?:有下列|存在以下|有以下)情形(?:之一)?的?(?:，)?(?:不予|不得|不)(?:支持|申报|受理)/;

// «面向全国», «全国范围内（不含港澳台地区）», «不限注册地»: a call open beyond the issuer's jurisdiction.
const OPEN_TO_ALL = /面向全国|全国范围|全国各地|不限(?:注册)?地|不限地域|京外|外省市|国内外|境内外(?:企业|机构|团队)/;

export type ExtractOptions = { policyRegionPath: string[]; title?: string };

/** Structured criteria of one policy from its text. Pure and offline. */
export function extractCriteria(body: string, options: ExtractOptions): PolicyCriteria {
  const blocks = conditionBlocks(body, options.title);
  const regionHint = regionExtension(body) ?? options.policyRegionPath;
  let n = 0;
  let groups = 0;
  const toCriteria = (texts: string[], soft = false) => {
    const ctx: ClauseContext = { ...options, regionHint };
    return texts.flatMap((t) => criteriaOf(t, ctx, () => `c${++n}`, soft));
  };
  const blockCriteria = (b: Block): Criterion[] => {
    if (b.case) return toCriteria(b.text).map((c) => ({ ...c, case: b.case }));
    if (b.siteOnly)
      return toCriteria(b.text).flatMap((c) => (c.checks.some((k) => k.type === "site") ? [{ ...c, checks: c.checks.filter((k) => k.type === "site") }] : []));
    if (!b.anyOf) return toCriteria(b.text);
    const group = `g${++groups}`;
    return b.text.flatMap((t, option) => toCriteria([t]).map((c) => ({ ...c, group, option })));
  };
  // Who a policy addresses, in free words, describes; its places and qualifications decide.
  const common = [
    ...toCriteria(
      blocks.filter((b) => b.role === "target" && b.programme === null).flatMap((b) => b.text),
      true,
    ),
    ...blocks.filter((b) => b.role === "conditions" && b.programme === null).flatMap(blockCriteria),
  ];
  // «符合第一条第1至4项条件的企业，若同时符合下列条件之一»: those items bind too, each item as its section numbers it.
  const inherited = (b: Block) =>
    b.inherits
      ? toCriteria(
          blocks
            .filter((o) => o !== b && o.role === "conditions" && o.section === b.inherits!.section)
            .flatMap((o) => o.text)
            .filter((t) => {
              const item = Number(NUMBERED.exec(t)?.[1]);
              return item >= b.inherits!.from && item <= b.inherits!.to;
            }),
        )
      : [];
  const programmes = [...new Set(blocks.filter((b) => b.role === "conditions" && b.programme !== null).map((b) => b.programme!))].map((name) => {
    const own = blocks.filter((b) => b.programme === name);
    const criteria = [
      ...toCriteria(
        own.filter((b) => b.role === "target").flatMap((b) => b.text),
        true,
      ),
      ...own.filter((b) => b.role === "conditions").flatMap((b) => [...inherited(b), ...blockCriteria(b)]),
    ];
    return { name, criteria, ...(own.some((b) => b.addOn) ? { addOn: true } : {}) };
  });
  let kept = programmes.filter((p) => p.criteria.length);
  // No conditions stated apart: each support item («（二）租金补贴。在天河区依法登记注册…的港澳青年企业，…予以租金补贴») is a programme, whom it supports its conditions.
  const hard = (cs: Criterion[]) => cs.some((c) => !c.soft && !c.disqualifier);
  if (!hard(common) && !kept.some((p) => hard(p.criteria))) {
    kept = supportItemsOf(body, options.title)
      .map(({ name, targets }) => ({ name, criteria: toCriteria(targets) }))
      .filter((p) => hard(p.criteria));
  }
  // A local policy that names no place for its applicants still pays from a local budget: it is for its own jurisdiction.
  const placed = [...common, ...kept.flatMap((p) => p.criteria)].some((c) =>
    c.checks.some((k) => k.type === "region" || k.type === "site" || (k.type === "both" && k.checks.some((x) => x.type === "region"))),
  );
  const path = options.policyRegionPath;
  if (!placed && path.length && !OPEN_TO_ALL.test(body.replace(/\s+/g, ""))) {
    common.push({
      id: `c${++n}`,
      text: `本政策由${path[path.length - 1]}发布，适用于其辖区内的申报主体`,
      mode: "all",
      checks: [{ type: "region", path, place: path[path.length - 1], operating: true }],
    });
  }
  // «2025年度新认定的国家级专精特新“小巨人”企业，给予一次性奖励100万元；2025年度新认定的…»: a reward for what was newly
  // granted in a year is for those only, whatever list the conditions name; one of the rewarded grants must hold.
  const rewarded = rewardedGrants(body);
  const grant: Criterion[] =
    rewarded.length && ![...common, ...kept.flatMap((p) => p.criteria)].some((c) => c.checks.some((k) => k.type === "recognised"))
      ? [{ id: `c${++n}`, text: rewarded.map((r) => r.text).join("；"), mode: "any", checks: rewarded.map((r) => r.check) }]
      : [];
  // «本办法所称港澳青年企业，是指…»: a criterion naming a defined term needs what the definition says.
  const defs = definitionsIn(body);
  const defined = (cs: Criterion[]) => [
    ...cs,
    ...definedBy(cs, defs).flatMap(([term, meaning]) => toCriteria([meaning]).map((c) => ({ ...c, text: `（${term}）${c.text}` }))),
  ];
  common.splice(0, common.length, ...defined(common));
  kept = kept.map((p) => ({ ...p, criteria: defined(p.criteria) }));
  // One programme is no choice: its conditions are simply the policy's.
  // The grant rewarded is read last, after where the applicant must be and what it must hold.
  if (kept.length === 1 && !kept[0].addOn) return { common: [...common, ...kept[0].criteria, ...grant], programmes: [] };
  return { common: [...common, ...grant], programmes: kept };
}

/** The grants a text rewards by year («2025年度新认定的…，给予…»), each once. */
function rewardedGrants(body: string): Array<{ text: string; check: Check }> {
  const out: Array<{ text: string; check: Check }> = [];
  for (const sentence of body.split(/[。；;\n]/).map((t) => t.replace(/\s+/g, ""))) {
    const gives = /^(.{6,80}?)[，,]?(?:给予|予以|奖励|一次性)/.exec(sentence);
    if (!gives) continue;
    // Only the grant-year reader: the other kinds have nothing to say about a support sentence.
    for (const check of recognised.read(readClause(gives[1]), { policyRegionPath: [], regionHint: [] }, [])) {
      if (!out.some((o) => JSON.stringify(o.check) === JSON.stringify(check))) out.push({ text: gives[1].replace(/^(?:对|凡)/, ""), check });
    }
  }
  return out;
}

// «（二）租金补贴。…», «第三条 载体建设。…», «2．促进机器人创新成果首试首用»: a support item and its name.
const NAMED_ITEM =
  /^(?:第[一二三四五六七八九十百]+条|[（(][一二三四五六七八九十]+[）)]|\d{1,2}\s*[．.、](?!\d))\s*([^。：:，,；;（(]{2,16})(?:[。：:]\s*(.*))?$/;
// Whom the support goes to: the words before «给予»/«予以» in a sentence that gives something.
const GIVES = /^(.{6,160}?)[，,]?(?:可|将|按照?[^，。；]{0,30})?(?:给予|予以)/;

/** Support items with the words that say whom each supports, for a policy that states no conditions apart. */
function supportItemsOf(body: string, title?: string): Array<{ name: string; targets: string[] }> {
  const items = new Map<string, string[]>();
  let name: string | null = null;
  for (const p of toParagraphs(body, title)) {
    const t = p.text.replace(/\s+/g, "");
    const item = NAMED_ITEM.exec(t);
    const text = item ? (item[2] ?? "") : t;
    if (item) name = item[1];
    // An article with no name of its own («第九条 符合本办法规定的同一项目…») ends the item before it.
    else if (/^第[一二三四五六七八九十百]+条/.test(t)) name = null;
    if (!name || !text) continue;
    for (const sentence of text.split(/(?<=[。；;])/)) {
      const gives = GIVES.exec(sentence);
      // «每年安排最高100万元经费予以支持»: the budget, not whom; «按以下标准额外给予奖励»: the items below say whom.
      if (!gives || /安排|经费/.test(gives[1]) || /(?:以下|下列|如下)(?:标准|方式|情形)/.test(sentence)) continue;
      // «…的港澳青年企业，对其入驻…孵化载体期间…»: both whom, and on what.
      const targets = gives[1]
        .replace(/^(?:对|凡|鼓励|支持)/, "")
        .split(/[，,]对其/)
        .map((x) => x.replace(/^对/, ""))
        .filter((x) => x.length >= 6);
      if (targets.length) items.set(name, [...(items.get(name) ?? []), ...targets]);
    }
  }
  return [...items].map(([n, targets]) => ({ name: n, targets }));
}

// «本办法所称港澳青年，是指45周岁以下，具有中国国籍的香港、澳门特别行政区居民。»
const DEFINITION = /(?<=所称(?:的)?|其中[，,]?|[；;])[“「]?([^，。；;“”「」]{2,20}?)[”」]?[，,]?(?:是指|指)([^。；;]{4,200})(?=[。；;])/g;

/**
 * The definitions a set of criteria relies on: a hard criterion names the term, as itself and not
 * inside a longer defined term («港澳青年企业» is not «港澳青年»), and does not already state the meaning.
 */
function definedBy(criteria: Criterion[], defs: Array<[string, string]>): Array<[string, string]> {
  const names = (text: string, term: string) => {
    let rest = text;
    for (const [longer] of defs) if (longer.length > term.length && longer.includes(term)) rest = rest.split(longer).join("");
    return rest.includes(term);
  };
  return defs.filter(([term, meaning]) => criteria.some((c) => !c.soft && !c.disqualifier && names(c.text, term) && !c.text.includes(meaning.slice(0, 8))));
}

/** Terms the policy defines, longest first, with what each means. */
function definitionsIn(body: string): Array<[string, string]> {
  const out = new Map<string, string>();
  for (const m of body.replace(/\s+/g, "").matchAll(DEFINITION)) if (!out.has(m[1])) out.set(m[1], m[2].replace(/^(?:以|由)?/, ""));
  return [...out].sort((a, b) => b[0].length - a[0].length);
}

/** 「符合支持条件的注册在北京市其他区域的创新主体参照执行」: the whole city is covered. */
function regionExtension(body: string): string[] | null {
  const m = /注册在([^，。；]{2,12}?)其他区域的[^。]{0,12}参照执行/.exec(body.replace(/\s+/g, ""));
  return m ? completePath([canonicalPlace(m[1])]) : null;
}

type ClauseContext = ExtractOptions & ReadContext & { disqualifying?: boolean };

/** One paragraph or sentence of conditions → criteria (one per clause that carries a condition). */
function criteriaOf(paragraph: string, ctx: ClauseContext, nextId: () => string, soft = false): Criterion[] {
  const text = paragraph
    .replace(/^(?:\d{1,2}\s*[．.、](?!\d)|[（(]\d{1,2}[）)]|[①-⑳]|[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十]+[）)])\s*/, "")
    // «申报企业要满足以下要求：经营跨境电子商务零售进口业务的企业»: the lead names no condition of its own.
    .replace(/^[^：:，,。]{0,20}(?:满足|符合|具备)(?:以下|下列|如下)(?:条件|要求)[:：]\s*(?:[（(]\d{1,2}[）)])?/, "")
    .trim();
  const out: Criterion[] = [];
  const sentences = protectBrackets(text)
    .split(/(?<=[。；;])/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const raw of sentences) {
    const sentence = restoreBrackets(raw);
    // «已按照规定享受其他市级财政资金支持的，不再重复享受奖补资金补助»: the case rules the company out.
    // Only a state of affairs («已…», «存在…», «被列入…») rules out; «申请贷款贴息的，不得同时…» only forbids combining.
    const ruledOut = /^(?:对|凡)?([^，,]{4,40}?)的[，,](?:不再|不予|不得|不能)/.exec(sentence);
    if (
      ruledOut &&
      /已|曾|存在|被|列入|纳入|受到|发生|涉嫌/.test(ruledOut[1]) &&
      !/申请|申报|拟/.test(ruledOut[1]) &&
      !readChecks(ruledOut[1], ctx).some((c) => c.type === "age" || c.type === "qualification" || c.type === "threshold")
    ) {
      out.push({ id: nextId(), text: ruledOut[1], mode: "all", checks: [{ type: "text" }], disqualifier: true });
      continue;
    }
    if (NOT_A_CONDITION.test(sentence) && !/(?:须|应|需)/.test(sentence)) continue;
    if (SUPPORT_VERB.test(sentence.replace(APPLYING_FOR, "")) && !CONDITION_MODAL.test(sentence)) continue;
    if (NOT_ABOUT_APPLICANT.test(sentence) || APPLICANT_DEFINITION.test(sentence) || notARequirement(sentence.replace(/[。；;]$/, ""))) continue;
    // «尚未注册企业的创业团队（…），可凭…申领“团队券”»: what another kind of applicant may claim binds only that kind.
    const otherKind = /^((?:尚未注册(?:企业|公司)的)?创业团队|自然人|个人)[^，,。；]*?[，,]\s*可(?:凭|申请|申领|享受|按)/.exec(
      sentence.replace(/[（(][^）)]*[）)]/g, ""),
    );
    if (otherKind) {
      for (const c of clauseCriteria(sentence, ctx, nextId, soft)) out.push({ ...c, case: otherKind[1] });
      continue;
    }
    // «不侵犯任何第三方的知识产权或其他合法权益», «与提供服务的机构之间不存在控股、参股…等关联关系»: an undertaking;
    // it rules a company out only when a fact says otherwise.
    if (/^(?:且|并)?(?:不(?:侵犯|侵害|涉及|违反)|与[^，,。；]{2,24}?(?:之间)?不存在)/.test(sentence)) {
      out.push({ id: nextId(), text: sentence.replace(/^(?:且|并)/, "").replace(/[。；;]$/, ""), mode: "all", checks: [{ type: "text" }], disqualifier: true });
      continue;
    }
    // «初创企业是指…»: a definition of one alternative; only its place and qualifications bind.
    if (/是指|指的是/.test(sentence) && !readChecks(sentence, ctx).some((c) => c.type === "region" || c.type === "qualification")) continue;
    if (DISQUALIFIERS.test(sentence) || ctx.disqualifying) {
      ctx.disqualifying = true;
      const item = sentence.replace(/^.*?(?:不予支持|不得申报|不予受理)[:：]?/, "").replace(/[。；;]$/, "");
      if (item.length >= 4) out.push({ id: nextId(), text: item, mode: "all", checks: [{ type: "text" }], disqualifier: true });
      continue;
    }
    // 「…的，…」: a clause ending in 的 says to whom the rest applies.
    const caseOf = (m: RegExpExecArray | null) =>
      m && { m, when: readChecks(m[1], ctx).find((c) => c.type === "age" || c.type === "qualification" || c.type === "threshold") };
    // «成立不满两年的企业，自成立之日起…»: a case may name whom it is about, when its words say which companies.
    const named = caseOf(/^([^，,]{4,40}?)的(?:企业|单位|申请人|申报单位)[，,](.+)$/.exec(sentence));
    const found = caseOf(/^([^，,]{4,40}?)的[，,](.+)$/.exec(sentence)) ?? (named?.when ? named : null);
    // «由外省市整体迁入本市的高新技术企业，须在资格有效期内…», «如有两个及以上主体联合申报，须以…»: a circumstance
    // some applicants are in; what follows binds them only.
    const circumstance = !found?.when ? CIRCUMSTANCE.exec(sentence) : null;
    if (circumstance && CIRCUMSTANCE_WORDS.test(circumstance[1])) {
      const text = sentence.replace(/[。；;]$/, "");
      for (const c of clauseCriteria(circumstance[2], ctx, nextId, soft)) out.push({ ...c, text, case: circumstance[1] });
      continue;
    }
    if (found) {
      const { m: conditional, when } = found;
      const rest = clauseCriteria(conditional[2], ctx, nextId, soft);
      const text = sentence.replace(/[。；;]$/, "");
      // When we cannot tell whether the case applies («申请贷款贴息支持资金的，…»), it informs but does not decide.
      for (const c of rest) out.push(when ? { ...c, when, text } : { ...c, text, soft: true });
      continue;
    }
    out.push(...clauseCriteria(sentence, ctx, nextId, soft));
  }
  return out;
}

// «其中租金补助不超过 30 万元», «资金支持比例不超过项目审定实际投资额的 50%», «给予一次性补助金额不超过 50 万元»: a cap on the support, not on the applicant.
const SUPPORT_CAP = /(?:补助|资助|奖励|补贴)(?:资金|金额)?(?:最高)?(?:一般|原则上)?不超过|资金支持比例(?:最高)?不超过|累计支持不超过|最高支持比例/;
// «并符合下列条件之一：», «申报单位及资质要求»: a heading over conditions, none itself;
// «…以企业上一年度主营业务收入占收入总额50%以上为判断标准»: how a term is decided, said of the clause before.
const HEADING = /[：:]$|^[^，。；]{2,12}(?:要求|条件)$|为(?:判断|认定|计算)(?:标准|依据)$/;

/** An enumeration, the support on offer, a heading or a step of the procedure: no condition on the applicant. */
const notARequirement = (text: string) =>
  ENUMERATION.test(text.replace(/[（(][^）)]*[）)]/g, "")) ||
  SUPPORT_AMOUNT.test(text) ||
  SUPPORT_CAP.test(text) ||
  (HEADING.test(text) && !DISQUALIFIERS.test(text)) ||
  PROCEDURE.test(text);

const GUARDED = "，,。；;或";
/** Commas and full stops (and, when asked, 或) inside brackets do not end a clause. */
function protectBrackets(text: string, extra = ""): string {
  const guarded = "，,。；;" + extra;
  let depth = 0;
  let out = "";
  let prev = "";
  for (const ch of text) {
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) depth = Math.max(0, depth - 1);
    // «（或月均不少于40万元）» opens with its 或: an alternative all the same.
    const opensAlternative = ch === "或" && OPEN.includes(prev);
    out += depth > 0 && guarded.includes(ch) && !opensAlternative ? String.fromCharCode(0xe000 + GUARDED.indexOf(ch)) : ch;
    prev = ch;
  }
  return out;
}
function restoreBrackets(text: string): string {
  return text.replace(/[\ue000-\ue005]/g, (ch) => GUARDED[ch.charCodeAt(0) - 0xe000]);
}

function clauseCriteria(sentence: string, ctx: ClauseContext, nextId: () => string, soft: boolean): Criterion[] {
  const body = protectBrackets(sentence.replace(/[。；;]$/, ""));
  // Clauses joined by 「，或」 are alternatives; other commas separate criteria.
  const pieces = body
    .split(/[，,](?!或)/)
    .map((p) => restoreBrackets(p).trim())
    .filter((p) => p && !FILLER.test(p));
  const out: Criterion[] = [];
  let lastSubject = "";
  for (const raw of pieces) {
    // «研发人员不少于10人，且占职工总数比例不低于30%»: the share is of the subject before.
    const piece = /^(?:且|并且|并|同时)?(?:占|比重|比例|增长|增量)/.test(raw) && lastSubject ? `${lastSubject}${raw.replace(/^(?:且|并且|并|同时)/, "")}` : raw;
    // «2025年度研发费用较2024年度增长10%以上，且增量不低于100万元»: years are not the figure's name, nor is what it is compared with.
    const subject = /^(.*?)(?:不低于|不少于|不超过|不高于|达到|在?\s*\d)/
      .exec(piece.replace(/^(?:且|并且|并|同时)/, "").replace(/(?:19|20)\d{2}\s*年度?/g, ""))?.[1]
      ?.replace(/较.*$/, "");
    if (subject && subject.length >= 2) lastSubject = subject.replace(/[在为]$/, "");
    if (NOT_ABOUT_APPLICANT.test(piece) || NOT_A_CONDITION.test(piece) || notARequirement(piece)) continue;
    // «实行核定征收的企业不适用»: an exclusion; it rules a company out only when a fact says the company is in it.
    const unqualified = piece.replace(/^(?:且|并|但)/, "");
    // A list of excluded industries the applicant kind reads («不属于房地产业、批发和零售业等不适用行业») stays structured.
    const excluded = EXCLUDED.test(unqualified) || (NOT_OF_KIND.test(unqualified) && readChecks(piece, ctx).every((c) => c.type === "text"));
    if (excluded) {
      out.push({ id: nextId(), text: piece, mode: "all", checks: [{ type: "text" }], disqualifier: true });
      continue;
    }
    // A dangling fragment («对其中的妇女», «在提交贷款申请时») says nothing checkable.
    if (/的$|时$|后$|前$|日$/.test(piece) && piece.length < 16) continue;
    // A 或 inside brackets («（不含法定代表人或个体户经营者）») qualifies a word; it offers no alternative.
    const alternatives = protectBrackets(piece, "或")
      .split(/[，,]?或(?:者)?(?=[^，。]{4,})/)
      .map(restoreBrackets)
      .filter(Boolean);
    // An age limit in brackets binds whichever person the 或 names («法定代表人或个体户经营者（男性不超过60周岁）»).
    if (alternatives.length > 1 && !readChecks(piece, ctx).some((c) => c.type === "personAge")) {
      const parts = alternatives.map((a) => readChecks(a, ctx));
      const structured = parts.filter((cs) => cs.some((c) => c.type !== "text"));
      const kinds = new Set(parts.flatMap((cs) => cs.map((c) => c.type)));
      if (structured.length >= 1 && !(kinds.size === 1 && kinds.has("qualification"))) {
        // A place stays required whichever alternative holds.
        // «登记注册在本区的，或主要创新活动在本区的»: the alternative that lets operating there count is the one that binds.
        const region = parts
          .flat()
          .filter((c) => c.type === "region")
          .sort((a, b) => Number(!!(b.type === "region" && b.operating)) - Number(!!(a.type === "region" && a.operating)));
        if (region.length) out.push({ id: nextId(), text: piece, mode: "all", checks: [region[0]] });
        // An alternative holds only when all it names does («初创型文化企业»: the industry, and being a start-up).
        const whole = (cs: Check[], words: string): Check[] =>
          cs.length === 1 && cs[0].type === "industry" && /初创|小微|中小|成长型|新设/.test(words) ? [cs[0], { type: "text" }] : cs;
        const rest = parts
          .map((cs, i) =>
            whole(
              cs.filter((c) => c.type !== "region"),
              alternatives[i],
            ),
          )
          .filter((cs) => cs.length)
          .map((cs): Check => (cs.length > 1 && cs.every((c) => c.type !== "both") ? { type: "both", checks: cs as LeafCheck[] } : cs[0]));
        if (rest.length) out.push({ id: nextId(), text: piece, mode: "any", checks: rest, ...(soft && rest.every((c) => c.type === "text") ? { soft } : {}) });
        continue;
      }
    }
    const checks = readChecks(piece, ctx);
    if (!checks.length || (checks.every((c) => c.type === "text") && piece.replace(/^(?:且|并|同时)/, "").length < 8)) continue;
    // «…不超过5年（含），其中生物医药领域企业注册成立不超过7年（含）»: an exception widens the criterion before.
    const prev = out[out.length - 1];
    if (/^其中/.test(piece) && prev && prev.checks.length === 1 && checks.length >= 2) {
      const same = checks.find((c) => c.type === prev.checks[0].type);
      const leaves = checks.filter((c): c is LeafCheck => c.type !== "both" && c.type !== "text");
      if (same && leaves.length >= 2) {
        out[out.length - 1] = { ...prev, text: `${prev.text}，${piece}`, mode: "any", checks: [prev.checks[0], { type: "both", checks: leaves }] };
        continue;
      }
    }
    const textOnly = checks.every((c) => c.type === "text");
    out.push({ id: nextId(), text: raw === piece ? piece : raw, mode: "all", checks, ...(soft && textOnly ? { soft } : {}) });
  }
  return out;
}

/**
 * What produced a policy's stored criteria: a fingerprint of this reader's
 * code and of every condition kind's. Ingest re-derives criteria stored
 * under another one, so a change to the rules needs no version bump.
 */
export const CRITERIA_RULES = rulesFingerprint([
  CONDITION_KINDS,
  readChecks,
  toParagraphs,
  conditionBlocks,
  extractCriteria,
  CONDITION_LABEL,
  CONDITION_CUE,
  TARGET_LABEL,
  OTHER_LABEL,
  PROCESS,
  CARD_LABELS,
  NUMBERED,
  cardBlocks,
  supportItems,
  CARD_MARKER_LINE,
  SENTENCE_DONE,
  PROCESS_START,
  conditionsCell,
  numberingStyle,
  NAMED_CONDITIONS,
  NOT_A_NAME,
  OPTIONS_LEAD,
  documentBlocks,
  applicantLead,
  GENERIC_APPLICANT,
  programmeHeader,
  byProgramme,
  mergeProgrammes,
  FILLER,
  NOT_A_CONDITION,
  ENUMERATION,
  SUPPORT_AMOUNT,
  PROCEDURE,
  SUPPORT_VERB,
  APPLYING_FOR,
  CONDITION_MODAL,
  NOT_ABOUT_APPLICANT,
  APPLICANT_DEFINITION,
  DISQUALIFIERS,
  regionExtension,
  criteriaOf,
  notARequirement,
  GUARDED,
  protectBrackets,
  restoreBrackets,
  clauseCriteria,
  JSON.stringify(extractCriteria(PROBE, { policyRegionPath: ["湖北省", "武汉市"], title: "科技型企业研发补贴" })),
]);

export type { Comparator };
