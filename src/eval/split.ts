import { createHash } from "node:crypto";

/** The fixed split of every development file: rules are tuned on one part and only checked on the other. */
export const PARTS = ["tune", "check"] as const;
export type Part = (typeof PARTS)[number];

/** An id whose SHA-256 starts with a byte below this is in the tune part: 154 / 256 ≈ 60 %. */
export const TUNE_BELOW = 154;

/** The part an id falls in; it depends on the id alone, so it is the same on every run and machine. */
export function partOf(id: string): Part {
  return createHash("sha256").update(id, "utf8").digest()[0] < TUNE_BELOW ? "tune" : "check";
}

export function splitByPart<T extends { id: string }>(cases: T[]): Record<Part, T[]> {
  const out: Record<Part, T[]> = { tune: [], check: [] };
  for (const c of cases) out[partOf(c.id)].push(c);
  return out;
}
