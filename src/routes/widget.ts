import { Hono } from "hono";
import { publicRoute } from "../access/middleware.js";
import type { AppEnv } from "../app-env.js";
import { demoPage } from "../widget/asset.js";

/** The embeddable widget and the demo page that embeds it; both public. */
export const widgetRoutes = new Hono<AppEnv>()
  .get("/widget.js", publicRoute(), (c) => {
    const widget = c.get("deps").widget;
    if (!widget) return c.notFound();
    const { js, etag } = widget;
    c.header("cache-control", "public, max-age=3600, stale-while-revalidate=86400");
    c.header("etag", etag);
    if (c.req.header("if-none-match") === etag) return c.body(null, 304);
    return c.body(js, 200, { "content-type": "application/javascript; charset=utf-8" });
  })
  .get("/", publicRoute(), (c) => c.html(demoPage({ origin: new URL(c.req.url).origin })));
