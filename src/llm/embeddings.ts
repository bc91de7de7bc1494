import { Embeddings } from "@langchain/core/embeddings";
import { classifyRateLimitError } from "@langchain/core/utils/async_caller";
import { OpenAIEmbeddings } from "@langchain/openai";
import { fnv1a32 } from "../lib/hash.js";
import { retryAfterMs } from "../lib/retry-after.js";
import type { Analyzer } from "../retrieval/analyzer.js";
import { expandQuery } from "../retrieval/lexicon.js";

/** What the rest of the code needs of an embedder; LangChain's Embeddings with a stable model name. */
export type Embedder = Embeddings & {
  readonly modelName: string;
  readonly dimensions: number | undefined;
  /** Calls retried after a 429, a 5xx or a dropped connection, since start (remote embedders). */
  readonly retries?: number;
  /** Texts one embedDocuments call sends at once (batch size × batches in flight); remote embedders. */
  readonly wave?: number;
  /**
   * Computed here, without a model (feature hashing of the same words the lexical index holds). Its vectors
   * are written and can be searched, but questions are not fused with them by default: they add nothing the
   * lexical path has not found (the eval's ablation, both halves).
   */
  readonly offline?: boolean;
};

const DEFAULT_IDF = 12;
const BIGRAM_WEIGHT = 0.5;

/**
 * Offline, deterministic embedder: jieba words weighted by jieba's corpus idf,
 * Han bigrams and policy-domain synonym expansions, feature-hashed (signed)
 * into a dense vector and L2-normalised. No model weights, no network.
 */
export class LocalHashEmbeddings extends Embeddings implements Embedder {
  readonly modelName: string;
  readonly offline = true;
  private readonly idf: Map<string, number>;

  /** `idf` is jieba's idf.txt (word and weight per line), as shipped with @node-rs/jieba. */
  constructor(
    private readonly analyzer: Analyzer,
    idf: Uint8Array,
    readonly dimensions = 1024,
  ) {
    super({});
    this.modelName = `local-hash-v1-${dimensions}`;
    this.idf = parseIdf(idf);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  embed(text: string): number[] {
    const v = new Float64Array(this.dimensions);
    const add = (feature: string, weight: number) => {
      const h = fnv1a32(feature);
      v[h % this.dimensions] += (h & 0x80000000 ? -1 : 1) * weight;
    };
    const expanded = `${text}\n${expandQuery(text).join(" ")}`;
    const counts = new Map<string, number>();
    for (const term of this.analyzer.terms(expanded)) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      const isBigram = term.startsWith("~");
      const w = isBigram ? BIGRAM_WEIGHT * DEFAULT_IDF * 0.6 : (this.idf.get(term) ?? DEFAULT_IDF);
      add(term, (1 + Math.log(tf)) * w);
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }
}

function parseIdf(buf: Uint8Array): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of new TextDecoder().decode(buf).split("\n")) {
    const sp = line.lastIndexOf(" ");
    if (sp > 0) map.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return map;
}

export type RemoteEmbeddingConfig = {
  model: string;
  baseURL: string;
  apiKey?: string;
  dimensions?: number;
  batchSize: number;
  timeoutMs: number;
  /** Batches in flight at once. */
  concurrency?: number;
  /** Tries after the first, per batch. */
  maxRetries?: number;
};

/**
 * Any OpenAI-compatible embeddings endpoint (bge-m3 via SiliconFlow,
 * text-embedding-v3 via DashScope, Ollama, vLLM). Batches go out a few at a
 * time; a batch refused with 429 or 5xx, or cut off, is retried with
 * exponential backoff (honouring Retry-After), and the retries are counted so
 * a re-index can report them. A 429 for a spent quota is not retried.
 */
export class RemoteEmbeddings extends Embeddings implements Embedder {
  readonly modelName: string;
  readonly dimensions: number | undefined;
  retries = 0;
  readonly wave: number;
  private readonly client: OpenAIEmbeddings;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly maxRetries: number;

  constructor(config: RemoteEmbeddingConfig) {
    super({});
    this.modelName = `openai:${config.model}`;
    this.dimensions = config.dimensions;
    this.batchSize = config.batchSize;
    this.concurrency = config.concurrency ?? 2;
    this.maxRetries = config.maxRetries ?? 6;
    this.wave = this.batchSize * this.concurrency;
    this.client = new OpenAIEmbeddings({
      model: config.model,
      apiKey: config.apiKey || "not-needed",
      dimensions: config.dimensions,
      // Batching and retries are done here, where they can be counted.
      batchSize: Math.max(config.batchSize, 1),
      timeout: config.timeoutMs,
      maxRetries: 0,
      // Servers that ignore base64 return floats the client would misread.
      encodingFormat: "float",
      configuration: { baseURL: config.baseURL },
    });
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) batches.push(texts.slice(i, i + this.batchSize));
    const out: number[][][] = new Array(batches.length);
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const i = next++;
        out[i] = await this.withRetries(() => this.client.embedDocuments(batches[i]));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batches.length) }, worker));
    return out.flat();
  }

  embedQuery(text: string): Promise<number[]> {
    return this.withRetries(() => this.client.embedQuery(text));
  }

  /*
   * Not @langchain/core's AsyncCaller, whose backoff (p-retry) cannot be set: it waits at least 1 s, doubling
   * without a cap, even after "Retry-After: 0", and gives up on a 429 that names no Retry-After or one over 60 s.
   * Here a query's embedding is retried within seconds and such a 429 is waited out; AsyncCaller's own reading
   * of a 429 (classifyRateLimitError) decides when waiting cannot help: a spent quota or an unpaid bill.
   */
  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        const e = err as { status?: number; message?: string; headers?: Record<string, string> | Headers };
        const transient =
          (e.status === 429 && classifyRateLimitError(err)?.action !== "stop") ||
          (e.status ?? 0) >= 500 ||
          (e.status === undefined && /connect|ECONNRESET|socket|network|fetch failed|timed? ?out/i.test(e.message ?? ""));
        if (!transient || attempt >= this.maxRetries) throw err;
        this.retries++;
        const after = retryAfterMs(e.headers);
        const backoff = Math.min(5000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2);
        await new Promise((r) => setTimeout(r, after !== undefined && after > 0 ? Math.min(after, 30_000) : backoff));
      }
    }
  }
}
