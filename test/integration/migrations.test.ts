import { describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "../../src/db/migrate.js";
import { createPgliteDb } from "../../src/db/pglite.js";
import { deliveryLog } from "../../src/db/subscription-store.js";

describe("migrations", () => {
  it("moves a library's vectors from chunks to per-model vectors, its model becoming the active one", async () => {
    const db = await createPgliteDb("memory://");
    try {
      const all = await loadMigrations();
      const before = all.findIndex((m) => m.name.startsWith("007"));
      await migrate(db, all.slice(0, before));
      await db.query("INSERT INTO policies (id, title, format, content_hash) VALUES ('p1', '某政策', 'md', 'h')");
      await db.query(
        `INSERT INTO chunks (id, policy_id, position, text, words, tsv, lexical, embedding, embedding_model) VALUES
         ('p1#0', 'p1', 0, '第一段', '第一 段', to_tsvector('simple', 'a'), '{}/8'::sparsevec, '[1,0,0]', 'local-hash-v1-3'),
         ('p1#1', 'p1', 1, '第二段', '第二 段', to_tsvector('simple', 'b'), '{}/8'::sparsevec, '[0,1,0]', 'local-hash-v1-3')`,
      );
      expect(await migrate(db)).toEqual(all.slice(before).map((m) => m.name));
      const { rows } = await db.query<{ chunk_id: string; model: string; embedding: string }>(
        "SELECT chunk_id, model, embedding::text FROM chunk_vectors ORDER BY chunk_id",
      );
      expect(rows).toEqual([
        { chunk_id: "p1#0", model: "local-hash-v1-3", embedding: "[1,0,0]" },
        { chunk_id: "p1#1", model: "local-hash-v1-3", embedding: "[0,1,0]" },
      ]);
      expect((await db.query("SELECT model, dims, status FROM embedding_models")).rows).toEqual([{ model: "local-hash-v1-3", dims: 3, status: "active" }]);
      const columns = await db.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'chunks'");
      expect(columns.rows.map((c) => c.column_name)).not.toContain("embedding");
    } finally {
      await db.close();
    }
  });

  it("adds criteria_rules empty to policies stored before it, so their criteria are re-derived at the next ingest", async () => {
    const db = await createPgliteDb("memory://");
    try {
      const all = await loadMigrations();
      const before = all.findIndex((m) => m.name.startsWith("012"));
      await migrate(db, all.slice(0, before));
      await db.query("INSERT INTO policies (id, title, format, content_hash) VALUES ('p1', '某政策', 'md', 'h')");
      await migrate(db);
      expect((await db.query("SELECT criteria_rules FROM policies WHERE id = 'p1'")).rows).toEqual([{ criteria_rules: null }]);
    } finally {
      await db.close();
    }
  });

  it("turns each pending webhook delivery into a queued webhook job, due when it was and with the attempts it made; delivered ones keep their log", async () => {
    const db = await createPgliteDb("memory://");
    try {
      const all = await loadMigrations();
      const before = all.findIndex((m) => m.name.startsWith("016"));
      await migrate(db, all.slice(0, before));
      await db.query("INSERT INTO subscriptions (id, tenant_id, url, secret) VALUES ('sub_1', 'public', 'https://hooks.example.cn/x', 's')");
      await db.query(
        `INSERT INTO notifications (tenant_id, external_id, policy_id, policy_hash, verdict, payload) VALUES
         ('public', 'c1', 'p1', 'h', 'eligible', '{}'), ('public', 'c1', 'p2', 'h', 'eligible', '{}')`,
      );
      await db.query(
        `INSERT INTO deliveries (notification_id, subscription_id, status, attempts, next_attempt_at, last_status, delivered_at) VALUES
         (1, 'sub_1', 'pending', 2, '2030-01-01T00:00:00Z', 500, NULL), (2, 'sub_1', 'delivered', 1, '2026-01-01T00:00:00Z', 200, now())`,
      );
      await migrate(db);
      const { rows } = await db.query<{ kind: string; status: string; attempts: number; params: unknown; run_after: Date | string }>(
        "SELECT j.kind, j.status, j.attempts, j.params, j.run_after FROM deliveries d JOIN jobs j ON j.id = d.job_id",
      );
      expect(rows.map((r) => ({ ...r, run_after: new Date(r.run_after).toISOString() }))).toEqual([
        { kind: "webhook", status: "queued", attempts: 2, params: { notificationId: "1", subscriptionId: "sub_1" }, run_after: "2030-01-01T00:00:00.000Z" },
      ]);
      expect((await deliveryLog(db, "sub_1")).map((d) => [d.notificationId, d.status, d.attempts, d.nextAttemptAt])).toEqual([
        [2, "delivered", 1, null],
        [1, "pending", 2, "2030-01-01T00:00:00.000Z"],
      ]);
    } finally {
      await db.close();
    }
  });
});
