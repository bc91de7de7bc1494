import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { createWorkSlots } from "../../src/lib/work-slots.js";
import { testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const COMPANIES = JSON.parse(readFileSync(new URL("../../data/companies.json", import.meta.url), "utf8")) as Array<Record<string, unknown>>;
/** A liveness probe with a 1 s timeout must never see a healthy server as dead. */
const PROBE_TIMEOUT_MS = 1_000;
/** Typically it answers far sooner; the median leaves room for a busy 2-core machine. */
const TYPICAL_MS = 250;
const CONCURRENT_MATCHES = 8;

describe.each(testDatabases())("/health while /v1/match is busy ($name)", (database) => {
  let deps: Deps;
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    deps = await testDeps(await database.open());
    expect((await ingestPaths(deps, [DEMO])).failed).toBe(0);
    server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await deps?.db.close();
  });

  const health = async () => {
    const started = performance.now();
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", policies: expect.any(Number) });
    return performance.now() - started;
  };

  it(`answers /health within a 1 s liveness timeout, typically within ${TYPICAL_MS} ms, while ${CONCURRENT_MATCHES} matches run at once`, async () => {
    await health();
    let stop = false;
    let matched = 0;
    const load = Array.from({ length: CONCURRENT_MATCHES }, async (_, i) => {
      while (!stop) {
        const res = await fetch(`${base}/v1/match`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ profile: COMPANIES[i % COMPANIES.length], filters: { includeIneligible: true, includeExpired: true }, limit: 50 }),
        });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        matched++;
      }
    });
    const latencies: number[] = [];
    try {
      // Let the load build up, then probe as a liveness check would.
      await expect.poll(() => matched, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(CONCURRENT_MATCHES);
      for (let i = 0; i < 12; i++) {
        latencies.push(await health());
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      stop = true;
      await Promise.all(load);
    }
    expect(matched).toBeGreaterThan(CONCURRENT_MATCHES);
    const shown = latencies.map((l) => l.toFixed(0)).join(" ");
    expect(Math.max(...latencies), shown).toBeLessThan(PROBE_TIMEOUT_MS);
    expect([...latencies].sort((a, b) => a - b)[Math.floor(latencies.length / 2)], shown).toBeLessThan(TYPICAL_MS);
  });
});

describe.each(testDatabases())("admission: REQUEST_CONCURRENCY requests at once ($name)", (database) => {
  it("holds a request past the limit at the door until one finishes, while /health never waits", async () => {
    const base = await testDeps(await database.open());
    const requestSlots = createWorkSlots(1);
    const app = createApp({ ...base, requestSlots });
    try {
      // The one slot taken, as by a request still being served.
      let release!: () => void;
      const held = requestSlots.run(() => new Promise<void>((r) => (release = r)));
      expect((await app.request("/health")).status).toBe(200);
      let answered = false;
      const waiting = Promise.resolve(app.request("/v1/policies")).then((res) => ((answered = true), res));
      await new Promise((r) => setTimeout(r, 200));
      expect(answered).toBe(false);
      expect(requestSlots.waiting).toBe(1);
      release();
      await held;
      expect((await waiting).status).toBe(200);
    } finally {
      await base.db.close();
    }
  });
});
