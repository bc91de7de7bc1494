import { createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../../access/middleware.js";
import { answerSlot } from "../answer-slot.js";
import { cachedAnswer } from "../cached-answer.js";
import { accessErrors, CitationSchema, CompanyProfileDoc, ErrorSchema, PolicyCardSchema } from "../schemas.js";

export const ChatRequestSchema = z
  .object({
    question: z.string().trim().min(1, "问题不能为空").openapi({ example: "我们是高新技术企业，研发投入很大，有什么补贴？" }),
    profile: CompanyProfileDoc.optional().openapi({ description: "What the company has told us about itself" }),
    filters: z
      .object({
        region: z.string().max(100).optional().openapi({ description: "Only policies covering this place", example: "湖北省武汉市" }),
        includeExpired: z.boolean().optional().openapi({ description: "Also answer from expired policies (default true)" }),
      })
      .optional()
      .openapi({ description: "Narrow the search" }),
    limit: z.number().int().min(1).max(10).optional().openapi({ description: "At most this many policies (default 5)", example: 5 }),
    sessionId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Continue a conversation: the sessionId an earlier answer returned", example: "s_3f9a0c2e4b7d4e1a9c5b6d7e8f901234" }),
    plainTextMaxChars: z.number().int().min(50).max(5000).optional().openapi({
      description: "Length limit of `plainText` (default PLAIN_TEXT_MAX_CHARS); WeChat customer-service text messages take about 600 characters comfortably",
      example: 600,
    }),
    companyId: z.string().min(1).max(200).optional().openapi({
      description:
        "A saved company (PUT /v1/companies/{externalId}): its profile is used, and if it consented (chatUpdates) the facts it states here update it. Server keys only",
      example: "91420100MA4K2XXXXX",
    }),
    externalUserId: z.string().min(1).max(128).optional().openapi({
      description: "The caller's id for the user (e.g. a WeChat openid): continues that user's live conversation, or starts one",
      example: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    }),
  })
  .openapi("ChatRequest");

export const ChatResponseSchema = z
  .object({
    answer: z.string().openapi({ description: "Answer in Chinese; [n] refers to citations" }),
    plainText: z
      .string()
      .openapi({ description: "The answer without citations or markup, cut at a sentence to plainTextMaxChars: ready for a WeChat message" }),
    policies: z
      .array(PolicyCardSchema)
      .openapi({ description: "The policies retrieved for the question, with the eligibility engine's verdicts; never taken from the model's words" }),
    citations: z.array(CitationSchema).openapi({ description: "The passages the answer cites as [n]" }),
    mode: z
      .enum(["llm", "extractive"])
      .openapi({ description: "llm: written by the chat model from the cited passages; extractive: composed from the policies' own sentences" }),
    degraded: z.boolean().openapi({ description: "True when the configured model failed and the extractive answer stands in" }),
    fallback: z
      .object({
        reason: z
          .enum(["timeout", "rate_limited", "upstream_error", "invalid_response", "no_citations"])
          .openapi({ description: "Why the model's answer was not used" }),
        message: z.string().openapi({ example: "模型未在 20 秒内完成回答；以下为政策原文摘录" }),
      })
      .optional()
      .openapi({ description: "Why the answer is degraded" }),
    model: z.string().optional().openapi({ description: "The model that wrote an llm answer", example: "openai:deepseek-chat" }),
    profile: CompanyProfileDoc.optional().openapi({
      description: "The company profile the eligibility checks used: the one sent, plus facts read from the question and earlier turns",
    }),
    followUpQuestions: z
      .array(z.string())
      .openapi({ description: "What to ask the company to settle the open conditions", example: ["贵公司上一年度营业收入是多少（万元）？"] }),
    sessionId: z.string().optional().openapi({ description: "Present when the request carried a sessionId or externalUserId: send it with the next question" }),
    intent: z
      .enum(["find", "amount", "deadline", "materials", "conditions", "process", "contact", "stackable", "compare", "eligibility", "greeting", "out_of_scope"])
      .openapi({
        description:
          "What the turn asks for, as read: a follow-up (amount, deadline, materials …) after an answer is answered about that answer's policies; greeting and out_of_scope get a reply and no policies",
        example: "deadline",
      }),
    understoodAs: z.string().optional().openapi({
      description:
        "The message as the service read it, present when that changed its words (a typo in a policy term corrected, an English question put in Chinese terms)",
      example: "武汉高新技术企业认定奖励",
    }),
  })
  .openapi("ChatResponse");

const SSE_DESCRIPTION = [
  "With `Accept: text/event-stream`: server-sent events, in this order —",
  "`policies` {policies, profile?, followUpQuestions, sessionId?};",
  "`token` {text}, repeated: each a sentence that has passed every check (cited passages only, retrieved policies only, no eligibility claim against the engine's verdicts, no secret-looking text), the first ones held until the answer cites a passage, so no token is ever taken back for what it says;",
  "`reset` {reason, message} only when the model failed (timeout, broken connection) after checked sentences went out: drop them, a fallback answer follows as `token`s;",
  "`citations` {citations}; `done` {answer, plainText, mode, degraded, fallback?, model?, sessionId?, intent, understoodAs?}.",
  "A failure after the stream started is an `error` event {error:{code,message,requestId}}.",
].join(" ");

export const chatRoute = createRoute({
  method: "post",
  path: "/v1/chat",
  middleware: [authorize("chat", { widget: true }), cachedAnswer(), answerSlot()] as const,
  tags: ["chat"],
  summary: "Ask a question about science-and-technology policies",
  request: { body: { required: true, content: { "application/json": { schema: ChatRequestSchema } } } },
  responses: {
    200: {
      description: `The answer with matching policies. ${SSE_DESCRIPTION}`,
      content: { "application/json": { schema: ChatResponseSchema }, "text/event-stream": { schema: z.string().openapi({ description: SSE_DESCRIPTION }) } },
    },
    400: { description: "Invalid request (malformed JSON, missing question, bad profile)", content: { "application/json": { schema: ErrorSchema } } },
    404: { description: "Unknown or expired sessionId", content: { "application/json": { schema: ErrorSchema } } },
    ...accessErrors("chat"),
    413: { description: "Body larger than the limit", content: { "application/json": { schema: ErrorSchema } } },
  },
});
