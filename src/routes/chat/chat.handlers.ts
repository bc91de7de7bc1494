import { streamSSE } from "hono/streaming";
import { OPEN_TENANT } from "../../access/keys.js";
import { conversationScope } from "../../access/middleware.js";
import { type ChatInput, chat, openSession } from "../../answer/chat.js";
import { ClientGone } from "../../answer/model-answer.js";
import { toPlainText } from "../../answer/plain-text.js";
import type { AppRouteHandler } from "../../app-env.js";
import { getCompany } from "../../companies/company-profiles.js";
import { AppError, errorBody } from "../../lib/errors.js";
import { parseRegion } from "../../policies/region.js";
import type * as routes from "./chat.routes.js";

export const ask: AppRouteHandler<typeof routes.chatRoute> = async (c) => {
  const deps = c.get("deps");
  const body = c.req.valid("json");
  if (body.question.length > deps.limits.maxQuestionChars) {
    throw new AppError("bad_request", `question: 问题过长（最多 ${deps.limits.maxQuestionChars} 字）`);
  }
  const input: ChatInput = {
    question: body.question,
    profile: body.profile,
    limit: body.limit,
    sessionId: body.sessionId,
    externalUserId: body.externalUserId,
    tenantId: c.get("caller")?.tenantId,
    conversationScope: conversationScope(c),
    companyId: body.companyId,
    filters: {
      placePath: body.filters?.region ? parseRegion(body.filters.region) : undefined,
      statuses: body.filters?.includeExpired === false ? ["active"] : ["active", "expired"],
    },
  };
  // A widget key sits in a public page: it may not read or change a saved company.
  if (body.companyId && c.get("caller")?.kind === "widget") throw new AppError("forbidden", "companyId: widget key 不能使用企业档案；请用服务端 key");
  if (body.companyId && !(await getCompany(deps.db, input.tenantId ?? OPEN_TENANT, body.companyId)))
    throw new AppError("not_found", `companyId: 没有这家企业：${body.companyId}`);
  if (deps.logQuestions) deps.logger.info("question", { question: body.question });
  if (!c.req.header("accept")?.includes("text/event-stream")) {
    const result = await chat(deps, input, { signal: c.req.raw.signal });
    if (result.fallback) deps.metrics.modelFallback(result.fallback.reason);
    const plainText = toPlainText(result.answer, body.plainTextMaxChars ?? deps.limits.plainTextMaxChars);
    // A conversation's turn or a stand-in answer is not the answer to cache.
    if (result.sessionId || result.degraded) c.header("cache-control", "no-store");
    return c.json({ ...result, plainText }, 200);
  }

  const session = (await openSession(deps, input, deps.clock.now())) ?? null;
  const requestId = c.get("requestId");
  return streamSSE(c, async (stream) => {
    const leaving = new AbortController();
    stream.onAbort(() => leaving.abort());
    const send = (event: string, data: unknown) => stream.writeSSE({ event, data: JSON.stringify(data) });
    try {
      const result = await chat(deps, input, {
        session,
        signal: leaving.signal,
        sink: {
          policies: (head) => send("policies", head),
          token: (text) => send("token", { text }),
          reset: (why) => send("reset", why),
        },
      });
      if (result.fallback) deps.metrics.modelFallback(result.fallback.reason);
      await send("citations", { citations: result.citations });
      const { answer, mode, degraded, fallback, model, sessionId, intent, understoodAs } = result;
      const plainText = toPlainText(answer, body.plainTextMaxChars ?? deps.limits.plainTextMaxChars);
      await send("done", { answer, plainText, mode, degraded, fallback, model, sessionId, intent, understoodAs });
    } catch (err) {
      if (err instanceof ClientGone || leaving.signal.aborted) return;
      deps.logger.error("chat stream failed", { requestId, message: (err as Error).message });
      const code = err instanceof AppError ? err.code : "internal";
      await send("error", errorBody(code, err instanceof AppError ? err.message : "回答生成失败，请稍后重试", requestId));
    }
  }) as never;
};
