import pg from "pg";
import { type Db, HNSW_EF_SEARCH, type Queryable } from "./db.js";

export async function createPostgresDb(url: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on("error", () => undefined); // an idle client's error must not kill the process
  // Queued on each new connection ahead of its first query.
  pool.on("connect", (client) => void client.query(`SET hnsw.ef_search = ${HNSW_EF_SEARCH}`).catch(() => undefined));
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
