/**
 * Answer quality, reproducibly:
 *   npm run eval -- --corpus ../shared/corpus --questions ../shared/eval/dev/questions.jsonl \
 *     --matches ../shared/eval/dev/matches.jsonl --msgabench ../shared/eval/msgabench --json eval.json
 * With no inputs named it runs the shared development set. Indexes into
 * in-memory PGlite, or a scratch schema on DATABASE_URL when that is set.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { openScratchDb } from "../src/db/scratch.js";
import { ConfigError, parseEnv } from "../src/env.js";
import { DatasetError } from "../src/eval/datasets.js";
import { runEvaluation } from "../src/eval/evaluate.js";
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
      msgabench: { type: "string" },
      "msgabench-all": { type: "boolean", default: false },
      retriever: { type: "string", default: "hybrid" },
      json: { type: "string" },
      misses: { type: "string", default: "20" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("npm run eval -- --corpus <dir> [--questions <jsonl>] [--matches <jsonl>] [--msgabench <dir>] [--msgabench-all] [--retriever hybrid|vector|fulltext] [--json <out>] [--misses <n>]");
    return;
  }
  if (!RETRIEVERS.includes(values.retriever!)) throw new UsageError(`--retriever must be one of ${RETRIEVERS.join(", ")}`);
  const named = values.questions || values.matches || values.msgabench;
  const dev = (p: string) => (existsSync(`${SHARED}/${p}`) ? `${SHARED}/${p}` : undefined);
  const inputs = named
    ? { corpus: values.corpus, questions: values.questions, matches: values.matches, msgabench: values.msgabench }
    : {
        corpus: values.corpus ?? dev("corpus"),
        questions: dev("eval/dev/questions.jsonl"),
        matches: dev("eval/dev/matches.jsonl"),
        msgabench: dev("eval/msgabench"),
      };
  if (!inputs.questions && !inputs.matches && !inputs.msgabench) throw new UsageError("nothing to evaluate: name --questions, --matches or --msgabench");
  if (inputs.corpus && !existsSync(inputs.corpus)) throw new UsageError(`--corpus ${inputs.corpus}: no such folder`);

  const env = parseEnv({ ...process.env, DATA_DIR: "memory://", LOG_LEVEL: "warn" });
  const started = Date.now();
  const result = await runEvaluation({
    ...inputs,
    msgabenchAll: values["msgabench-all"],
    retriever: values.retriever as Retriever,
    env,
    openDb: () => openScratchDb(env.DATABASE_URL),
    log: (line) => console.error(line),
  });
  console.log(formatReport(result, { misses: Number(values.misses) }));
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
