import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { urlAllowed } from "../../src/admin/reindex-request.js";
import { type App, createApp } from "../../src/app.js";
import { getPolicies, getPolicyVersions } from "../../src/db/policy-store.js";
import type { Deps } from "../../src/deps.js";
import { ingestDocuments, ingestPaths, urlPolicyId } from "../../src/ingest/ingest.js";
import { createReindexJob } from "../../src/ingest/reindex-job.js";
import { resumeJobs, runJob } from "../../src/job-runners.js";
import { JOB_STALE_MS } from "../../src/jobs/queue.js";
import { testDatabases } from "../helpers/databases.js";
import { FIXED_TODAY, testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const post = (body?: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: body === undefined ? undefined : JSON.stringify(body),
});
type JobBody = { id: string; status: string; done: number; total: number; counts: Record<string, number>; attempts: number; failures: unknown[] };
type ErrorBody = { error: { code: string; message: string } };

describe.each(testDatabases())("staff re-indexing jobs ($name)", (database) => {
  let deps: Deps;
  let app: App;
  let library: string;
  let files: string[];

  beforeAll(async () => {
    library = await mkdtemp(join(tmpdir(), "pm-library-"));
    files = (await readdir(DEMO))
      .filter((f) => /\.(md|txt|html|docx|pdf)$/.test(f))
      .sort()
      .slice(0, 8);
    for (const f of files) await cp(join(DEMO, f), join(library, f));
    deps = await testDeps(await database.open());
    deps.admin = { ...deps.admin, ingestRoots: [library] };
    app = createApp(deps);
  });
  afterAll(async () => {
    await deps?.db.close();
    await rm(library, { recursive: true, force: true });
  });

  const waitFor = (id: string) =>
    vi.waitFor(
      async () => {
        const job = (await (await app.request(`/v1/admin/jobs/${id}`)).json()) as JobBody;
        if (["queued", "running"].includes(job.status)) throw new Error(`job ${id} did not finish: ${job.status}`);
        return job;
      },
      { timeout: 30_000, interval: 100 },
    );

  it("runs a re-index as a job whose progress and counts can be followed", async () => {
    const res = await app.request("/v1/admin/reindex", post({}));
    expect(res.status).toBe(202);
    const queued = (await res.json()) as JobBody;
    expect(queued.id).toMatch(/^job_/);
    const job = await waitFor(queued.id);
    expect(job).toMatchObject({ status: "done", done: files.length, total: files.length, counts: { added: files.length, failed: 0 }, attempts: 1 });
    const again = await waitFor(((await (await app.request("/v1/admin/reindex", post({}))).json()) as JobBody).id);
    expect(again.counts).toMatchObject({ added: 0, unchanged: files.length });
    const list = (await (await app.request("/v1/admin/jobs")).json()) as { items: JobBody[] };
    expect(list.items.map((j) => j.id).slice(0, 2)).toEqual([again.id, queued.id]);
  });

  it("refuses a second re-index while one is live, naming it, and nothing is indexed twice", async () => {
    const live = await createReindexJob(deps.db, { paths: [library], prune: true }, FIXED_TODAY);
    const res = await app.request("/v1/admin/reindex", post({}));
    expect(res.status).toBe(409);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("conflict");
    expect(body.error.message).toContain(live.id);
    const finished = await runJob(deps, live.id);
    expect(finished.status).toBe("done");
    const next = await app.request("/v1/admin/reindex", post({}));
    expect(next.status).toBe(202);
    expect((await waitFor(((await next.json()) as JobBody).id)).counts).toMatchObject({ added: 0, unchanged: files.length });
  });

  it("resumes a job a dead process left running: policies stored before are skipped, the rest indexed", async () => {
    const fresh = await mkdtemp(join(tmpdir(), "pm-resume-"));
    try {
      for (const f of files) await cp(join(DEMO, f), join(fresh, f.replace(/^/, "copy-")));
      deps.admin = { ...deps.admin, ingestRoots: [library, fresh] };
      // The dead run got through three files, each stored whole, before it was killed.
      await ingestPaths(
        deps,
        files.slice(0, 3).map((f) => join(fresh, `copy-${f}`)),
      );
      const job = await createReindexJob(deps.db, { paths: [fresh], prune: false }, FIXED_TODAY);
      await deps.db.query("UPDATE jobs SET status = 'running', attempts = 1, done = 3, started_at = $2 WHERE id = $1", [job.id, FIXED_TODAY.toISOString()]);
      const [resumed] = await resumeJobs(deps);
      expect(resumed).toMatchObject({ id: job.id, status: "done", attempts: 2, counts: { unchanged: 3, added: files.length - 3, failed: 0 } });
    } finally {
      deps.admin = { ...deps.admin, ingestRoots: [library] };
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it("takes over a job only when its process stopped beating (several processes share the jobs)", async () => {
    const job = await createReindexJob(deps.db, { paths: [library], prune: false }, FIXED_TODAY);
    // Another process runs it and beats: it is left alone.
    await deps.db.query("UPDATE jobs SET status = 'running', attempts = 1, heartbeat_at = now() WHERE id = $1", [job.id]);
    expect(await resumeJobs(deps, JOB_STALE_MS)).toEqual([]);
    // That process died two minutes ago: the job is taken over, once.
    await deps.db.query("UPDATE jobs SET heartbeat_at = now() - interval '2 minutes' WHERE id = $1", [job.id]);
    const [taken, again] = await Promise.all([resumeJobs(deps, JOB_STALE_MS), resumeJobs(deps, JOB_STALE_MS)]);
    expect([...taken, ...again]).toEqual([expect.objectContaining({ id: job.id, status: "done", attempts: 2 })]);
  });

  it("stops a cancelled job between documents, keeping what it stored", async () => {
    const job = await createReindexJob(deps.db, { paths: [DEMO], prune: false }, FIXED_TODAY);
    const res = await app.request(`/v1/admin/jobs/${job.id}/cancel`, post());
    expect(res.status).toBe(200);
    const done = await runJob(deps, job.id);
    expect(done.status).toBe("cancelled");
    expect(done.done).toBeLessThan(30);
    expect((await app.request(`/v1/admin/jobs/${job.id}/cancel`, post())).status).toBe(409);
  });

  it("takes uploaded files as one job: readable ones indexed, a broken PDF reported with its reason, an oversize upload refused", async () => {
    const uploads = await mkdtemp(join(tmpdir(), "pm-uploads-"));
    try {
      deps.admin = { ...deps.admin, uploadDir: uploads };
      const form = new FormData();
      form.append("files", new Blob([await readFile(join(DEMO, "wh-tech-insurance-2026.md"))]), "上传-科技保险.md");
      form.append("files", new Blob([new TextEncoder().encode("%PDF-1.7 broken")]), "broken.pdf");
      const res = await app.request("/v1/admin/upload", { method: "POST", body: form });
      expect(res.status).toBe(202);
      const job = await waitFor(((await res.json()) as JobBody).id);
      expect(job.counts).toMatchObject({ added: 1, failed: 1 });
      expect(job.failures).toEqual([expect.objectContaining({ reason: "corrupt", message: expect.stringMatching(/PDF/) })]);
      expect((await app.request("/v1/policies/上传-科技保险")).status).toBe(200);

      const wrong = new FormData();
      wrong.append("files", new Blob(["x"]), "../../etc/passwd.exe");
      expect((await app.request("/v1/admin/upload", { method: "POST", body: wrong })).status).toBe(400);
      const big = new FormData();
      big.append("files", new Blob([new Uint8Array(deps.limits.uploadMaxBytes + 1024)]), "big.pdf");
      const tooBig = await app.request("/v1/admin/upload", { method: "POST", body: big });
      expect(tooBig.status).toBe(413);
      expect(((await tooBig.json()) as ErrorBody).error.code).toBe("payload_too_large");
    } finally {
      await rm(uploads, { recursive: true, force: true });
    }
  });

  it("refuses paths outside the allowed roots", async () => {
    const res = await app.request("/v1/admin/reindex", post({ paths: ["/etc"] }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/ADMIN_INGEST_ROOTS/);
  });

  it("keeps the version a re-index replaces, and shows what changed; a deleted policy keeps its history", async () => {
    const file = files.find((f) => f.endsWith(".md"))!;
    const id = file.replace(/\.md$/, "");
    const path = join(library, file);
    const text = await readFile(path, "utf8");
    await writeFile(path, `${text}\n\n五、补充说明\n本通知自发布之日起施行，试行期两年。\n`);
    const job = await waitFor(((await (await app.request("/v1/admin/reindex", post({}))).json()) as JobBody).id);
    expect(job.counts).toMatchObject({ updated: 1 });
    type Versions = {
      current: { title: string } | null;
      versions: Array<{ version: number; chunkCount: number }>;
      diff: { against: number; added: string[]; removed: string[] } | null;
    };
    const body = (await (await app.request(`/v1/admin/policies/${id}/versions`)).json()) as Versions;
    expect(body.versions.map((v) => v.version)).toEqual([1]);
    expect(body.versions[0].chunkCount).toBeGreaterThan(0);
    expect(body.diff!.added).toEqual(expect.arrayContaining(["本通知自发布之日起施行，试行期两年。"]));
    expect(body.diff!.removed).toEqual([]);
    // Gone from the folder: pruned, with its history kept.
    await rm(path);
    await waitFor(((await (await app.request("/v1/admin/reindex", post({}))).json()) as JobBody).id);
    const gone = (await (await app.request(`/v1/admin/policies/${id}/versions`)).json()) as Versions;
    expect(gone.current).toBeNull();
    expect(gone.versions.map((v) => v.version)).toEqual([2, 1]);
    await writeFile(path, text);
  });

  it("re-indexes while /v1/chat is under load: no errors, and no answer mixes two versions of a policy", async () => {
    const file = join(library, "wh-gaoqi-reward-2026.md");
    await cp(join(DEMO, "wh-gaoqi-reward-2026.md"), file);
    await waitFor(((await (await app.request("/v1/admin/reindex", post({}))).json()) as JobBody).id);
    const original = await readFile(file, "utf8");
    const seen = { old: 0, new: 0 };
    const errors: string[] = [];
    let editing = true;
    const load = async () => {
      while (editing) {
        // In-process requests on PGlite can resolve without ever leaving the microtask queue: yield, as sockets would.
        await new Promise((r) => setImmediate(r));
        const res = await app.request("/v1/chat", post({ question: "武汉高新技术企业认定奖励多少钱？" }));
        if (res.status !== 200) errors.push(`${res.status} ${await res.text()}`);
        const body = (await res.json()) as { policies: Array<{ id: string; support: string | null; citations: Array<{ quote: string }> }> };
        const card = body.policies.find((p) => p.id === "wh-gaoqi-reward-2026");
        if (!card) continue;
        const text = [card.support ?? "", ...card.citations.map((c) => c.quote)].join("\n");
        const hasOld = text.includes("一次性奖励30万元"),
          hasNew = text.includes("一次性奖励35万元");
        if (hasOld && hasNew) errors.push("one answer quotes both versions");
        if (hasOld) seen.old++;
        if (hasNew) seen.new++;
      }
    };
    const clients = [load(), load(), load()];
    for (const amount of ["35万元", "30万元", "35万元"]) {
      await writeFile(file, original.replace("一次性奖励30万元", `一次性奖励${amount}`));
      await waitFor(((await (await app.request("/v1/admin/reindex", post({}))).json()) as JobBody).id);
    }
    editing = false;
    await Promise.all(clients);
    expect(errors).toEqual([]);
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
    await writeFile(file, original);
  });

  it("expires a policy on its valid-until date: out of matching, still readable", async () => {
    const doc = (validUntil: string) =>
      new TextEncoder().encode(
        `---\ntitle: 某区科技企业研发补助（测试）\nregion: 湖北省武汉市\nvalid_until: ${validUntil}\n---\n# 某区科技企业研发补助（测试）\n\n一、申报条件\n在武汉市注册的科技企业。\n\n二、支持标准\n给予最高20万元研发补助。\n`,
      );
    await ingestDocuments(deps, [{ id: "test-expiring", name: "expiring.md", bytes: doc("2026-11-25") }]);
    const match = async () =>
      (
        (await (await app.request("/v1/match", post({ profile: { region: { city: "武汉市" } }, limit: 50 }))).json()) as { policies: Array<{ id: string }> }
      ).policies.map((p) => p.id);
    expect(await match()).toContain("test-expiring");
    deps.clock = { now: () => new Date("2026-12-01T08:00:00Z") };
    try {
      // The next run (or the server's hourly sweep) retires it.
      await runJob(deps, (await createReindexJob(deps.db, { paths: [library], prune: false }, deps.clock.now())).id);
      expect(await match()).not.toContain("test-expiring");
      expect(((await (await app.request("/v1/policies/test-expiring")).json()) as { status: string }).status).toBe("expired");
    } finally {
      deps.clock = { now: () => FIXED_TODAY };
    }
  });

  it("withdraws a policy: it leaves answers at once and stays readable", async () => {
    const ask = async () =>
      (
        (await (await app.request("/v1/chat", post({ question: "武汉高新技术企业认定奖励多少钱？" }))).json()) as { policies: Array<{ id: string }> }
      ).policies.map((p) => p.id);
    const before = await ask();
    expect(before.length).toBeGreaterThan(0);
    const target = before[0];
    expect((await app.request(`/v1/admin/policies/${target}/withdraw`, post())).status).toBe(200);
    expect(await ask()).not.toContain(target);
    const one = (await (await app.request(`/v1/policies/${target}`)).json()) as { status: string };
    expect(one.status).toBe("withdrawn");
    expect((await app.request("/v1/admin/policies/no-such-policy/withdraw", post())).status).toBe(404);
  });
});

describe.each(testDatabases())("re-indexing chosen policies and URLs ($name)", (database) => {
  let deps: Deps;
  let app: App;
  let server: Server;
  let base = "";
  let noticeId = "";
  const served = new Map<string, { status: number; type?: string; body?: string | Uint8Array; location?: string }>();

  beforeAll(async () => {
    deps = await testDeps(await database.open());
    app = createApp(deps);
    server = createServer((req, res) => {
      const page = served.get(req.url ?? "");
      if (!page) return void res.writeHead(404).end("not found");
      res.writeHead(page.status, { ...(page.type ? { "content-type": page.type } : {}), ...(page.location ? { location: page.location } : {}) });
      res.end(page.body ?? "");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    deps.admin = { ...deps.admin, urlPrefixes: [`${base}/policies/`] };
  });
  afterAll(async () => {
    await deps?.db.close();
    await new Promise((r) => server?.close(r));
  });

  const waitFor = (id: string) =>
    vi.waitFor(
      async () => {
        const job = (await (await app.request(`/v1/admin/jobs/${id}`)).json()) as Omit<JobBody, "failures"> & {
          failures: Array<{ file: string; reason: string }>;
        };
        if (["queued", "running"].includes(job.status)) throw new Error(`job ${id} did not finish: ${job.status}`);
        return job;
      },
      { timeout: 15_000, interval: 50 },
    );
  const reindex = async (body: unknown) => {
    const res = await app.request("/v1/admin/reindex", post(body));
    expect(res.status).toBe(202);
    return waitFor(((await res.json()) as JobBody).id);
  };

  it("fetches policies from allowed URLs, reporting the ones that fail, and refuses URLs outside the prefixes", async () => {
    const html = await readFile(join(DEMO, (await readdir(DEMO)).find((f) => f.endsWith(".html"))!));
    served.set("/policies/notice-2026-17.html", { status: 200, type: "text/html; charset=utf-8", body: html });
    // A CMS address with no extension: the content type gives the format.
    served.set("/policies/content?id=88", { status: 200, type: "text/html", body: html });
    served.set("/policies/content?id=89", { status: 200, type: "text/html", body: html });
    served.set("/policies/moved.html", { status: 302, location: "https://example.com/elsewhere.html" });
    const job = await reindex({
      urls: [
        `${base}/policies/notice-2026-17.html`,
        `${base}/policies/content?id=88`,
        `${base}/policies/content?id=89`,
        `${base}/policies/gone.html`,
        `${base}/policies/moved.html`,
      ],
    });
    // ?id=88 and ?id=89 are two documents: the id hashes the whole URL.
    expect(job.counts).toMatchObject({ added: 3, failed: 2 });
    expect(job.failures.map((f) => [f.file.replace(base, ""), f.reason])).toEqual([
      ["/policies/gone.html", "fetch_failed"],
      ["/policies/moved.html", "fetch_failed"],
    ]);
    noticeId = urlPolicyId(`${base}/policies/notice-2026-17.html`);
    expect(noticeId).toMatch(/^notice-2026-17-[a-z0-9]+$/);
    const [policy] = await getPolicies(deps.db, [noticeId]);
    expect(policy.sourceFile).toBe(`${base}/policies/notice-2026-17.html`);

    // User-info and ../ tricks that comparing strings would let through.
    expect(urlAllowed("https://kjj.wuhan.gov.cn@127.0.0.1/x.html", ["https://kjj.wuhan.gov.cn"])).toBe(false);
    expect(urlAllowed("https://kjj.wuhan.gov.cn.evil.cn/zcfg/x.html", ["https://kjj.wuhan.gov.cn"])).toBe(false);
    expect(urlAllowed("https://kjj.wuhan.gov.cn/zcfg/../admin/x.html", ["https://kjj.wuhan.gov.cn/zcfg/"])).toBe(false);
    expect(urlAllowed("https://kjj.wuhan.gov.cn/zcfg/2026/x.html", ["https://kjj.wuhan.gov.cn/zcfg/"])).toBe(true);
    for (const urls of [["http://127.0.0.1:1/policies/x.html"], [`${base}/private/x.html`], ["file:///etc/passwd"], [`${base}/policies/../private/x.html`]]) {
      const res = await app.request("/v1/admin/reindex", post({ urls }));
      expect(res.status).toBe(400);
    }
    const saved = deps.admin.urlPrefixes;
    deps.admin = { ...deps.admin, urlPrefixes: [] };
    const off = await app.request("/v1/admin/reindex", post({ urls: [`${base}/policies/notice-2026-17.html`] }));
    deps.admin = { ...deps.admin, urlPrefixes: saved };
    expect(off.status).toBe(400);
    expect(((await off.json()) as ErrorBody).error.message).toContain("ADMIN_URL_PREFIXES");
  });

  it("re-indexes chosen policies by id: only changed ones unless forced, from their file or URL", async () => {
    await ingestPaths(deps, [DEMO]);
    const [first] = (await readdir(DEMO)).filter((f) => f.endsWith(".md")).sort();
    const id = first.replace(/\.md$/, "");
    expect(await reindex({ ids: [id, noticeId] })).toMatchObject({ status: "done", total: 2, counts: { unchanged: 2, updated: 0 } });
    const forced = await reindex({ ids: [id, noticeId], force: true });
    expect(forced).toMatchObject({ status: "done", counts: { updated: 2, unchanged: 0, removed: 0 } });
    // A forced re-index of the same content keeps no new version: nothing changed.
    expect((await getPolicyVersions(deps.db, id)).length).toBe(0);
    const missing = await app.request("/v1/admin/reindex", post({ ids: [id, "no-such-policy"] }));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.message).toContain("no-such-policy");
  });
});
