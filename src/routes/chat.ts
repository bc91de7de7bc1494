import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { answerQuestion } from "../answer/answer.js";
import { CompanyProfileSchema } from "../policies/profile.js";
import { parseRegion } from "../policies/region.js";
import type { AppEnv } from "../app-env.js";
import { AppError } from "../lib/errors.js";
import { ErrorSchema, PolicyCardSchema } from "./schemas.js";

export const ChatRequestSchema = z
  .object({
    question: z.string().trim().min(1, "问题不能为空").openapi({ example: "我们是高新技术企业，研发投入很大，有什么补贴？" }),
    profile: CompanyProfileSchema.optional().openapi({ description: "What the company has told us about itself" }),
    filters: z
      .object({
        region: z.string().max(100).optional().openapi({ description: "Only policies covering this place", example: "湖北省武汉市" }),
        includeExpired: z.boolean().optional().openapi({ description: "Also answer from expired policies (default true)" }),
      })
      .optional(),
    limit: z.number().int().min(1).max(10).optional().openapi({ example: 5 }),
  })
  .openapi("ChatRequest");

export const ChatResponseSchema = z
  .object({
    answer: z.string().openapi({ description: "Answer in Chinese; [n] refers to citations" }),
    policies: z.array(PolicyCardSchema),
    mode: z.enum(["extractive"]).openapi({ description: "How the answer was produced" }),
    profile: CompanyProfileSchema.optional().openapi({ description: "The company profile the eligibility checks used: the one sent, plus facts read from the question" }),
    followUpQuestions: z.array(z.string()).openapi({ description: "What to ask the company to settle the open conditions", example: ["贵公司上一年度营业收入是多少（万元）？"] }),
  })
  .openapi("ChatResponse");

const chatRoute = createRoute({
  method: "post",
  path: "/v1/chat",
  tags: ["chat"],
  summary: "Ask a question about science-and-technology policies",
  request: { body: { required: true, content: { "application/json": { schema: ChatRequestSchema } } } },
  responses: {
    200: { description: "The answer with matching policies", content: { "application/json": { schema: ChatResponseSchema } } },
    400: { description: "Invalid request (malformed JSON, missing question, bad profile)", content: { "application/json": { schema: ErrorSchema } } },
    413: { description: "Body larger than the limit", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export const chatRoutes = new OpenAPIHono<AppEnv>().openapi(chatRoute, async (c) => {
  const deps = c.get("deps");
  const body = c.req.valid("json");
  if (body.question.length > deps.limits.maxQuestionChars) {
    throw new AppError("bad_request", `question: 问题过长（最多 ${deps.limits.maxQuestionChars} 字）`);
  }
  const result = await answerQuestion(deps, {
    question: body.question,
    profile: body.profile,
    limit: body.limit,
    filters: {
      placePath: body.filters?.region ? parseRegion(body.filters.region) : undefined,
      statuses: body.filters?.includeExpired === false ? ["active"] : ["active", "expired"],
    },
  });
  return c.json(result, 200);
});
