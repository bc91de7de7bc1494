import type { Verdict } from "../policies/eligibility.js";

/**
 * Whether a company may apply is the eligibility engine's verdict, never the
 * model's: a sentence of the answer that tells the company it qualifies for
 * a policy the engine rates needs_info or ineligible contradicts the policy
 * card shown beside it. Pure functions over one sentence.
 */

/** What the answer may say about each policy: the engine's verdict, absent when nothing is known of the company. */
export type VerdictIndex = {
  policies: Array<{ id: string; title: string; verdict?: Verdict }>;
  /** Citation number → the policy its passage belongs to. */
  policyOfRef: Map<number, string>;
};

/**
 * explicit: the company itself, or every company, is said to qualify (「贵公司符合申报条件」「所有企业均可申报」);
 * implied: no subject (「可以申请《…》」), read as addressed to the company.
 */
export type EligibilityClaim = "explicit" | "implied";

const COMPANY = /贵公司|贵司|贵企业|贵单位|贵方|你们|您们|您|你司|你公司|你方|我们|我司|本公司|本企业|该企业|该公司|这家企业|这家公司/;
const EVERYONE = /(?:所有|全部|一切|任何|各类|各家|每家|每个)的?(?:企业|公司|单位|申请人|主体)|(?:企业|公司|单位)(?:均|都|皆|全部|全都)/;
/** A subject that describes who a policy is for (「注册在武汉的企业可以申请」), not the company asking. */
const GENERIC_SUBJECT = /企业|公司|单位|机构|申请人|主体|项目|个人|人才|团队|法人/;
const CLAIM = new RegExp(
  [
    String.raw`(?:符合|满足|达到|具备|具有)了?[^，,。；;！？!?]{0,40}?(?:条件|要求|资格|标准)`,
    String.raw`(?:可以|可|能够|能|均可|都可以|都能|皆可|完全可以|可直接|直接)(?:申请|申报|享受|获得|领取|拿到|获批|获得支持)`,
    String.raw`有资格(?:申请|申报|享受|获得)`,
    String.raw`(?:属于|是)[^，,。；;]{0,12}?(?:支持|适用|申报|扶持|补贴|奖励)对象`,
  ].join("|"),
  "g",
);
/** A condition put anywhere before a claim in its sentence: 「如果…，就可以申请」. */
const CONDITION = /如果|假如|倘若|(?<![例比诸])如(?![下此])|若|只要|一旦|除非/;
/** Words that make a claim in their clause doubtful, a requirement or a question. */
const HEDGE =
  /待|(?<![所无])[需须]|必须|应当|是否|能否|可否|可能|或许|也许|有望|不一定|未必|预计|取决于|视情况|前提|才能|方可|即可|之后|以后|后(?:可|才|方|再|即)/;
const NEGATION = /不|未|没|无|非(?!常)/;
/** Verbs that describe what a policy gives unless the company is named: 「可获得最高50万元」. */
const BENEFIT_ONLY = /获得|领取|拿到|获批/;
/** What follows a claim that makes it a condition: 「符合条件的企业」「满足条件后」「符合要求者」. */
const CONDITION_AFTER = /^(?:后|时|者|之后|以后|即可|才|则|方)/;
const ALL_POLICIES =
  /(?:所有|全部|各项|以上|上述|这些|这几项|所列|列出的|相关)的?(?:政策|项目|补贴|奖励|资助|扶持|支持|申报|通知|办法)|(?:均|都|皆|全都|全部)(?:可|能|符合|满足|具备|有资格)/;

const withoutTitles = (s: string) => s.replace(/《[^《》]*》/g, "《》");

/** Whether a sentence tells the company (or every company) that it qualifies, and how plainly. */
export function eligibilityClaim(sentence: string): EligibilityClaim | null {
  const s = sentence.trim();
  if (/[？?]\s*(?:[[【][\d,，、\s]*[\]】]\s*)*$/.test(s)) return null;
  let found: EligibilityClaim | null = null;
  for (const m of s.matchAll(CLAIM)) {
    const end = m.index + m[0].length;
    const clauseStart = Math.max(...["，", ",", "；", ";", "：", ":"].map((p) => s.lastIndexOf(p, m.index - 1))) + 1;
    const clause = withoutTitles(s.slice(clauseStart, end));
    const before = withoutTitles(s.slice(clauseStart, m.index));
    if (HEDGE.test(clause) || CONDITION.test(withoutTitles(s.slice(0, end))) || NEGATION.test(before.slice(-3)) || /不|未|没|以下|下列|如下/.test(m[0]))
      continue;
    const about = withoutTitles(s.slice(0, end));
    const explicit = COMPANY.test(about) || EVERYONE.test(about);
    const after = s.slice(end);
    // 「符合条件的企业」 describes who may apply; 「贵公司符合条件的政策」 still speaks of the company.
    if (CONDITION_AFTER.test(after) || (after.startsWith("的") && !explicit)) continue;
    if (!explicit && (GENERIC_SUBJECT.test(before.replace(/《》/g, "")) || BENEFIT_ONLY.test(m[0]))) continue;
    if (explicit) return "explicit";
    found = "implied";
  }
  return found;
}

const normTitle = (t: string) => t.replace(/[\s“”"'‘’（）()〔〕[\]【】]/g, "");

/** The policies a sentence names (《…》) or cites ([n]). */
export function policiesReferred(sentence: string, index: VerdictIndex): string[] {
  const ids = new Set<string>();
  for (const m of sentence.matchAll(/《([^《》\n]{1,80})》/g)) {
    const t = normTitle(m[1]);
    for (const p of index.policies) {
      const n = normTitle(p.title);
      if (n === t || (t.length >= 6 && (n.includes(t) || t.includes(n)))) ids.add(p.id);
    }
  }
  for (const m of sentence.matchAll(/[[【]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】]/g)) {
    for (const n of m[1].split(/[,，、]/)) {
      const id = index.policyOfRef.get(Number(n.trim()));
      if (id) ids.add(id);
    }
  }
  return [...ids];
}

/**
 * True when the sentence claims the company qualifies for a policy the engine
 * does not rate eligible. The sentence is about the policies it names or cites,
 * every policy when it says so (「以上政策均可申报」), else the ones the previous
 * sentences were about (`context`), else all of them. An implied claim
 * (「可以申请《…》」) is dropped only against a needs_info or ineligible verdict;
 * an explicit one (「贵公司符合…条件」) also when there is no verdict, since the
 * engine knows nothing of the company then.
 */
export function contradictsVerdicts(sentence: string, index: VerdictIndex, context: string[] = []): boolean {
  const claim = eligibilityClaim(sentence);
  if (!claim) return false;
  const named = policiesReferred(sentence, index);
  const all = index.policies.map((p) => p.id);
  const about = ALL_POLICIES.test(withoutTitles(sentence)) ? all : named.length ? named : context.length ? context : all;
  return index.policies.some(
    (p) => about.includes(p.id) && (p.verdict === "needs_info" || p.verdict === "ineligible" || (claim === "explicit" && p.verdict === undefined)),
  );
}
