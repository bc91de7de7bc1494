import { type Db, openDb } from "../../src/db/index.js";
import { openScratchPostgres } from "../../src/db/scratch.js";

export type TestDatabase = { name: "pglite" | "postgres"; open(): Promise<Db> };

/**
 * The databases every integration test runs against: in-memory PGlite always,
 * and the real PostgreSQL server whenever TEST_DATABASE_URL is set. Each
 * PostgreSQL database lives in a schema of its own, dropped on close.
 */
export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [{ name: "pglite", open: () => openDb({ dataDir: "memory://" }) }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) list.push({ name: "postgres", open: () => openScratchPostgres(url) });
  return list;
}
