/**
 * Interim retrieval measurement (until `npm run eval` exists): indexes a corpus
 * into a fresh in-memory database and prints recall/MRR/nDCG per retriever.
 *   npx tsx scripts/eval-retrieval.ts --corpus ../shared/corpus --questions ../shared/eval/dev/questions.jsonl
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { parseEnv } from "../src/env.js";
import { createDeps } from "../src/deps.js";
import { ingestPaths } from "../src/ingest/ingest.js";
import type { Retriever } from "../src/retrieval/search.js";
import { answerableHits, retrieveForQuestion } from "../src/answer/answer.js";
import { rankingReport, recallAt, type RankedCase } from "../src/eval/metrics.js";

const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: "../shared/corpus" },
    questions: { type: "string", default: "../shared/eval/dev/questions.jsonl" },
    misses: { type: "boolean", default: false },
  },
});

const env = parseEnv({ ...process.env, DATA_DIR: "memory://", LOG_LEVEL: "warn" });
const deps = await createDeps(env);
const t0 = Date.now();
const summary = await ingestPaths(deps, [values.corpus!]);
console.log(`indexed ${summary.added} files (${summary.failed} failed) in ${Date.now() - t0} ms on ${deps.db.kind}`);
const questions = (await readFile(values.questions!, "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l));
for (const retriever of ["fulltext", "vector", "hybrid"] as Retriever[]) {
  const cases: Array<RankedCase & { q: string }> = [];
  for (const q of questions) {
    const hits = await retrieveForQuestion(deps, { question: q.question, profile: q.profile }, 10, retriever);
    cases.push({ q: q.question, relevant: q.relevant, acceptable: q.acceptable, ranked: hits.map((h) => h.policyId) });
  }
  const r = rankingReport(cases);
  console.log(retriever.padEnd(9), Object.entries(r).map(([k, v]) => `${k} ${typeof v === "number" && v < 1.0001 ? v.toFixed(3) : v}`).join("  "));
  if (values.misses && retriever === "hybrid") {
    for (const c of cases) if (c.relevant.length && recallAt(c, 5) < 1) console.log("  miss:", c.q, c.relevant, "→", c.ranked.slice(0, 5));
  }
}
// The no-answer gate: what the answerer would return for each question.
let answeredKept = 0, answeredTotal = 0, noAnswerOk = 0, noAnswerTotal = 0;
for (const q of questions) {
  const hits = await retrieveForQuestion(deps, { question: q.question, profile: q.profile }, 10);
  const kept = answerableHits(hits, 5);
  if (q.relevant.length) { answeredTotal++; if (kept.length) answeredKept++; }
  else { noAnswerTotal++; if (!kept.length) noAnswerOk++; }
  if (values.misses) console.log(q.relevant.length ? "ANS" : "NONE", hits[0]?.coverage.toFixed(3), hits[0]?.score.toFixed(3), q.question.slice(0, 30));
}
console.log(`no-answer accuracy ${(noAnswerOk / noAnswerTotal).toFixed(3)} (${noAnswerOk}/${noAnswerTotal}); answered questions still answered ${answeredKept}/${answeredTotal}`);
await deps.db.close();
