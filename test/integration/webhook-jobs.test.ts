import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { type Db, openDb } from "../../src/db/index.js";
import { openScratchPostgres } from "../../src/db/scratch.js";
import { insertNotification, queueDeliveries } from "../../src/db/subscription-store.js";
import type { Deps } from "../../src/deps.js";
import { resumeJobs } from "../../src/job-runners.js";
import { getJob, queueJobs } from "../../src/jobs/queue.js";
import { testDatabases } from "../helpers/databases.js";
import { FIXED_TODAY, testDeps } from "../helpers/deps.js";

/** A receiver that records each delivery id it is sent and answers as `answer` says (undefined: never). */
async function receiver() {
  const r = {
    seen: [] as string[],
    answer: (() => 200) as () => number | undefined,
    url: "",
    server: createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on("end", () => {
        r.seen.push(String(req.headers["x-policy-match-delivery"]));
        const status = r.answer();
        if (status !== undefined) res.writeHead(status).end();
      });
    }),
  };
  await new Promise<void>((ok) => r.server.listen(0, "127.0.0.1", ok));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/hook`;
  return r;
}

const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
type Log = { items: Array<{ notificationId: number; status: string; attempts: number; lastStatus: number | null; nextAttemptAt: string | null }> };

/** A notification for the subscription and its delivery job, queued as ingest queues them; returns the job id. */
async function queueDelivery(db: Db, subscriptionId: string, policyId: string): Promise<string> {
  return db.transaction(async (tx) => {
    const notificationId = (await insertNotification(tx, {
      tenantId: "public",
      externalId: "member-0",
      policyId,
      policyHash: "h1",
      verdict: "eligible",
      payload: { event: "policy.matched", company: "member-0", policy: { id: policyId } },
    }))!;
    const [jobId] = await queueJobs(tx, "webhook", [{ notificationId, subscriptionId }], FIXED_TODAY);
    await queueDeliveries(tx, notificationId, [{ subscriptionId, jobId }]);
    return jobId;
  });
}

describe.each(testDatabases())("webhook deliveries as jobs of the one job runner ($name)", (database) => {
  let deps: Deps;
  let app: App;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let subscriptionId: string;
  let n = 0;
  const nextPolicy = () => `policy-${++n}`;
  const log = async () => (await (await app.request(`/v1/subscriptions/${subscriptionId}/deliveries`)).json()) as Log;

  beforeAll(async () => {
    hook = await receiver();
    deps = await testDeps(await database.open(), { WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_RETRY_BASE_MS: "40", WEBHOOK_TIMEOUT_MS: "10000" });
    app = createApp(deps);
    const res = await app.request("/v1/subscriptions", post({ url: hook.url }));
    expect(res.status).toBe(201);
    subscriptionId = ((await res.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await deps?.db.query("DELETE FROM subscriptions");
    await deps?.db.close();
    hook.server.closeAllConnections();
    hook.server.close();
  });

  it("takes over a delivery whose process died mid-attempt and sends it once, the lost attempt counted", async () => {
    const job = await queueDelivery(deps.db, subscriptionId, nextPolicy());
    // A process claimed it (attempt 1) and died two minutes ago without recording anything.
    await deps.db.query("UPDATE jobs SET status = 'running', attempts = 1, heartbeat_at = now() - interval '2 minutes' WHERE id = $1", [job]);
    const before = hook.seen.length;
    await resumeJobs(deps, 45_000);
    await expect.poll(async () => (await getJob(deps.db, job))?.status, { timeout: 10_000 }).toBe("done");
    expect(hook.seen.length - before).toBe(1);
    expect((await log()).items[0]).toMatchObject({ status: "delivered", attempts: 2, lastStatus: 200, nextAttemptAt: null });
  });

  it("retries with doubling delays and fails the job and the delivery after WEBHOOK_MAX_ATTEMPTS", async () => {
    const saved = deps.webhooks!;
    deps.webhooks = { ...saved, maxAttempts: 3 };
    hook.answer = () => 503;
    try {
      const job = await queueDelivery(deps.db, subscriptionId, nextPolicy());
      deps.jobs!.kick();
      await expect.poll(async () => (await getJob(deps.db, job))?.status, { timeout: 10_000 }).toBe("failed");
      expect(await getJob(deps.db, job)).toMatchObject({ attempts: 3, error: "HTTP 503" });
      expect((await log()).items[0]).toMatchObject({ status: "failed", attempts: 3, lastStatus: 503, nextAttemptAt: null });
    } finally {
      deps.webhooks = saved;
      hook.answer = () => 200;
    }
  });

  it("hands a delivery still under way back when draining runs out of time: queued at once, its attempt not counted, sent next time", async () => {
    hook.answer = () => undefined;
    const job = await queueDelivery(deps.db, subscriptionId, nextPolicy());
    const before = hook.seen.length;
    deps.jobs!.kick();
    await expect.poll(() => hook.seen.length, { timeout: 10_000 }).toBe(before + 1);
    expect(await deps.jobs!.drain(200)).toBe(false);
    expect(await getJob(deps.db, job)).toMatchObject({ status: "queued", attempts: 0 });
    expect((await log()).items[0]).toMatchObject({ status: "pending", attempts: 0 });

    hook.answer = () => 200;
    deps.jobs!.kick();
    await expect.poll(async () => (await getJob(deps.db, job))?.status, { timeout: 10_000 }).toBe("done");
    expect((await log()).items[0]).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("calls off the deliveries not yet sent when the subscription is deleted, and leaves them out of the staff job list", async () => {
    const other = ((await (await app.request("/v1/subscriptions", post({ url: hook.url }))).json()) as { id: string }).id;
    // Due in an hour: nothing sends it before the unsubscribe.
    const job = await queueDelivery(deps.db, other, nextPolicy());
    await deps.db.query("UPDATE jobs SET run_after = now() + interval '1 hour' WHERE id = $1", [job]);
    const listed = (await (await app.request("/v1/admin/jobs")).json()) as { items: Array<{ kind: string }> };
    expect(listed.items.filter((j) => j.kind === "webhook")).toEqual([]);
    expect((await app.request(`/v1/subscriptions/${other}`, { method: "DELETE" })).status).toBe(200);
    expect(await getJob(deps.db, job)).toMatchObject({ status: "cancelled" });
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("webhook deliveries shared by several processes (postgres)", () => {
  it("sends each delivery once when two processes run their job pools against one database", async () => {
    const hook = await receiver();
    const first = await openScratchPostgres(process.env.TEST_DATABASE_URL!);
    const second = await openDb({ dataDir: "", databaseUrl: first.url });
    const env = { WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_TIMEOUT_MS: "10000" };
    const a = await testDeps(first, env);
    const b = await testDeps(second, env);
    try {
      const sub = (await (await createApp(a).request("/v1/subscriptions", post({ url: hook.url }))).json()) as { id: string };
      const jobs: string[] = [];
      for (let i = 0; i < 40; i++) jobs.push(await queueDelivery(first, sub.id, `policy-${i}`));
      a.jobs!.kick();
      b.jobs!.kick();
      await expect
        .poll(async () => (await first.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE status = 'delivered'")).rows[0].n, {
          timeout: 20_000,
        })
        .toBe(40);
      expect(hook.seen.length).toBe(40);
      expect(new Set(hook.seen).size).toBe(40);
    } finally {
      await second.close();
      await first.close();
      hook.server.closeAllConnections();
      hook.server.close();
    }
  });
});
