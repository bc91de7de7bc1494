import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  not_implemented: 501,
  upstream_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(code: ErrorCode, message: string, requestId: string) {
  return { error: { code, message, requestId } };
}

/** Every error leaves the service in one shape: {error:{code,message,requestId}}. */
export function handleError(err: Error, c: Context) {
  const requestId = (c.get("requestId" as never) as string | undefined) ?? "unknown";
  if (err instanceof AppError) return c.json(errorBody(err.code, err.message, requestId), ERROR_STATUS[err.code]);
  if (err instanceof HTTPException) {
    const status = err.status;
    const code: ErrorCode =
      status === 413
        ? "payload_too_large"
        : status === 415
          ? "unsupported_media_type"
          : status === 404
            ? "not_found"
            : status === 401
              ? "unauthorized"
              : status < 500
                ? "bad_request"
                : "internal";
    const message = /malformed json/i.test(err.message)
      ? "请求体不是合法的 JSON（malformed JSON in request body）"
      : code === "unsupported_media_type"
        ? `不支持的 Content-Type：${c.req.header("content-type") ?? "（无）"}；此接口接受 application/json`
        : err.message || code;
    return c.json(errorBody(code, message, requestId), ERROR_STATUS[code]);
  }
  const logger = c.get("deps" as never) as { logger?: { error: (m: string, f?: object) => void } } | undefined;
  logger?.logger?.error("unhandled error", { error: err.message, stack: err.stack });
  return c.json(errorBody("internal", "服务内部错误，请稍后重试", requestId), 500);
}
