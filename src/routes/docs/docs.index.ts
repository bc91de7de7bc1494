import type { OpenAPIHono } from "@hono/zod-openapi";
import { publicRoute } from "../../access/middleware.js";
import type { AppEnv } from "../../app-env.js";
import { API_DESCRIPTION, DOCS_ASSETS, docsAsset, docsPage } from "./docs.handlers.js";

/** /openapi.json, generated from the app's route definitions, and the reference page that renders it; all public. */
export function serveDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key from `npm run keys -- create` (pm_…), as `Authorization: Bearer <key>` or in the X-API-Key header",
  });
  const document = {
    security: [{ apiKey: [] }],
    openapi: "3.1.0",
    info: {
      title: "policy-match API",
      version: "1.0.0",
      description: API_DESCRIPTION,
    },
  };
  app.get("/openapi.json", publicRoute(), (c) => c.json(app.getOpenAPI31Document(document)));
  app.get("/docs", publicRoute(), (c) => c.html(docsPage("/openapi.json")));
  app.get(DOCS_ASSETS, publicRoute(), docsAsset);
}
