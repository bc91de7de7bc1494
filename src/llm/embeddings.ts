import { Embeddings } from "@langchain/core/embeddings";
import { OpenAIEmbeddings } from "@langchain/openai";
import { idf as jiebaIdf } from "@node-rs/jieba/dict";
import { fnv1a32 } from "../lib/hash.js";
import type { Analyzer } from "../retrieval/analyzer.js";
import { expandQuery } from "../retrieval/policy-terms.js";

/** What the rest of the code needs of an embedder; LangChain's Embeddings with a stable model name. */
export type Embedder = Embeddings & { readonly modelName: string; readonly dimensions: number | undefined };

const DEFAULT_IDF = 12;
const BIGRAM_WEIGHT = 0.5;

/**
 * Offline, deterministic embedder: jieba words weighted by jieba's corpus idf,
 * Han bigrams and policy-domain synonym expansions, feature-hashed (signed)
 * into a dense vector and L2-normalised. No model weights, no network.
 */
export class LocalHashEmbeddings extends Embeddings implements Embedder {
  readonly modelName: string;
  private readonly idf: Map<string, number>;

  constructor(
    private readonly analyzer: Analyzer,
    readonly dimensions = 1024,
  ) {
    super({});
    this.modelName = `local-hash-v1-${dimensions}`;
    this.idf = parseIdf(jiebaIdf);
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
  for (const line of Buffer.from(buf).toString("utf8").split("\n")) {
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
};

/** Any OpenAI-compatible embeddings endpoint (bge-m3 via SiliconFlow, text-embedding-v3 via DashScope, Ollama, vLLM). */
export class RemoteEmbeddings extends Embeddings implements Embedder {
  readonly modelName: string;
  readonly dimensions: number | undefined;
  private readonly client: OpenAIEmbeddings;

  constructor(config: RemoteEmbeddingConfig) {
    super({});
    this.modelName = `openai:${config.model}`;
    this.dimensions = config.dimensions;
    this.client = new OpenAIEmbeddings({
      model: config.model,
      apiKey: config.apiKey || "not-needed",
      dimensions: config.dimensions,
      batchSize: config.batchSize,
      timeout: config.timeoutMs,
      maxRetries: 3,
      // Servers that ignore base64 return floats the client would misread.
      encodingFormat: "float",
      configuration: { baseURL: config.baseURL },
    });
  }

  embedDocuments(texts: string[]): Promise<number[][]> {
    return this.client.embedDocuments(texts);
  }

  embedQuery(text: string): Promise<number[]> {
    return this.client.embedQuery(text);
  }
}
