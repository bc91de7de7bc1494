import type { Db } from "./db.js";
import { migrate } from "./migrate.js";
import { createPgliteDb } from "./pglite.js";
import { createPostgresDb } from "./postgres.js";

export type { Db, Queryable } from "./db.js";

export type DbConfig = { databaseUrl?: string; dataDir: string; poolSize?: number };

/** PostgreSQL when a URL is given, otherwise embedded PGlite; migrated and ready. */
export async function openDb(config: DbConfig): Promise<Db> {
  const db = config.databaseUrl ? await createPostgresDb(config.databaseUrl, config.poolSize) : await createPgliteDb(config.dataDir);
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
