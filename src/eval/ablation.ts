/**
 * Retrieval built up from the reference one mechanism at a time, so that each
 * earns its place on the check part (issue: start from plain BM25 and add back
 * only what beats it). Every step keeps the steps above it; the last is the
 * service as `askQuestion` runs it.
 */

import { answerableHits } from "../answer/answer.js";
import type { Db } from "../db/db.js";
import { chinaDate } from "../lib/china-time.js";
import type { Clock } from "../lib/clock.js";
import type { Embedder } from "../llm/embeddings.js";
import { profileRegionPath } from "../policies/region.js";
import type { Analyzer } from "../retrieval/analyzer.js";
import { type SearchOptions, searchPolicies } from "../retrieval/search.js";
import { needText } from "../understand/need.js";
import { understandTurn } from "../understand/turn.js";
import type { QuestionCase } from "./datasets.js";
import type { ReferenceIndex } from "./reference.js";
import { type QuestionOutcome, summarizeQuestions } from "./run.js";
import { PARTS, type Part, partOf } from "./split.js";

type AblationDeps = { db: Db; embedder: Embedder; analyzer: Analyzer; clock: Clock };

export const ABLATION_STEPS = [
  ["reference", "plain BM25 + bigrams over packed paragraphs (the floor)"],
  ["index", "the service's index: its chunks (title and heading in each), the policy words kept whole; the question as written, full text only"],
  ["synonyms", "+ the policy vocabulary the question's words expand to (the lexicon), at half weight"],
  ["understanding", "+ the message normalised (script, width, typos, English), greetings and out-of-scope turns answered without a search"],
  ["place", "+ only policies on the branch of the place the question names"],
  ["profile", "+ policies outside the company's own region demoted"],
  ["gate", "+ the no-answer decision (need coverage): the service, with the offline embedder"],
  ["vector", "+ the embedder's vector path fused at 0.08 (hybrid): the service's default with a model embedder, left out with the offline one"],
] as const;
export type AblationStep = (typeof ABLATION_STEPS)[number][0];

export type AblationFigures = { "recall@5": number; "mrr@10": number; answeredKept: number; noAnswerAccuracy: number | null };
export type AblationRow = { step: AblationStep; what: string } & Record<"all" | Part, AblationFigures>;

const figures = (outcomes: QuestionOutcome[]): AblationFigures => {
  const f = summarizeQuestions(outcomes);
  return { "recall@5": f["recall@5"], "mrr@10": f["mrr@10"], answeredKept: f.answeredKept, noAnswerAccuracy: f.noAnswerAccuracy };
};

async function rankedFor(deps: AblationDeps, step: AblationStep, c: QuestionCase): Promise<{ ranked: string[]; answered: boolean }> {
  const at = (s: AblationStep) => ABLATION_STEPS.findIndex(([name]) => name === s) <= ABLATION_STEPS.findIndex(([name]) => name === step);
  const turn = understandTurn({ question: c.question, sent: c.profile, earlierQuestions: [], previousPolicies: [], today: chinaDate(deps.clock.now()) });
  if (at("understanding") && (turn.intent === "greeting" || turn.intent === "out_of_scope")) return { ranked: [], answered: false };
  const query = at("understanding") ? turn.searchText : c.question;
  const options: SearchOptions = {
    retriever: at("vector") ? "hybrid" : "fulltext",
    expand: at("synonyms"),
    need: needText(query),
    limit: 10,
    ...(at("place") && turn.place ? { filters: { placePath: turn.place } } : {}),
    ...(at("profile") ? { preferRegionPath: profileRegionPath(turn.profile?.region) } : {}),
  };
  const hits = await searchPolicies(deps, query, options);
  const answered = at("gate")
    ? answerableHits(hits, 10, { placePath: turn.place ?? undefined, companyPath: profileRegionPath(turn.profile?.region) }).length > 0
    : hits.length > 0;
  return { ranked: answered ? hits.map((h) => h.policyId) : [], answered };
}

export async function ablate(deps: AblationDeps, cases: QuestionCase[], reference: ReferenceIndex): Promise<AblationRow[]> {
  const rows: AblationRow[] = [];
  for (const [step, what] of ABLATION_STEPS) {
    const outcomes: QuestionOutcome[] = [];
    for (const c of cases) {
      const got =
        step === "reference"
          ? { ranked: reference.search(c.question, 10 + (c.acceptable?.length ?? 0)).map((h) => h.id), answered: true }
          : await rankedFor(deps, step, c);
      outcomes.push({ id: c.id, question: c.question, kind: c.kind, relevant: c.relevant, acceptable: c.acceptable, ...got });
    }
    const part = (p: Part) => figures(outcomes.filter((o) => partOf(o.id) === p));
    rows.push({ step, what, all: figures(outcomes), ...(Object.fromEntries(PARTS.map((p) => [p, part(p)])) as Record<Part, AblationFigures>) });
  }
  return rows;
}
