import { describe, expect, it } from "vitest";
import { createEmbedJob, reconcileEmbeddingModel } from "../../src/admin/embedding-switch.js";
import { createApp } from "../../src/app.js";
import type { Db } from "../../src/db/index.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { resumeJobs, runJob } from "../../src/job-runners.js";
import { cancelJob, getJob } from "../../src/jobs/queue.js";
import { testDatabases } from "../helpers/databases.js";
import { FIXED_TODAY, testDeps } from "../helpers/deps.js";
import { type OpenAIServer, startOpenAIServer } from "../helpers/openai-server.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const LOCAL = "local-hash-v1-1024";
const REMOTE = "openai:test-embed";
const post = (body?: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: body === undefined ? undefined : JSON.stringify(body),
});
type Status = {
  active: string;
  configured: Array<{ model: string; role: string }>;
  models: Array<{ model: string; status: string; vectors: number; coverage: number }>;
  chunks: number;
};
type JobBody = { id: string; status: string; done: number; total: number; counts: Record<string, number>; attempts: number };

const withNext = (llm: OpenAIServer) => ({
  NEXT_EMBEDDING_PROVIDER: "openai",
  NEXT_EMBEDDING_BASE_URL: llm.url,
  NEXT_EMBEDDING_MODEL: "test-embed",
  NEXT_EMBEDDING_DIMENSIONS: "16",
  EMBEDDING_BATCH_SIZE: "8",
});
/** Every text the provider was asked to embed. */
const embeddingRequests = (llm: OpenAIServer) => llm.requests.filter((r) => r.path.endsWith("/embeddings"));
const inputsOf = (r: OpenAIServer["requests"][number]) => (Array.isArray(r.body.input) ? r.body.input : [r.body.input]) as string[];
const embeddedTexts = (llm: OpenAIServer) => embeddingRequests(llm).flatMap(inputsOf);
const vectorsOf = async (db: Db, model: string) =>
  (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM chunk_vectors WHERE model = $1", [model])).rows[0].n;

describe.each(testDatabases())("embedding model switch ($name)", (database) => {
  it("fills the new model in the background while the old one serves, switches when complete, and keeps the old vectors until deleted", async () => {
    const llm = await startOpenAIServer();
    const db = await database.open();
    try {
      await ingestPaths(await testDeps(db), [DEMO]);
      const deps = await testDeps(db, withNext(llm));
      const app = createApp(deps);
      const before = (await (await app.request("/v1/admin/embeddings")).json()) as Status;
      expect(before.active).toBe(LOCAL);
      expect(before.configured).toEqual([
        { model: LOCAL, role: "current" },
        { model: REMOTE, role: "next" },
      ]);
      expect(before.models).toEqual([expect.objectContaining({ model: LOCAL, status: "active", vectors: before.chunks, coverage: 1 })]);

      llm.embeddingDelayMs = 60;
      const res = await app.request("/v1/admin/embeddings/switch", post({}));
      expect(res.status).toBe(202);
      const queued = (await res.json()) as JobBody;
      expect((await app.request("/v1/admin/embeddings/switch", post({}))).status).toBe(409);

      // Questions while the job runs: every one answered, embedded with the old model (the provider never sees them).
      const question = "武汉高新技术企业认定奖励";
      let answeredDuringSwitch = 0;
      for (;;) {
        // Real clients arrive over sockets; an in-process loop must let timers run (PGlite answers in microtasks).
        await new Promise((r) => setImmediate(r));
        const job = (await getJob(db, queued.id))!;
        if (job.status !== "queued" && job.status !== "running") break;
        const sent = embeddingRequests(llm).length;
        const chat = await app.request("/v1/chat", post({ question }));
        expect(chat.status).toBe(200);
        expect(((await chat.json()) as { policies: Array<{ title: string }> }).policies[0].title).toMatch(/高新技术企业/);
        // Answered before the switch completed: the question went to the old (local) model, not to the provider.
        if (["queued", "running"].includes((await getJob(db, queued.id))!.status)) {
          answeredDuringSwitch++;
          expect(
            embeddingRequests(llm)
              .slice(sent)
              .flatMap(inputsOf)
              .some((t) => t.includes(question)),
          ).toBe(false);
        }
      }
      expect(answeredDuringSwitch).toBeGreaterThan(0);

      const job = (await getJob(db, queued.id))!;
      expect(job).toMatchObject({ status: "done", done: before.chunks, total: before.chunks, counts: { embedded: before.chunks, alreadyEmbedded: 0 } });
      const after = (await (await app.request("/v1/admin/embeddings")).json()) as Status;
      expect(after.active).toBe(REMOTE);
      expect(after.models).toEqual([
        expect.objectContaining({ model: REMOTE, status: "active", coverage: 1 }),
        expect.objectContaining({ model: LOCAL, status: "retired", coverage: 1 }),
      ]);
      expect(((await (await app.request("/health")).json()) as { embeddingModel: string }).embeddingModel).toBe(REMOTE);

      // Now questions are embedded with the new model, and still find the policy.
      const chat = (await (await app.request("/v1/chat", post({ question }))).json()) as { policies: Array<{ title: string }> };
      expect(chat.policies[0].title).toMatch(/高新技术企业/);
      expect(embeddedTexts(llm).some((t) => t.includes(question))).toBe(true);

      const dropActive = await app.request(`/v1/admin/embeddings/${encodeURIComponent(REMOTE)}`, { method: "DELETE" });
      expect(dropActive.status).toBe(409);
      expect((await app.request(`/v1/admin/embeddings/${LOCAL}`, { method: "DELETE" })).status).toBe(200);
      expect(await vectorsOf(db, LOCAL)).toBe(0);
      expect((await app.request(`/v1/admin/embeddings/${LOCAL}`, { method: "DELETE" })).status).toBe(404);
    } finally {
      await llm.close();
      await db.close();
    }
  });

  it("resumes an interrupted switch from the first chunk without a vector, through a provider refusing half its calls", async () => {
    const llm = await startOpenAIServer();
    const db = await database.open();
    try {
      await ingestPaths(await testDeps(db), [DEMO]);
      const deps = await testDeps(db, withNext(llm));
      const chunks = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM chunks")).rows[0].n;

      // The first run is stopped part-way (as a cancel or a dead process would stop it).
      llm.embeddingDelayMs = 40;
      const first = await createEmbedJob(deps, undefined, FIXED_TODAY);
      const running = runJob(deps, first.id);
      await expect.poll(async () => (await getJob(db, first.id))!.done, { timeout: 30_000, interval: 20 }).toBeGreaterThan(0);
      await cancelJob(db, first.id);
      expect((await running).status).toBe("cancelled");
      const stored = await vectorsOf(db, REMOTE);
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(chunks);
      expect((await getJob(db, first.id))!.counts.embedded).toBe(stored);

      // A second job, left "running" by a process that died, is picked up at start and carries on.
      llm.embeddingDelayMs = 0;
      llm.refuseEmbedding = (i) => i % 2 === 0;
      const requestsBefore = embeddingRequests(llm).length;
      const second = await createEmbedJob(deps, REMOTE, FIXED_TODAY);
      await db.query("UPDATE jobs SET status = 'running', attempts = 1 WHERE id = $1", [second.id]);
      const [resumed] = await resumeJobs(deps);
      expect(resumed).toMatchObject({
        id: second.id,
        status: "done",
        attempts: 2,
        done: chunks,
        counts: { alreadyEmbedded: stored, embedded: chunks - stored },
      });
      expect(resumed.counts.embeddingRetries).toBeGreaterThan(0);
      // Only the chunks without a vector were embedded (a refused call is sent again, so count the accepted ones).
      const accepted = embeddingRequests(llm)
        .slice(requestsBefore)
        .filter((_, k) => !llm.refuseEmbedding!(requestsBefore + k))
        .flatMap(inputsOf);
      expect(accepted.length).toBe(chunks - stored);
      expect(await vectorsOf(db, REMOTE)).toBe(chunks);
    } finally {
      await llm.close();
      await db.close();
    }
  });

  it("writes both models' vectors on ingest while a next model is configured", async () => {
    const llm = await startOpenAIServer();
    const db = await database.open();
    try {
      const deps = await testDeps(db, withNext(llm));
      await ingestPaths(deps, [DEMO]);
      const chunks = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM chunks")).rows[0].n;
      expect(await vectorsOf(db, LOCAL)).toBe(chunks);
      expect(await vectorsOf(db, REMOTE)).toBe(chunks);
      // Nothing is left to fill: the switch is immediate, and sends nothing to the provider.
      const sent = llm.requests.length;
      const job = await runJob(deps, (await createEmbedJob(deps, undefined, FIXED_TODAY)).id);
      expect(job).toMatchObject({ status: "done", counts: { embedded: 0, alreadyEmbedded: chunks } });
      expect(llm.requests.length).toBe(sent);
    } finally {
      await llm.close();
      await db.close();
    }
  });

  it("moves a library whose model is no longer configured to the configured one, answering meanwhile", async () => {
    const db = await database.open();
    try {
      await ingestPaths(await testDeps(db), [DEMO]);
      const deps = await testDeps(db, { EMBEDDING_DIMENSIONS: "256" });
      const queued = await reconcileEmbeddingModel(deps);
      expect(queued).toMatchObject({ kind: "embed", params: { model: "local-hash-v1-256" } });
      expect(await reconcileEmbeddingModel(deps)).toBeUndefined();
      // Before the vectors exist, questions are still answered (full-text search carries them).
      const chat = (await (await createApp(deps).request("/v1/chat", post({ question: "武汉高新技术企业认定奖励" }))).json()) as {
        policies: Array<{ title: string }>;
      };
      expect(chat.policies[0].title).toMatch(/高新技术企业/);
      const [done] = await resumeJobs(deps);
      expect(done).toMatchObject({ status: "done" });
      expect((await db.query<{ model: string }>("SELECT model FROM embedding_models WHERE status = 'active'")).rows).toEqual([{ model: "local-hash-v1-256" }]);
    } finally {
      await db.close();
    }
  });
});
