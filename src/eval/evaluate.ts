import { join } from "node:path";
import { z } from "zod";
import type { Db } from "../db/index.js";
import { createDeps } from "../deps.js";
import type { Env } from "../env.js";
import { ingestPaths } from "../ingest/ingest.js";
import { createLogger } from "../lib/logger.js";
import type { Embedder } from "../llm/embeddings.js";
import { createAnalyzer } from "../retrieval/analyzer-node.js";
import { defaultRetriever, type Retriever } from "../retrieval/search.js";
import { type AblationRow, ablate } from "./ablation.js";
import { type CriteriaCoverage, storedCriteriaCoverage } from "./criteria-coverage.js";
import { type GovQa, GovQaSchema, MatchCaseSchema, type QuestionCase, QuestionCaseSchema, readJsonl } from "./datasets.js";
import { type AnswersReport, type FactsReport, scoreAnswers, scoreFacts, startServer } from "./live.js";
import { evaluateMetadata, type MetadataReport } from "./metadata-check.js";
import { createReferenceIndex, type ReferenceIndex, readReferenceCorpus } from "./reference.js";
import {
  askQuestion,
  type EligibilityFigures,
  type EligibilityReport,
  evaluateMatches,
  evaluateMsga,
  evaluateQuestions,
  indexMsgaDocuments,
  type MsgaCase,
  type MsgaReport,
  msgaDocuments,
  type QuestionOutcome,
  questionMisses,
  type RetrievalFigures,
  type RetrievalReport,
  rankMsga,
  summarizeMsga,
  summarizeQuestions,
} from "./run.js";
import { PARTS, type Part, partOf } from "./split.js";
import { evaluateStructure, GoldStructureSchema, type StructureReport } from "./structure-check.js";
import { compareVariants, summarizeVariants, type VariantFigures } from "./variants.js";

/** Facts and answer cases are the shared scorers' to read; here only their ids are checked, for the split. */
const IdSchema = z.looseObject({ id: z.string().min(1) });

export const RETRIEVERS: Retriever[] = ["fulltext", "vector", "hybrid"];
export const SECTIONS = ["retrieval", "eligibility", "facts", "answers", "metadata", "structure", "msgabench"] as const;
export type Section = (typeof SECTIONS)[number];

export type EvalOptions = {
  corpus?: string;
  questions?: string;
  matches?: string;
  /** Company-fact and answer cases, scored by the shared scorers against the real server. */
  facts?: string;
  answers?: string;
  /** The shared scorers `check-facts.mjs` and `check-answers.mjs`. */
  scorers?: { facts: string; answers: string };
  msgabench?: string;
  /** The gold table of application windows and support rules (`data/gold/policy-structure.jsonl`), read against the corpus. */
  structure?: string;
  /** Ask all 2,081 MSGABench questions, not only the science subset. */
  msgabenchAll?: boolean;
  /** Sections to run; by default every one whose inputs are given. */
  only?: Section[];
  /** The path measured as the service's; by default the service's own for the configured embedder (defaultRetriever). */
  retriever?: Retriever;
  env: Env;
  openDb: () => Promise<Db>;
  log?: (line: string) => void;
};

type PathFigures = Omit<RetrievalFigures, "byKind">;
type MsgaFigures = Omit<MsgaReport, "misses">;
/** The reference has no gate: it always answers, so only ranking figures. */
export type ReferenceFigures = Pick<RetrievalFigures, "questions" | "recall@5" | "recall@10" | "mrr@10" | "ndcg@10" | "byKind">;
const RANKING = ["recall@5", "recall@10", "mrr@10", "ndcg@10"] as const;
export type Delta = Record<(typeof RANKING)[number], number>;

export type RetrievalSection = RetrievalFigures & {
  paths: Record<Retriever, PathFigures>;
  /** Plain BM25 + bigrams (BASELINES.md), computed in process; `delta` is ours − reference. */
  reference: ReferenceFigures & { chunks: number };
  delta: Delta;
  split: Record<Part, RetrievalFigures & { reference: ReferenceFigures; delta: Delta }>;
  misses: ReturnType<typeof questionMisses>;
  /** Traditional-character and one-typo variants of the answered questions: how often the top policy stays the same. */
  variants: VariantFigures & { split: Record<Part, VariantFigures> };
  /** The service built up from the reference one mechanism at a time. */
  ablation: AblationRow[];
};

export type MsgaSection = MsgaFigures & {
  /** The path these figures are the service's for. */
  retriever: Retriever;
  paths: Record<Retriever, MsgaFigures>;
  reference: MsgaFigures & { chunks: number };
  split: Record<Part, MsgaFigures & { reference: MsgaFigures }>;
  all?: MsgaFigures & { reference: MsgaFigures };
  misses: MsgaReport["misses"];
};

export type EvalResult = {
  config: {
    embedder: string;
    retriever: Retriever;
    database: string;
    sections: Section[];
    split: string;
    corpus?: string;
    questions?: string;
    matches?: string;
    facts?: string;
    answers?: string;
    msgabench?: string;
    asOf?: string;
  };
  corpus?: { documents: number; failed: number; chunks: number; ms: number };
  criteria?: CriteriaCoverage;
  retrieval?: RetrievalSection;
  eligibility?: EligibilityReport & { unknownPolicies: string[]; split: Record<Part, EligibilityFigures> };
  facts?: FactsReport;
  answers?: AnswersReport;
  metadata?: MetadataReport;
  structure?: StructureReport;
  msgabench?: MsgaSection;
};

function referenceOutcomes(index: ReferenceIndex, cases: QuestionCase[]): QuestionOutcome[] {
  return cases.map((c) => ({
    id: c.id,
    question: c.question,
    kind: c.kind,
    relevant: c.relevant,
    acceptable: c.acceptable,
    // Acceptable ids are dropped before scoring, so rank enough to keep ten after them.
    ranked: index.search(c.question, 10 + (c.acceptable?.length ?? 0)).map((h) => h.id),
    answered: true,
  }));
}

const referenceFigures = (outcomes: QuestionOutcome[]): ReferenceFigures => {
  const { questions, byKind, ...f } = summarizeQuestions(outcomes);
  return { questions, "recall@5": f["recall@5"], "recall@10": f["recall@10"], "mrr@10": f["mrr@10"], "ndcg@10": f["ndcg@10"], byKind };
};
const delta = (ours: ReferenceFigures, ref: ReferenceFigures): Delta => Object.fromEntries(RANKING.map((k) => [k, ours[k] - ref[k]])) as Delta;

const inPart = <T extends { id: string }>(xs: T[], part: Part) => xs.filter((x) => partOf(x.id) === part);
const msgaFigures = (cases: MsgaCase[], documents: number): MsgaFigures => {
  const { misses: _m, ...f } = summarizeMsga(cases, documents);
  return f;
};

/**
 * Indexes the corpus into a fresh database and scores what was asked for:
 * policy questions (beside the reference retriever), eligibility cases,
 * metadata against the corpus's front matter, MSGABench, and company facts
 * and answers through the real server and the shared scorers. Every input
 * file is read and validated before any indexing starts.
 */
export async function runEvaluation(o: EvalOptions): Promise<EvalResult> {
  const log = o.log ?? (() => undefined);
  const wanted = (s: Section) => !o.only || o.only.includes(s);
  const questions = o.questions && wanted("retrieval") ? await readJsonl(o.questions, QuestionCaseSchema) : undefined;
  const matches = o.matches && wanted("eligibility") ? await readJsonl(o.matches, MatchCaseSchema) : undefined;
  const msga = o.msgabench && wanted("msgabench");
  const knowledge = msga ? await readJsonl(join(o.msgabench!, "gov_qa_knowledge_all.jsonl"), GovQaSchema) : undefined;
  const sciTech = msga ? await readJsonl(join(o.msgabench!, "sci_tech_subset.jsonl"), GovQaSchema) : undefined;
  const facts = o.facts && wanted("facts") ? o.facts : undefined;
  const answers = o.answers && wanted("answers") ? o.answers : undefined;
  const metadata = Boolean(o.corpus && wanted("metadata"));
  const structure = o.corpus && o.structure && wanted("structure") ? await readJsonl(o.structure, GoldStructureSchema) : undefined;
  if ((questions || matches || facts || answers) && !o.corpus) throw new Error("--corpus is required to score questions, eligibility, facts or answers");
  if ((facts || answers) && !o.scorers) throw new Error("the shared scorers (check-facts.mjs, check-answers.mjs) are needed to score facts and answers");
  // Read up front, so a malformed file stops the run before any indexing.
  if (facts) await readJsonl(facts, IdSchema);
  if (answers) await readJsonl(answers, IdSchema);

  // Judge date-dependent facts as of the day the cases were written.
  const asOf = [...(questions ?? []), ...(matches ?? [])]
    .map((c) => c.asOf)
    .filter(Boolean)
    .sort()
    .at(-1);
  const clock = { now: () => (asOf ? new Date(`${asOf}T12:00:00Z`) : new Date()) };
  const sections = SECTIONS.filter((s) =>
    Boolean({ retrieval: questions, eligibility: matches, facts, answers, metadata, structure, msgabench: knowledge }[s]),
  );
  const result: EvalResult = {
    config: {
      embedder: "",
      retriever: o.retriever ?? "fulltext",
      database: "",
      sections,
      split: "sha256(id)[0] < 154 → tune, else check",
      corpus: o.corpus,
      questions: questions && o.questions,
      matches: matches && o.matches,
      facts,
      answers,
      msgabench: knowledge && o.msgabench,
      asOf,
    },
  };
  const analyzer = questions || knowledge ? createAnalyzer() : undefined;
  const tokenize = (text: string) => analyzer!.words(text);

  if (metadata) {
    log(`reading metadata of ${o.corpus} without its front matter …`);
    result.metadata = await evaluateMetadata(o.corpus!);
  }
  if (structure) {
    log(`reading application windows and support rules of ${structure.length} documents against ${o.structure} …`);
    result.structure = await evaluateStructure(o.corpus!, structure);
  }

  if (o.corpus && (questions || matches)) {
    const db = await o.openDb();
    try {
      const deps = await createDeps(o.env, { db, clock, logger: createLogger("warn") });
      result.config.embedder = deps.embedder.modelName;
      result.config.retriever = retrieverOf(o, deps.embedder);
      result.config.database = db.kind;
      log(`indexing ${o.corpus} into a fresh ${db.kind} database with ${deps.embedder.modelName} …`);
      const summary = await ingestPaths(deps, [o.corpus]);
      const chunks = summary.files.reduce((n, f) => n + (f.status === "failed" ? 0 : f.chunks), 0);
      result.corpus = { documents: summary.added + summary.updated, failed: summary.failed, chunks, ms: summary.ms };
      for (const f of summary.failures) log(`  skipped ${f.file}: ${f.reason} (${f.message})`);
      result.criteria = await storedCriteriaCoverage(db);

      if (questions) {
        const index = createReferenceIndex(await readReferenceCorpus(o.corpus), tokenize);
        const refOutcomes = referenceOutcomes(index, questions);
        const paths = {} as Record<Retriever, PathFigures>;
        let primary: RetrievalReport | undefined;
        for (const retriever of RETRIEVERS) {
          log(`asking ${questions.length} questions (${retriever}) …`);
          const report = await evaluateQuestions(deps, questions, retriever);
          const { outcomes: _o, byKind: _k, ...figures } = report;
          paths[retriever] = figures;
          if (retriever === result.config.retriever) primary = report;
        }
        const { outcomes, ...figures } = primary!;
        const reference = referenceFigures(refOutcomes);
        const split = {} as RetrievalSection["split"];
        for (const part of PARTS) {
          const ours = summarizeQuestions(inPart(outcomes, part));
          const ref = referenceFigures(inPart(refOutcomes, part));
          split[part] = { ...ours, reference: ref, delta: delta(ours, ref) };
        }
        log(`asking ${questions.length} questions at each step from the reference to the service …`);
        const ablation = await ablate(deps, questions, index);
        log(`asking the traditional and typo variants of ${questions.length} questions …`);
        const plainTop = new Map(outcomes.filter((o) => o.relevant.length).map((o) => [o.id, o.ranked[0]] as const));
        const variantRows = await compareVariants(
          questions,
          plainTop,
          async (q) => (await askQuestion(deps, { question: q }, result.config.retriever)).ranked[0]?.policyId,
        );
        const variants = {
          ...summarizeVariants(variantRows),
          split: Object.fromEntries(PARTS.map((part) => [part, summarizeVariants(inPart(variantRows, part))])) as Record<Part, VariantFigures>,
        };
        result.retrieval = {
          ...figures,
          paths,
          reference: { ...reference, chunks: index.chunks },
          delta: delta(figures, reference),
          split,
          misses: questionMisses(primary!),
          variants,
          ablation,
        };
      }
      if (matches) result.eligibility = await evaluateMatches(deps, matches);
    } finally {
      await db.close();
    }
  }

  if (knowledge && sciTech) {
    result.msgabench = await scoreMsga(o, knowledge, sciTech, clock, tokenize, log);
    result.config.retriever = result.msgabench.retriever;
  }

  if (facts || answers) {
    const server = await startServer(o.corpus!, { log });
    try {
      if (facts) {
        log(`scoring company facts (${facts}) against ${server.base} …`);
        result.facts = await scoreFacts(o.scorers!.facts, server.base, facts);
      }
      if (answers) {
        log(`scoring answers (${answers}) against ${server.base} …`);
        result.answers = await scoreAnswers(o.scorers!.answers, server.base, answers);
      }
    } finally {
      await server.stop();
    }
  }
  return result;
}

/** The path asked for, else the one the service itself takes with this embedder. */
const retrieverOf = (o: EvalOptions, embedder: Embedder): Retriever => o.retriever ?? defaultRetriever(embedder);

async function scoreMsga(
  o: EvalOptions,
  knowledge: GovQa[],
  sciTech: GovQa[],
  clock: { now: () => Date },
  tokenize: (t: string) => string[],
  log: (line: string) => void,
): Promise<MsgaSection> {
  const db = await o.openDb();
  try {
    const deps = await createDeps(o.env, { db, clock, logger: createLogger("warn") });
    const service = retrieverOf(o, deps.embedder);
    const { docs, docOf } = msgaDocuments(knowledge);
    // As in BASELINES.md, each distinct official answer is one document, not cut into chunks.
    const index = createReferenceIndex(
      docs.map((d) => ({ id: d.id, title: "", body: d.text })),
      tokenize,
      { maxChunkChars: Infinity },
    );
    const byReference = (question: string) => index.search(question, 10).map((h) => h.id);
    log(`indexing ${docs.length} distinct MSGABench answers …`);
    const summary = await indexMsgaDocuments(deps, docs);
    if (summary.failed) log(`  ${summary.failed} answers could not be indexed: ${summary.failures[0]?.message}`);
    const paths = {} as Record<Retriever, MsgaFigures>;
    let primary: (MsgaReport & { cases: MsgaCase[] }) | undefined;
    for (const retriever of RETRIEVERS) {
      log(`asking ${sciTech.length} MSGABench questions (${retriever}) …`);
      const report = await evaluateMsga(deps, sciTech, docOf, docs.length, retriever);
      const { misses: _m, cases: _c, ...figures } = report;
      paths[retriever] = figures;
      if (retriever === service) primary = report;
    }
    const reference = await rankMsga(sciTech, docOf, docs.length, byReference);
    const { misses, cases, ...figures } = primary!;
    const split = {} as MsgaSection["split"];
    for (const part of PARTS) {
      split[part] = { ...msgaFigures(inPart(cases, part), docs.length), reference: msgaFigures(inPart(reference.cases, part), docs.length) };
    }
    const section: MsgaSection = {
      ...figures,
      retriever: service,
      paths,
      reference: { ...msgaFigures(reference.cases, docs.length), chunks: index.chunks },
      split,
      misses,
    };
    if (o.msgabenchAll) {
      log(`asking all ${knowledge.length} MSGABench questions …`);
      const { misses: _m, cases: _c, ...all } = await evaluateMsga(deps, knowledge, docOf, docs.length, service);
      section.all = { ...all, reference: msgaFigures((await rankMsga(knowledge, docOf, docs.length, byReference)).cases, docs.length) };
    }
    return section;
  } finally {
    await db.close();
  }
}
