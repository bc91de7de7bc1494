/**
 * Qualifications the company holds (「是高企」 → 高新技术企业) and those it says it lacks
 * (「还不是高企」, 「没有评上专精特新」, 「高企还没批下来」 → lacks). A lacked one is never
 * held; one it wants, asks about or imagines (「想申请高企」, 「申报高企需要什么」, 「如果我们是高企」)
 * is neither. Names are canonical through the vocabulary; listing (上市, 新三板) is the listed reader's.
 */
import { findPlaces } from "../../../policies/region.js";
import { findQualifications } from "../../../policies/vocabulary.js";
import type { FactContext, FactReader, Finding } from "../reader.js";
import { asks, OTHERS, SELF } from "./cues.js";

const LISTING = new Set(["上市公司", "新三板挂牌企业"]);

/** Right before the name: 不是, 还没有评上, 尚未认定为. */
const NOT_BEFORE =
  /(?:不是|并非|不算|算不上|不具备|不具有|尚不具备|不符合|暂无|尚无|并无|无|非|不属于|没有|没|未|尚未|还未|还没有?|暂未|暂时不是|还不是)(?:被)?(?:认定|评上|评为|获得|取得|申请到|拿到|入选|成为|通过|获评|列入|评定)?(?:为|成|上)?(?:国家级|省级|市级|国家)?$/;
/** Right after it: 高企还没批下来, 科小没通过, 高企和科小都不是. */
const NOT_AFTER =
  /^(?:企业)?(?:资质|认定|称号|证书|评审|复审)?(?:[和、及与跟][^，。；]{1,12}?)?(?:我们|我司|公司)?(?:都|也|还|目前|暂时)?(?:去年|今年|前年|上个?月|刚|已经?|早就?)?(?:不是|没有|没|未|尚未|还没|还未|没能|失败|过期|到期|被取消|被撤销|撤销|还差|差一|达不到|不够|不满足)/;
/** Words that make the name a wish or a topic: 想申请高企, 申报高企需要什么, 高企怎么认定. */
const WANT_BEFORE = /(?:想|要|准备|打算|计划|正在|拟|希望|争取|申请|申报|报|冲|考虑|如何|怎么|怎样|能否|能不能|可以|可否)[^，。；是]{0,6}$/;
const TOPIC_AFTER = /^(?:企业)?(?:的)?(?:认定|申报|申请|评审|评价|条件|要求|标准|政策|补贴|奖励|资格|门槛|需要|有什么|有哪些|怎么|是什么|能|可以|后|之后|的话)/;
/** A question about whether it is held: 是不是高企, 算不算专精特新. */
const ASK_BEFORE = /(?:是不是|是否|是否为|算不算|有没有|能不能算)$/;
/** Words that state it is held: 是高企, 作为专精特新, 去年认定了科小, 拿到了高企. */
const HELD_BEFORE =
  /(?<![不没未非])(?:是|为|属于|作为|已是|获评|评上了?|认定了?|获得了?|取得了?|拿到了?|拿了|入选了?|成为了|通过了?|有|拥有|获|被评为|被认定为|这家|这个)(?:一家|一个)?[^，。；不没未想问]{0,14}$/;
const HELD_AFTER = /^(?:企业)?(?:资质|认定|证书|称号)?(?:已经?|也)?(?:拿到|下来|到手|通过|认定|评上|有了|入库|入选|获批)/;
const PENDING_AFTER = /^(?:企业)?(?:的)?(?:培育|后备|储备|候选|入库培育|资质还在|认定还在|还在|正在|在申|在办|在评|申请中|申报中)/;
/** 「客户是高企，我们不是」: a bare denial after a clause naming qualifications. */
const BARE_DENIAL = /^(?:但|但是|而|可)?(?:我们|我司|我们公司|本公司|咱们)(?:还|却|并|也|自己)?(?:不是|没有|没评上|还没有?)$/;

const CONJUNCTION = /^(?:和|、|及|以及|与|跟|还有|,)$/;

/** «海淀的小巨人企业，…», «光谷一家高企，…»: where the company is, said before what it is, says nothing else. */
const placeOnly = (before: string) => {
  let rest = before;
  for (const p of [...findPlaces(before)].reverse()) rest = rest.slice(0, p.start) + rest.slice(p.end);
  return rest.length < before.length ? rest.replace(/^(?:的)?(?:一家|一个)?(?:的)?$/, "") : before;
};

/** The name follows another one read a moment ago, joined by 和/、: 「我们是国家高新技术企业和专精特新企业」. */
function sharesStatus(ctx: FactContext, read: QualificationRead[], start: number): boolean {
  const last = read[read.length - 1];
  return !!last && CONJUNCTION.test(ctx.text.slice(last.end, start));
}

export type QualificationRead = { name: string; start: number; end: number; held: boolean };

/** Each qualification the text names, with whether the company holds it; wishes and questions are left out. */
export function readQualifications(ctx: FactContext): QualificationRead[] {
  const out: QualificationRead[] = [];
  const named = findQualifications(ctx.text.toLowerCase()).filter((q) => !LISTING.has(q.name));
  for (const q of named) {
    const start = q.index;
    const end = start + q.raw.length;
    const clause = ctx.clauseAt(start);
    const owner = ctx.ownerAt(start);
    if (owner === "hypothetical" || owner === "customer") continue;
    const before = ctx.text.slice(clause.start, start);
    const after = ctx.text.slice(end, clause.end);
    // 「之前是高企」: no longer; 「高企培育库」, 「高企还在申请中」: not yet.
    if (
      OTHERS.test(before) ||
      /如果|假如|假设|要是|之前|以前|曾经|原来|(?:潜在|准|种子|未来|后备)$/.test(before) ||
      ASK_BEFORE.test(before) ||
      PENDING_AFTER.test(after)
    )
      continue;
    if (NOT_BEFORE.test(before) || NOT_AFTER.test(after)) {
      out.push({ name: q.name, start, end, held: false });
      continue;
    }
    if (WANT_BEFORE.test(before)) continue;
    if (sharesStatus(ctx, out, start)) {
      out.push({ name: q.name, start, end, held: out[out.length - 1].held });
      continue;
    }
    const stated = HELD_BEFORE.test(before) && (owner === "us" || SELF.test(before)) && !/^(?:吗|么|呢)/.test(after);
    const achieved = /(?:通过了?|获得了?|拿到了?|取得了?|评上了?)[^，。；]{0,4}$/.test(before);
    if (stated && (achieved || !/^(?:的)?(?:认定|申报|申请|评审|条件|要求|标准|门槛)/.test(after))) out.push({ name: q.name, start, end, held: true });
    else if (TOPIC_AFTER.test(after) || asks(ctx, clause) || owner !== "us") continue;
    // A name standing alone as the company's (「高企，50人」) is held; with more words after it, it may be anything.
    else if (
      HELD_AFTER.test(after) ||
      (/^\s*$/.test(placeOnly(before).replace(/(?:国家级|省级|市级|国家|也|还|同时)/g, "")) && /^(?:企业|资质|证书|称号)?(?:也有|都有|有)?\s*$/.test(after))
    )
      out.push({ name: q.name, start, end, held: true });
  }
  // 「高企、科小都不是」: names listed together share the denial that ends the list.
  for (let i = out.length - 2; i >= 0; i--) {
    const [a, b] = [out[i], out[i + 1]];
    if (a.held && !b.held && CONJUNCTION.test(ctx.text.slice(a.end, b.start))) out[i] = { ...a, held: false };
  }
  for (const [i, clause] of ctx.clauses.entries()) {
    if (i === 0 || !BARE_DENIAL.test(clause.text.trim())) continue;
    const prev = ctx.clauses[i - 1];
    for (const q of named)
      if (q.index >= prev.start && q.index < prev.end && !out.some((o) => o.name === q.name && o.held))
        out.push({ name: q.name, start: clause.start, end: clause.end, held: false });
  }
  return out;
}

export const qualificationsReader: FactReader = {
  name: "qualifications",
  read(ctx) {
    const read = readQualifications(ctx);
    const lacked = new Set(read.filter((q) => !q.held).map((q) => q.name));
    return read.map(
      (q): Finding => ({
        field: q.held && !lacked.has(q.name) ? "qualifications" : "lacks",
        value: [q.name],
        start: q.start,
        end: q.end,
        reader: "qualifications",
      }),
    );
  },
};
