import { randomUUID } from "node:crypto";
import pg from "pg";
import { openDb, type Db } from "../../src/db/index.js";

export type TestDatabase = { name: "pglite" | "postgres"; open(): Promise<Db> };

/**
 * The databases every integration test runs against: in-memory PGlite always,
 * and the real PostgreSQL server whenever TEST_DATABASE_URL is set. Each
 * PostgreSQL database lives in a schema of its own, dropped on close.
 */
export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [{ name: "pglite", open: () => openDb({ dataDir: "memory://" }) }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) list.push({ name: "postgres", open: () => openIsolatedPostgres(url) });
  return list;
}

async function openIsolatedPostgres(url: string): Promise<Db> {
  const schema = `t_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query("CREATE EXTENSION IF NOT EXISTS vector");
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema},public`);
  const db = await openDb({ dataDir: "", databaseUrl: u.toString(), poolSize: 4 });
  return {
    ...db,
    kind: db.kind,
    query: db.query.bind(db),
    transaction: db.transaction.bind(db),
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}
