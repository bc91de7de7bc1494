import type { z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { conversationScope } from "../../access/middleware.js";
import { type ChatInput, type ChatResult, chat } from "../../answer/chat.js";
import { ClientGone, type Turn } from "../../answer/model-answer.js";
import type { AppRouteHandler } from "../../app-env.js";
import { AppError } from "../../lib/errors.js";
import { parseRegion } from "../../policies/region.js";
import type * as routes from "./openai.routes.js";

const textOf = (content: z.infer<typeof routes.ContentSchema> | null | undefined) =>
  typeof content === "string" ? content : (content ?? []).map((p) => p.text ?? "").join("");

/** The last user message is the question; the user/assistant pairs before it are the history. */
export function conversationOf(messages: Array<{ role: string; content?: z.infer<typeof routes.ContentSchema> | null }>): {
  question: string;
  history: Turn[];
} {
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

export const complete: AppRouteHandler<typeof routes.completionsRoute> = async (c) => {
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
};
