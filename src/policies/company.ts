import type { CompanyProfile } from "./profile.js";
import { findQuantities, type Quantity } from "./quantity.js";
import { placePathIn, profileRegionPath } from "./region.js";
import { canonicalQualification, fieldsOf, findQualifications } from "./vocabulary.js";

/**
 * What we know of a company, in the units criteria use: the profile's fields
 * first, then what its free-text facts say («上年度营收3000万», «注册在天津»).
 */
export type Company = {
  regionPath: string[];
  park?: string;
  ageYears?: number;
  /** When it was founded (registered), to the precision known: YYYY, YYYY-MM or YYYY-MM-DD. */
  foundedOn?: string;
  employees?: number;
  techStaff?: number;
  revenue?: number;
  rdExpense?: number;
  /** R&D expense of the year before the last one, for 同比增量. */
  rdPrevious?: number;
  rdGrowth?: number;
  /** R&D expense / revenue, when the company states the ratio rather than the figures. */
  rdRatio?: number;
  revenuePrevious?: number;
  totalAssets?: number;
  inventionPatents?: number;
  ipCount?: number;
  listed?: boolean;
  qualifications: string[];
  /** Qualifications the company says it does not hold («还不是高新技术企业»). */
  lacks: string[];
  /** Age and sex of the person behind the company (法定代表人, 借款人), when a fact gives them. */
  personAge?: number;
  personSex?: "女" | "男";
  /** Years since the person graduated («2022届本科毕业生»), as of the case's day. */
  graduatedYearsAgo?: number;
  /** True when the company listed its qualifications, so a missing one is a no. */
  qualificationsStated: boolean;
  industries: string[];
  fields: string[];
  facts: CompanyFact[];
  /** The day the company is judged on (ISO): windows such as «近2年内» are counted back from it. */
  asOf: string;
};

/** `subject`: the words before the number in its clause; `context`: the whole clause. */
export type CompanyFact = { text: string; quantities: Array<Quantity & { subject: string; context: string }>; negated: boolean };

const NEGATION = /尚未|未|没有|没|无|不是|不属于|不在|非/;

export function parseFact(text: string): CompanyFact {
  const quantities = findQuantities(text).map((q) => {
    const before = text
      .slice(0, q.start)
      .split(/[，,；;。]/)
      .pop()!;
    const after = text.slice(q.end).split(/[，,；;。]/)[0];
    return { ...q, subject: before.trim(), context: `${before}${q.raw}${after}`.trim() };
  });
  return { text, quantities, negated: NEGATION.test(text) };
}

/** Years between an ISO date and `asOf`, or undefined. */
export function yearsSince(date: string | undefined, asOf: string): number | undefined {
  if (!date) return undefined;
  // A year alone is taken at its middle: half a year off either way, not a whole year early.
  const from = new Date(date.length === 4 ? `${date}-07-01` : date.length === 7 ? `${date}-01` : date);
  const to = new Date(asOf);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return undefined;
  return (to.getTime() - from.getTime()) / (365.2425 * 86400_000);
}

const FACT_METRICS: Array<[keyof Company, RegExp, Quantity["dimension"]]> = [
  ["rdExpense", /研发(?:费用|投入|经费)(?!.*(?:占|增))/, "money"],
  ["revenue", /营业收入|营收|销售收入|年收入|主营业务收入/, "money"],
  ["totalAssets", /资产总额|总资产/, "money"],
  ["employees", /从业人员|职工|员工|在职/, "count"],
  ["techStaff", /(?:科技|研发|技术)人员/, "count"],
  ["inventionPatents", /发明专利/, "count"],
];

export function companyFrom(profile: CompanyProfile | undefined, asOf: string): Company {
  const p = profile ?? {};
  const facts = (p.facts ?? []).map(parseFact);
  const factText = facts.map((f) => f.text).join("；");
  let regionPath = profileRegionPath(p.region);
  // A fact may place the company more precisely than the profile («依法在徐汇区经营»).
  for (const f of facts) {
    if (f.negated && /未设|没有/.test(f.text)) continue;
    const place = /(?:注册|登记|经营|位于|落户|设在)/.test(f.text) ? placePathIn(f.text) : null;
    if (!place) continue;
    if (regionPath.length === 0) regionPath = place;
    else if (place.length > regionPath.length && regionPath.every((r) => place.includes(r))) regionPath = place;
  }
  const company: Company = {
    regionPath,
    park: p.region?.park,
    ageYears: yearsSince(p.established, asOf),
    foundedOn: p.established,
    employees: p.employees,
    techStaff: p.techStaff,
    revenue: p.revenue,
    rdExpense: p.rdExpense,
    totalAssets: p.totalAssets,
    rdRatio: p.rdRatio,
    revenuePrevious: p.revenuePrevYear,
    rdPrevious: p.rdExpensePrevYear,
    rdGrowth: p.rdExpense !== undefined && p.rdExpensePrevYear !== undefined ? p.rdExpense - p.rdExpensePrevYear : undefined,
    inventionPatents: p.inventionPatents,
    ipCount: p.ipCount,
    listed: p.listed,
    qualifications: [
      ...new Set([
        ...(p.qualifications ?? []).map(canonicalQualification),
        ...findQualifications(factText)
          .filter((q) => !negatedAround(factText, q.index))
          .map((q) => q.name),
      ]),
    ],
    lacks: [
      ...new Set([
        ...(p.lacks ?? []).map(canonicalQualification),
        ...findQualifications(factText)
          .filter((q) => negatedAround(factText, q.index))
          .map((q) => q.name),
      ]),
    ],
    qualificationsStated: Array.isArray(p.qualifications),
    industries: p.industries ?? [],
    fields: [...new Set((p.industries ?? []).flatMap(fieldsOf))],
    facts,
    asOf,
  };
  const notListed = /(?:未|没|没有)上市/.test(factText);
  if (company.listed === undefined && /(?:科创板|创业板|主板|北交所|港股|纳斯达克)?上市公司/.test(factText) && !notListed) company.listed = true;
  if (notListed) company.listed = false;
  if (company.listed) company.qualifications.push("上市公司");

  for (const f of facts) {
    for (const q of f.quantities) {
      if (q.approximate && q.dimension !== "money") continue;
      // «研发费用去年比前年多了200万»: a change, not the figure itself.
      if (CHANGE_BEFORE.test(q.subject)) continue;
      for (const [key, re, dim] of FACT_METRICS) {
        if (q.dimension === dim && re.test(q.subject) && company[key] === undefined) {
          (company as Record<string, unknown>)[key] = q.value;
          break;
        }
      }
    }
    // «上一会计年度研发费用520万元，前一年度为360万元»
    const rd = /研发(?:费用|投入)[^，。；]*?(\d+(?:\.\d+)?)\s*万元?[^。；]*?前一(?:个会计)?年度(?:为|是)?\s*(\d+(?:\.\d+)?)\s*万/.exec(f.text);
    if (rd && company.rdPrevious === undefined) {
      company.rdPrevious = Number(rd[2]);
      company.rdGrowth = Number(rd[1]) - Number(rd[2]);
    }
    // «研发费用：2024年度420万元，2025年度610万元», «2024年度研发费用520万元，2025年度研发费用640万元»: the later year is the last one.
    const pair = rdByYear(f.text);
    if (pair && company.rdPrevious === undefined) {
      if (p.rdExpense === undefined) company.rdExpense = pair.late;
      company.rdPrevious = pair.early;
      company.rdGrowth = (company.rdExpense ?? pair.late) - pair.early;
    }
    const growth = /研发(?:费用|投入)[^，。；]*?(?:同比)?(?:增加|增长|多了|增量)(?:了|为)?\s*(\d+(?:\.\d+)?)\s*万/.exec(f.text);
    if (growth && company.rdGrowth === undefined) company.rdGrowth = Number(growth[1]);
  }
  // «我们2022年才注册», «2019年成立»: the founding the profile left out.
  if (company.foundedOn === undefined) {
    const founded = facts.map((f) => FOUNDED.exec(f.text)).find((m) => m && !OTHER_PARTY.test(m.input.slice(0, m.index)));
    if (founded) {
      company.foundedOn = founded[2] ? `${founded[1]}-${founded[2].padStart(2, "0")}` : founded[1];
      company.ageYears = yearsSince(company.foundedOn, asOf);
    }
  }
  const person = personOf(
    facts.map((f) => f.text),
    asOf,
  );
  if (person.age !== undefined) company.personAge = person.age;
  if (person.sex) company.personSex = person.sex;
  const graduated = /((?:19|20)\d{2})\s*(?:届|年)[^，。；]{0,12}?(?:高校|大学|本科|大专|专科|硕士|博士|研究生|职业|技工|中专|高等)[^，。；]{0,8}毕业/.exec(
    factText,
  );
  if (graduated) company.graduatedYearsAgo = yearsSince(`${graduated[1]}-07-01`, asOf);
  if (company.fields.length === 0) company.fields = [...new Set(facts.flatMap((f) => fieldsOf(f.text)))];
  return company;
}

const CHANGE_BEFORE = /(?:比|较)[^，。；]{0,10}?(?:多|少|增加|增长|减少|下降|提高)(?:了)?$|(?:增加|增长|增量|多了|减少|下降)(?:了|为)?$/;

const FOUNDED =
  /((?:19|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月)?(?:\s*\d{1,2}\s*日)?[^，,；;。]{0,8}?(?:才|就)?(?:注册成立|成立|注册|登记设立|设立)(?!.{0,3}(?:的|工作室|子公司|分公司|项目|门店|基金))/;
// A founding date of someone else: the company invested in, bought, or a branch of it.
const OTHER_PARTY = /被投|被并购|收购|投资了|子公司|分公司|门店|工作室|基金|项目|合作方|对方/;

const PERSON = /法定代表人|创始人|创办人|负责人|本人|借款人|经营者|创业者|(?:^|[，,、])[男女]性?(?:[，,、]|$)/;

// «1994年3月出生», «出生于1979年», «1988年生»: a birth date, from which the age on the day is counted.
const BIRTH = /((?:19|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月)?(?:份)?\s*(?:出生|生人|生(?=[，,、；;）)]|$))|出生于\s*((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月)?/;

/**
 * «法定代表人，女，41岁», «创办人…1985年2月出生»: the person's age and sex on the day;
 * a fact about someone else («一位股东（28岁）») does not name the person.
 */
function personOf(facts: string[], asOf: string): { age?: number; sex?: "女" | "男" } {
  const fact = facts.find((f) => PERSON.test(f) && (/\d{2}\s*周?岁/.test(f) || BIRTH.test(f)));
  if (!fact) return {};
  const stated = /(\d{2})\s*周?岁/.exec(fact);
  const born = BIRTH.exec(fact);
  // Whole years lived: a birthday not yet reached this year does not count.
  const age = stated
    ? Number(stated[1])
    : Math.floor(yearsSince(`${born![1] ?? born![3]}-${String(born![2] ?? born![4] ?? 7).padStart(2, "0")}-01`, asOf) ?? 0);
  const sex = /(?:^|[，,、（(\s])(男|女)性?(?=[，,、）)\s]|$)|(男|女)性/.exec(fact);
  return { age, ...(sex ? { sex: (sex[1] ?? sex[2]) as "女" | "男" } : {}) };
}

const YEAR = "((?:19|20)\\d{2})\\s*年度?\\s*";
const RD = "研发(?:费用|投入|经费)";
const AMOUNT = "\\s*(?:为|是)?\\s*(\\d+(?:\\.\\d+)?)\\s*万";
const RD_THEN_YEARS = new RegExp(`${RD}[^。；]*?${YEAR}${AMOUNT}元?[，,、；;和]\\s*${YEAR}${AMOUNT}`);
const YEAR_THEN_RD = new RegExp(`${YEAR}${RD}${AMOUNT}元?[，,、；;和]\\s*${YEAR}(?:${RD})?${AMOUNT}`);

/** R&D of two named years in one fact: the earlier and the later amount. */
function rdByYear(text: string): { early: number; late: number } | undefined {
  const m = RD_THEN_YEARS.exec(text) ?? YEAR_THEN_RD.exec(text);
  if (!m) return undefined;
  const [y1, a1, y2, a2] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  return y1 < y2 ? { early: a1, late: a2 } : { early: a2, late: a1 };
}

function negatedAround(text: string, index: number): boolean {
  // «没挂牌», «还没拿到高企»: spoken «没» denies as «没有» does.
  if (/(?:尚未|未|没有|没|不是|正在|拟|准备|打算|计划)[^，。；]{0,8}$/.test(text.slice(Math.max(0, index - 10), index))) return true;
  // «申请“小巨人”企业没有通过», «高企认定还在评审中»: applied for, not held.
  // «新三板也没挂牌», «高企还没认定下来»: the denial after the name.
  return /^[^，。；]{0,14}?(?:未通过|没通过|没有通过|未获批|未获认定|被否|落选|还在评审|评审中|申报中|审核中|公示中|(?:也|还|都)?(?:没|没有|未|尚未)(?:挂牌|上市|认定|通过|拿到|获批))/.test(
    text.slice(index, index + 24),
  );
}
