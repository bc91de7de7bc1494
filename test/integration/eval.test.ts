import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../src/env.js";
import { DatasetError, MatchCaseSchema, QuestionCaseSchema, readJsonl } from "../../src/eval/datasets.js";
import { type EvalResult, runEvaluation } from "../../src/eval/evaluate.js";
import { scoreVerdicts } from "../../src/eval/run.js";
import { testDatabases } from "../helpers/databases.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/eval");
const LIVE = join(import.meta.dirname, "../fixtures/eval-reference/live");
const SCORERS = join(import.meta.dirname, "../../../shared/eval");
const run = promisify(execFile);

describe.each(testDatabases())("npm run eval on a tiny fixture corpus ($name)", (database) => {
  let result: EvalResult;

  it("indexes the fixture corpus and ranks each question as designed", async () => {
    result = await runEvaluation({
      corpus: join(FIXTURES, "corpus"),
      questions: join(FIXTURES, "questions.jsonl"),
      msgabench: join(FIXTURES, "msgabench"),
      env: parseEnv({ DATA_DIR: "memory://", LOG_LEVEL: "silent" }),
      openDb: database.open,
    });
    expect(result.corpus).toMatchObject({ documents: 4, failed: 0 });
    const ranked = Object.fromEntries(result.retrieval!.misses.map((m) => [m.id, m.got]));
    // f2 lists a policy the corpus lacks, so it can never be fully recalled.
    expect(ranked.f2?.[0]).toBe("fx_tapeout");
    expect(Object.keys(ranked)).toEqual(["f2"]);
  }, 300_000);

  it("computes recall, MRR and nDCG as worked out by hand", () => {
    // f1: fx_hydrogen at rank 1 → R 1, RR 1, nDCG 1.
    // f2: fx_tapeout at rank 1, fx_missing absent → R 1/2, RR 1, nDCG 1 / (1 + 1/log2 3).
    // f3: fx_insurance outranks fx_compute (rank 2) → R 1, RR 1/2, nDCG (1/log2 3) / 1.
    const r = result.retrieval!;
    expect(r.questions).toBe(3);
    expect(r["recall@5"]).toBeCloseTo((1 + 0.5 + 1) / 3, 10);
    expect(r["recall@10"]).toBeCloseTo((1 + 0.5 + 1) / 3, 10);
    expect(r["mrr@10"]).toBeCloseTo((1 + 1 + 0.5) / 3, 10);
    const ndcg = (1 + 1 / (1 + 1 / Math.log2(3)) + 1 / Math.log2(3)) / 3;
    expect(r["ndcg@10"]).toBeCloseTo(ndcg, 10);
    // f4 asks about export tax refunds, which no fixture policy covers.
    expect(r.noAnswerQuestions).toBe(1);
    expect(r.noAnswerAccuracy).toBe(1);
    expect(r.answeredKept).toBe(1);
  });

  it("prints the reference BM25 beside the service, on both parts of the split", () => {
    const r = result.retrieval!;
    // The reference ranks f1 and f2 like the service, and f3's fx_compute second (RR 1/2).
    expect(r.reference["recall@5"]).toBeCloseTo((1 + 0.5 + 1) / 3, 10);
    expect(r.reference["mrr@10"]).toBeCloseTo((1 + 1 + 0.5) / 3, 10);
    expect(r.delta["recall@5"]).toBeCloseTo(r["recall@5"] - r.reference["recall@5"], 12);
    expect(r.delta["mrr@10"]).toBeCloseTo(r["mrr@10"] - r.reference["mrr@10"], 12);
    // sha256 puts f1, f3 and f4 in tune and f2 in check.
    expect(r.split.tune).toMatchObject({ questions: 2, noAnswerQuestions: 1, "recall@5": 1, "mrr@10": 0.75 });
    expect(r.split.check).toMatchObject({ questions: 1, noAnswerQuestions: 0, "recall@5": 0.5, "mrr@10": 1 });
    expect(r.split.check.reference["recall@5"]).toBe(0.5);
    expect(r.gate).toEqual({ shouldAnswer: { answered: 3, nothing: 0 }, shouldNot: { answered: 0, nothing: 1 } });
    expect(r.byKind.direct["recall@5"]).toBeCloseTo(0.75, 10);
  });

  it("builds the service up from the reference one mechanism at a time, its first step the reference and its last the service", () => {
    const { ablation, reference } = result.retrieval!;
    expect(ablation.map((row) => row.step)).toEqual(["reference", "index", "synonyms", "understanding", "place", "profile", "gate", "vector"]);
    expect(ablation[0].all["recall@5"]).toBe(reference["recall@5"]);
    expect(ablation[0].all["mrr@10"]).toBe(reference["mrr@10"]);
    // With the offline embedder the service searches full text only: it is the gate step; the vector step is
    // what a model embedder's default (hybrid) adds on top.
    expect(result.config.retriever).toBe("fulltext");
    const last = ablation.find((row) => row.step === "gate")!;
    const r = result.retrieval!;
    for (const part of ["tune", "check"] as const) {
      expect(last[part]["recall@5"]).toBe(r.split[part]["recall@5"]);
      expect(last[part]["mrr@10"]).toBe(r.split[part]["mrr@10"]);
      expect(last[part].answeredKept).toBe(r.split[part].answeredKept);
      expect(last[part].noAnswerAccuracy).toBe(r.split[part].noAnswerAccuracy);
    }
    // Before the understanding stage every question is searched, so nothing is refused.
    expect(ablation.find((row) => row.step === "synonyms")!.all.answeredKept).toBe(1);
  });

  it("reads each fixture document's metadata with its front matter removed and compares it with the front matter", () => {
    const m = result.metadata!;
    expect(m.documents).toBe(4);
    expect(m.fields.title).toMatchObject({ documents: 4 });
    expect(m.fields.docNumber).toMatchObject({ documents: 0, accuracy: null });
    expect(m.split.tune.title.documents + m.split.check.title.documents).toBe(4);
    for (const x of m.misses) expect(["title", "docNumber", "issuer", "date"]).toContain(x.field);
  });

  it("scores MSGABench with identical answer texts as one document and skips empty answers", () => {
    const m = result.msgabench!;
    // 5 rows: k2 and k3 share a text, k4 is empty → 3 documents; k3's gold is k2's document.
    expect(m.documents).toBe(3);
    expect(m.questions).toBe(3);
    expect(m["recall@1"]).toBe(1);
    expect(m["mrr@10"]).toBe(1);
    expect(m.reference["recall@1"]).toBe(1);
    expect(m.split.tune.questions + m.split.check.questions).toBe(3);
  });
});

describe.skipIf(!existsSync(join(SCORERS, "check-facts.mjs")))("facts and answers through the real server and the shared scorers", () => {
  it("starts the server on the fixture corpus, runs both scorers on each part and stops it", async () => {
    const result = await runEvaluation({
      corpus: join(FIXTURES, "corpus"),
      facts: join(LIVE, "facts.jsonl"),
      answers: join(LIVE, "answers.jsonl"),
      scorers: { facts: join(SCORERS, "check-facts.mjs"), answers: join(SCORERS, "check-answers.mjs") },
      only: ["facts", "answers"],
      env: parseEnv({ DATA_DIR: "memory://", LOG_LEVEL: "silent" }),
      openDb: () => Promise.reject(new Error("facts and answers need no in-process database")),
    });
    expect(result.config.sections).toEqual(["facts", "answers"]);
    const f = result.facts!;
    // lf2 is in tune, lf1 and lf3 in check.
    expect(f).toMatchObject({ cases: 3, errors: 0 });
    expect(f.split.tune.cases).toBe(1);
    expect(f.split.check.cases).toBe(2);
    for (const k of ["precision", "recall", "f1", "exactCases"] as const) expect(f[k]).toBeGreaterThanOrEqual(0);
    const a = result.answers!;
    // la1 is in tune, la2 and la3 in check; the whole set's shares are the parts' counts added up.
    expect(a).toMatchObject({ cases: 3, errors: 0 });
    expect(a.split.tune.cases).toBe(1);
    for (const k of ["about", "stated", "upfront", "pass"] as const) {
      expect(a[k]).toBeCloseTo((a.split.tune[k] * 1 + a.split.check[k] * 2) / 3, 3);
    }
    expect(a.byIntent.amount.cases).toBe(3);
  }, 600_000);
});

describe("eligibility scoring", () => {
  it("builds the confusion matrix as expected × predicted and counts accuracy", async () => {
    const cases = await readJsonl(join(FIXTURES, "matches.jsonl"), MatchCaseSchema);
    const report = scoreVerdicts(cases, ["ineligible", "needs_info"]);
    expect(report.accuracy).toBe(0.5);
    expect(report.confusion.ineligible.ineligible).toBe(1);
    expect(report.confusion.eligible.needs_info).toBe(1);
    expect(report.confusion.eligible.eligible).toBe(0);
    expect(report.misses).toEqual([{ id: "fm2", policy: "fx_compute", expected: "eligible", got: "needs_info", why: undefined }]);
  });
});

describe("dataset errors", () => {
  it("names the file and line of a malformed case", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eval-"));
    const file = join(dir, "questions.jsonl");
    await writeFile(file, `${(await readFile(join(FIXTURES, "questions.jsonl"), "utf8")).split("\n")[0]}\n\n{"id": "x", "question": 5}\n`);
    await expect(readJsonl(file, QuestionCaseSchema)).rejects.toThrow(`${file}:3: question: Invalid input: expected string, received number`);
    await writeFile(file, '{"id": "x", "question": "q", "relevant": []\n');
    await expect(readJsonl(file, QuestionCaseSchema)).rejects.toThrow(new RegExp(`^${file}:1: not valid JSON`));
    await expect(readJsonl(join(dir, "missing.jsonl"), QuestionCaseSchema)).rejects.toThrow(DatasetError);
  });

  it("makes the CLI exit with status 2 and the file:line message", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eval-"));
    const file = join(dir, "matches.jsonl");
    await writeFile(file, '{"id": "m1", "profile": {}, "policy": "p", "expected": "maybe"}\n');
    const failure = await run("npx", ["tsx", "scripts/eval.ts", "--corpus", join(FIXTURES, "corpus"), "--matches", file], {
      cwd: join(import.meta.dirname, "../.."),
    }).catch((err) => err);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain(`${file}:1: expected:`);
  });
});
