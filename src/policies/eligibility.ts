import { type Company, companyFrom } from "./company.js";
import { type CheckResult, judgeCheck, questionFor, type Status } from "./conditions/index.js";
import { overlap } from "./conditions/kind.js";
import { fundedBy } from "./conditions/text.js";
import type { Criterion, PolicyCriteria } from "./criteria.js";
import type { CompanyProfile } from "./profile.js";

export type { Status };
export { judgeCheck, overlap };
export type Verdict = "eligible" | "ineligible" | "needs_info";

export type CriterionResult = {
  id: string;
  text: string;
  status: Status;
  /** Short, in Chinese: the policy's words and the company fact used. */
  reason: string;
  /** What to ask the company when the status is unknown. */
  question?: string;
  /** A vague criterion (「具备较强的研发能力」) the reviewers judge; it does not hold back a verdict. */
  soft?: boolean;
  /** Alternatives: one option of the group must hold entirely. */
  group?: string;
  option?: number;
  /** Decided by where the company is registered or what kind of body it is, as any company with an address is. */
  placeOnly?: boolean;
};

export type Judgement = {
  verdict: Verdict;
  /** The programme of a multi-programme policy the verdict is for. */
  programme?: string;
  checklist: CriterionResult[];
  missing: Array<{ criterion: string; question: string }>;
};

/**
 * Judges a company against a policy's criteria as of a day. Nothing is
 * guessed: a fact the profile lacks makes a criterion unknown, with the
 * question that would settle it.
 */
export function judge(criteria: PolicyCriteria, profile: CompanyProfile | undefined, asOf: string): Judgement {
  return judgeCompany(criteria, companyFrom(profile, asOf));
}

/**
 * The same, for a company already read from its profile (companyFrom): judging
 * one company against many policies reads its facts once, not once per policy.
 */
export function judgeCompany(criteria: PolicyCriteria, company: Company): Judgement {
  return judgeProgrammes(
    criteria,
    company,
    criteria.common.map((c) => judgeCriterion(c, company)),
  );
}

/**
 * The same, or null as soon as a condition every programme shares is clearly unmet (not one of
 * alternatives, not soft): the policy is then ineligible whatever the rest says, and a caller that
 * drops ineligible policies (matching, without includeIneligible) need not judge the rest of it.
 */
export function judgeCompanyUnlessRuledOut(criteria: PolicyCriteria, company: Company): Judgement | null {
  const common: CriterionResult[] = [];
  for (const criterion of criteria.common) {
    const result = judgeCriterion(criterion, company);
    if (result.status === "unmet" && !result.group && !result.soft) return null;
    common.push(result);
  }
  return judgeProgrammes(criteria, company, common);
}

function judgeProgrammes(criteria: PolicyCriteria, company: Company, common: CriterionResult[]): Judgement {
  if (criteria.programmes.length === 0) return summarise(common);
  // Programmes for other kinds of applicant (个人借款人, 创业团队) are not the company's.
  let programmes = criteria.programmes.filter((p) => !/个人|创业团队|自然人|创业者|高等学校|高校|科研机构|开放单位/.test(p.name));
  if (programmes.length === 0) programmes = criteria.programmes;
  // What the company says it wants («想申领首都科技创新券») picks the programme.
  const intent = company.facts
    .filter((f) => /想|拟|准备|打算|计划|申请|申领|申报/.test(f.text))
    .map((f) => f.text)
    .join("；");
  // A programme the company names in so many words («此前未领取过一次性创业资助») is the one it is about.
  // So is one for the kind of body the company is («创业投资机构» for a company in 创业投资).
  const named = programmes.filter(
    (p) =>
      p.name.length >= 4 &&
      (company.facts.some((f) => f.text.includes(p.name)) ||
        (/(?:机构|企业|公司|单位|组织)$/.test(p.name) && company.industries.some((i) => i.length >= 4 && p.name.includes(i)))),
  );
  if (named.length) programmes = named;
  else if (intent) {
    const scored = programmes.map((p) => ({ p, score: overlap(p.name, intent) }));
    const top = Math.max(...scored.map((x) => x.score));
    if (top >= 0.3) programmes = scored.filter((x) => x.score === top).map((x) => x.p);
  }
  const options = programmes.map((p) => ({ name: p.name, criteria: p.criteria, results: p.criteria.map((c) => judgeCriterion(c, company)) }));
  // Add-on programmes leave the plain support as an option of its own.
  if (criteria.programmes.some((p) => p.addOn)) options.push({ name: "基本条件", criteria: [], results: [] });
  // A programme we can say nothing about is no evidence either way, when another one was decided;
  // nor is one decided only by where the company is registered, when what it told us speaks to another.
  const decided = options.filter((o) => o.results.length === 0 || o.results.some((r) => r.status !== "unknown" && !r.soft));
  const addressed = decided.filter(
    (o) => o.results.length === 0 || o.results.some((r, i) => r.status !== "unknown" && !r.soft && !readOf(o.criteria[i]).placeOnly),
  );
  const pool = addressed.length ? addressed : decided.length ? decided : options;
  const rank: Record<Verdict, number> = { eligible: 0, needs_info: 1, ineligible: 2 };
  const judged = pool.map((o) => ({ ...summarise([...common, ...o.results]), programme: o.name }));
  judged.sort((a, b) => rank[a.verdict] - rank[b.verdict] || a.missing.length - b.missing.length);
  return judged[0];
}

/**
 * What a criterion's own words say, whoever is judged: matching judges every company against the same
 * criteria objects (the snapshot's), so this is read once per criterion, not once per company.
 */
type CriterionReading = { placeOnly: boolean; soft: boolean; says: boolean };
const readings = new WeakMap<Criterion, CriterionReading>();
function readOf(criterion: Criterion): CriterionReading {
  let read = readings.get(criterion);
  if (!read) {
    read = {
      placeOnly: placeOnly(criterion),
      soft: Boolean(criterion.soft || (criterion.checks.every((c) => c.type === "text") && (VAGUE.test(criterion.text) || AIM.test(criterion.text)))),
      // A case of a word or two («项目申报») matches any fact: it says too little to rule anyone out.
      says: criterion.text.replace(/企业|公司|单位|申报|申请|项目|应当|须|应|的|[^\p{Script=Han}]/gu, "").length >= 4,
    };
    readings.set(criterion, read);
  }
  return read;
}

/** A criterion any company with an address decides: where it is registered, that it is a legal person. */
const placeOnly = (c: Criterion) => c.checks.every((k) => k.type === "region" || k.type === "legalEntity" || k.type === "applicantKind");

const RANK: Record<Status, number> = { met: 0, unknown: 1, unmet: 2 };

/** Alternatives collapse to one line each: the best option, an option being as good as its worst criterion. */
function collapseGroups(results: CriterionResult[]): CriterionResult[] {
  const out: CriterionResult[] = [];
  const groups = new Map<string, CriterionResult[]>();
  for (const r of results) {
    if (!r.group || r.soft) out.push(r);
    else groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  }
  for (const members of groups.values()) {
    const options = new Map<number, CriterionResult[]>();
    for (const r of members) options.set(r.option ?? 0, [...(options.get(r.option ?? 0) ?? []), r]);
    const worst = [...options.values()].map((rs) => rs.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a)));
    const best = worst.reduce((a, b) => (RANK[b.status] < RANK[a.status] ? b : a));
    out.push(best.status === "unknown" && best.question ? { ...best, question: `${best.question}（满足所列条件之一即可）` } : best);
  }
  return out;
}

function summarise(all: CriterionResult[]): Judgement {
  const results = all;
  const hard = collapseGroups(all).filter((r) => !r.soft);
  // One question per missing fact: criteria that ask the same («贵公司注册在哪个省、市、区？») are asked once.
  const missing: Judgement["missing"] = [];
  for (const r of hard) {
    if (r.status === "unknown" && r.question && !missing.some((m) => m.question === r.question)) missing.push({ criterion: r.text, question: r.question });
  }
  if (hard.length === 0) {
    // Conditions we could not read are not conditions met.
    return {
      verdict: "needs_info",
      checklist: results,
      missing: [{ criterion: "申报条件", question: "未能从政策原文中读出可核对的申报条件，请对照原文确认。" }],
    };
  }
  const verdict: Verdict = hard.some((r) => r.status === "unmet") ? "ineligible" : hard.some((r) => r.status === "unknown") ? "needs_info" : "eligible";
  // Where the company is registered is all we read: the policy's own conditions were not, so being eligible is not shown.
  if (verdict === "eligible" && hard.every((r) => r.placeOnly)) {
    return {
      verdict: "needs_info",
      checklist: results,
      missing: [{ criterion: "申报条件", question: "除注册地外，未能从政策原文中读出可核对的申报条件，请对照原文确认。" }],
    };
  }
  return { verdict, checklist: results, missing };
}

const VAGUE =
  /为核心|为主|较|良好|健全|规范|优先|相统一|导向|方向|积极|前景|竞争力|能力|能够|有助于|示范|带动|引领|突出|显著|一定|清晰|明确|合理|可行|紧密|意愿|重要影响|科学|有效(?!期)|及时|其他条件|有关规定|相关要求|实际情况|社会效益/;

// «促进科技成果产业化», «有利于形成优势产业», «顺应融合发展大势»: what a project should bring about, for the reviewers to weigh.
const AIM = /^(?:且|并|同时)?(?:促进|有利于|提升|提高|推动|推进|顺应|大力发展|强化|充分体现|充分发挥|加强|营造|通过营造|打造|占领|助力|发挥)/;

export function judgeCriterion(criterion: Criterion, company: Company): CriterionResult {
  const read = readOf(criterion);
  const base = {
    id: criterion.id,
    text: criterion.text,
    ...(criterion.group ? { group: criterion.group, option: criterion.option } : {}),
    ...(read.placeOnly ? { placeOnly: true } : {}),
  };
  if (criterion.case) {
    // Binds only a company that says it is in the circumstance.
    const said = company.facts.find((f) => overlap(criterion.case!, f.text) >= 0.5 && !f.negated);
    if (!said) return { ...base, status: "met", reason: `不适用：仅对「${criterion.case}」的情形，企业未述及` };
  }
  if (criterion.when) {
    const w = judgeCheck(criterion.when, criterion.text, company);
    // The case's own «不符合» is about whom the clause is for, not about the company failing it.
    if (w.status === "unmet") return { ...base, status: "met", reason: `不适用（此条只针对另一类企业）：${w.reason.replace(/[，,]\s*不符合$/, "")}` };
    if (w.status === "unknown") return { ...base, status: "unknown", reason: w.reason, question: questionFor(criterion.when, criterion.text, company, w) };
  }
  if (criterion.disqualifier) {
    const funded = fundedBy(criterion.text, company.facts);
    if (funded) return { ...base, status: "unmet", reason: `属于不予支持的情形：${funded.text}` };
    const said = company.facts.map((f) => ({ f, score: overlap(criterion.text, f.text) })).sort((a, b) => b.score - a.score)[0];
    if (read.says && said && said.score >= 0.5 && !said.f.negated) return { ...base, status: "unmet", reason: `属于不予支持的情形：${said.f.text}` };
    return { ...base, status: "met", reason: said && said.score >= 0.5 ? `企业自述：${said.f.text}` : "未见此不予支持的情形" };
  }
  const results = criterion.checks.map((c) => judgeCheck(c, criterion.text, company));
  const soft = read.soft;
  const first = (s: Status) => results.findIndex((r) => r.status === s);
  const at = criterion.mode === "any" ? [first("met"), first("unknown"), 0].find((i) => i >= 0)! : [first("unmet"), first("unknown"), 0].find((i) => i >= 0)!;
  const pick: CheckResult = results[at];
  const question = pick.status === "unknown" ? questionFor(criterion.checks[at], criterion.text, company, pick) : undefined;
  // A vague criterion the company's own words contradict still fails.
  return { ...base, status: pick.status, reason: pick.reason, ...(question ? { question } : {}), ...(soft && pick.status !== "unmet" ? { soft } : {}) };
}
