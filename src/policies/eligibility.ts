import { companyFrom, type Company, type CompanyFact } from "./company.js";
import type { Check, Criterion, PolicyCriteria } from "./criteria.js";
import type { CompanyProfile } from "./profile.js";
import { compare, findQuantities, formatQuantity, OP_WORDS, parseNumber } from "./quantity.js";
import { regionCovers } from "./region.js";

export type Status = "met" | "unmet" | "unknown";
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
};

export type Judgement = {
  verdict: Verdict;
  /** The programme of a multi-programme policy the verdict is for. */
  programme?: string;
  checklist: CriterionResult[];
  missing: Array<{ criterion: string; question: string }>;
};

type CheckResult = { status: Status; reason: string; question?: string };

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
  const common = criteria.common.map((c) => judgeCriterion(c, company));
  if (criteria.programmes.length === 0) return summarise(common);
  // Programmes for other kinds of applicant (个人借款人, 创业团队) are not the company's.
  let programmes = criteria.programmes.filter((p) => !/个人|创业团队|自然人|创业者|高等学校|高校|科研机构|开放单位/.test(p.name));
  if (programmes.length === 0) programmes = criteria.programmes;
  // What the company says it wants («想申领首都科技创新券») picks the programme.
  const intent = company.facts.filter((f) => /想|拟|准备|打算|计划|申请|申领|申报/.test(f.text)).map((f) => f.text).join("；");
  // A programme the company names in so many words («此前未领取过一次性创业资助») is the one it is about.
  const named = programmes.filter((p) => p.name.length >= 4 && company.facts.some((f) => f.text.includes(p.name)));
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
  const addressed = decided.filter((o) => o.results.length === 0 || o.results.some((r, i) => r.status !== "unknown" && !r.soft && !placeOnly(o.criteria[i])));
  const pool = addressed.length ? addressed : decided.length ? decided : options;
  const rank: Record<Verdict, number> = { eligible: 0, needs_info: 1, ineligible: 2 };
  const judged = pool.map((o) => ({ ...summarise([...common, ...o.results]), programme: o.name }));
  judged.sort((a, b) => rank[a.verdict] - rank[b.verdict] || a.missing.length - b.missing.length);
  return judged[0];
}

/** A criterion any company with an address decides: where it is registered, that it is a legal person. */
const placeOnly = (c: Criterion) => c.checks.every((k) => k.type === "region" || k.type === "legalEntity");

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
    out.push(best.status === "unknown" ? { ...best, question: `${best.question ?? ""}（满足所列条件之一即可）` } : best);
  }
  return out;
}

function summarise(all: CriterionResult[]): Judgement {
  const results = all;
  const hard = collapseGroups(all).filter((r) => !r.soft);
  const missing = hard.filter((r) => r.status === "unknown" && r.question).map((r) => ({ criterion: r.text, question: r.question! }));
  if (hard.length === 0) {
    // Conditions we could not read are not conditions met.
    return { verdict: "needs_info", checklist: results, missing: [{ criterion: "申报条件", question: "未能从政策原文中读出可核对的申报条件，请对照原文确认。" }] };
  }
  const verdict: Verdict = hard.some((r) => r.status === "unmet") ? "ineligible" : hard.some((r) => r.status === "unknown") ? "needs_info" : "eligible";
  return { verdict, checklist: results, missing };
}

const VAGUE = /为核心|为主|较|良好|健全|规范|优先|相统一|导向|方向|积极|前景|竞争力|能力|能够|有助于|示范|带动|引领|突出|显著|一定|清晰|明确|合理|可行|紧密|意愿|重要影响|科学|有效(?!期)|及时|其他条件|有关规定|相关要求|实际情况|社会效益/;

export function judgeCriterion(criterion: Criterion, company: Company): CriterionResult {
  const base = { id: criterion.id, text: criterion.text, ...(criterion.group ? { group: criterion.group, option: criterion.option } : {}) };
  if (criterion.when) {
    const w = judgeCheck(criterion.when, criterion.text, company);
    if (w.status === "unmet") return { ...base, status: "met", reason: `不适用：${w.reason}` };
    if (w.status === "unknown") return { ...base, status: "unknown", reason: w.reason, question: w.question };
  }
  if (criterion.disqualifier) {
    const said = company.facts.map((f) => ({ f, score: overlap(criterion.text, f.text) })).sort((a, b) => b.score - a.score)[0];
    if (said && said.score >= 0.5 && !said.f.negated) return { ...base, status: "unmet", reason: `属于不予支持的情形：${said.f.text}` };
    return { ...base, status: "met", reason: said && said.score >= 0.5 ? `企业自述：${said.f.text}` : "未见此不予支持的情形" };
  }
  const results = criterion.checks.map((c) => judgeCheck(c, criterion.text, company));
  const soft = criterion.soft || (criterion.checks.every((c) => c.type === "text") && VAGUE.test(criterion.text));
  let pick: CheckResult;
  if (criterion.mode === "any") {
    pick = results.find((r) => r.status === "met") ?? results.find((r) => r.status === "unknown") ?? results[0];
  } else {
    pick = results.find((r) => r.status === "unmet") ?? results.find((r) => r.status === "unknown") ?? results[0];
  }
  // A vague criterion the company's own words contradict still fails.
  return { ...base, ...pick, ...(soft && pick.status !== "unmet" ? { soft } : {}) };
}

const q = (s: string) => `「${s}」`;

export function judgeCheck(check: Check, text: string, company: Company): CheckResult {
  switch (check.type) {
    case "both": {
      const results = check.checks.map((c) => judgeCheck(c, text, company));
      return results.find((r) => r.status === "unmet") ?? results.find((r) => r.status === "unknown") ?? { status: "met", reason: results.map((r) => r.reason).join("；") };
    }
    case "region": {
      const at = company.regionPath;
      if (at.length === 0) return { status: "unknown", reason: `政策要求${q(text)}，画像中没有注册地`, question: "贵公司注册在哪个省、市、区？" };
      if (regionCovers(check.path, at)) return { status: "met", reason: `注册地${at.join("")}在${check.place}范围内` };
      if (at.every((p) => check.path.includes(p))) {
        return { status: "unknown", reason: `政策要求在${check.path.join("")}，画像只写到${at.join("")}`, question: `贵公司是否注册（或经营）在${check.place}？` };
      }
      return { status: "unmet", reason: `政策要求${q(text)}，企业注册地为${at.join("")}` };
    }
    case "applicant": {
      const said = [...company.industries, ...company.facts.map((f) => f.text)].join("；");
      const hit = check.excluded.find((e) => stems(e).some((s) => said.includes(s)));
      if (hit) return { status: "unmet", reason: `政策排除${hit}，企业属于此类（${company.industries.join("、") || "见画像"}）` };
      if (!said) return { status: "unknown", reason: `政策排除${check.excluded.join("、")}`, question: "贵公司的主营业务和所属行业是什么？" };
      return { status: "met", reason: `企业不属于${check.excluded.join("、")}` };
    }
    case "age": {
      const rule = `成立年限${OP_WORDS[check.op]}${round(check.years)}年`;
      if (company.ageYears === undefined) return { status: "unknown", reason: `政策要求${q(text)}，画像中没有成立日期`, question: "贵公司的成立（注册）日期是？" };
      const ok = compare(company.ageYears, check.op, check.years);
      return { status: ok ? "met" : "unmet", reason: `${rule}；企业已成立约${round(company.ageYears)}年` };
    }
    case "threshold":
      return judgeThreshold(check, text, company);
    case "qualification": {
      const have = check.anyOf.find((name) => company.qualifications.includes(name));
      if (check.absent) return judgeAbsent(check.anyOf, have, text, company);
      if (have) return { status: "met", reason: `企业具有${have}资质` };
      const lacking = check.anyOf.filter((name) => company.lacks.includes(name));
      if (lacking.length === check.anyOf.length) return { status: "unmet", reason: `政策要求${check.anyOf.join("或")}，企业自述尚不具备` };
      if (check.anyOf.includes("上市公司") && company.listed === false) return { status: "unmet", reason: `政策要求${q(text)}，企业未上市` };
      if (company.qualificationsStated) {
        return { status: "unmet", reason: `政策要求${check.anyOf.join("或")}，企业所列资质（${company.qualifications.join("、") || "无"}）不含` };
      }
      return { status: "unknown", reason: `政策要求${check.anyOf.join("或")}`, question: `贵公司是否已获得${check.anyOf.join("或")}认定？` };
    }
    case "personAge": {
      const limits = check.limits.filter((l) => !l.sex || !company.personSex || l.sex === company.personSex);
      const rule = check.limits.map((l) => `${l.sex ? `${l.sex}性` : ""}${OP_WORDS[l.op]}${l.years}周岁`).join("、");
      if (company.personAge === undefined) return { status: "unknown", reason: `政策要求${q(text)}`, question: "贵公司法定代表人（申请人）的年龄和性别是？" };
      const passes = limits.map((l) => compare(company.personAge!, l.op, l.years));
      const who = `${company.personSex ? `${company.personSex}，` : ""}${company.personAge}岁`;
      // Sex unknown: decided only when every limit agrees.
      if (passes.every(Boolean)) return { status: "met", reason: `政策要求${rule}；申请人${who}` };
      if (passes.every((p) => !p)) return { status: "unmet", reason: `政策要求${rule}；申请人${who}，超出` };
      return { status: "unknown", reason: `政策要求${rule}，画像未写明性别`, question: "贵公司法定代表人（申请人）的性别是？" };
    }
    case "industry": {
      const overlap = company.fields.filter((f) => check.fields.includes(f));
      if (overlap.length) return { status: "met", reason: `企业所属领域（${company.industries.join("、") || overlap.join("、")}）属于${overlap.join("、")}` };
      if (company.industries.length && company.fields.length) {
        return { status: "unmet", reason: `政策要求${q(text)}，企业所属领域为${company.industries.join("、")}` };
      }
      return { status: "unknown", reason: `政策要求${q(text)}`, question: "贵公司属于哪个行业或技术领域？" };
    }
    case "ip": {
      if ((company.inventionPatents ?? 0) > 0 || (company.ipCount ?? 0) > 0) {
        return { status: "met", reason: `企业拥有${company.inventionPatents ? `发明专利${company.inventionPatents}件` : `知识产权${company.ipCount}件`}` };
      }
      const fact = company.facts.find((f) => /专利|知识产权|核心技术|软件著作权/.test(f.text) && !/未|没有|无/.test(f.text));
      if (fact) return { status: "met", reason: `企业自述：${fact.text}` };
      if (company.inventionPatents === 0 && (company.ipCount ?? 0) === 0) return { status: "unmet", reason: "企业没有专利或其他知识产权" };
      return { status: "unknown", reason: `政策要求${q(text)}`, question: "贵公司拥有多少件发明专利或其他知识产权？" };
    }
    case "credit": {
      const clean = company.facts.find((f) => /(?:无|未|没有|不存在)[^，。；]{0,12}(?:失信|违法|不良|经营异常|黑名单|拖欠|欠缴|惩戒)/.test(f.text) || /信用(?:良好|记录良好)/.test(f.text));
      if (clean) return { status: "met", reason: `企业自述：${clean.text}` };
      const bad = company.facts.find((f) => /失信|违法|不良记录|经营异常|黑名单/.test(f.text) && !/(?:无|未|没有|不存在)/.test(f.text));
      if (bad) return { status: "unmet", reason: `企业自述：${bad.text}` };
      return { status: "unknown", reason: `政策要求${q(text)}`, question: "贵公司是否有失信、严重违法或经营异常记录？" };
    }
    case "legalEntity": {
      const against = company.facts.find((f) => /未设(?:立)?独立法人|不具备法人|分公司|个体(?:工商)?户|非法人/.test(f.text));
      if (against) return { status: "unmet", reason: `政策要求${q(text)}；企业自述：${against.text}` };
      return { status: "met", reason: "企业为独立法人（公司制企业）" };
    }
    case "text":
      return judgeText(text, company);
  }
}

/** A requirement not to hold a qualification («尚未认定为高新技术企业», «非上市企业»). */
function judgeAbsent(names: string[], have: string | undefined, text: string, company: Company): CheckResult {
  if (have) return { status: "unmet", reason: `政策要求${q(text)}，企业已具有${have}` };
  if (names.includes("上市公司") && company.listed === false) return { status: "met", reason: "企业未上市" };
  const said = names.find((name) => company.lacks.includes(name));
  if (said) return { status: "met", reason: `企业自述尚不是${said}` };
  // A list of 资质 says nothing about a listing, which has its own field.
  if (company.qualificationsStated && !names.includes("上市公司")) return { status: "met", reason: `企业所列资质（${company.qualifications.join("、") || "无"}）不含${names.join("、")}` };
  return { status: "unknown", reason: `政策要求${q(text)}`, question: `贵公司是否已获得${names.join("或")}认定？` };
}

const METRIC_NAMES: Record<string, [keyof Company, string, string]> = {
  revenue: ["revenue", "营业收入", "贵公司上一年度营业收入是多少（万元）？"],
  rdExpense: ["rdExpense", "研发费用", "贵公司上一年度研发费用是多少（万元）？"],
  rdGrowth: ["rdGrowth", "研发费用同比增量", "贵公司最近两个会计年度的研发费用各是多少（万元）？"],
  employees: ["employees", "从业人员", "贵公司现有从业人员多少人？"],
  techStaff: ["techStaff", "科技人员", "贵公司有多少名科技（研发）人员？"],
  totalAssets: ["totalAssets", "资产总额", "贵公司资产总额是多少（万元）？"],
  inventionPatents: ["inventionPatents", "发明专利", "贵公司拥有多少件发明专利？"],
  ipCount: ["ipCount", "知识产权", "贵公司拥有多少件知识产权？"],
};

function judgeThreshold(check: Extract<Check, { type: "threshold" }>, text: string, company: Company): CheckResult {
  const rule = `${OP_WORDS[check.op]}${formatQuantity(check)}`;
  let actual: number | undefined;
  let label = check.subject;
  if (check.metric === "rdRatio" && company.rdExpense !== undefined && company.revenue) {
    actual = company.rdExpense / company.revenue;
    label = "研发费用占营业收入比例";
  } else if (check.metric === "rdRatio" && company.rdRatio !== undefined) {
    // «研发投入占比5%»: the company gave the ratio, not the two figures.
    actual = company.rdRatio;
    label = "研发费用占营业收入比例";
  } else if (check.metric === "techStaffRatio" && company.techStaff !== undefined && company.employees) {
    actual = company.techStaff / company.employees;
    label = "科技人员占比";
  } else if (METRIC_NAMES[check.metric]) {
    const [key, name] = METRIC_NAMES[check.metric];
    const v = company[key];
    if (typeof v === "number") {
      actual = v;
      label = name;
    }
  }
  if (actual === undefined && check.metric === "other") {
    // Anything else is read from what the company said, by the words around the number.
    const fact = bestQuantityFact(check, company.facts);
    if (fact) {
      actual = fact.value;
      label = fact.subject || check.subject;
    }
  }
  if (actual === undefined) {
    const question = METRIC_NAMES[check.metric]?.[2] ?? `请提供：${check.subject.replace(/的$/, "")}（政策要求${rule}）`;
    return { status: "unknown", reason: `政策要求${q(text)}，画像中没有这项数据`, question };
  }
  const ok = compare(actual, check.op, check.value);
  return {
    status: ok ? "met" : "unmet",
    reason: `政策要求${q(text)}；企业${label}${formatQuantity({ ...check, value: actual })}，${ok ? "符合" : "不符合"}`,
  };
}

function bestQuantityFact(check: Extract<Check, { type: "threshold" }>, facts: CompanyFact[]) {
  let best: { value: number; subject: string; score: number } | undefined;
  for (const f of facts) {
    for (const x of f.quantities) {
      if (x.dimension !== check.dimension || (check.currency ?? "CNY") !== (x.currency ?? "CNY") && x.dimension === "money") continue;
      const score = Math.max(overlap(check.subject, x.subject), overlap(check.subject, x.context) * 0.9);
      if (score >= 0.34 && (!best || score > best.score)) best = { value: x.value, subject: x.subject, score };
    }
  }
  return best;
}

function judgeText(text: string, company: Company): CheckResult {
  // Brackets qualify («（不含法定代表人）»); the words outside them say what is asked.
  const core = text.replace(/[（(][^）)]*[）)]/g, "");
  let best: { fact: CompanyFact; score: number } | undefined;
  for (const f of company.facts) {
    const score = Math.max(overlap(text, f.text), core.length >= 8 ? overlap(core, f.text) : 0);
    if (!best || score > best.score) best = { fact: f, score };
  }
  if (best && best.score >= 0.5) {
    const criterionNegated = /不得|不属于|未被|未(?:获得|享受|领取|列入|发生|受到)|无|非/.test(text);
    const contradicts =
      (best.fact.negated && !criterionNegated && /尚未|未|没有|不是|不属于/.test(best.fact.text)) ||
      // «未获得其他市级财政资金支持» against «已获得市级财政资金支持».
      (criterionNegated && !best.fact.negated && /已|获得|取得|享受|领取|列入/.test(best.fact.text));
    if (contradicts) return { status: "unmet", reason: `政策要求${q(text)}；企业自述：${best.fact.text}` };
    const span = durationShortfall(core, best.fact);
    if (span === "short") return { status: "unmet", reason: `政策要求${q(text)}；企业自述：${best.fact.text}，时长或数量不足` };
    if (span === "unstated") return { status: "unknown", reason: `政策要求${q(text)}；企业自述未写明时长或数量：${best.fact.text}`, question: `贵公司是否符合：${text}？` };
    return { status: "met", reason: `企业自述：${best.fact.text}` };
  }
  const graduate = graduateWithin(text, company);
  if (graduate) return graduate;
  return { status: "unknown", reason: `政策要求${q(text)}，画像中没有相关信息`, question: `贵公司是否符合：${text}？` };
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
    reason: `政策要求${q(text)}；申请人约${round(company.graduatedYearsAgo)}年前毕业，${ok ? "在" : "超出"}${limit}年内`,
  };
}

/** Share of `a`'s Han bigrams found in `b`: how much of a condition a fact speaks to. */
export function overlap(a: string, b: string): number {
  const grams = (s: string) => {
    const out = new Set<string>();
    for (const run of s.match(/[\p{Script=Han}A-Za-z0-9]+/gu) ?? []) for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
    return out;
  };
  const ga = grams(a.replace(/企业|公司|单位|申报|申请|应当|须|应|的/g, ""));
  if (ga.size === 0) return 0;
  const gb = grams(b);
  let n = 0;
  for (const g of ga) if (gb.has(g)) n++;
  return n / ga.size;
}

function stems(name: string): string[] {
  const core = name.replace(/(?:企业|公司|行业|机构)$/, "");
  return [...new Set([name, core].filter((s) => s.length >= 2))];
}

const round = (n: number) => Math.round(n * 10) / 10;
