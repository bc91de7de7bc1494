import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { type Db, HNSW_EF_SEARCH, type Queryable } from "./db.js";

/** Embedded PostgreSQL (WASM) with pgvector. `dataDir` "memory://" keeps it in memory. */
export async function createPgliteDb(dataDir: string): Promise<Db> {
  const pg = await PGlite.create(dataDir, { extensions: { vector } });
  await pg.exec(`SET hnsw.ef_search = ${HNSW_EF_SEARCH}`);
  // PGlite runs one statement at a time; a transaction must not interleave with
  // other callers' queries, so queries queue behind an open transaction.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    // Each statement waits a turn of the event loop: a burst of queued statements would otherwise run
    // back to back on the main thread and starve every socket (a liveness probe included).
    const turn = () => new Promise<void>((r) => setImmediate(r));
    const run = tail.then(turn, turn).then(fn);
    tail = run.catch(() => undefined);
    return run;
  };
  const query = <T>(sql: string, params?: unknown[]) => pg.query<T>(sql, params as unknown[]).then((r) => ({ rows: r.rows }));
  return {
    kind: "pglite",
    query: (sql, params) => serial(() => query(sql, params)),
    transaction: (fn) =>
      serial(() =>
        pg.transaction(async (tx) => {
          const q: Queryable = {
            query: <T>(sql: string, params?: unknown[]) => tx.query<T>(sql, params as unknown[]).then((r) => ({ rows: r.rows })),
          };
          return fn(q);
        }),
      ),
    close: () => pg.close(),
  };
}
