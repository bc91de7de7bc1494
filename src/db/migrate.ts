import { readdir, readFile } from "node:fs/promises";
import type { Db } from "./db.js";

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);

export type Migration = { name: string; sql: string };

export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".sql")).sort();
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(new URL(name, dir), "utf8") })));
}

/** Applies the migrations not yet recorded, in name order, each in its own transaction. */
export async function migrate(db: Db, migrations?: Migration[]): Promise<string[]> {
  const list = migrations ?? (await loadMigrations());
  await db.query("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
  const applied: string[] = [];
  for (const m of list) {
    const done = await db.transaction(async (tx) => {
      // Several server processes may start at once against one PostgreSQL.
      await tx.query("SELECT pg_advisory_xact_lock(724011)");
      const seen = await tx.query("SELECT 1 FROM schema_migrations WHERE name = $1", [m.name]);
      if (seen.rows.length) return false;
      await execScript(tx, m.sql);
      await tx.query("INSERT INTO schema_migrations (name) VALUES ($1)", [m.name]);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}

/** Both drivers take one statement per prepared query, so scripts are split on ';' at line ends. */
async function execScript(tx: { query: Db["query"] }, sql: string) {
  const statements = sql
    .split(/;\s*(?:\r?\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
    .filter(Boolean);
  for (const statement of statements) await tx.query(statement);
}
