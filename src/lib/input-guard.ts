import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.js";
import { AppError } from "./errors.js";

/** Deeper than any request this API takes; a body nested thousands deep would overflow JSON.stringify. */
export const MAX_JSON_DEPTH = 32;
/** Values (objects, arrays, strings, numbers…) in one JSON body: 10,000 companies' worth of batch is CSV, not JSON. */
export const MAX_JSON_NODES = 200_000;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Why a string cannot be stored (PostgreSQL holds neither NUL nor half a surrogate pair), or undefined. */
function flaw(s: string): string | undefined {
  if (s.includes("\u0000")) return "不能包含 NUL 控制字符（\\u0000）";
  if (LONE_SURROGATE.test(s)) return "不能包含不成对的 UTF-16 代理字符（lone surrogate）";
  return undefined;
}

const refuse = (where: string, why: string) => new AppError("bad_request", `${where}: ${why}`);

/**
 * Odd input is refused with a 400 naming where it is, on every method, before any route sees it: NUL and lone
 * surrogates in the path, the query or a JSON body; JSON that is not UTF-8; JSON nested or sized past the bounds.
 */
export function inputGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const segments = url.pathname.split("/");
    for (const segment of segments) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw refuse("path", `「${segment.slice(0, 40)}」不是合法的 URL 编码（percent-encoded UTF-8）`);
      }
      const why = flaw(decoded);
      if (why) throw refuse("path", why);
    }
    for (const [name, value] of url.searchParams) {
      const why = flaw(name) ?? flaw(value);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL in a name is shown escaped, on purpose
      if (why) throw refuse(`query.${name.replace(/\u0000/g, "\\u0000")}`, why);
    }
    if (/^application\/([a-z.+-]+\+)?json/i.test(c.req.header("content-type") ?? "") && c.req.raw.body) {
      const bytes = await c.req.arrayBuffer();
      let text: string;
      try {
        text = strictUtf8.decode(bytes);
      } catch {
        throw refuse("body", "不是合法的 UTF-8 编码（JSON 须为 UTF-8）");
      }
      const parsed = safeJson(text);
      if (parsed !== undefined) {
        const found = inspect(parsed);
        if (found) throw refuse(found.path || "body", found.why);
      }
      // Validators and the cache read the request's cached text. (Hono keeps promises there, whatever its type says.)
      (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
    }
    await next();
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The first flaw in a parsed body, with its path ("profile.facts.0"); walked iteratively, so depth cannot overflow the stack. */
function inspect(root: unknown): { path: string; why: string } | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: "", depth: 0 }];
  let nodes = 0;
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (++nodes > MAX_JSON_NODES) return { path: "body", why: `JSON 过大（超过 ${MAX_JSON_NODES} 个值）` };
    if (typeof value === "string") {
      const why = flaw(value);
      if (why) return { path, why };
      continue;
    }
    if (!value || typeof value !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) return { path: path || "body", why: `嵌套过深（最多 ${MAX_JSON_DEPTH} 层）` };
    // Pushed last-first, so the first flaw in document order is the one named.
    for (const [k, v] of Object.entries(value).reverse()) {
      const child = path ? `${path}.${k}` : k;
      const why = flaw(k);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL in a key is shown escaped, on purpose
      if (why) return { path: child.replace(/\u0000/g, "\\u0000"), why };
      stack.push({ value: v, path: child, depth: depth + 1 });
    }
  }
  return undefined;
}
