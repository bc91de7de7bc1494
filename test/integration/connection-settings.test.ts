import { describe, expect, it } from "vitest";
import { HNSW_EF_SEARCH } from "../../src/db/db.js";
import { withStartupOption } from "../../src/db/postgres.js";
import { testDatabases } from "../helpers/databases.js";

describe.each(testDatabases())("every connection's settings ($name)", (database) => {
  it("searches HNSW with ef_search at least the candidates asked, on every pooled connection, in a schema of its own", async () => {
    const warnings: string[] = [];
    const warned = (w: Error) => warnings.push(w.message);
    process.on("warning", warned);
    const db = await database.open();
    try {
      // More at once than one connection serves: the pool opens several, each with its startup settings.
      const rows = await Promise.all(
        Array.from({ length: 12 }, () =>
          db.query<{ ef: string | null; sp: string }>(
            "SELECT current_setting('hnsw.ef_search', true) AS ef, current_setting('search_path') AS sp, pg_sleep(0.05)",
          ),
        ),
      );
      for (const { rows: r } of rows) expect(r[0].ef).toBe(String(HNSW_EF_SEARCH));
      if (database.name === "postgres") for (const { rows: r } of rows) expect(r[0].sp).toMatch(/^scratch_/);
      // A setting sent as a query on connect ran beside the connection's first one, which pg@9 will refuse.
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
    } finally {
      process.off("warning", warned);
      await db.close();
    }
  });
});

describe("a PostgreSQL URL's startup settings", () => {
  it("adds one ahead of the URL's own, which stand, and leaves a socket path as it is", () => {
    const u = new URL(withStartupOption("postgres://u@h:5432/db?options=-c%20search_path%3Ds1&sslmode=disable", "-c hnsw.ef_search=200"));
    expect(u.searchParams.get("options")).toBe("-c hnsw.ef_search=200 -c search_path=s1");
    expect(u.searchParams.get("sslmode")).toBe("disable");
    expect(new URL(withStartupOption("postgres://u@h/db", "-c a.b=1")).searchParams.get("options")).toBe("-c a.b=1");
    expect(withStartupOption("/var/run/postgresql db", "-c a.b=1")).toBe("/var/run/postgresql db");
  });
});
