import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { searchPolicies } from "../../src/retrieval/search.js";
import { SHARED_CORPUS as CORPUS, sharedCorpusMissing } from "../helpers/corpus.js";
import { testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";

describe.skipIf(sharedCorpusMissing("ingesting the 220 documents of the shared corpus")).each(testDatabases())(
  "ingest of the shared corpus on $name",
  (database) => {
    let deps: Deps;
    let folder: string;

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), "policy-corpus-"));
      await cp(CORPUS, folder, { recursive: true });
      deps = await testDeps(await database.open());
    });
    afterAll(async () => {
      await deps?.db.close();
      await rm(folder, { recursive: true, force: true });
    });

    it("indexes all 220 documents without a failure", async () => {
      const summary = await ingestPaths(deps, [folder]);
      expect(summary.failed).toBe(0);
      expect(summary.added).toBe(220);
      const { rows } = await deps.db.query<{ policies: number; chunks: number; empty: number }>(
        "SELECT (SELECT count(*)::int FROM policies) AS policies, (SELECT count(*)::int FROM chunks) AS chunks, (SELECT count(*)::int FROM policies WHERE chunk_count = 0) AS empty",
      );
      expect(rows[0].policies).toBe(220);
      expect(rows[0].chunks).toBeGreaterThan(1000);
      expect(rows[0].empty).toBe(0);
    }, 180_000);

    it("changes nothing when run again", async () => {
      const before = await deps.db.query("SELECT id, content_hash, updated_at FROM policies ORDER BY id");
      const summary = await ingestPaths(deps, [folder]);
      expect(summary).toMatchObject({ added: 0, updated: 0, unchanged: 220, failed: 0 });
      expect((await deps.db.query("SELECT id, content_hash, updated_at FROM policies ORDER BY id")).rows).toEqual(before.rows);
    }, 120_000);

    it("re-indexes only the edited file, replacing its chunks and term statistics", async () => {
      const file = join(folder, "bj_062.md");
      const original = await readFile(file, "utf8");
      await writeFile(file, `${original}\n\n补充说明：本政策新增支持方向为量子通信试验网络建设。\n`);
      const summary = await ingestPaths(deps, [folder]);
      expect(summary).toMatchObject({ added: 0, updated: 1, unchanged: 219, failed: 0 });
      expect(summary.files.find((f) => f.status === "updated")?.id).toBe("bj_062");
      const hits = await searchPolicies(deps, "量子通信试验网络", { limit: 3 });
      expect(hits[0].policyId).toBe("bj_062");
      // The chunk count the statistics hold equals the chunks stored.
      const { rows } = await deps.db.query<{ stats: number; actual: number }>(
        "SELECT (SELECT df FROM term_stats WHERE term = '') AS stats, (SELECT count(*)::int FROM chunks) AS actual",
      );
      expect(rows[0].stats).toBe(rows[0].actual);
    }, 120_000);

    it("reports a corrupt PDF, an empty file and binary junk, and indexes the rest of the batch", async () => {
      const extra = await mkdtemp(join(tmpdir(), "policy-bad-"));
      await writeFile(join(extra, "broken.pdf"), "%PDF-1.7\n1 0 obj <<>> garbage without xref");
      await writeFile(join(extra, "empty.md"), "");
      await writeFile(join(extra, "junk.txt"), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42]));
      await writeFile(join(extra, "good.md"), "---\ntitle: 测试科技型企业补贴\nregion: 湖北省武汉市\n---\n一、支持标准\n给予一次性补贴20万元。\n");
      try {
        const summary = await ingestPaths(deps, [extra]);
        expect(summary.added).toBe(1);
        expect(summary.failed).toBe(3);
        const reasons = Object.fromEntries(summary.failures.map((f) => [f.file.split("/").pop(), f.reason]));
        expect(reasons).toEqual({ "broken.pdf": "corrupt", "empty.md": "empty", "junk.txt": "binary" });
      } finally {
        await rm(extra, { recursive: true, force: true });
      }
    }, 60_000);

    it("deletes a policy whose file was removed when pruning", async () => {
      await rm(join(folder, "law_61.md"));
      const summary = await ingestPaths(deps, [folder], { prune: true });
      expect(summary.removedIds).toEqual(["law_61"]);
      const { rows } = await deps.db.query("SELECT 1 FROM chunks WHERE policy_id = 'law_61'");
      expect(rows).toHaveLength(0);
    }, 120_000);
  },
);
