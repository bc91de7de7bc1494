import { chinaDate } from "../lib/china-time.js";
import { type ProfileChange, readCompanyFacts } from "../understand/facts/index.js";
import { NUMBER_READERS } from "../understand/facts/numbers/index.js";
import { type NormalizedTurn, normalizeTurn } from "../understand/normalize.js";
import type { CompanyProfile } from "./profile-schema.js";
import { isMunicipality, profileRegionPath } from "./region.js";
import { canonicalQualification } from "./vocabulary.js";

// The schema has a module of its own so that the fact readers (understand/facts), which this module calls, can name the type without importing this one back.
export { type CompanyProfile, CompanyProfileSchema } from "./profile-schema.js";

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

const NUMBER_FIELDS = new Set([
  "employees",
  "techStaff",
  "revenue",
  "rdExpense",
  "totalAssets",
  "revenuePrevYear",
  "rdExpensePrevYear",
  "rdRatio",
  "inventionPatents",
  "ipCount",
]);

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
