import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { openDb } from "../../src/db/index.js";
import type { Deps } from "../../src/deps.js";
import { testDeps } from "../helpers/deps.js";

type SchemaNode = {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  description?: string;
  example?: unknown;
  $ref?: string;
};
type Operation = {
  parameters?: Array<{ name: string; description?: string; schema?: { example?: unknown } }>;
  requestBody?: { content: Record<string, { schema: SchemaNode }> };
  responses: Record<string, { content?: Record<string, { schema: SchemaNode }> }>;
};
type Spec = { components: { schemas: Record<string, SchemaNode> }; paths: Record<string, Record<string, Operation>> };

describe("the API's documentation: /openapi.json", () => {
  let deps: Deps;
  let app: App;

  beforeAll(async () => {
    deps = await testDeps(await openDb({ dataDir: "memory://" }));
    app = createApp(deps);
  });
  afterAll(() => deps?.db.close());

  it("publishes an OpenAPI 3.1 document that validates and covers every route", async () => {
    const spec = (await (await app.request("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
    };
    expect(spec.openapi).toBe("3.1.0");
    await expect(SwaggerParser.validate(structuredClone(spec) as never)).resolves.toBeTruthy();
    const served = app.routes
      // Middleware (ALL, or a path with *) is not a route; /docs and /openapi.json are the documentation itself; / and /widget.js are the page and script for browsers.
      .filter((r) => r.method !== "ALL" && !r.path.includes("*") && !["/docs", "/openapi.json", "/", "/widget.js"].includes(r.path))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(new Set(served)).toEqual(new Set(documented));
    // Every keyed route documents the access errors; health and the calendar feed (its URL is the credential) stay public.
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const op of Object.values(ops)) {
        if (path === "/health" || path === "/calendar/{token}") expect(op.security).toEqual([]);
        else expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["401", "403", "429"]));
      }
    }
  });

  it("describes every field, parameter and response property of the document, or gives an example", async () => {
    const spec = (await (await app.request("/openapi.json")).json()) as Spec;
    const bare: string[] = [];
    const walk = (s: SchemaNode | undefined, at: string) => {
      if (!s || typeof s !== "object") return;
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (!v.description && v.example === undefined && !v.$ref && !v.allOf) bare.push(`${at}.${k}`);
        walk(v, `${at}.${k}`);
      }
      walk(s.items, `${at}[]`);
      for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) walk(alt, at);
    };
    for (const [name, s] of Object.entries(spec.components.schemas)) walk(s, name);
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of op.parameters ?? []) if (!p.description && p.schema?.example === undefined) bare.push(`${method} ${path} ?${p.name}`);
        for (const c of Object.values(op.requestBody?.content ?? {})) walk(c.schema, `${method} ${path} body`);
        for (const [code, r] of Object.entries(op.responses)) for (const c of Object.values(r.content ?? {})) walk(c.schema, `${method} ${path} ${code}`);
      }
    }
    expect(bare).toEqual([]);
  });
});
