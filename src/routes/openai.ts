import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { authorize, conversationScope } from "../access/middleware.js";
import { type ChatInput, type ChatResult, chat } from "../answer/chat.js";
import { ClientGone, type Turn } from "../answer/grounded.js";
import type { AppEnv } from "../app-env.js";
import { AppError } from "../lib/errors.js";
import { parseRegion } from "../policies/region.js";
import { answerSlot } from "./answer-slot.js";
import { accessErrors, CitationSchema, CompanyProfileDoc, ErrorSchema, PolicyCardSchema } from "./schemas.js";

const ContentSchema = z.union([
  z.string(),
  z
    .array(
      z
        .object({
          type: z.string().openapi({ description: "Part type; only text parts are read", example: "text" }),
          text: z.string().optional().openapi({ description: "The text of a text part", example: "武汉的高新技术企业有什么奖励？" }),
        })
        .passthrough(),
    )
    .openapi({ description: "Content parts; only text parts are read" }),
]);

export const CompletionRequestSchema = z
  .object({
    model: z
      .string()
      .optional()
      .openapi({ description: "Ignored: the service answers from its policy library with its own configured model", example: "policy-match" }),
    messages: z
      .array(
        z
          .object({
            role: z.enum(["system", "user", "assistant", "developer", "tool"]).openapi({ description: "Who says it", example: "user" }),
            content: ContentSchema.nullable().optional().openapi({ description: "What is said: a string or text parts" }),
          })
          .passthrough(),
      )
      .min(1, "messages: 至少需要一条消息")
      .openapi({
        description:
          "The conversation; the last user message is the question, earlier user/assistant turns are its history. System messages are ignored: the service's own rules apply.",
      }),
    stream: z.boolean().optional().openapi({ description: "Stream chat.completion.chunk events, as OpenAI does" }),
    user: z.string().max(128).optional().openapi({ description: "Accepted for compatibility; not stored" }),
    policy_match: z
      .object({
        profile: CompanyProfileDoc.optional(),
        region: z.string().max(100).optional().openapi({ example: "湖北省武汉市" }),
        limit: z.number().int().min(1).max(10).optional().openapi({ description: "At most this many policies (default 5)", example: 5 }),
      })
      .optional()
      .openapi({ description: "Extension: the company profile and filters of POST /v1/chat" }),
  })
  .passthrough()
  .openapi("ChatCompletionRequest");

const FallbackDoc = z
  .object({
    reason: z.string().openapi({ description: "timeout, rate_limited, upstream_error, invalid_response or no_citations", example: "timeout" }),
    message: z.string().openapi({ description: "The reason in words", example: "模型未在 20 秒内完成回答；以下为政策原文摘录" }),
  })
  .openapi({ description: "Why the answer is degraded" });

const CompletionResponseSchema = z
  .object({
    id: z.string().openapi({ description: "chatcmpl- and the request id", example: "chatcmpl-req_5f2c1a" }),
    object: z.literal("chat.completion").openapi({ description: "Always chat.completion" }),
    created: z.number().int().openapi({ description: "Unix seconds", example: 1795996800 }),
    model: z.string().openapi({ description: "The model that wrote the answer, or policy-match-extractive", example: "openai:deepseek-chat" }),
    choices: z
      .array(
        z.object({
          index: z.number().int().openapi({ description: "Always 0", example: 0 }),
          message: z
            .object({
              role: z.literal("assistant").openapi({ description: "Always assistant" }),
              content: z.string().openapi({ description: "The answer; [n] refers to citations" }),
            })
            .openapi({ description: "The answer" }),
          finish_reason: z.literal("stop").openapi({ description: "Always stop" }),
        }),
      )
      .openapi({ description: "One choice" }),
    usage: z
      .object({
        prompt_tokens: z.number().int().openapi({ description: "Not counted: 0", example: 0 }),
        completion_tokens: z.number().int().openapi({ description: "Not counted: 0", example: 0 }),
        total_tokens: z.number().int().openapi({ description: "Not counted: 0", example: 0 }),
      })
      .openapi({ description: "Present for client compatibility" }),
    policies: z.array(PolicyCardSchema).openapi({ description: "Extension: the matched policies, as in POST /v1/chat" }),
    citations: z.array(CitationSchema).openapi({ description: "Extension: the passages the answer cites as [n]" }),
    policy_match: z
      .object({
        mode: z.enum(["llm", "extractive"]).openapi({ description: "How the answer was produced" }),
        degraded: z.boolean().openapi({ description: "True when the configured model failed and the extractive answer stands in" }),
        fallback: FallbackDoc.optional(),
      })
      .openapi({ description: "Extension: how the answer was produced" }),
  })
  .openapi("ChatCompletion");

const route = createRoute({
  method: "post",
  path: "/v1/chat/completions",
  middleware: [authorize("chat", { widget: true }), answerSlot()] as const,
  tags: ["openai-compatible"],
  summary: "OpenAI-compatible chat completions answered from the policy library",
  description:
    "Any OpenAI client library or chat front end can use the service: point its base URL at `/v1` and use an API key with the chat scope. " +
    "Streaming sends `chat.completion.chunk` events and `data: [DONE]`; the first chunk also carries `policies`, the last one `citations`.",
  request: { body: { required: true, content: { "application/json": { schema: CompletionRequestSchema } } } },
  responses: {
    200: {
      description: "A chat completion (or, with stream: true, a stream of chunks)",
      content: { "application/json": { schema: CompletionResponseSchema }, "text/event-stream": { schema: z.string() } },
    },
    400: { description: "Invalid request", content: { "application/json": { schema: ErrorSchema } } },
    ...accessErrors("chat"),
  },
});

const textOf = (content: z.infer<typeof ContentSchema> | null | undefined) =>
  typeof content === "string" ? content : (content ?? []).map((p) => p.text ?? "").join("");

/** The last user message is the question; the user/assistant pairs before it are the history. */
export function conversationOf(messages: Array<{ role: string; content?: z.infer<typeof ContentSchema> | null }>): { question: string; history: Turn[] } {
  const turns = messages.filter((m) => m.role === "user" || m.role === "assistant").map((m) => ({ role: m.role, text: textOf(m.content).trim() }));
  const last = turns.findLastIndex((t) => t.role === "user");
  if (last < 0 || !turns[last].text) throw new AppError("bad_request", "messages: 需要一条内容不为空的 user 消息");
  const history: Turn[] = [];
  for (let i = 0; i < last; i++) {
    if (turns[i].role === "user") history.push({ question: turns[i].text, answer: turns[i + 1]?.role === "assistant" ? turns[i + 1].text : "" });
  }
  return { question: turns[last].text, history: history.slice(-4) };
}

/** The extension field saying how an answer was produced. */
const howAnswered = (r: ChatResult) => ({ mode: r.mode, degraded: r.degraded, ...(r.fallback ? { fallback: r.fallback } : {}) });

export const openaiRoutes = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const deps = c.get("deps");
  const body = c.req.valid("json");
  const { question, history } = conversationOf(body.messages);
  if (question.length > deps.limits.maxQuestionChars) throw new AppError("bad_request", `messages: 问题过长（最多 ${deps.limits.maxQuestionChars} 字）`);
  const input: ChatInput = {
    question,
    history,
    profile: body.policy_match?.profile,
    limit: body.policy_match?.limit,
    filters: { placePath: body.policy_match?.region ? parseRegion(body.policy_match.region) : undefined, statuses: ["active", "expired"] },
    tenantId: c.get("caller")?.tenantId,
    conversationScope: conversationScope(c),
  };
  const id = `chatcmpl-${c.get("requestId")}`;
  const created = Math.floor(deps.clock.now().getTime() / 1000);
  const model = deps.chat?.name ?? "policy-match-extractive";

  if (deps.logQuestions) deps.logger.info("question", { question });
  if (!body.stream) {
    const result = await chat(deps, input, { signal: c.req.raw.signal });
    if (result.fallback) deps.metrics.modelFallback(result.fallback.reason);
    return c.json(
      {
        id,
        object: "chat.completion" as const,
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant" as const, content: result.answer }, finish_reason: "stop" as const }],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        policies: result.policies,
        citations: result.citations,
        policy_match: howAnswered(result),
      },
      200,
    );
  }

  return streamSSE(c, async (stream) => {
    const leaving = new AbortController();
    stream.onAbort(() => leaving.abort());
    const chunk = (delta: object, extra: object = {}, finish: "stop" | null = null) =>
      stream.writeSSE({
        data: JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra }),
      });
    try {
      const result = await chat(deps, input, {
        signal: leaving.signal,
        sink: {
          policies: (head) => chunk({ role: "assistant", content: "" }, { policies: head.policies }),
          token: (text) => chunk({ content: text }),
          // Every content delta has passed the answer's checks (see generateAnswer). Only a model that fails
          // after checked text went out resets; an OpenAI stream cannot take text back, so say plainly that what follows replaces it.
          reset: (why) => chunk({ content: `\n\n（${why.message}）\n\n` }),
        },
      });
      if (result.fallback) deps.metrics.modelFallback(result.fallback.reason);
      await chunk({}, { citations: result.citations, policy_match: howAnswered(result) }, "stop");
      await stream.writeSSE({ data: "[DONE]" });
    } catch (err) {
      if (err instanceof ClientGone || leaving.signal.aborted) return;
      deps.logger.error("chat completion stream failed", { requestId: c.get("requestId"), message: (err as Error).message });
      await stream.writeSSE({ data: JSON.stringify({ error: { message: "回答生成失败，请稍后重试", type: "internal", code: "internal" } }) });
    }
  }) as never;
});
