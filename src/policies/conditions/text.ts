import { z } from "zod";
import { BoundedMemo } from "../../lib/bounded-memo.js";
import type { Company, CompanyFact } from "../company.js";
import { compare, findQuantities, parseNumber } from "../quantity.js";
import { findPlaces } from "../region.js";
import { APPLICANT_KINDS } from "../vocabulary.js";
import type { Check } from "./check.js";
import { DATE } from "./dated.js";
import { askWhether, type CheckResult, type ConditionKind, contentBigramsOf, factContentBigramsOf, overlap, quote, round, typeOf } from "./kind.js";

export const TextSchema = z.object({ type: typeOf("text", "Not structured: judged against the company's facts by the policy's words") });
type Text = z.infer<typeof TextSchema>;

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
    // «不属于烟草制造业、…等不适用行业» is all exclusion: nothing is left to ask.
    const allExclusion = /^(?:且|并)?(?:申报单位|企业)?不属于/.test(clause.unbracketed) && before.every((x) => x.type === "applicant");
    if (weakOnly && !allExclusion && clause.unbracketed.replace(/具有|具备|独立法人资格|法人|企业|的/g, "").length >= 8) return [{ type: "text" }];
    // So does «申报主体应为经商务部认定的中华老字号企业»: being an enterprise is the least of it, the recognition is the condition.
    const kindOnly =
      before.length > 0 &&
      before.every((x: Check) => ["applicant", "legalEntity", "applicantKind", "region"].includes(x.type)) &&
      before.some((x) => x.type === "applicantKind");
    if (kindOnly && RECOGNISED.test(residue(clause.unbracketed))) return [{ type: "text" }];
    // «在…期间签订贷款合同并实际发生采购、可形成固定资产投资的设备购置…项目»: the date is one demand of several.
    const datedOnly = before.length > 0 && before.every((x) => x.type === "dated");
    if (datedOnly && clause.unbracketed.replace(/[\d年月日至到（含）]|期间|之间|时间|近|内/g, "").length >= 20) return [{ type: "text" }];
    if (before.length > 0) return [];
    // A bare applicant-kind phrase is not a condition to check on its own: 「以及高等学校、科研机构等创新主体」.
    if (/^以及/.test(c) && Object.values(APPLICANT_KINDS).some((re) => re.test(c))) return [];
    return c.length >= 6 ? [{ type: "text" }] : [];
  },
  judge(_check, text, company) {
    const { core, unfundedAsked, alternatives, criterionNegated, words } = wordsOf(text);
    if (unfundedAsked) {
      const funded = fundedBy(core, company.facts);
      if (funded) return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${funded.text}` };
    }
    const short = rankOrHeadsShort(core, company.facts);
    if (short) return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${short.text}` };
    let best: { fact: CompanyFact; score: number } | undefined;
    for (const f of company.facts) {
      const score = Math.max(
        overlap(text, f.text),
        core.length >= 8 ? overlap(core, f.text) : 0,
        ...(alternatives.length > 1 ? alternatives.map((a) => overlap(a, f.text)) : []),
      );
      if (!best || score > best.score) best = { fact: f, score };
    }
    if (best && best.score >= 0.5) {
      const said = best.fact.text;
      const contradicts = criterionNegated
        ? // «未获得其他市级财政资金支持» against «已获得市级财政资金支持».
          !best.fact.negated && /已|获得|取得|享受|领取|列入/.test(said)
        : // A fact denying what the condition asks, or («产权清晰» against «产权目前还不清晰») the condition's own word.
          !DENIES_HARM.test(said) && ((best.fact.negated && /尚未|未|没有|不是|不属于/.test(said)) || deniesWordOf(core, words, said));
      if (contradicts) return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${best.fact.text}` };
      const span = durationShortfall(core, best.fact);
      if (span === "short") return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${best.fact.text}，时长或数量不足` };
      if (span === "unstated")
        return { status: "unknown", reason: `政策要求${quote(text)}；企业自述未写明时长或数量：${best.fact.text}`, question: askWhether(text) };
      return { status: "met", reason: `企业自述：${best.fact.text}` };
    }
    // «已按规定报送2025年度《企业研发活动情况表》» against «已报送2025年度企业研发活动情况表»: the document named, with the same act.
    const named = namedDocument(core, company.facts);
    if (named) return { status: "met", reason: `企业自述：${named.text}` };
    // Several facts together may say what one does not («已完成项目策划» and «尚未首演»).
    const together = jointCover(core.length >= 8 ? core : text, company.facts);
    if (together) return { status: "met", reason: `企业自述：${together.map((f) => f.text).join("；")}` };
    const late = outsideWindow(core, company.facts);
    if (late) return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${late.text}` };
    const denied = deniedBy(core, company.facts);
    if (denied) return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${denied.text}` };
    const graduate = graduateWithin(text, company);
    if (graduate) return graduate;
    return { status: "unknown", reason: `政策要求${quote(text)}，画像中没有相关信息`, question: askWhether(text) };
  },
  question: (_check, text) => askWhether(text),
  // A model's proposal is a structured check; one that is free text again adds nothing.
  verify: () => false,
};

/** What the judge reads of a condition's own words, the same for every company: read once per text. */
const wordsOf = (text: string) => wordsMemo.get(text, readWords);
const wordsMemo = new BoundedMemo<string, ReturnType<typeof readWords>>(20_000);
function readWords(text: string) {
  // Brackets qualify («（不含法定代表人）»); the words outside them say what is asked.
  const core = text.replace(/[（(][^）)]*[）)]/g, "");
  return {
    core,
    unfundedAsked: /未(?:获得|享受|领取|获)|不得(?:重复)?(?:享受|获得)|未曾/.test(core),
    // «经商务部认定的中华老字号企业或北京老字号协会认定的北京老字号企业»: one alternative stated is the condition stated.
    // What the applicant must be is what follows «应为»; the words before it name the programme.
    alternatives: core
      .replace(/^[^，。；]*?(?:应当?|须|必须)(?:是|为)/, "")
      .split(/或者?/)
      .filter((a) => a.replace(/[^\p{Script=Han}]/gu, "").length >= 6),
    // «非上市企业», «无不良记录» deny; «非遗», «无人机» are words.
    criterionNegated: /不得|不属于|未被|未(?:获得|享受|领取|列入|发生|受到)|无(?!人机|线)|非(?!遗)/.test(core),
    // Its two-character runs of Han, which a fact may deny («不清晰»).
    words: hanBigrams(core),
  };
}

function hanBigrams(text: string): ReadonlySet<string> {
  const out = new Set<string>();
  const han = text.replace(/[^\p{Script=Han}]/gu, " ");
  for (let i = 0; i + 2 <= han.length; i++) if (!/\s/.test(han.slice(i, i + 2))) out.add(han.slice(i, i + 2));
  return out;
}

const FUNDING = /财政(?:性)?资金|专项资金|资金支持|财政支持|财政补助/;

/**
 * «未获得其他市级财政资金支持», «已享受其他市级财政资金支持的，不再重复享受»: a fact saying the
 * company (or the project) got public funding; one saying it got none does not count.
 */
export function fundedBy(condition: string, facts: CompanyFact[]): CompanyFact | undefined {
  if (!FUNDING.test(condition)) return undefined;
  // «拿过市科委的财政资金», «得到过专项资金»: said as people say it.
  return facts.find(
    (f) => FUNDING.test(f.text) && /(?:获得|享受|拿到|拿过|拿了|得到|获批|获|取得|领取)/.test(f.text) && !/未|没有|没拿|尚未|从未|不曾|无/.test(f.text),
  );
}

const NUMERAL = "[\\d一二两三四五六七八九十]+";
const TOP_RANK = new RegExp(`前\\s*(${NUMERAL})\\s*(?:名|位)`);
const MIN_HEADS = new RegExp(`(?:至少|不少于|不低于)(?:由|有)?\\s*(${NUMERAL})\\s*(位|名)`);
const RANK_SAID = new RegExp(`第\\s*(${NUMERAL})\\s*(?:名|位)`);

/**
 * «细分行业市场占有率全国前 10 名» against «市场占有率排第15名», and «至少由两位正高级技术专家实名推荐»
 * against «只有一位专家推荐»: a rank or a head count the fact states on the wrong side.
 */
function rankOrHeadsShort(core: string, facts: CompanyFact[]): CompanyFact | undefined {
  const top = TOP_RANK.exec(core);
  const heads = MIN_HEADS.exec(core);
  for (const f of facts) {
    if (top) {
      const rank = RANK_SAID.exec(f.text);
      if (
        rank &&
        overlap(
          core
            .slice(0, top.index)
            .split(/[，,；;或]/)
            .pop()!,
          f.text,
        ) >= 0.5 &&
        (parseNumber(rank[1]) ?? 0) > (parseNumber(top[1]) ?? Infinity)
      )
        return f;
    }
    if (heads) {
      const said = new RegExp(`(?:只有|仅有|仅|共|有)\\s*(${NUMERAL})\\s*${heads[2]}`).exec(f.text);
      const who = core.slice(heads.index + heads[0].length).slice(0, 8);
      if (said && overlap(who, f.text) >= 0.5 && (parseNumber(said[1]) ?? Infinity) < (parseNumber(heads[1]) ?? 0)) return f;
    }
  }
  return undefined;
}

// What a dated condition is about: a project's start or completion, a founding, a contract, a publication.
const EVENTS: Array<[string, RegExp]> = [
  ["start", /启动|开工|开始建设|动工|开设|新开/],
  ["finish", /建设完成|建成|完工|竣工|投入(?:实际)?(?:运行|使用|运营)|投用|开街/],
  ["founding", /成立|注册|登记|设立/],
  ["contract", /签订|签约/],
  ["publication", /发布|实施/],
];
const eventOf = (words: string) => EVENTS.find(([, re]) => re.test(words))?.[0];
const dayOf = (m: RegExpMatchArray, end: boolean) => {
  const [y, mo, d] = [Number(m[1]), m[2] ? Number(m[2]) : end ? 12 : 1, m[3] ? Number(m[3]) : end ? 31 : 1];
  return y * 10000 + mo * 100 + d;
};

/**
 * «项目为 2020 年 1 月后启动建设» against «项目2019年10月开工建设»: a date the
 * condition bounds, and the company's date for the same event on the wrong side of it.
 */
function outsideWindow(core: string, facts: CompanyFact[]): CompanyFact | undefined {
  for (const m of core.matchAll(DATE)) {
    const after = core.slice(m.index! + m[0].length);
    const bound = /^(?:（含）)?\s*(以后|之后|后|起|以前|之前|前)(?:（含）)?/.exec(after);
    if (!bound) continue;
    // The event is what the words after the bound say, up to the next date.
    const event = eventOf(after.slice(bound[0].length).split(DATE)[0].slice(0, 16));
    if (!event) continue;
    const later = /后|起/.test(bound[1]);
    const limit = dayOf(m, false);
    for (const f of facts) {
      for (const d of f.text.matchAll(DATE)) {
        if (eventOf(f.text.slice(d.index! + d[0].length, d.index! + d[0].length + 12)) !== event) continue;
        // A month alone is read at its first day going forward and at its last going back, never against the company.
        const wrong = later ? dayOf(d, true) < limit : dayOf(d, false) >= limit;
        if (wrong) return f;
      }
    }
  }
  return undefined;
}

/** Whether the fact puts a negation right before a two-character word of the condition («不清晰», «未建成», «没有具备»). */
function deniesWordOf(core: string, words: ReadonlySet<string>, fact: string): boolean {
  for (const m of fact.matchAll(/(?:不|未|没有|没|非)(?!仅|断|少|低于|超过|高于|多于|论|常|但|同|久|过|错|再|得不)(\p{Script=Han}{2})/gu)) {
    if (words.has(m[1]) && !core.includes(m[0])) return true;
  }
  return false;
}

/** «没有产权纠纷», «未发生安全事故»: denying a harm says the condition holds, it does not contradict it. */
const DENIES_HARM = /(?:没有|无|未|不存在|从未)[^，。；]{0,6}(?:纠纷|争议|诉讼|官司|违法|违规|失信|处罚|事故|欠税|欠缴|拖欠|侵权|不良)/;

const DENIAL = /尚未|还未|未|没有|不是|不属于|并非/;

/**
 * «且被纳入《…台账》的老旧工业厂房…» against «这处厂房目前没有纳入《…台账》»: a fact that
 * denies what the condition asks, in the condition's own words, though it says less than the condition.
 */
function deniedBy(core: string, facts: CompanyFact[]): CompanyFact | undefined {
  if (/不得|不属于|未被|未(?:获得|享受|领取|列入|发生|受到)|无|非|不/.test(core)) return undefined;
  return facts.find((f) => {
    if (!DENIAL.test(f.text)) return false;
    const said = f.text.replace(/尚未|还未|未|没有|不是|不属于|并非|目前|现在|还|仍|这处|该|这个|我们|公司|企业/g, "");
    // The denial must name what the condition names: a list, register or document by its title («《…台账》»).
    const titles = core.match(/《[^》]{2,30}》/g) ?? [];
    return titles.some((t) => f.text.includes(t)) && said.replace(/[^\p{Script=Han}]/gu, "").length >= 6 && overlap(said, core) >= 0.75;
  });
}

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

/**
 * The facts that between them state most of a condition, none of them denying it: each must
 * bring a fair share of the condition's words, so that scattered single words make no match.
 */
function jointCover(condition: string, facts: CompanyFact[]): CompanyFact[] | undefined {
  const want = contentBigramsOf(condition);
  if (want.size < 4) return undefined;
  const used: CompanyFact[] = [];
  const seen = new Set<string>();
  for (const f of facts) {
    const own = [...factContentBigramsOf(f.text)].filter((g) => want.has(g));
    if (own.length < 2) continue;
    if (f.negated) return undefined;
    used.push(f);
    for (const g of own) seen.add(g);
  }
  return seen.size / want.size >= JOINT_COVER ? used : undefined;
}
const JOINT_COVER = 0.6;

const RECOGNISED = /认定|评定|命名|授予|入选|列入|纳入|持有|取得/;

/** What a clause asks beyond where the applicant is registered and what kind of body it is. */
function residue(clause: string): string {
  let rest = clause;
  for (const p of findPlaces(clause)) rest = rest.replace(p.name, "");
  return rest.replace(
    /(?:项目)?(?:申报|申请)(?:单位|主体|人)|应当|必须|应|须|是|为|在|地区|范围内|区域内|注册|登记|依法|具有|具备|独立法人资格|法人|企业|单位|机构|的|且|并|本市|本区|其他|[^\p{Script=Han}]/gu,
    "",
  );
}

const ACTS = /报送|提交|填报|列入|纳入|取得|获得|备案|登记|签订/g;

/** A fact that names a document or register the condition names in 《》, with an act of the condition's, and does not deny it. */
function namedDocument(condition: string, facts: CompanyFact[]): CompanyFact | undefined {
  const titles = [...condition.matchAll(/《([^》]{4,30})》/g)].map((m) => m[1]);
  const acts = condition.match(ACTS) ?? [];
  if (titles.length === 0 || acts.length === 0) return undefined;
  return facts.find((f) => !DENIAL.test(f.text) && titles.some((t) => f.text.replace(/[《》]/g, "").includes(t)) && acts.some((a) => f.text.includes(a)));
}
