import { randomUUID } from "node:crypto";
import { PGVectorStore } from "@langchain/community/vectorstores/pgvector";
import pg from "pg";
import { Document } from "@langchain/core/documents";
import type { Embedder } from "../llm/embeddings.js";

/**
 * The store a team would otherwise pick: LangChain's PGVectorStore, vector-only
 * similarity over the same chunks and the same embeddings, in its own table.
 */
export async function createBaselineStore(databaseUrl: string, embeddings: Embedder, docs: Array<{ text: string; policyId: string }>) {
  // Its own throw-away schema, like every other bench database.
  const schema = `bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(databaseUrl);
  u.searchParams.set("options", `-c search_path=${schema},public`);
  const store = await PGVectorStore.initialize(embeddings, {
    postgresConnectionOptions: { connectionString: u.toString() },
    tableName: "bench_pgvectorstore",
    distanceStrategy: "cosine",
  });
  for (let i = 0; i < docs.length; i += 500) {
    await store.addDocuments(docs.slice(i, i + 500).map((d) => new Document({ pageContent: d.text, metadata: { policyId: d.policyId } })));
  }
  return {
    /** Policies in the order their best chunk comes back. */
    async rank(question: string, k = 10): Promise<string[]> {
      const hits = await store.similaritySearch(question, k * 4);
      return [...new Set(hits.map((h) => String(h.metadata.policyId)))].slice(0, k);
    },
    async close() {
      await store.end();
      const cleanup = new pg.Client({ connectionString: databaseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}
