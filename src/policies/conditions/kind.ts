import { z } from "zod";
import { BoundedMemo } from "../../lib/bounded-memo.js";
import type { Company } from "../company.js";
import type { Check } from "./check.js";
import type { Clause, ReadContext } from "./clause.js";

export type Status = "met" | "unmet" | "unknown";
export type CheckResult = { status: Status; reason: string; question?: string };

/**
 * One kind of policy condition: how a clause states it, how a company is
 * judged against it, what to ask when a fact is missing, and when a chat
 * model's proposal of it is taken.
 */
export interface ConditionKind<C extends Check = Check> {
  readonly type: C["type"];
  /** Its member of the criteria union; the descriptions document the API. */
  readonly schema: z.ZodType<C>;
  /** The checks of this kind the clause states. `before`: what the kinds earlier in the reading order found in it. */
  read(clause: Clause, ctx: ReadContext, before: readonly Check[]): C[];
  /** Met, unmet or unknown, with the reason in Chinese; `clauseText` is the criterion's own words. */
  judge(check: C, clauseText: string, company: Company): CheckResult;
  /** What to ask the company when its profile cannot decide the check; absent when a missing fact never leaves it open. */
  question?(check: C, clauseText: string, company: Company): string;
  /** Whether the clause's own words state the check: a model's proposal is accepted only then. */
  verify(check: C, clauseText: string): boolean;
}

export const ComparatorSchema = z.enum([">=", ">", "<=", "<", "="]).describe("How the company's figure must compare with the value");
/** A kind's `type` field: its name, and what it checks. */
export const typeOf = <T extends string>(name: T, what: string) => z.literal(name).describe(what);

/** Whether the company meets a condition, asked in the policy's words without the 「以及」「并」 that joined them to the clause before. */
export const askWhether = (words: string) =>
  `贵公司是否符合：${words
    .trim()
    .replace(/^(?:以及|并且|且|同时|并(?!购))/, "")
    .replace(/[。；;，,、]$/, "")}？`;

/** The policy's words, quoted. */
export const quote = (s: string) => `「${s}」`;

export const round = (n: number) => Math.round(n * 10) / 10;

/** The fill words of conditions («企业», «须», «的»), left out when weighing what a condition asks. */
export const FILL_WORDS = /企业|公司|单位|申报|申请|应当|须|应|的/g;

/** The two-character runs of a text's Han, Latin and digit stretches. */
export const bigramsOf = (s: string): ReadonlySet<string> => bigramMemo.get(s, readBigrams);

function readBigrams(text: string): ReadonlySet<string> {
  const grams = new Set<string>();
  for (const run of text.match(/[\p{Script=Han}A-Za-z0-9]+/gu) ?? []) for (let i = 0; i + 1 < run.length; i++) grams.add(run.slice(i, i + 2));
  return grams;
}

/** The bigrams of a text without its fill words, kept by the text itself so that no stripped copy is made per call. */
export const contentBigramsOf = (s: string): ReadonlySet<string> => contentMemo.get(s, (text) => bigramsOf(text.replace(FILL_WORDS, "")));

/**
 * A company's facts are judged against every policy of one call, then never again: they are kept in a
 * small memo of their own, so that a crowd of distinct companies does not push the clauses' bigrams out
 * of theirs (nor fill the heap with sets no later call reads).
 */
export const factBigramsOf = (s: string): ReadonlySet<string> => factMemo.get(s, readBigrams);
export const factContentBigramsOf = (s: string): ReadonlySet<string> => factContentMemo.get(s, (text) => readBigrams(text.replace(FILL_WORDS, "")));

/** Matching judges every policy's clauses against every company: a clause's bigrams are read once, not on every call. */
const bigramMemo = new BoundedMemo<string, ReadonlySet<string>>(50_000);
const contentMemo = new BoundedMemo<string, ReadonlySet<string>>(50_000);
const factMemo = new BoundedMemo<string, ReadonlySet<string>>(2_000);
const factContentMemo = new BoundedMemo<string, ReadonlySet<string>>(2_000);

/** Share of `a`'s Han bigrams found in `b`: how much of a condition a fact speaks to. */
export function overlap(a: string, b: string): number {
  const ga = contentBigramsOf(a);
  if (ga.size === 0) return 0;
  const gb = factBigramsOf(b);
  let n = 0;
  for (const g of ga) if (gb.has(g)) n++;
  return n / ga.size;
}
