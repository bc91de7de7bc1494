/**
 * A chat model may propose company facts (the query rewrite's companyFacts).
 * They are proposals: each is read by the same readers as the message, and a
 * field stands only when the message's own words carry it — every figure is
 * one the message states, every place and qualification one it names. The
 * message's own reading wins over anything proposed.
 */
import { type CompanyProfile, mergeProfiles, profileFromQuestion } from "../policies/profile.js";
import { findQuantities } from "../policies/quantity.js";
import { placePathIn } from "../policies/region.js";
import { findQualifications } from "../policies/vocabulary.js";
import { normalizeText } from "./normalize.js";

/** The proposals whose figures, places and qualifications all appear in the message. */
export function verifiedFacts(proposed: string[], message: string): string[] {
  const text = normalizeText(message);
  const said = findQuantities(text).map((q) => `${q.dimension}:${q.value}`);
  const places = new Set(placePathIn(text) ?? []);
  const quals = new Set(findQualifications(text).map((q) => q.name));
  return proposed.filter((f) => {
    const fact = normalizeText(f);
    if (!findQuantities(fact).every((q) => said.includes(`${q.dimension}:${q.value}`))) return false;
    if (!(placePathIn(fact) ?? []).every((p) => places.has(p))) return false;
    return findQualifications(fact).every((q) => quals.has(q.name));
  });
}

/** The message's reading, completed by the verified proposals where it is silent; the proposals kept as facts. */
export function withProposals(stated: CompanyProfile, proposed: string[], message: string, today: string): CompanyProfile {
  const verified = verifiedFacts(proposed, message);
  if (verified.length === 0) return stated;
  const read = verified.map((f) => profileFromQuestion(f, { today })).reduce<CompanyProfile>((acc, p) => mergeProfiles(acc, { ...p, facts: [] }), {});
  delete read.facts;
  const merged = mergeProfiles(stated, read);
  return { ...merged, facts: [...new Set([...(stated.facts ?? []), ...verified])] };
}
