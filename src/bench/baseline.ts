import { PGVectorStore } from "@langchain/community/vectorstores/pgvector";
import { Document } from "@langchain/core/documents";
import { createScratchSchema } from "../db/scratch.js";
import type { Embedder } from "../llm/embeddings.js";

/**
 * The store a team would otherwise pick: LangChain's PGVectorStore, vector-only
 * similarity over the same chunks and the same embeddings, in its own table.
 */
export async function createBaselineStore(databaseUrl: string, embeddings: Embedder, docs: Array<{ text: string; policyId: string }>) {
  // Its own throw-away schema, like every other bench database.
  const scratch = await createScratchSchema(databaseUrl, { prefix: "bench" });
  const store = await PGVectorStore.initialize(embeddings, {
    postgresConnectionOptions: { connectionString: scratch.url },
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
      await scratch.drop();
    },
  };
}
