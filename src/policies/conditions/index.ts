import type { Company } from "../company.js";
import { age } from "./age.js";
import { applicant } from "./applicant.js";
import { applicantKind } from "./applicant-kind.js";
import { createBoth } from "./both.js";
import type { Check } from "./check.js";
import { type ReadContext, readClause } from "./clause.js";
import { credit } from "./credit.js";
import { dated } from "./dated.js";
import { industry } from "./industry.js";
import { ip } from "./ip.js";
import type { CheckResult, ConditionKind } from "./kind.js";
import { legalEntity } from "./legal-entity.js";
import { personAge } from "./person-age.js";
import { qualification } from "./qualification.js";
import { recognised } from "./recognised.js";
import { record } from "./record.js";
import { region } from "./region.js";
import { site } from "./site.js";
import { size } from "./size.js";
import { text } from "./text.js";
import { threshold } from "./threshold.js";
import { unfunded } from "./unfunded.js";

export type { ReadContext } from "./clause.js";
export type { CheckResult, ConditionKind, Status } from "./kind.js";

const both = createBoth((check, clauseText, company) => judgeCheck(check, clauseText, company));

/**
 * Every kind of condition, in reading order: a reader sees what the kinds
 * before it found (ip defers to a count of patents; text reads what is left).
 */
export const CONDITION_KINDS = [
  region,
  site,
  applicant,
  legalEntity,
  applicantKind,
  personAge,
  age,
  dated,
  threshold,
  size,
  recognised,
  qualification,
  industry,
  ip,
  credit,
  unfunded,
  record,
  text,
  both,
] as const;

type KindFor<T extends Check["type"]> = ConditionKind<Extract<Check, { type: T }>>;
const BY_TYPE: { [T in Check["type"]]: KindFor<T> } = {
  region,
  site,
  size,
  applicant,
  legalEntity,
  applicantKind,
  personAge,
  age,
  dated,
  threshold,
  recognised,
  qualification,
  industry,
  ip,
  credit,
  unfunded,
  record,
  text,
  both,
};

export const kindOf = <T extends Check["type"]>(type: T): KindFor<T> => BY_TYPE[type];

/** The checks one clause carries, each kind reading in turn; a clause with no readable check becomes a text check. */
export function readChecks(clauseText: string, ctx: ReadContext): Check[] {
  const clause = readClause(clauseText);
  const found: Check[] = [];
  for (const kind of CONDITION_KINDS) found.push(...kind.read(clause, ctx, found));
  // Founding ages and figures are read from the same numbers: they keep the numbers' order in the clause.
  const slots = found.flatMap((c, i) => (clause.at.has(c) ? [i] : []));
  const inOrder = slots.map((i) => found[i]).sort((a, b) => clause.at.get(a)! - clause.at.get(b)!);
  slots.forEach((slot, n) => (found[slot] = inOrder[n]));
  return found;
}

export function judgeCheck(check: Check, clauseText: string, company: Company): CheckResult {
  return (kindOf(check.type) as ConditionKind<Check>).judge(check, clauseText, company);
}

/**
 * What to ask when a check is left open: its kind's question, else the one
 * its judgement gave; for several checks that must all hold, the first one
 * left open's.
 */
export function questionFor(check: Check, clauseText: string, company: Company, result: CheckResult): string | undefined {
  if (check.type === "both") {
    for (const member of check.checks) {
      const judged = judgeCheck(member, clauseText, company);
      if (judged.status === "unknown") return questionFor(member, clauseText, company, judged);
    }
    return result.question;
  }
  const kind = kindOf(check.type) as ConditionKind<Check>;
  return kind.question ? kind.question(check, clauseText, company) : result.question;
}

/** Is the check stated by the condition's own words? */
export function verifyCheck(check: Check, clauseText: string): boolean {
  return (kindOf(check.type) as ConditionKind<Check>).verify(check, clauseText);
}
