import { join } from "node:path";
import type { Db } from "../db/index.js";
import { createDeps } from "../deps.js";
import type { Env } from "../env.js";
import { createLogger } from "../lib/logger.js";
import { ingestPaths } from "../ingest/ingest.js";
import type { Retriever } from "../retrieval/search.js";
import { GovQaSchema, MatchCaseSchema, QuestionCaseSchema, readJsonl } from "./datasets.js";
import {
  evaluateMatches, evaluateMsga, evaluateQuestions, indexMsgaDocuments, msgaDocuments, questionMisses,
  type EligibilityReport, type MsgaReport, type RetrievalReport,
} from "./run.js";

export const RETRIEVERS: Retriever[] = ["fulltext", "vector", "hybrid"];

export type EvalOptions = {
  corpus?: string;
  questions?: string;
  matches?: string;
  msgabench?: string;
  /** Ask all 2,081 MSGABench questions, not only the science subset. */
  msgabenchAll?: boolean;
  retriever: Retriever;
  env: Env;
  openDb: () => Promise<Db>;
  log?: (line: string) => void;
};

type PathFigures = Omit<RetrievalReport, "outcomes" | "byKind">;
type MsgaFigures = Omit<MsgaReport, "misses">;

export type EvalResult = {
  config: { embedder: string; retriever: Retriever; database: string; corpus?: string; questions?: string; matches?: string; msgabench?: string; asOf?: string };
  corpus?: { documents: number; failed: number; chunks: number; ms: number };
  retrieval?: PathFigures & { byKind: RetrievalReport["byKind"]; paths: Record<Retriever, PathFigures>; misses: ReturnType<typeof questionMisses> };
  eligibility?: EligibilityReport & { unknownPolicies: string[] };
  msgabench?: MsgaFigures & { paths: Record<Retriever, MsgaFigures>; all?: MsgaFigures; misses: MsgaReport["misses"] };
};

/**
 * Indexes the corpus into a fresh database and scores what was asked for:
 * policy questions, eligibility cases and the MSGABench retrieval benchmark.
 * Every input file is read and validated before any indexing starts.
 */
export async function runEvaluation(o: EvalOptions): Promise<EvalResult> {
  const log = o.log ?? (() => undefined);
  const questions = o.questions ? await readJsonl(o.questions, QuestionCaseSchema) : undefined;
  const matches = o.matches ? await readJsonl(o.matches, MatchCaseSchema) : undefined;
  const knowledge = o.msgabench ? await readJsonl(join(o.msgabench, "gov_qa_knowledge_all.jsonl"), GovQaSchema) : undefined;
  const sciTech = o.msgabench ? await readJsonl(join(o.msgabench, "sci_tech_subset.jsonl"), GovQaSchema) : undefined;
  if ((questions || matches) && !o.corpus) throw new Error("--corpus is required to score questions or eligibility cases");

  // Judge date-dependent facts as of the day the cases were written.
  const asOf = [...(questions ?? []), ...(matches ?? [])].map((c) => c.asOf).filter(Boolean).sort().at(-1);
  const clock = { now: () => (asOf ? new Date(`${asOf}T12:00:00Z`) : new Date()) };
  const result: EvalResult = {
    config: {
      embedder: "", retriever: o.retriever, database: "", corpus: o.corpus, questions: o.questions,
      matches: o.matches, msgabench: o.msgabench, asOf,
    },
  };

  if (o.corpus && (questions || matches)) {
    const db = await o.openDb();
    try {
      const deps = await createDeps(o.env, { db, clock, logger: createLogger("warn") });
      result.config.embedder = deps.embedder.modelName;
      result.config.database = db.kind;
      log(`indexing ${o.corpus} into a fresh ${db.kind} database with ${deps.embedder.modelName} …`);
      const summary = await ingestPaths(deps, [o.corpus]);
      const chunks = summary.files.reduce((n, f) => n + (f.status === "failed" ? 0 : f.chunks), 0);
      result.corpus = { documents: summary.added + summary.updated, failed: summary.failed, chunks, ms: summary.ms };
      for (const f of summary.failures) log(`  skipped ${f.file}: ${f.reason} (${f.message})`);

      if (questions) {
        const paths = {} as Record<Retriever, PathFigures>;
        let primary: RetrievalReport | undefined;
        for (const retriever of RETRIEVERS) {
          const report = await evaluateQuestions(deps, questions, retriever);
          const { outcomes: _o, byKind: _k, ...figures } = report;
          paths[retriever] = figures;
          if (retriever === o.retriever) primary = report;
        }
        const { outcomes: _o, ...figures } = primary!;
        result.retrieval = { ...figures, paths, misses: questionMisses(primary!) };
      }
      if (matches) result.eligibility = await evaluateMatches(deps, matches);
    } finally {
      await db.close();
    }
  }

  if (knowledge && sciTech) {
    const db = await o.openDb();
    try {
      const deps = await createDeps(o.env, { db, clock, logger: createLogger("warn") });
      result.config.embedder = deps.embedder.modelName;
      result.config.database = db.kind;
      const { docs, docOf } = msgaDocuments(knowledge);
      log(`indexing ${docs.length} distinct MSGABench answers …`);
      const summary = await indexMsgaDocuments(deps, docs);
      if (summary.failed) log(`  ${summary.failed} answers could not be indexed: ${summary.failures[0]?.message}`);
      const paths = {} as Record<Retriever, MsgaFigures>;
      let primary: MsgaReport | undefined;
      for (const retriever of RETRIEVERS) {
        const report = await evaluateMsga(deps, sciTech, docOf, docs.length, retriever);
        const { misses: _m, ...figures } = report;
        paths[retriever] = figures;
        if (retriever === o.retriever) primary = report;
      }
      const { misses, ...figures } = primary!;
      result.msgabench = { ...figures, paths, misses };
      if (o.msgabenchAll) {
        const { misses: _m, ...all } = await evaluateMsga(deps, knowledge, docOf, docs.length, o.retriever);
        result.msgabench.all = all;
      }
    } finally {
      await db.close();
    }
  }
  return result;
}
