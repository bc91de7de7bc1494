import { retrieveForQuestion } from "../answer/answer.js";
import type { Db } from "../db/db.js";
import { getPolicies } from "../db/policy-store.js";
import { type IngestSummary, ingestDocuments } from "../ingest/ingest.js";
import { chinaDate } from "../lib/china-time.js";
import type { Clock } from "../lib/clock.js";
import type { Embedder } from "../llm/embeddings.js";
import { judge } from "../policies/eligibility.js";
import type { CompanyProfile } from "../policies/profile.js";
import type { Analyzer } from "../retrieval/analyzer.js";
import type { Retriever } from "../retrieval/search.js";
import { understandTurn } from "../understand/turn.js";
import type { GovQa, MatchCase, QuestionCase, Verdict } from "./datasets.js";
import { Verdicts } from "./datasets.js";
import { mean, ndcgAt, type RankedCase, recallAt, reciprocalRankAt } from "./metrics.js";
import { PARTS, type Part, partOf } from "./split.js";

type EvalDeps = { db: Db; embedder: Embedder; analyzer: Analyzer; clock: Clock };

export type QuestionOutcome = RankedCase & { id: string; question: string; kind?: string; answered: boolean };

/** The no-answer gate's decisions: [should it answer][did it answer]. */
export type GateConfusion = { shouldAnswer: { answered: number; nothing: number }; shouldNot: { answered: number; nothing: number } };

export type KindFigures = { questions: number; "recall@5": number; "recall@10": number; "mrr@10": number };

export type RetrievalFigures = {
  questions: number;
  "recall@5": number;
  "recall@10": number;
  "mrr@10": number;
  "ndcg@10": number;
  noAnswerQuestions: number;
  noAnswerAccuracy: number | null;
  /** Share of questions that have an answer for which the service did return policies. */
  answeredKept: number;
  byKind: Record<string, KindFigures>;
  gate: GateConfusion;
};
export type RetrievalReport = RetrievalFigures & { outcomes: QuestionOutcome[] };

/** Figures over any set of outcomes: the whole file, one part of the split, one kind. */
export function summarizeQuestions(outcomes: QuestionOutcome[]): RetrievalFigures {
  const withAnswer = outcomes.filter((o) => o.relevant.length > 0);
  const noAnswer = outcomes.filter((o) => o.relevant.length === 0);
  const byKind: RetrievalFigures["byKind"] = {};
  for (const kind of [...new Set(withAnswer.map((o) => o.kind ?? "other"))].sort()) {
    const group = withAnswer.filter((o) => (o.kind ?? "other") === kind);
    byKind[kind] = {
      questions: group.length,
      "recall@5": mean(group.map((o) => recallAt(o, 5))),
      "recall@10": mean(group.map((o) => recallAt(o, 10))),
      "mrr@10": mean(group.map((o) => reciprocalRankAt(o, 10))),
    };
  }
  const count = (group: QuestionOutcome[], answered: boolean) => group.filter((o) => o.answered === answered).length;
  return {
    questions: withAnswer.length,
    "recall@5": mean(withAnswer.map((o) => recallAt(o, 5))),
    "recall@10": mean(withAnswer.map((o) => recallAt(o, 10))),
    "mrr@10": mean(withAnswer.map((o) => reciprocalRankAt(o, 10))),
    "ndcg@10": mean(withAnswer.map((o) => ndcgAt(o, 10))),
    noAnswerQuestions: noAnswer.length,
    noAnswerAccuracy: noAnswer.length ? count(noAnswer, false) / noAnswer.length : null,
    answeredKept: withAnswer.length ? count(withAnswer, true) / withAnswer.length : 0,
    byKind,
    gate: {
      shouldAnswer: { answered: count(withAnswer, true), nothing: count(withAnswer, false) },
      shouldNot: { answered: count(noAnswer, true), nothing: count(noAnswer, false) },
    },
  };
}

/**
 * One question as the chat service reads it: understood once (normalised, its
 * place and intent), then retrieved; a greeting or an out-of-scope turn gets no policy.
 */
export async function askQuestion(deps: EvalDeps, c: { question: string; profile?: CompanyProfile }, retriever: Retriever = "hybrid") {
  const turn = understandTurn({ question: c.question, sent: c.profile, earlierQuestions: [], previousPolicies: [], today: chinaDate(deps.clock.now()) });
  if (turn.intent === "greeting" || turn.intent === "out_of_scope") return { ranked: [], answers: [] };
  return retrieveForQuestion(deps, { question: turn.searchText, profile: turn.profile, placePath: turn.place }, { limit: 10, retriever });
}

/**
 * Scores the service as a company sees it: the policies it returns for each
 * question. When the no-answer gate decides nothing answers, the ranking is
 * empty, so a wrongly refused question costs recall here too.
 */
export async function evaluateQuestions(deps: EvalDeps, cases: QuestionCase[], retriever: Retriever = "hybrid"): Promise<RetrievalReport> {
  const outcomes: QuestionOutcome[] = [];
  for (const c of cases) {
    const { ranked, answers } = await askQuestion(deps, { question: c.question, profile: c.profile }, retriever);
    const answered = answers.length > 0;
    outcomes.push({
      id: c.id,
      question: c.question,
      kind: c.kind,
      relevant: c.relevant,
      acceptable: c.acceptable,
      ranked: answered ? ranked.map((h) => h.policyId) : [],
      answered,
    });
  }
  return { ...summarizeQuestions(outcomes), outcomes };
}

/** A question-level miss worth reading: a relevant policy outside the top 5, or an answer where none exists. */
export function questionMisses(report: RetrievalReport): Array<{ id: string; question: string; expected: string[]; got: string[] }> {
  return report.outcomes
    .filter((o) => (o.relevant.length ? recallAt(o, 5) < 1 : o.answered))
    .map((o) => ({ id: o.id, question: o.question, expected: o.relevant, got: o.ranked.slice(0, 5) }));
}

export type Confusion = Record<Verdict, Record<Verdict, number>>;
export type EligibilityFigures = {
  cases: number;
  accuracy: number;
  /** Companies told "eligible" when the expected verdict is not. */
  falseEligible: number;
  /** confusion[expected][predicted] */
  confusion: Confusion;
};
export type EligibilityReport = {
  cases: number;
  accuracy: number;
  falseEligible: number;
  /** confusion[expected][predicted] */
  confusion: Confusion;
  misses: Array<{ id: string; policy: string; expected: Verdict; got: Verdict; why?: string }>;
};

/** Judges every case against its policy's stored criteria, as of the case's own date. */
export async function evaluateMatches(
  deps: { db: Db },
  cases: MatchCase[],
): Promise<EligibilityReport & { unknownPolicies: string[]; split: Record<Part, EligibilityFigures> }> {
  const policies = new Map((await getPolicies(deps.db, [...new Set(cases.map((c) => c.policy))])).map((p) => [p.id, p]));
  const unknownPolicies = [...new Set(cases.filter((c) => !policies.has(c.policy)).map((c) => c.policy))];
  const today = chinaDate(new Date());
  const predicted = cases.map((c) => {
    const policy = policies.get(c.policy);
    // A policy the corpus lacks cannot be judged: the honest verdict is that we need more.
    return policy ? judge(policy.criteria, c.profile, c.asOf ?? today).verdict : "needs_info";
  });
  const split = {} as Record<Part, EligibilityFigures>;
  for (const part of PARTS) {
    const keep = cases.map((c) => partOf(c.id) === part);
    const { misses: _m, ...figures } = scoreVerdicts(
      cases.filter((_, i) => keep[i]),
      predicted.filter((_, i) => keep[i]),
    );
    split[part] = figures;
  }
  return { ...scoreVerdicts(cases, predicted), unknownPolicies, split };
}

export function scoreVerdicts(cases: MatchCase[], predicted: Verdict[]): EligibilityReport {
  const confusion = Object.fromEntries(Verdicts.map((e) => [e, Object.fromEntries(Verdicts.map((p) => [p, 0]))])) as Confusion;
  const misses: EligibilityReport["misses"] = [];
  cases.forEach((c, i) => {
    confusion[c.expected][predicted[i]]++;
    if (c.expected !== predicted[i]) misses.push({ id: c.id, policy: c.policy, expected: c.expected, got: predicted[i], why: c.why });
  });
  const correct = cases.filter((c, i) => c.expected === predicted[i]).length;
  const falseEligible = cases.filter((c, i) => predicted[i] === "eligible" && c.expected !== "eligible").length;
  return { cases: cases.length, accuracy: cases.length ? correct / cases.length : 0, falseEligible, confusion, misses };
}

export type MsgaReport = {
  documents: number;
  questions: number;
  "recall@1": number;
  "recall@5": number;
  "recall@10": number;
  "mrr@10": number;
  misses: Array<{ id: string; question: string; expected: string; got: string[] }>;
};

/** Answer texts are the documents; identical texts are one document, so any of them counts as a hit. */
export function msgaDocuments(knowledge: GovQa[]): { docs: Array<{ id: string; text: string }>; docOf: Map<string, string> } {
  const byText = new Map<string, string>();
  const docOf = new Map<string, string>();
  for (const row of knowledge) {
    const text = row.answer.trim();
    if (!text) continue;
    if (!byText.has(text)) byText.set(text, row.id);
    docOf.set(row.id, byText.get(text)!);
  }
  return { docs: [...byText].map(([text, id]) => ({ id, text })), docOf };
}

export async function indexMsgaDocuments(deps: EvalDeps, docs: Array<{ id: string; text: string }>): Promise<IngestSummary> {
  // The knowledge base is Beijing's; front matter says so, the answer text is the body.
  return ingestDocuments(
    deps,
    docs.map((d) => ({
      id: d.id,
      name: `${d.id}.md`,
      bytes: new TextEncoder().encode(`---\n${JSON.stringify({ title: "北京市政务服务问答", region: "北京市" })}\n---\n${d.text}\n`),
    })),
  );
}

export type MsgaCase = RankedCase & { id: string; question: string };

/**
 * Ranks each question's answer among the documents, with the service's
 * retrieval or any other ranking (the reference retriever).
 */
export async function evaluateMsga(
  deps: EvalDeps,
  questions: GovQa[],
  docOf: Map<string, string>,
  documents: number,
  retriever: Retriever = "hybrid",
): Promise<MsgaReport & { cases: MsgaCase[] }> {
  // A benchmark of ranking: every question has an answer, so the no-answer gate is not applied.
  return rankMsga(questions, docOf, documents, async (q) =>
    (await retrieveForQuestion(deps, { question: q }, { limit: 10, retriever })).ranked.map((h) => h.policyId),
  );
}

export async function rankMsga(
  questions: GovQa[],
  docOf: Map<string, string>,
  documents: number,
  rank: (question: string) => Promise<string[]> | string[],
): Promise<MsgaReport & { cases: MsgaCase[] }> {
  const cases: MsgaCase[] = [];
  for (const q of questions) {
    const gold = docOf.get(q.id);
    if (!gold) continue; // its answer is empty: nothing to find
    cases.push({ id: q.id, question: q.question, relevant: [gold], ranked: await rank(q.question) });
  }
  return { ...summarizeMsga(cases, documents), cases };
}

export function summarizeMsga(cases: MsgaCase[], documents: number): MsgaReport {
  return {
    documents,
    questions: cases.length,
    "recall@1": mean(cases.map((c) => recallAt(c, 1))),
    "recall@5": mean(cases.map((c) => recallAt(c, 5))),
    "recall@10": mean(cases.map((c) => recallAt(c, 10))),
    "mrr@10": mean(cases.map((c) => reciprocalRankAt(c, 10))),
    misses: cases.filter((c) => recallAt(c, 1) < 1).map((c) => ({ id: c.id, question: c.question, expected: c.relevant[0], got: c.ranked.slice(0, 3) })),
  };
}
