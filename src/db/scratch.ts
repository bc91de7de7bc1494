import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Db } from "./db.js";
import { openDb } from "./index.js";

/**
 * A schema of its own on a PostgreSQL server (`<prefix>_<random>`), first on
 * the search path of the URL returned; `drop` removes it with all it holds.
 */
export async function createScratchSchema(url: string, options: { prefix?: string; vector?: boolean } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `${options.prefix ?? "scratch"}_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    if (options.vector) await admin.query("CREATE EXTENSION IF NOT EXISTS vector");
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema},public`);
  return {
    url: u.toString(),
    async drop() {
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

/**
 * A throw-away database on a PostgreSQL server: a scratch schema, migrated,
 * and dropped on close. Tests, eval and bench use it so that they never touch
 * the server's real tables.
 */
export async function openScratchPostgres(url: string, poolSize = 4): Promise<Db & { url: string }> {
  const scratch = await createScratchSchema(url, { vector: true });
  const db = await openDb({ dataDir: "", databaseUrl: scratch.url, poolSize });
  return {
    ...db,
    /** The schema's own URL, for other processes. */
    url: scratch.url,
    kind: db.kind,
    query: db.query.bind(db),
    transaction: db.transaction.bind(db),
    async close() {
      await db.close();
      await scratch.drop();
    },
  };
}

/** In-memory PGlite, or a scratch schema on the server when a URL is given. */
export function openScratchDb(databaseUrl?: string): Promise<Db> {
  return databaseUrl ? openScratchPostgres(databaseUrl) : openDb({ dataDir: "memory://" });
}
