/**
 * Answer quality, reproducibly, in one run:
 *   npm run eval -- --json eval.json
 * scores the shared development set: retrieval beside the reference BM25,
 * eligibility, metadata against the corpus's front matter, MSGABench, and
 * company facts and answers through the real server and the shared scorers,
 * each figure on the tune and the check part of the split as well.
 * Name inputs (--corpus, --questions, --matches, --facts, --answers,
 * --msgabench) to score other files, and --only to run some sections.
 * Indexes into in-memory PGlite, or a scratch schema on DATABASE_URL when set;
 * the live server always runs on a scratch embedded database.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { openScratchDb } from "../src/db/scratch.js";
import { ConfigError, parseEnv } from "../src/env.js";
import { DatasetError } from "../src/eval/datasets.js";
import { runEvaluation, SECTIONS, type Section } from "../src/eval/evaluate.js";
import { formatReport } from "../src/eval/format.js";
import type { Retriever } from "../src/retrieval/search.js";

const RETRIEVERS = ["hybrid", "vector", "fulltext"];
const SHARED = resolve(import.meta.dirname, "../../shared");

async function main() {
  const { values } = parseArgs({
    options: {
      corpus: { type: "string" },
      questions: { type: "string" },
      matches: { type: "string" },
      facts: { type: "string" },
      answers: { type: "string" },
      msgabench: { type: "string" },
      structure: { type: "string" },
      only: { type: "string" },
      text: { type: "string" },
      "msgabench-all": { type: "boolean", default: false },
      retriever: { type: "string" },
      json: { type: "string" },
      misses: { type: "string", default: "20" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(
      "npm run eval -- [--corpus <dir>] [--questions <jsonl>] [--matches <jsonl>] [--facts <jsonl>] [--answers <jsonl>] [--msgabench <dir>] [--msgabench-all] [--structure <jsonl>]\n" +
        `               [--only ${SECTIONS.join(",")}] [--retriever hybrid|vector|fulltext] [--json <out>] [--text <out>] [--misses <n>]`,
    );
    return;
  }
  if (values.retriever && !RETRIEVERS.includes(values.retriever)) throw new UsageError(`--retriever must be one of ${RETRIEVERS.join(", ")}`);
  const only = values.only
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only?.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown?.length) throw new UsageError(`--only: unknown section ${unknown.join(", ")} (sections: ${SECTIONS.join(", ")})`);
  const named = values.questions || values.matches || values.msgabench || values.facts || values.answers;
  const dev = (p: string) => (existsSync(`${SHARED}/${p}`) ? `${SHARED}/${p}` : undefined);
  const inputs = named
    ? {
        corpus: values.corpus,
        questions: values.questions,
        matches: values.matches,
        facts: values.facts,
        answers: values.answers,
        msgabench: values.msgabench,
        structure: values.structure,
      }
    : {
        corpus: values.corpus ?? dev("corpus"),
        questions: dev("eval/dev/questions.jsonl"),
        matches: dev("eval/dev/matches.jsonl"),
        facts: dev("eval/dev/facts.jsonl"),
        answers: dev("eval/dev/answers.jsonl"),
        msgabench: dev("eval/msgabench"),
        structure: values.structure ?? resolve(import.meta.dirname, "../data/gold/policy-structure.jsonl"),
      };
  if (
    !inputs.questions &&
    !inputs.matches &&
    !inputs.msgabench &&
    !inputs.facts &&
    !inputs.answers &&
    !((only?.includes("metadata") || only?.includes("structure")) && inputs.corpus)
  ) {
    throw new UsageError("nothing to evaluate: name --questions, --matches, --facts, --answers or --msgabench");
  }
  if (inputs.corpus && !existsSync(inputs.corpus)) throw new UsageError(`--corpus ${inputs.corpus}: no such folder`);
  const scorers = { facts: `${SHARED}/eval/check-facts.mjs`, answers: `${SHARED}/eval/check-answers.mjs` };
  const live = (inputs.facts && (!only || only.includes("facts"))) || (inputs.answers && (!only || only.includes("answers")));
  if (live && (!existsSync(scorers.facts) || !existsSync(scorers.answers)))
    throw new UsageError(`facts and answers need the shared scorers: ${scorers.facts} not found`);

  const env = parseEnv({ ...process.env, DATA_DIR: "memory://", LOG_LEVEL: "warn" });
  const started = Date.now();
  const result = await runEvaluation({
    ...inputs,
    scorers,
    only: only as Section[] | undefined,
    msgabenchAll: values["msgabench-all"],
    retriever: values.retriever as Retriever | undefined,
    env,
    openDb: () => openScratchDb(env.DATABASE_URL),
    log: (line) => console.error(line),
  });
  const report = formatReport(result, { misses: Number(values.misses) });
  console.log(report);
  if (values.text) {
    await mkdir(dirname(resolve(values.text)), { recursive: true });
    await writeFile(values.text, report + "\n");
  }
  console.error(`\neval finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (values.json) {
    await mkdir(dirname(resolve(values.json)), { recursive: true });
    await writeFile(values.json, JSON.stringify(result, null, 2) + "\n");
    console.error(`figures written to ${values.json}`);
  }
}

class UsageError extends Error {}

main().catch((err) => {
  if (err instanceof DatasetError || err instanceof UsageError || err instanceof ConfigError) {
    console.error(`eval: ${err.message}`);
    process.exit(2);
  }
  console.error(err?.stack ?? err);
  process.exit(1);
});
