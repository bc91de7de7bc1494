import type { Context } from "hono";
import type { AppEnv } from "../../app-env.js";

/**
 * The OpenAPI document's description (info.description): what a reader of /docs
 * needs before the first call — how to authenticate, one call to copy, and how
 * conversations work. Markdown; the reference page renders it above the operations.
 */
export const API_DESCRIPTION = [
  "科技政策问答与匹配：ask about science-and-technology policies and get the matching policies, each with its conditions checked against the company and the passages it cites.",
  "",
  "## Authentication",
  "Every `/v1/*` route takes an API key (`pm_…`, made with `npm run keys -- create`) as `Authorization: Bearer <key>`, or in the `X-API-Key` header. A key has scopes (`chat`, `match`, `policies:read`, `admin`), a rate per minute and a daily quota: `401` for no key or an unknown or revoked one, `403` for a missing scope, `429` with `Retry-After` beyond the limits. `/health`, `/openapi.json` and `/docs` need no key. A fresh install without any key answers on localhost only, keyless.",
  "",
  "**Widget keys** (`npm run keys -- create --widget --origins https://www.example.gov.cn`) sit in public pages: they are accepted only from the origins they list (the browser's `Origin` header; any other gets `403`), and only for `chat` and `match`. Their conversations are kept apart from the server keys' of the same tenant.",
  "",
  "## A first call",
  "```bash",
  "curl -s http://127.0.0.1:8787/v1/chat \\",
  '  -H "Authorization: Bearer $POLICY_MATCH_KEY" -H "Content-Type: application/json" \\',
  '  -d \'{"question": "我们是武汉的高新技术企业，去年营收3000万，有什么奖励？", "externalUserId": "user-42"}\'',
  "```",
  'Add `-H "Accept: text/event-stream"` for the streamed answer (its events are listed under `POST /v1/chat`).',
  "",
  "## Conversations",
  "Send `externalUserId` — your id for the user, such as a WeChat openid — with every question. The first question starts that user's conversation and each later one continues it: 「申报截止到什么时候？」 is answered about the policies of the previous answer, and facts stated earlier (营收, 地区, 资质) still count. The answer carries `sessionId`; sending it instead continues the same conversation, and an expired one is a `404`. Conversations belong to the key's tenant. Without either field every question stands alone.",
  "",
  "## Errors",
  'Every error is `{"error": {"code", "message", "requestId"}}`, and every response carries `x-request-id`.',
].join("\n");

/** The renderer's script, served from this server (no CDN). A wildcard path, as static files are mounted. */
export const DOCS_ASSETS = "/docs/assets/*";
const RENDERER = "/docs/assets/api-reference.js";

type Bundle = { js: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer>; etag: string };
let bundle: Promise<Bundle | null> | undefined;

/**
 * Scalar's standalone bundle (@scalar/api-reference), read once and gzipped once.
 * Where the package cannot be read (Workers), null: the page falls back to its own plain renderer.
 */
async function loadBundle(): Promise<Bundle | null> {
  try {
    const [{ createRequire }, { readFile }, { gzipSync }, { dirname, join }] = await Promise.all([
      import("node:module"),
      import("node:fs/promises"),
      import("node:zlib"),
      import("node:path"),
    ]);
    const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
    const js = new Uint8Array(await readFile(join(dirname(entry), "browser", "standalone.js")));
    const version = (JSON.parse(await readFile(join(dirname(entry), "..", "package.json"), "utf8")) as { version: string }).version;
    return { js, gzip: new Uint8Array(gzipSync(js)), etag: `"scalar-${version}-${js.length.toString(36)}"` };
  } catch {
    return null;
  }
}

/** GET /docs/assets/*: the reference renderer. */
export async function docsAsset(c: Context<AppEnv>) {
  const found = c.req.path === RENDERER ? await (bundle ??= loadBundle()) : null;
  if (!found) return c.notFound();
  c.header("cache-control", "public, max-age=86400");
  c.header("etag", found.etag);
  c.header("vary", "accept-encoding");
  if (c.req.header("if-none-match") === found.etag) return c.body(null, 304);
  const gzip = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
  if (gzip) c.header("content-encoding", "gzip");
  return c.body(gzip ? found.gzip : found.js, 200, { "content-type": "application/javascript; charset=utf-8" });
}

/**
 * The API reference page: Scalar renders /openapi.json (request and response schemas,
 * examples, a request builder) from the script above, with its web fonts, telemetry and
 * AI agent off, so nothing leaves this server. Where the script is not served, a plain
 * renderer lists every operation with its schemas.
 */
export function docsPage(specUrl: string): string {
  const config = {
    url: specUrl,
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: "never",
    documentDownloadType: "json",
  };
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>policy-match API</title>
<style>.plain{font:15px/1.6 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2328}
.plain h1{font-size:1.6rem}.plain .op{border:1px solid #d0d7de;border-radius:8px;margin:1rem 0;padding:.8rem 1rem}
.plain .m{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}.plain .get{color:#1a7f37}.plain .post{color:#0969da}
.plain pre{background:#f6f8fa;padding:.8rem;border-radius:6px;overflow:auto;font-size:13px;white-space:pre-wrap}.plain summary{cursor:pointer}</style></head>
<body><div id="app"></div>
<script>
function scalar() { Scalar.createApiReference("#app", ${JSON.stringify(config)}); }
async function plain() {
  const app = document.getElementById("app");
  app.className = "plain";
  app.textContent = "加载中…";
  const spec = await (await fetch(${JSON.stringify(specUrl)})).json();
  const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const json = (v) => "<pre>" + esc(JSON.stringify(v, null, 2)) + "</pre>";
  const out = ["<h1>" + esc(spec.info.title) + "</h1><p>OpenAPI document: <a href=\\"" + esc(${JSON.stringify(specUrl)}) + "\\">" + esc(${JSON.stringify(specUrl)}) + "</a></p><pre>" + esc(spec.info.description) + "</pre>",
    "<details open><summary>Authentication</summary>" + json((spec.components && spec.components.securitySchemes) || {}) + "</details>"];
  for (const [path, ops] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(ops)) {
    const body = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
    out.push('<div class="op"><span class="m ' + method + '">' + method + "</span> <code>" + esc(path) + "</code> — " + esc(op.summary) +
      (body ? "<details><summary>Request body</summary>" + json(body.schema) + "</details>" : "") +
      (op.parameters && op.parameters.length ? "<details><summary>Parameters</summary>" + json(op.parameters) + "</details>" : "") +
      "<details><summary>Responses</summary>" + json(op.responses) + "</details></div>");
  }
  out.push("<details><summary>Schemas</summary>" + json((spec.components && spec.components.schemas) || {}) + "</details>");
  app.innerHTML = out.join("");
}
</script>
<script src="${RENDERER}" onload="scalar()" onerror="plain()"></script>
</body></html>`;
}
