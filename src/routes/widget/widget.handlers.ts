import type { Context } from "hono";
import type { AppEnv } from "../../app-env.js";
import { demoPage } from "../../widget/asset.js";

/** GET /widget.js: the embeddable widget, cached by its ETag. */
export function script(c: Context<AppEnv>) {
  const widget = c.get("deps").widget;
  if (!widget) return c.notFound();
  const { js, etag } = widget;
  c.header("cache-control", "public, max-age=3600, stale-while-revalidate=86400");
  c.header("etag", etag);
  if (c.req.header("if-none-match") === etag) return c.body(null, 304);
  return c.body(js, 200, { "content-type": "application/javascript; charset=utf-8" });
}

/** GET /: the demo page that embeds the widget. */
export const demo = (c: Context<AppEnv>) => c.html(demoPage({ origin: new URL(c.req.url).origin }));
