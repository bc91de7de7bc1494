import type { CompanyProfile } from "../../policies/profile-schema.js";
import { NUMBER_READERS } from "./numbers/index.js";
import { ownersOf } from "./owner.js";
import type { Clause, FactContext, FactReader, Finding } from "./reader.js";
import { WORD_READERS } from "./words/index.js";

/** Every reader, in the order their findings are preferred when two set one field. */
export const FACT_READERS: FactReader[] = [...NUMBER_READERS, ...WORD_READERS];

export type ReadFacts = {
  /** The fields the message states, canonical (no facts, no name). */
  profile: CompanyProfile;
  /** Clauses about the company that no reader placed, in its own words. */
  facts: string[];
  findings: Finding[];
  /** Fields whose value is an estimate. */
  approx: string[];
  /** Changes to what an earlier turn said (see Finding.change). */
  changes: ProfileChange[];
};

export type ProfileChange = { change: NonNullable<Finding["change"]>; field: string; value: number };

// A comma between digits (1,250万) or a full stop inside a number (6.5%) does not end a clause.
const CLAUSE_END = /[，。；;！!？?、\n]|,(?!\d{3}(?!\d))|\.(?=\s|$)/g;

export function clausesOf(text: string): Clause[] {
  const out: Clause[] = [];
  let start = 0;
  const push = (end: number) => {
    if (text.slice(start, end).trim()) out.push({ text: text.slice(start, end), start, end });
  };
  for (const m of text.matchAll(CLAUSE_END)) {
    push(m.index!);
    start = m.index! + m[0].length;
  }
  push(text.length);
  return out;
}

export function factContext(text: string, today: string): FactContext {
  const clauses = clausesOf(text);
  const clauseAt = (offset: number) => clauses.find((c) => offset >= c.start && offset < c.end) ?? { text: "", start: offset, end: offset };
  const owners = new Map(ownersOf(clauses, text).map((o, i) => [clauses[i].start, o]));
  return { text, clauses, today, clauseAt, ownerAt: (offset) => owners.get(clauseAt(offset).start) ?? "us" };
}

/** A question, or a request to the assistant («帮我写一份申报书»): not something the company states. */
const ASKS = /[吗呢]|多少|哪些|什么|何时|怎么|如何|能否|能不能|是否|有没有|^\s*(?:请|麻烦)?(?:帮我|帮忙|帮我们|给我|替我)/;

const LISTS = new Set(["qualifications", "industries", "lacks"]);

/** What a (normalised) message says about the company asking it. */
export function readCompanyFacts(text: string, options: { today: string; readers?: FactReader[] }): ReadFacts {
  const ctx = factContext(text, options.today);
  const findings = (options.readers ?? FACT_READERS).flatMap((r) => r.read(ctx));
  const profile: Record<string, unknown> = {};
  const region: Record<string, string> = {};
  const approx = new Set<string>();
  const changes: ProfileChange[] = [];
  for (const f of findings) {
    if (f.change) {
      changes.push({ change: f.change, field: f.field, value: Number(f.value) });
      continue;
    }
    if (f.field.startsWith("region.")) {
      const level = f.field.slice("region.".length);
      if (region[level] === undefined) region[level] = String(f.value);
      continue;
    }
    if (LISTS.has(f.field)) {
      const list = (profile[f.field] as string[] | undefined) ?? [];
      profile[f.field] = [...new Set([...list, ...(Array.isArray(f.value) ? f.value : [String(f.value)])])];
      continue;
    }
    if (profile[f.field] !== undefined) continue;
    profile[f.field] = f.value;
    if (f.approx) approx.add(f.field);
  }
  if (Object.keys(region).length) profile.region = region;
  // The ratio is for when the amounts are not known: with both stated it only repeats them.
  if (profile.rdRatio !== undefined && profile.rdExpense !== undefined && profile.revenue !== undefined) delete profile.rdRatio;
  const placed = (c: Clause) => findings.some((f) => f.start < c.end && f.end > c.start);
  const facts = ctx.clauses
    .filter((c) => !placed(c) && ctx.ownerAt(c.start) === "us" && /\d|[一二两三四五六七八九十百千万亿]/.test(c.text) && !ASKS.test(c.text))
    // A bare number or year (「15」「2024年」) says nothing on its own.
    .filter((c) => /\p{Script=Han}{2,}/u.test(c.text.replace(/[\d.,%]+|[年月日万亿元个项件人]/g, "")))
    .map((c) => c.text.trim());
  return { profile: profile as CompanyProfile, facts, findings, approx: [...approx], changes };
}
