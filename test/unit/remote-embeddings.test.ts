import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RemoteEmbeddings } from "../../src/llm/embeddings.js";

type Refusal = { status: number; headers?: Record<string, string>; error: { message: string; type: string; code?: string } };

/** An embeddings endpoint that refuses the first `refusals.length` calls as given, then answers. */
async function provider(refusals: Refusal[]): Promise<{ url: string; calls: () => number; server: Server }> {
  let calls = 0;
  const answer = { object: "list", data: [{ object: "embedding", index: 0, embedding: [0.6, 0.8] }], model: "m", usage: { prompt_tokens: 1, total_tokens: 1 } };
  const server = createServer(async (req, res) => {
    for await (const _ of req);
    const refusal = refusals[calls++];
    const [status, headers, body] = refusal ? [refusal.status, refusal.headers, { error: refusal.error }] : [200, {}, answer];
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, calls: () => calls, server };
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});
const embedder = (url: string) => new RemoteEmbeddings({ model: "m", baseURL: url, dimensions: 2, batchSize: 8, timeoutMs: 5_000, maxRetries: 3 });

describe("remote embeddings' retries", () => {
  it("retries a 429 that says when to come back, and counts the retry", async () => {
    const p = await provider([{ status: 429, headers: { "retry-after": "0" }, error: { message: "rate limited", type: "rate_limit" } }]);
    servers.push(p.server);
    const e = embedder(p.url);
    expect(await e.embedQuery("高企")).toEqual([0.6, 0.8]);
    expect(p.calls()).toBe(2);
    expect(e.retries).toBe(1);
  });

  it("does not retry a 429 for a spent quota: waiting cannot bring it back", async () => {
    const p = await provider([
      {
        status: 429,
        headers: { "retry-after": "0" },
        error: { message: "You exceeded your current quota", type: "insufficient_quota", code: "insufficient_quota" },
      },
    ]);
    servers.push(p.server);
    const e = embedder(p.url);
    await expect(e.embedQuery("高企")).rejects.toMatchObject({ status: 429 });
    expect(p.calls()).toBe(1);
    expect(e.retries).toBe(0);
  });
});
