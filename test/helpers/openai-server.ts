import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fnv1a32 } from "../../src/lib/hash.js";

/**
 * A local OpenAI-compatible server on a real socket, scripted per request:
 * the project's clients (@langchain/openai) talk to it exactly as they would
 * to DeepSeek, DashScope or vLLM.
 */
export type Reply =
  /** A chat completion whose content is `text`; streamed in small pieces when the request asks to stream. */
  | { text: string; delayMs?: number; chunkDelayMs?: number }
  /** Structured output: a tool call when the request offers tools, else JSON content. */
  | { json: unknown; delayMs?: number }
  | { status: number; body?: string; headers?: Record<string, string> }
  /** 200 with a body that is not what the API promises. */
  | { raw: string; contentType?: string }
  /** Never answers. */
  | { hang: true };

export type RecordedRequest = { path: string; body: Record<string, any>; headers: IncomingMessage["headers"] };
export type Script = (req: RecordedRequest, index: number) => Reply;

export type OpenAIServer = {
  url: string;
  requests: RecordedRequest[];
  /** Responses the client closed before they were finished. */
  aborted: number;
  setScript(script: Script): void;
  /** Embedding requests (0-based, in arrival order) for which this says true get a 429. */
  refuseEmbedding?: (index: number) => boolean;
  /** Delay before each embeddings response (a slow provider). */
  embeddingDelayMs?: number;
  close(): Promise<void>;
};

export async function startOpenAIServer(script: Script = () => ({ text: "好的。" })): Promise<OpenAIServer> {
  let current = script;
  const state: OpenAIServer = {
    url: "",
    requests: [],
    aborted: 0,
    setScript: (s) => void (current = s),
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    const recorded = { path: req.url ?? "", body, headers: req.headers };
    state.requests.push(recorded);
    res.on("close", () => {
      if (!res.writableFinished) state.aborted++;
    });
    if (req.url?.endsWith("/embeddings")) {
      const index = state.requests.filter((r) => r.path.endsWith("/embeddings")).length - 1;
      if (state.refuseEmbedding?.(index)) {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "0" });
        return void res.end(JSON.stringify({ error: { message: "rate limited", type: "rate_limit" } }));
      }
      if (state.embeddingDelayMs) await sleep(state.embeddingDelayMs);
      return embeddings(res, body);
    }
    const reply = current(recorded, state.requests.length - 1);
    await respond(res, body, reply).catch(() => undefined);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function respond(res: ServerResponse, body: Record<string, any>, reply: Reply) {
  if ("hang" in reply) return;
  if ("status" in reply) {
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    return void res.end(reply.body ?? JSON.stringify({ error: { message: `status ${reply.status}`, type: "test" } }));
  }
  if ("raw" in reply) {
    res.writeHead(200, { "content-type": reply.contentType ?? (body.stream ? "text/event-stream" : "application/json") });
    return void res.end(reply.raw);
  }
  await sleep(reply.delayMs ?? 0);
  const base = { id: "chatcmpl-test", created: Math.floor(Date.now() / 1000), model: body.model ?? "test" };
  if ("json" in reply) {
    const tool = body.tools?.[0]?.function?.name;
    const message = tool
      ? { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: tool, arguments: JSON.stringify(reply.json) } }] }
      : { role: "assistant", content: JSON.stringify(reply.json) };
    res.writeHead(200, { "content-type": "application/json" });
    return void res.end(
      JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message, finish_reason: tool ? "tool_calls" : "stop" }], usage: usage() }),
    );
  }
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    return void res.end(
      JSON.stringify({
        ...base,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: reply.text }, finish_reason: "stop" }],
        usage: usage(),
      }),
    );
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const pieces = Array.from(reply.text).reduce<string[]>((acc, ch, i) => (i % 3 ? ((acc[acc.length - 1] += ch), acc) : [...acc, ch]), []);
  const event = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(event({ role: "assistant", content: "" }, null));
  for (const p of pieces) {
    if (res.destroyed) return;
    res.write(event({ content: p }, null));
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
  }
  res.write(event({}, "stop"));
  res.end("data: [DONE]\n\n");
}

const usage = () => ({ prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 });

/** Deterministic vectors: the same text always gets the same vector, similar texts share dimensions. */
function embeddings(res: ServerResponse, body: Record<string, any>) {
  const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
  const dims = body.dimensions ?? 16;
  const data = inputs.map((text, index) => {
    const v = new Array(dims).fill(0);
    for (const ch of Array.from(String(text))) v[fnv1a32(ch) % dims] += 1;
    const norm = Math.hypot(...v) || 1;
    return { object: "embedding", index, embedding: v.map((x) => x / norm) };
  });
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ object: "list", data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
}
