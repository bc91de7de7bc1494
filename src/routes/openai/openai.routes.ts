import { createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../../access/middleware.js";
import { answerSlot } from "../answer-slot.js";
import { accessErrors, CitationSchema, CompanyProfileDoc, ErrorSchema, PolicyCardSchema } from "../schemas.js";

export const ContentSchema = z.union([
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

export const completionsRoute = createRoute({
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
