import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { getPolicies } from "../../src/db/policy-store.js";
import type { Deps } from "../../src/deps.js";
import { ingestDocuments, MAX_POLICY_CHARS } from "../../src/ingest/ingest.js";
import { createReindexJob } from "../../src/ingest/reindex-job.js";
import { runJob } from "../../src/job-runners.js";
import { testDatabases } from "../helpers/databases.js";
import { FIXED_TODAY, testDeps } from "../helpers/deps.js";

const LIMIT = 64 * 1024;
const enc = (s: string) => new TextEncoder().encode(s);
const NOTICE = `# 某区科技企业研发补助办法（测试）

一、申报条件
在武汉市注册的科技企业，研发投入占营业收入比例不低于3%。

二、支持标准
给予最高20万元研发补助。
`;
type JobBody = { id: string; status: string; counts: Record<string, number>; failures: Array<{ file: string; reason: string; message: string }> };

describe.each(testDatabases())("ingest limits, odd dates and paged policies ($name)", (database) => {
  let deps: Deps;
  let app: App;
  let folder: string;
  let uploads: string;
  let server: Server;
  let base = "";
  const served = new Map<string, (res: import("node:http").ServerResponse) => void>();

  beforeAll(async () => {
    deps = await testDeps(await database.open(), { UPLOAD_MAX_BYTES: String(LIMIT) });
    folder = await mkdtemp(join(tmpdir(), "pm-limits-"));
    uploads = await mkdtemp(join(tmpdir(), "pm-limits-uploads-"));
    deps.admin = { ...deps.admin, ingestRoots: [folder], uploadDir: uploads };
    app = createApp(deps);
    server = createServer((req, res) => (served.get(req.url ?? "") ?? ((r) => r.writeHead(404).end()))(res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    deps.admin = { ...deps.admin, urlPrefixes: [`${base}/policies/`] };
  });
  afterAll(async () => {
    await deps?.db.close();
    await new Promise((r) => server?.close(r));
    await rm(folder, { recursive: true, force: true });
    await rm(uploads, { recursive: true, force: true });
  });

  const waitFor = async (id: string): Promise<JobBody> => {
    await expect
      .poll(async () => ((await (await app.request(`/v1/admin/jobs/${id}`)).json()) as JobBody).status, { timeout: 30_000, interval: 50 })
      .not.toMatch(/queued|running/);
    return (await (await app.request(`/v1/admin/jobs/${id}`)).json()) as JobBody;
  };

  it("refuses a file over UPLOAD_MAX_BYTES by its size, before reading it, naming the file and the limit; the rest is indexed (CLI and re-index jobs)", async () => {
    await writeFile(join(folder, "small-notice.md"), NOTICE);
    // 5 GB on paper, nothing on disk: reading it whole would take the process down.
    const huge = join(folder, "huge-notice.txt");
    await writeFile(huge, "");
    await truncate(huge, 5 * 1024 ** 3);
    const job = await runJob(deps, (await createReindexJob(deps.db, { paths: [folder], prune: false }, FIXED_TODAY)).id);
    expect(job.counts).toMatchObject({ added: 1, failed: 1 });
    expect(job.failures).toEqual([{ file: huge, reason: "too_large", message: expect.stringContaining(huge) }]);
    expect(job.failures[0].message).toMatch(new RegExp(`5368709120 bytes .*over the limit of ${LIMIT} bytes .*UPLOAD_MAX_BYTES`));
    await rm(huge);
  });

  it("refuses a fetched document over the limit, by its Content-Length or by counting a body that does not say", async () => {
    served.set("/policies/declared.html", (res) =>
      res.writeHead(200, { "content-type": "text/html", "content-length": String(LIMIT * 4) }).end(Buffer.alloc(LIMIT * 4, 0x20)),
    );
    served.set("/policies/streamed.txt", (res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      for (let i = 0; i < 8; i++) res.write(enc(`第${i}段。${"政策".repeat(LIMIT / 24)}\n`));
      res.end();
    });
    const res = await app.request("/v1/admin/reindex", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ urls: [`${base}/policies/declared.html`, `${base}/policies/streamed.txt`] }),
    });
    expect(res.status).toBe(202);
    const job = await waitFor(((await res.json()) as JobBody).id);
    expect(job.counts).toMatchObject({ added: 0, failed: 2 });
    for (const f of job.failures) {
      expect(f.reason).toBe("too_large");
      expect(f.message).toContain(f.file);
      expect(f.message).toContain(`the limit of ${LIMIT} bytes`);
      expect(f.message).toContain("UPLOAD_MAX_BYTES");
    }
  });

  it(`refuses a policy whose text runs past ${MAX_POLICY_CHARS} characters, naming the count and the limit`, async () => {
    const sentence = "对符合条件的企业按其上一年度研发投入增量的10%给予补贴。\n";
    const over = `# 超长政策（测试）\n\n${sentence.repeat(Math.ceil((MAX_POLICY_CHARS + 1) / sentence.length))}`;
    const summary = await ingestDocuments(deps, [{ id: "test-over-cap", name: "over-cap.md", bytes: enc(over) }], { maxFileBytes: 16 * 1_048_576 });
    expect(summary.failures).toEqual([
      {
        file: "over-cap.md",
        reason: "too_large",
        message: expect.stringMatching(new RegExp(`${over.length} characters, over the limit of ${MAX_POLICY_CHARS} per policy`)),
      },
    ]);
    expect(await getPolicies(deps.db, ["test-over-cap"])).toEqual([]);
  });

  it("indexes a document that names 2026年2月30日: the impossible date is unknown, the real ones are kept", async () => {
    const text = `# 某区科技企业研发补助办法（日期测试）\n\n发布日期：2026年2月30日\n\n一、申报条件\n在武汉市注册的科技企业。\n\n二、申报时间\n申报时间：2026年2月30日至4月30日。\n\n武汉市科学技术局\n2026年2月30日\n`;
    const summary = await ingestDocuments(deps, [{ id: "test-feb-30", name: "feb-30.md", bytes: enc(text) }]);
    expect(summary).toMatchObject({ added: 1, failed: 0 });
    const [policy] = await getPolicies(deps.db, ["test-feb-30"]);
    expect(policy).toMatchObject({ publishedAt: null, applyStart: null, applyEnd: "2026-04-30", status: "active" });
    expect((await app.request("/v1/policies/test-feb-30")).status).toBe(200);
  });

  it("returns a policy's chunks a page at a time: 50 by default, ?chunkOffset&chunkLimit up to 200", async () => {
    const sections = Array.from(
      { length: 130 },
      (_, i) =>
        `第${i + 1}章 第${i + 1}项支持措施\n对在武汉市注册的科技企业，按研发投入的${(i % 9) + 1}%给予补贴，单个企业每年最高不超过${i + 10}万元，资金用于研发设备购置和人才引进。申报单位应当提交上一年度财务审计报告、研发费用专项审计报告和知识产权证明材料，并对材料真实性负责，经区科技主管部门审核后报市科技局备案。`,
    );
    await ingestDocuments(deps, [{ id: "test-many-chunks", name: "many.md", bytes: enc(`# 分章政策（测试）\n\n${sections.join("\n\n")}\n`) }], {
      maxFileBytes: 1_048_576,
    });
    type Detail = {
      chunkCount: number;
      chunks: Array<{ position: number }>;
      chunkPage: { offset: number; limit: number; total: number; nextOffset: number | null };
    };
    const first = (await (await app.request("/v1/policies/test-many-chunks")).json()) as Detail;
    expect(first.chunkCount).toBeGreaterThan(100);
    expect(first.chunks).toHaveLength(50);
    expect(first.chunkPage).toEqual({ offset: 0, limit: 50, total: first.chunkCount, nextOffset: 50 });
    const offset = first.chunkCount - 10;
    const last = (await (await app.request(`/v1/policies/test-many-chunks?chunkOffset=${offset}&chunkLimit=200`)).json()) as Detail;
    expect(last.chunks.map((c) => c.position)).toEqual(Array.from({ length: 10 }, (_, i) => offset + i));
    expect(last.chunkPage).toMatchObject({ offset, limit: 200, nextOffset: null });
    expect((await app.request("/v1/policies/test-many-chunks?chunkLimit=201")).status).toBe(400);
  });

  it("stores an upload only once its job is accepted: a refused upload (409) leaves the stored file of that name as it was", async () => {
    const first = new FormData();
    first.append("files", new Blob([enc(NOTICE)]), "上传-研发补助.md");
    const accepted = await app.request("/v1/admin/upload", { method: "POST", body: first });
    expect(accepted.status).toBe(202);
    await waitFor(((await accepted.json()) as JobBody).id);
    const stored = join(uploads, "上传-研发补助.md");
    expect(await readFile(stored, "utf8")).toBe(NOTICE);

    const live = await createReindexJob(deps.db, { paths: [folder], prune: false }, FIXED_TODAY);
    const second = new FormData();
    second.append("files", new Blob([enc(NOTICE.replace("20万元", "50万元"))]), "上传-研发补助.md");
    const refused = await app.request("/v1/admin/upload", { method: "POST", body: second });
    expect(refused.status).toBe(409);
    expect(await readFile(stored, "utf8")).toBe(NOTICE);
    expect(await readdir(uploads)).toEqual(["上传-研发补助.md"]);
    await runJob(deps, live.id);
  });

  it("takes an upload whose name is 300 characters long, storing it under a shorter unique name that keeps its extension", async () => {
    const name = `${"关于组织申报武汉市科技企业研发投入补贴的通知".repeat(14).slice(0, 297)}.md`;
    expect(name.length).toBe(300);
    const form = new FormData();
    form.append("files", new Blob([enc(NOTICE)]), name);
    const res = await app.request("/v1/admin/upload", { method: "POST", body: form });
    expect(res.status).toBe(202);
    const job = await waitFor(((await res.json()) as JobBody).id);
    expect(job).toMatchObject({ status: "done", counts: { added: 1, failed: 0 } });
    const saved = (await readdir(uploads)).find((f) => f.startsWith("关于组织申报"))!;
    expect(Buffer.byteLength(saved)).toBeLessThanOrEqual(255);
    expect(saved).toMatch(/-[0-9a-f]{10}\.md$/);
    expect((await app.request(`/v1/policies/${encodeURIComponent(saved.replace(/\.md$/, ""))}`)).status).toBe(200);
  });

  it("refuses a NUL in a job, policy or model id with a 400", async () => {
    for (const [method, path] of [
      ["GET", "/v1/admin/jobs/%00"],
      ["POST", "/v1/admin/jobs/job%00x/cancel"],
      ["GET", "/v1/admin/policies/%00/versions"],
      ["POST", "/v1/admin/policies/x%00/withdraw"],
      ["DELETE", "/v1/admin/embeddings/%00"],
      ["GET", "/v1/policies/%00"],
    ]) {
      const res = await app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(400);
    }
  });
});
