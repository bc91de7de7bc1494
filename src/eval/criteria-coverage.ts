import type { Queryable } from "../db/db.js";
import { storedCriteria } from "../db/policy-store.js";
import type { Check, Criterion, PolicyCriteria } from "../policies/criteria.js";

/**
 * How much of the corpus's 申报条件 the condition kinds read: checks per
 * kind, and the share left as free text («text», decided only by what a
 * company says). A compound check counts as its members; a 不予支持 case is
 * free text by design and counted apart.
 */
export type CriteriaCoverage = {
  policies: number;
  criteria: number;
  checks: number;
  byKind: Record<string, number>;
  /** Share of checks that are free text. */
  textShare: number;
  /** Share of criteria with no check but free text. */
  textOnlyCriteria: number;
  /** The same share among criteria that decide a verdict (not `soft`). */
  textOnlyDeciding: number;
  disqualifiers: number;
};

const leaves = (check: Check): Check[] => (check.type === "both" ? check.checks : [check]);

export function criteriaCoverage(all: PolicyCriteria[]): CriteriaCoverage {
  const byKind: Record<string, number> = {};
  let criteria = 0;
  let textOnly = 0;
  let deciding = 0;
  let textOnlyDeciding = 0;
  let disqualifiers = 0;
  const count = (c: Criterion) => {
    if (c.disqualifier) return void disqualifiers++;
    criteria++;
    const checks = [...c.checks, ...(c.when ? [c.when] : [])].flatMap(leaves);
    for (const k of checks) byKind[k.type] = (byKind[k.type] ?? 0) + 1;
    const free = c.checks.flatMap(leaves).every((k) => k.type === "text");
    if (free) textOnly++;
    if (!c.soft) {
      deciding++;
      if (free) textOnlyDeciding++;
    }
  };
  for (const p of all) for (const c of [...p.common, ...p.programmes.flatMap((g) => g.criteria)]) count(c);
  const checks = Object.values(byKind).reduce((a, b) => a + b, 0);
  return {
    policies: all.length,
    criteria,
    checks,
    byKind: Object.fromEntries(Object.entries(byKind).sort((a, b) => b[1] - a[1])),
    textShare: checks ? (byKind.text ?? 0) / checks : 0,
    textOnlyCriteria: criteria ? textOnly / criteria : 0,
    textOnlyDeciding: deciding ? textOnlyDeciding / deciding : 0,
    disqualifiers,
  };
}

/** The coverage of the criteria stored for every indexed policy. */
export async function storedCriteriaCoverage(db: Queryable): Promise<CriteriaCoverage> {
  return criteriaCoverage(await storedCriteria(db));
}

export function formatCoverage(c: CriteriaCoverage): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    "",
    `Criteria read by the rules (${c.policies} policies, ${c.criteria} criteria, ${c.checks} checks; ${c.disqualifiers} 不予支持 cases apart): free text ${pct(c.textShare)} of checks, ${pct(c.textOnlyCriteria)} of criteria (${pct(c.textOnlyDeciding)} of those not soft)`,
    `  ${Object.entries(c.byKind)
      .map(([k, n]) => `${k} ${n} (${pct(n / c.checks)})`)
      .join(" · ")}`,
  ];
}
