import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Db } from "./db.js";
import { openDb } from "./index.js";

/**
 * A throw-away database on a PostgreSQL server: a schema of its own (found
 * first on the search path), migrated, and dropped on close. Tests, eval and
 * bench use it so that they never touch the server's real tables.
 */
export async function openScratchPostgres(url: string, poolSize = 4): Promise<Db & { url: string }> {
  const schema = `scratch_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query("CREATE EXTENSION IF NOT EXISTS vector");
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema},public`);
  const db = await openDb({ dataDir: "", databaseUrl: u.toString(), poolSize });
  return {
    ...db,
    /** The schema's own URL, for other processes. */
    url: u.toString(),
    kind: db.kind,
    query: db.query.bind(db),
    transaction: db.transaction.bind(db),
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** In-memory PGlite, or a scratch schema on the server when a URL is given. */
export function openScratchDb(databaseUrl?: string): Promise<Db> {
  return databaseUrl ? openScratchPostgres(databaseUrl) : openDb({ dataDir: "memory://" });
}
