import { z } from "zod";
import { chinaDate, isRealIsoDate } from "../lib/china-time.js";
import { readCompanyFacts, type ProfileChange } from "../understand/facts/index.js";
import { NUMBER_READERS } from "../understand/facts/numbers/index.js";
import { normalizeTurn, type NormalizedTurn } from "../understand/normalize.js";
import { isMunicipality, profileRegionPath } from "./region.js";
import { canonicalQualification } from "./vocabulary.js";

const wan = (what: string) => z.number().min(0, `${what}不能为负数`);
// A founding date as precise as the company gives it: a year, a month or a day.
const isoDay = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** A company as it describes itself; money in 万元, ratios as fractions. Unknown keys are kept. */
export const CompanyProfileSchema = z
  .object({
    name: z.string().max(200).optional().describe("Company name").meta({ example: "武汉光谷某某光电科技有限公司" }),
    region: z
      .object({
        province: z.string().max(50).optional().describe("Province of registration").meta({ example: "湖北省" }),
        city: z.string().max(50).optional().describe("City of registration").meta({ example: "武汉市" }),
        district: z.string().max(50).optional().describe("District (区/县)").meta({ example: "洪山区" }),
        park: z.string().max(100).optional().describe("Park or development zone").meta({ example: "东湖新技术开发区" }),
      })
      .passthrough()
      .optional()
      .describe("Where the company is registered; short forms are normalised (海淀 → 北京市海淀区)"),
    established: z
      .string()
      .regex(isoDay, "日期格式应为 YYYY-MM-DD、YYYY-MM 或 YYYY")
      .refine((d) => isRealIsoDate(d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d), "不是有效日期（该月没有这一天）")
      // A founding date after today (China's today: the company registered in China) is a typo.
      .refine((d) => d <= chinaDate(new Date()).slice(0, d.length), "成立日期不能晚于今天")
      .optional()
      .describe("Founding date, YYYY-MM-DD, YYYY-MM or YYYY")
      .meta({ example: "2019-06-18" }),
    employees: z.number().int().min(0, "从业人数不能为负数").optional().describe("Employees (从业人员)").meta({ example: 86 }),
    techStaff: z.number().int().min(0, "科技人员数不能为负数").optional().describe("R&D and technical staff (科技人员)").meta({ example: 31 }),
    revenue: wan("营业收入").optional().describe("Last year's revenue (营业收入), 万元").meta({ example: 5200 }),
    rdExpense: wan("研发费用").optional().describe("Last year's R&D expense (研发费用), 万元").meta({ example: 430 }),
    totalAssets: wan("资产总额").optional().describe("Total assets (资产总额), 万元").meta({ example: 8000 }),
    revenuePrevYear: wan("上上年营业收入").optional().describe("Revenue of the year before last, 万元 (for growth)").meta({ example: 4100 }),
    rdExpensePrevYear: wan("上上年研发费用").optional().describe("R&D expense of the year before last, 万元 (for 研发投入增量)").meta({ example: 360 }),
    rdRatio: z.number().min(0, "研发投入占比不能为负数").max(1, "研发投入占比是0到1之间的小数（5% 写作 0.05）").optional().describe("R&D expense / revenue as a fraction, when only the ratio is known").meta({ example: 0.05 }),
    applicantType: z.enum(["企业", "事业单位", "高校", "科研院所", "社会组织", "个人"]).optional().describe("Kind of applicant").meta({ example: "企业" }),
    industries: z.array(z.string().max(100)).max(50).optional().describe("Industries or fields, in any words (体外诊断 counts as 医药健康)").meta({ example: ["光电子", "激光"] }),
    qualifications: z
      .array(z.string().max(100))
      .max(50)
      .optional()
      .describe("Qualifications held; synonyms normalised (高企 → 高新技术企业, 小巨人 → 专精特新“小巨人”企业)")
      .meta({ example: ["高新技术企业", "科技型中小企业"] }),
    lacks: z
      .array(z.string().max(100))
      .max(50)
      .optional()
      .describe("Qualifications the company says it does not hold (还不是高企 → 高新技术企业)")
      .meta({ example: ["高新技术企业"] }),
    inventionPatents: z.number().int().min(0).optional().describe("Granted invention patents (发明专利)").meta({ example: 6 }),
    ipCount: z.number().int().min(0).optional().describe("All intellectual property items (知识产权), patents included").meta({ example: 24 }),
    listed: z.boolean().optional().describe("Listed on a stock exchange or 新三板").meta({ example: false }),
    facts: z
      .array(z.string().max(500))
      .max(50)
      .optional()
      .describe("Anything else, in the company's own words; numbers, places and qualifications are read from it")
      .meta({ example: ["上一会计年度研发费用520万元，前一年度为360万元", "尚未认定为专精特新企业"] }),
  })
  .passthrough();

export type CompanyProfile = z.infer<typeof CompanyProfileSchema>;

/**
 * The profile in canonical words: 高企 → 高新技术企业, 小巨人 → 专精特新“小巨人”企业,
 * 海淀 → 海淀区 in 北京市. Everything else, unknown keys included, is kept.
 */
export function normalizeProfile(profile: CompanyProfile): CompanyProfile {
  const out: CompanyProfile = { ...profile };
  if (profile.region) {
    const path = profileRegionPath(profile.region);
    const province = path.find((p) => /省|自治区|特别行政区/.test(p)) ?? path.find(isMunicipality);
    const city = path.find((p) => isMunicipality(p) || /市$/.test(p));
    const district = path.find((p) => p !== province && p !== city && p !== profile.region?.park);
    out.region = {
      ...profile.region,
      ...(province ? { province } : {}),
      ...(city ? { city } : {}),
      ...(district ? { district } : {}),
    };
  }
  if (profile.qualifications) out.qualifications = [...new Set(profile.qualifications.map(canonicalQualification))];
  return out;
}

/**
 * What a question says about the company asking it («我们在海淀，去年营收3000万，
 * 是高企»): the fields its readers place, and the clauses about the company that
 * none of them placed as facts. `today` (China's) dates 去年 and 成立两年.
 */
export function profileFromQuestion(question: string, options: { today?: string; normalized?: NormalizedTurn } = {}): CompanyProfile {
  const today = options.today ?? chinaDate(new Date());
  // A caller that has normalised the message already (the turn stage) passes it, so it is read once.
  const turn = options.normalized ?? normalizeTurn(question);
  const read = readCompanyFacts(turn.text, { today });
  let profile = read.profile;
  if (turn.language === "en") {
    // An English message is searched as a bag of Chinese terms, which loses whose number is whose
    // («300 employees, 90 of them in R&D»): its figures are read from its own words instead.
    const figures = readCompanyFacts(question.normalize("NFKC"), { today, readers: NUMBER_READERS }).profile;
    profile = { ...Object.fromEntries(Object.entries(profile).filter(([k]) => !NUMBER_FIELDS.has(k))), ...figures };
  }
  // The translation's leftover clauses are bare numbers, not the company's words.
  const facts = turn.language === "en" ? [] : read.facts;
  if (facts.length) profile = { ...profile, facts };
  // 「又招了8个」「那个数是前年的」: settled by mergeProfiles against the profile so far.
  if (read.changes.length) profile = { ...profile, changes: read.changes };
  return profile;
}

const NUMBER_FIELDS = new Set(["employees", "techStaff", "revenue", "rdExpense", "totalAssets", "revenuePrevYear", "rdExpensePrevYear", "rdRatio", "inventionPatents", "ipCount"]);

const REGION_LEVELS = ["province", "city", "district", "park"] as const;

/**
 * The base wins field by field; the extra fills the gaps; facts accumulate.
 * A region level the base names drops the extra's levels below it when the
 * extra names that level differently (「不对，是朝阳不是海淀」 replaces the
 * district and its park). A qualification one side holds and the other lacks
 * goes the base's way.
 */
export function mergeProfiles(base: CompanyProfile | undefined, extra: CompanyProfile): CompanyProfile {
  const b = base ?? {};
  const merged: CompanyProfile = { ...extra, ...b };
  if (b.region || extra.region) merged.region = mergeRegions(b.region, extra.region);
  const key = (q: string) => canonicalQualification(q);
  const baseHeld = new Set((b.qualifications ?? []).map(key));
  const baseLacks = new Set((b.lacks ?? []).map(key));
  const qualifications = [...new Set([...(b.qualifications ?? []), ...(extra.qualifications ?? []).filter((q) => !baseLacks.has(key(q)))])];
  const lacks = [...new Set([...(b.lacks ?? []), ...(extra.lacks ?? []).filter((q) => !baseHeld.has(key(q)))])];
  if (qualifications.length) merged.qualifications = qualifications;
  else delete merged.qualifications;
  if (lacks.length) merged.lacks = lacks;
  else delete merged.lacks;
  const facts = [...new Set([...(b.facts ?? []), ...(extra.facts ?? [])])];
  if (facts.length) merged.facts = facts;
  delete merged.changes;
  for (const c of (b.changes as ProfileChange[] | undefined) ?? []) applyChange(merged, c, b, extra);
  return merged;
}

const YEAR_BEFORE: Record<string, "revenuePrevYear" | "rdExpensePrevYear"> = { revenue: "revenuePrevYear", rdExpense: "rdExpensePrevYear" };

/** A change the base's message makes to the extra's figures; one the extra cannot take is dropped. */
function applyChange(merged: Record<string, unknown>, c: ProfileChange, base: CompanyProfile, extra: CompanyProfile) {
  const had = extra as Record<string, unknown>;
  if (c.change === "add" && base[c.field] === undefined && typeof had[c.field] === "number") merged[c.field] = (had[c.field] as number) + c.value;
  if (c.change === "toYearBefore" && YEAR_BEFORE[c.field] && had[c.field] !== undefined && base[YEAR_BEFORE[c.field]] === undefined) {
    merged[YEAR_BEFORE[c.field]] = had[c.field];
    if (base[c.field] === undefined) delete merged[c.field];
  }
  if (c.change === "yearBefore") {
    const held = Object.values(YEAR_BEFORE).filter((f) => had[f] !== undefined && base[f] === undefined);
    if (held.length === 1) merged[held[0]] = c.value;
  }
}

type Region = NonNullable<CompanyProfile["region"]>;

function mergeRegions(base: Region | undefined, extra: Region | undefined): Region {
  if (!base) return { ...extra };
  if (!extra) return { ...base };
  const kept: Region = { ...extra };
  for (const [i, level] of REGION_LEVELS.entries()) {
    if (base[level] && kept[level] && !samePlace(base[level], kept[level])) {
      for (const below of REGION_LEVELS.slice(i + 1)) delete kept[below];
      break;
    }
  }
  return { ...kept, ...base };
}

// 海淀 and 海淀区 name one place.
const samePlace = (a: string, b: string) => a === b || a.startsWith(b) || b.startsWith(a);
