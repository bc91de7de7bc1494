import pg from "pg";
import { type Db, HNSW_EF_SEARCH, type Queryable } from "./db.js";

export async function createPostgresDb(url: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: withStartupOption(url, `-c hnsw.ef_search=${HNSW_EF_SEARCH}`), max: poolSize });
  pool.on("error", () => undefined); // an idle client's error must not kill the process
  const query = async <T>(client: Queryable | pg.Pool, sql: string, params?: unknown[]) => {
    const r = await (client as pg.Pool).query(sql, params as unknown[]);
    return { rows: r.rows as T[] };
  };
  return {
    kind: "postgres",
    query: (sql, params) => query(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({ query: (sql, params) => query(client as unknown as pg.Pool, sql, params) });
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * The URL with `option` added to the settings each connection's startup message carries, ahead of the URL's
 * own (a later `-c` wins, so the URL's say stands). A SET sent on connect ran beside the connection's first
 * query, which pg warns will fail in pg@9; and a pool's `options` would be replaced by the URL's (a scratch
 * schema's search_path).
 */
export function withStartupOption(url: string, option: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url; // not a URL (a socket path): pg reads it as it is
  }
  u.searchParams.set("options", [option, u.searchParams.get("options")].filter(Boolean).join(" "));
  return u.toString();
}
