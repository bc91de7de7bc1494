import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { READING_RULES } from "../../src/policies/structure.js";
import { testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";

const POLICY = [
  "---",
  "title: 测试区科技型中小企业研发补贴办法",
  "region: 湖北省武汉市",
  "---",
  "一、申报条件",
  "申报企业须同时满足以下条件：",
  "（一）在本市注册的独立法人企业；",
  "（二）上一年度营业收入不超过5000万元。",
  "二、支持标准",
  "给予一次性补贴20万元。",
  "三、申报时间",
  "每年3月至4月集中受理。",
  "",
].join("\n");

describe.each(testDatabases())("criteria and the rules that derived them on $name", (database) => {
  let deps: Deps;
  let folder: string;
  const stored = async () =>
    (
      await deps.db.query<{ criteria: { common: unknown[] }; structure: unknown; criteria_rules: string | null; chunks: number; updated_at: Date }>(
        "SELECT criteria, structure, criteria_rules, (SELECT count(*)::int FROM chunks) AS chunks, updated_at FROM policies WHERE id = 'rules-policy'",
      )
    ).rows[0];
  // Criteria left as an older reader would have stored them: none.
  const staleCriteria = () => deps.db.query(`UPDATE policies SET criteria = '{"common": [], "programmes": []}', structure = NULL WHERE id = 'rules-policy'`);
  const structure = { window: { kind: "annual", months: [3, 4] }, support: [{ kind: "fixed", amount: 20, upTo: false, text: "给予一次性补贴20万元。" }] };

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "policy-rules-"));
    await writeFile(join(folder, "rules-policy.md"), POLICY);
    deps = await testDeps(await database.open());
  });
  afterAll(async () => {
    await deps?.db.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("stores the rules' fingerprint with the criteria and the structure it derived", async () => {
    const summary = await ingestPaths(deps, [folder]);
    expect(summary).toMatchObject({ added: 1, rederived: 0 });
    const row = await stored();
    expect(row.criteria_rules).toBe(READING_RULES);
    expect(row.criteria.common.length).toBeGreaterThan(0);
    expect(row.structure).toEqual(structure);
  });

  it("skips an unchanged document whose criteria came from the same rules", async () => {
    await staleCriteria();
    const summary = await ingestPaths(deps, [folder], { criteriaRules: READING_RULES });
    expect(summary).toMatchObject({ unchanged: 1, updated: 0, rederived: 0 });
    expect((await stored()).criteria.common).toEqual([]);
    expect((await stored()).structure).toBeNull();
  });

  it("re-derives the criteria of an unchanged document when the rules' fingerprint differs, leaving its chunks", async () => {
    const before = await stored();
    const summary = await ingestPaths(deps, [folder], { criteriaRules: "other-rules" });
    expect(summary).toMatchObject({ unchanged: 1, updated: 0, rederived: 1 });
    const after = await stored();
    expect(after.criteria_rules).toBe("other-rules");
    expect(after.criteria.common.length).toBeGreaterThan(0);
    expect(after.structure).toEqual(structure);
    expect(after.chunks).toBe(before.chunks);
    expect(after.updated_at).toEqual(before.updated_at);
    // Once re-derived, the same fingerprint skips it again.
    expect(await ingestPaths(deps, [folder], { criteriaRules: "other-rules" })).toMatchObject({ unchanged: 1, rederived: 0 });
  });
});
