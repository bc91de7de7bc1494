import { ChatOpenAI } from "@langchain/openai";
import type { Env } from "../env.js";
import type { Prompts } from "./prompts.js";

export type StructuredMethod = "jsonSchema" | "functionCalling" | "jsonMode";

/** The configured chat model and how to use it; absent when answers are extractive. */
export type ChatClient = {
  model: ChatOpenAI;
  /** provider:model, reported with each answer. */
  name: string;
  prompts: Prompts;
  structuredMethod: StructuredMethod;
  /** Deadline for one answer's model calls, retry included. */
  timeoutMs: number;
  rewrite: boolean;
  /** Refine extracted criteria with the model at ingest. */
  refineCriteria: boolean;
};

/** Any OpenAI-compatible chat endpoint: OpenAI, DeepSeek, Qwen (DashScope), GLM, Moonshot, vLLM, Ollama. */
export function createChatClient(env: Env, prompts: Prompts): ChatClient | undefined {
  if (env.CHAT_PROVIDER === "none") return undefined;
  const model = new ChatOpenAI({
    model: env.CHAT_MODEL!,
    apiKey: env.CHAT_API_KEY || "not-needed",
    configuration: { baseURL: env.CHAT_BASE_URL },
    temperature: env.CHAT_TEMPERATURE,
    maxTokens: env.CHAT_MAX_TOKENS,
    timeout: env.CHAT_TIMEOUT_MS,
    // Retries are ours: one, and only while the answer's deadline allows.
    maxRetries: 0,
    streamUsage: env.CHAT_STREAM_USAGE,
  });
  return {
    model,
    name: `openai:${env.CHAT_MODEL}`,
    prompts,
    structuredMethod: env.CHAT_STRUCTURED_OUTPUT,
    timeoutMs: env.CHAT_TIMEOUT_MS,
    rewrite: env.CHAT_QUERY_REWRITE,
    refineCriteria: env.CHAT_REFINE_CRITERIA,
  };
}
