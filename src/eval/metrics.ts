/** Policy-level ranking metrics, as defined in the shared eval README. */
export type RankedCase = { relevant: string[]; acceptable?: string[]; ranked: string[] };

/** Acceptable ids are neither hits nor misses: they are removed from the ranking before scoring. */
export function effectiveRanking(c: RankedCase): string[] {
  const skip = new Set((c.acceptable ?? []).filter((id) => !c.relevant.includes(id)));
  return c.ranked.filter((id) => !skip.has(id));
}

export function recallAt(c: RankedCase, k: number): number {
  if (c.relevant.length === 0) return 0;
  const top = new Set(effectiveRanking(c).slice(0, k));
  return c.relevant.filter((id) => top.has(id)).length / c.relevant.length;
}

export function reciprocalRankAt(c: RankedCase, k: number): number {
  const ranking = effectiveRanking(c).slice(0, k);
  const i = ranking.findIndex((id) => c.relevant.includes(id));
  return i < 0 ? 0 : 1 / (i + 1);
}

export function ndcgAt(c: RankedCase, k: number): number {
  const ranking = effectiveRanking(c).slice(0, k);
  let dcg = 0;
  ranking.forEach((id, i) => {
    if (c.relevant.includes(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, c.relevant.length); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function rankingReport(cases: RankedCase[]) {
  const answered = cases.filter((c) => c.relevant.length > 0);
  return {
    questions: answered.length,
    "recall@5": mean(answered.map((c) => recallAt(c, 5))),
    "recall@10": mean(answered.map((c) => recallAt(c, 10))),
    "mrr@10": mean(answered.map((c) => reciprocalRankAt(c, 10))),
    "ndcg@10": mean(answered.map((c) => ndcgAt(c, 10))),
  };
}
