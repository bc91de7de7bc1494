import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../src/env.js";
import { DatasetError, MatchCaseSchema, QuestionCaseSchema, readJsonl } from "../../src/eval/datasets.js";
import { runEvaluation, type EvalResult } from "../../src/eval/evaluate.js";
import { scoreVerdicts } from "../../src/eval/run.js";
import { testDatabases } from "../helpers/databases.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/eval");
const run = promisify(execFile);

describe.each(testDatabases())("npm run eval on a tiny fixture corpus ($name)", (database) => {
  let result: EvalResult;

  it("indexes the fixture corpus and ranks each question as designed", async () => {
    result = await runEvaluation({
      corpus: join(FIXTURES, "corpus"),
      questions: join(FIXTURES, "questions.jsonl"),
      msgabench: join(FIXTURES, "msgabench"),
      retriever: "hybrid",
      env: parseEnv({ DATA_DIR: "memory://", LOG_LEVEL: "silent" }),
      openDb: database.open,
    });
    expect(result.corpus).toMatchObject({ documents: 4, failed: 0 });
    const ranked = Object.fromEntries(result.retrieval!.misses.map((m) => [m.id, m.got]));
    // f2 lists a policy the corpus lacks, so it can never be fully recalled.
    expect(ranked.f2?.[0]).toBe("fx_tapeout");
    expect(Object.keys(ranked)).toEqual(["f2"]);
  });

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

  it("scores MSGABench with identical answer texts as one document and skips empty answers", () => {
    const m = result.msgabench!;
    // 5 rows: k2 and k3 share a text, k4 is empty → 3 documents; k3's gold is k2's document.
    expect(m.documents).toBe(3);
    expect(m.questions).toBe(3);
    expect(m["recall@1"]).toBe(1);
    expect(m["mrr@10"]).toBe(1);
  });
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
