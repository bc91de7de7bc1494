import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { varyPolicy } from "../../src/bench/scale.js";
import { matchPolicies } from "../../src/companies/matching.js";
import { parseSparseLiteral } from "../../src/db/db.js";
import { loadLexicalIndex, scanLexicalTopK } from "../../src/db/lexical-store.js";
import { libraryGeneration } from "../../src/db/library-log.js";
import { getChunksOf, insertPolicies, listAllPolicies, setPolicyStatus, termDocumentFrequencies } from "../../src/db/policy-store.js";
import type { Deps } from "../../src/deps.js";
import { MatchCaseSchema, QuestionCaseSchema, readJsonl } from "../../src/eval/datasets.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import type { ChunkRecord } from "../../src/policies/policy.js";
import { CHUNK_COUNT_TERM, queryWeights } from "../../src/retrieval/lexical.js";
import type { LexicalIndex } from "../../src/retrieval/memory-index.js";
import { queryTerms, type SearchOptions, searchPolicies } from "../../src/retrieval/search.js";
import { FIXTURE_CORPUS, SHARED_CORPUS, sharedCorpusMissing } from "../helpers/corpus.js";
import { type TestDatabase, testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";

/*
 * The in-memory index against every chunk scored in SQL (no GIN candidate selection). Today's search
 * selects candidates through the query's rarer terms first and ranks only those, so its ranking can
 * differ from this one when a chunk high in the exact ranking holds none of the rarer terms; this
 * index ranks every chunk, as the SQL reference here does. (`npm run bench -- --only memory`
 * counts how often the two differ on the dev questions.) The rankings are compared to the bit:
 * pgvector multiplies and adds in float32 in ascending index order, as the index does (PGlite's
 * build and this machine's native one; a build that fused multiply and add would move the last
 * bits of some sums, and these tests would say so).
 */

/** Questions in a company's words about the fixture policies, and some the fixtures barely touch. */
const QUESTIONS = [
  "我们是中关村的科技型小微企业，做关键技术攻关能拿多少钱？",
  "用专利做质押贷款，北京有没有贴息或者风险补偿？",
  "人工智能公司在北京买算力，能不能用券抵扣？",
  "创业团队申请首都科技创新券要什么材料",
  "天使投资机构投了中关村的早期项目，补贴怎么算",
  "高新技术企业做并购重组，资金支持比例是多少",
  "技术先进型服务企业认定对离岸外包收入有什么要求",
  "文化企业租房子有房租补贴吗",
  "广州应届毕业生自己开公司，一次性创业补贴多少",
  "创业担保贷款额度最高多少，谁来贴息",
  "跨国公司地区总部认定需要提交哪些证明",
  "徐汇区具身智能企业有什么扶持",
  "设备更新改造贷款贴息怎么申请",
  "公共服务平台建设项目的支持标准",
  "我们公司想在海南开跨境电商体验店",
];

const K = [10, 80];

type Query = { literal: string; vector: ReturnType<typeof parseSparseLiteral> };

/** The query half of BM25 as today's lexical search builds it: the question's terms and expansions, idf from term_stats. */
async function lexicalQuery(deps: Deps, question: string): Promise<Query | null> {
  const terms = queryTerms(deps, question);
  const df = await termDocumentFrequencies(
    deps.db,
    terms.map((t) => t.term),
  );
  const q = queryWeights(terms, df, df.get(CHUNK_COUNT_TERM) ?? 0);
  return q.used.length ? { literal: q.literal, vector: parseSparseLiteral(q.literal) } : null;
}

async function ingested(database: TestDatabase, paths: string[]): Promise<Deps> {
  const deps = await testDeps(await database.open());
  const summary = await ingestPaths(deps, paths);
  expect(summary.failed).toBe(0);
  return deps;
}

describe.each(testDatabases())("the in-memory lexical index on the fixture corpus ($name)", (database) => {
  let deps: Deps;
  let index: LexicalIndex;

  beforeAll(async () => {
    const files = readdirSync(FIXTURE_CORPUS).filter((f) => f.endsWith(".md") && f !== "README.md");
    deps = await ingested(
      database,
      files.map((f) => fileURLToPath(new URL(f, FIXTURE_CORPUS))),
    );
    // Pages of 25 chunks: the fixture library spans four of them.
    index = await loadLexicalIndex(deps.db, 25);
  }, 180_000);
  afterAll(() => deps?.db.close());

  it("loads every chunk, page after page", async () => {
    const { rows } = await deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM chunks");
    expect(rows[0].n).toBeGreaterThan(75);
    expect(index.size).toBe(rows[0].n);
  });

  it.each(QUESTIONS)("ranks the chunks for 「%s」 as scoring every chunk in SQL does", async (question) => {
    const q = await lexicalQuery(deps, question);
    expect(q).not.toBeNull();
    for (const k of K) {
      const sql = await scanLexicalTopK(deps.db, q!.literal, k);
      expect(sql.length).toBeGreaterThan(0);
      expect(index.topK(q!.vector, k), `top ${k}`).toEqual(sql);
      expect(index.exhaustiveTopK(q!.vector, k), `exhaustive top ${k}`).toEqual(index.topK(q!.vector, k));
    }
  });

  it("ranks within a filter (Beijing's active policies) as SQL does within the same policies", async () => {
    const allowed = (await listAllPolicies(deps.db, "active")).filter((p) => p.regionPath[0] === "北京市").map((p) => p.id);
    expect(allowed.length).toBeGreaterThan(3);
    const allow = index.policyMask((id) => allowed.includes(id));
    for (const question of QUESTIONS) {
      const q = await lexicalQuery(deps, question);
      const memory = index.topK(q!.vector, 10, { allow });
      expect(
        memory.every((h) => allowed.includes(h.policyId)),
        question,
      ).toBe(true);
      expect(memory, question).toEqual(await scanLexicalTopK(deps.db, q!.literal, 10, allowed));
    }
  });
});

describe.skipIf(sharedCorpusMissing("ranking the dev questions over the shared corpus")).each(testDatabases())(
  "the in-memory lexical index on the shared corpus, for every dev question ($name)",
  (database) => {
    let deps: Deps;

    beforeAll(async () => {
      deps = await ingested(database, [SHARED_CORPUS]);
    }, 300_000);
    afterAll(() => deps?.db.close());

    it("ranks the top 10 chunks of each question as scoring every chunk in SQL does", async () => {
      const index = await loadLexicalIndex(deps.db);
      const questions = await readJsonl(new URL("../../../shared/eval/dev/questions.jsonl", import.meta.url).pathname, QuestionCaseSchema);
      expect(questions.length).toBeGreaterThan(100);
      for (const { id, question } of questions) {
        const q = await lexicalQuery(deps, question);
        if (!q) continue;
        expect(index.topK(q.vector, 10), id).toEqual(await scanLexicalTopK(deps.db, q.literal, 10));
      }
    }, 120_000);

    it("searches (same hits, scores, evidence and order) and matches on the library snapshot exactly as on SQL, for every dev question and profile, as the library grows and changes", async () => {
      const questions = await readJsonl(new URL("../../../shared/eval/dev/questions.jsonl", import.meta.url).pathname, QuestionCaseSchema);
      const sqlDeps: Deps = { ...deps, library: undefined };
      expect(deps.library).toBeDefined();
      const compare = async (stage: string, options: SearchOptions[]) => {
        const { rows } = await deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM chunks");
        for (const { id, question } of questions) {
          for (const o of options) {
            expect(await searchPolicies(deps, question, o), `${stage}, ${id}, ${o.retriever ?? "hybrid"}`).toEqual(await searchPolicies(sqlDeps, question, o));
          }
        }
        // The snapshot answered, at the database's generation, holding every chunk.
        expect(deps.library!.current!.generation).toBe(await libraryGeneration(deps.db));
        expect(deps.library!.current!.index.size).toBe(rows[0].n);
        return rows[0].n;
      };
      // Every lexical candidate (80 chunks) with its score, and the service's own search.
      const everyCandidate: SearchOptions = { retriever: "fulltext", limit: 1000, evidence: 80 };
      const corpusChunks = await compare("the corpus", [everyCandidate, { limit: 10 }]);

      // Matching judges the snapshot's policy records as it judges the rows it reads from the database.
      const matches = await readJsonl(new URL("../../../shared/eval/dev/matches.jsonl", import.meta.url).pathname, MatchCaseSchema);
      expect(matches.length).toBeGreaterThan(100);
      for (const { id, profile } of matches) {
        const request = { profile };
        expect(await matchPolicies(deps, request), id).toEqual(await matchPolicies(sqlDeps, request));
      }

      // Synthetic copies of every policy (scale.ts's variants: other numbers, places and sentence order), added in one bulk write.
      const policies = await listAllPolicies(deps.db);
      const stored = await getChunksOf(
        deps.db,
        policies.map((p) => p.id),
      );
      const copies = [1, 2].flatMap((copy) =>
        policies.map((policy) => {
          const chunks = stored.filter((c) => c.policyId === policy.id).map((c): ChunkRecord => ({ ...c, words: "", terms: [], lexical: "" }));
          const { policy: p, chunks: varied } = varyPolicy(deps, { policy, chunks }, copy);
          return { policy: p, chunks: varied, vectors: [] };
        }),
      );
      await insertPolicies(deps.db, copies);
      const grown = await compare("three times the corpus", [everyCandidate]);
      expect(grown).toBeGreaterThan(2.5 * corpusChunks);

      // Re-indexed policies move to the append segment, out of id order (ties are still broken by id), and a policy leaves.
      const some = policies
        .slice(0, 12)
        .map((p) => p.sourceFile!)
        .filter(Boolean);
      const summary = await ingestPaths(deps, some, { force: true });
      expect(summary.updated).toBe(some.length);
      expect(await setPolicyStatus(deps.db, policies[20].id, "withdrawn")).toBe(true);
      await compare("after re-indexing twelve policies and withdrawing one", [everyCandidate]);
      expect(deps.library!.current!.index.appendedCount).toBeGreaterThan(0);
    }, 600_000);
  },
);
