import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findSql, routesImportingStores, sqlOutsideDb, storeImports } from "../../scripts/checks/sql-outside-db.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("SQL only in src/db/", () => {
  it("finds no SQL statement in src/ outside src/db/", () => {
    expect(sqlOutsideDb(root)).toEqual([]);
  });

  it("reports a statement planted in a route, with its line", () => {
    const planted = [
      'import { db } from "../db/db.js";',
      'export const rows = () => db.query("SELECT id FROM subscriptions WHERE tenant_id = $1", ["t"]);',
    ].join("\n");
    expect(findSql("src/routes/planted.ts", planted)).toEqual([
      { file: "src/routes/planted.ts", line: 2, text: "SELECT id FROM subscriptions WHERE tenant_id = $1" },
    ]);
  });

  it("fails a tree with a planted file outside src/db/, and only that file", () => {
    const tree = mkdtempSync(join(tmpdir(), "sql-check-"));
    try {
      mkdirSync(join(tree, "src/db"), { recursive: true });
      mkdirSync(join(tree, "src/routes"), { recursive: true });
      writeFileSync(join(tree, "src/db/store.ts"), 'export const q = "SELECT 1 FROM policies";\n');
      writeFileSync(join(tree, "src/routes/health.ts"), 'export const q = "SELECT count(*) FROM chunks";\n');
      expect(sqlOutsideDb(tree).map((f) => f.file)).toEqual(["src/routes/health.ts"]);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it("reports writes, DDL and templates alike", () => {
    const planted = [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template, planted
      "q(`UPDATE jobs SET done = ${n} WHERE id = $1`);",
      'q("INSERT INTO tenants (id) VALUES ($1)");',
      'q("DELETE FROM rate_counters");',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template, planted
      "q(`DROP INDEX IF EXISTS ${name}`);",
      'q("ANALYZE chunk_vectors");',
      'q("WITH gone AS (DELETE FROM x RETURNING 1) SELECT count(*) FROM gone");',
    ].join("\n");
    expect(findSql("src/x.ts", planted).map((f) => f.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("leaves comments, prose and lower-case words alone", () => {
    const innocent = [
      "// SELECT id FROM policies: a comment may name a statement",
      "/** UPDATE jobs SET done in the store */",
      'const hint = "select the policies you want from the list";',
      'const zh = "请选择（SELECT）政策";',
    ].join("\n");
    expect(findSql("src/x.ts", innocent)).toEqual([]);
  });

  it("finds no route importing a store: routes call use cases", () => {
    expect(routesImportingStores(root)).toEqual([]);
  });

  it("reports a route importing a store's function, not one importing a type", () => {
    const route = [
      'import type { Queryable } from "../db/db.js";',
      'import { getPolicies } from "../db/policy-store.js";',
      'import { listSubscriptions } from "../companies/subscriptions.js";',
    ].join("\n");
    expect(storeImports("src/routes/x.ts", route)).toEqual([{ file: "src/routes/x.ts", line: 2, text: "../db/policy-store.js" }]);
  });
});
