/**
 * The company-fact reader is a list of small readers, each turning one kind of
 * statement into profile fields with its evidence (the shape of chrono's
 * Chinese parsers). A reader is one module with the sentences that motivated
 * it as its test table; adding one touches only the list it is registered in.
 */
import type { CompanyProfile } from "../../policies/profile-schema.js";

/** Whose statement a stretch of text is: only the company's own figures become its profile. */
export type Owner = "us" | "customer" | "policy" | "hypothetical" | "question";

/** A stretch of the message between clause punctuation (，。；！？、 and line breaks). */
export type Clause = { text: string; start: number; end: number };

export type FactContext = {
  /** The normalised message (simplified characters, half-width digits). */
  text: string;
  clauses: Clause[];
  /** China's today, YYYY-MM-DD: 今年, 去年, 成立两年多 are counted from it. */
  today: string;
  /** Whose statement the text at this offset is. */
  ownerAt(offset: number): Owner;
  /** The clause holding this offset. */
  clauseAt(offset: number): Clause;
};

/** Profile fields a reader may set, region levels as region.province … region.park. */
export type FactField = Exclude<keyof CompanyProfile, "region" | "facts" | "name"> | "region.province" | "region.city" | "region.district" | "region.park";

export type Finding = {
  field: FactField;
  /** A number (万元 for money, a fraction for ratios, a count), a string, a boolean, or a list for qualifications/industries/lacks. */
  value: number | string | boolean | string[];
  /** The evidence: offsets into ctx.text. */
  start: number;
  end: number;
  /** An estimate: 三十来个, 三百多万, 成立两年多. */
  approx?: boolean;
  /** Which reader found it (for debugging and tests). */
  reader: string;
  /**
   * A change to what an earlier turn said rather than a value of its own, settled
   * against the earlier profile by mergeProfiles: "add" (又招了8个: employees + 8),
   * "toYearBefore" (研发那个数是前年的: the stated R&D was the year before's),
   * "yearBefore" (前年那个数应该是1000万: whichever year-before figure the profile has).
   */
  change?: "add" | "toYearBefore" | "yearBefore";
};

export type FactReader = {
  name: string;
  read(ctx: FactContext): Finding[];
};
