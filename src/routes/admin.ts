import { resolve, sep } from "node:path";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { authorize } from "../access/middleware.js";
import { createEmbedJob, dropEmbeddingModel, embeddingStatus } from "../admin/embedding-switch.js";
import { acceptUpload } from "../admin/uploads.js";
import { policyVersions } from "../admin/versions.js";
import type { AppEnv } from "../app-env.js";
import type { Queryable } from "../db/db.js";
import { createReindexJob } from "../ingest/reindex-job.js";
import { runInBackground } from "../job-runners.js";
import { cancelJob, getJob, listJobs, requireBackgroundWork } from "../jobs/queue.js";
import { AppError } from "../lib/errors.js";
import { getPolicies, withdrawPolicy } from "../policies/catalogue.js";
import { accessErrors, ErrorSchema, jsonResponse } from "./schemas.js";

const JobSchema = z
  .object({
    id: z.string().openapi({ example: "job_3f9a0c2e4b7d4e1a" }),
    kind: z.enum(["reindex", "embed", "batch"]).openapi({
      description: "What the job does: re-index documents, fill in a new embedding model's vectors and switch to it, or match a batch of companies",
    }),
    status: z.enum(["queued", "running", "done", "failed", "cancelled"]).openapi({ description: "Where the job is" }),
    params: z
      .object({
        paths: z.array(z.string()).optional().openapi({ description: "reindex: folders or files indexed" }),
        urls: z.array(z.string()).optional().openapi({ description: "reindex: documents fetched from these URLs" }),
        ids: z.array(z.string()).optional().openapi({ description: "reindex: the policies staff picked" }),
        prune: z.boolean().optional().openapi({ description: "reindex: policies whose file is gone are deleted" }),
        force: z.boolean().optional().openapi({ description: "reindex: unchanged documents are re-indexed too" }),
        model: z.string().optional().openapi({ description: "embed: the model switched to" }),
        tenantId: z.string().optional().openapi({ description: "batch: whose companies" }),
        companies: z.number().int().optional().openapi({ description: "batch: how many companies" }),
      })
      .openapi({ description: "What was asked" }),
    total: z.number().int().openapi({ description: "reindex: files to look at (known once listed); embed: chunks in the library", example: 30 }),
    done: z.number().int().openapi({ description: "reindex: files looked at so far; embed: chunks with a vector under the new model", example: 12 }),
    current: z
      .string()
      .nullable()
      .openapi({ description: "reindex: the file being indexed; embed: the last chunk embedded (the position a restart resumes after)" }),
    counts: z.record(z.string(), z.number().int()).openapi({
      description: "reindex: added, updated, unchanged, removed, failed, embeddingRetries; embed: embedded, alreadyEmbedded, embeddingRetries",
      example: { added: 2, updated: 1, unchanged: 27, removed: 0, failed: 0, embeddingRetries: 0 },
    }),
    failures: z
      .array(
        z.object({
          file: z.string().openapi({ description: "The file" }),
          reason: z.string().openapi({ example: "scanned_pdf" }),
          message: z.string().openapi({ description: "What went wrong" }),
        }),
      )
      .openapi({ description: "Files that could not be indexed, with reasons" }),
    error: z.string().nullable().openapi({ description: "Why a failed job failed" }),
    attempts: z.number().int().openapi({ description: "Runs of this job: more than 1 when a restart resumed it", example: 1 }),
    createdAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }),
    startedAt: z.string().nullable().openapi({ example: "2026-11-30T09:00:00.050Z" }),
    finishedAt: z.string().nullable().openapi({ example: "2026-11-30T09:00:09.800Z" }),
    cancelRequested: z.boolean().openapi({ description: "A cancel was asked for; the job stops between documents" }),
  })
  .openapi("Job");

const PolicyId = z.string().min(1).max(200).openapi({ description: "Policy id", example: "wh-gaoqi-reward-2026" });
const JobIdParams = z.object({ id: z.string().min(1).max(100).openapi({ description: "Job id", example: "job_3f9a0c2e4b7d4e1a" }) });

const reindexRoute = createRoute({
  method: "post",
  path: "/v1/admin/reindex",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "Re-index folders, files, URLs or chosen policies (changed documents only, unless force)",
  request: {
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z
            .object({
              paths: z
                .array(z.string().min(1).max(500))
                .min(1)
                .max(100)
                .optional()
                .openapi({
                  description: "Folders or files under ADMIN_INGEST_ROOTS (default, when neither urls nor ids are given: every root)",
                  example: ["data/policies"],
                }),
              urls: z
                .array(z.string().url().max(2000))
                .min(1)
                .max(1000)
                .optional()
                .openapi({
                  description: "Policy documents to fetch, each under one of ADMIN_URL_PREFIXES",
                  example: ["https://kjj.wuhan.gov.cn/zcfg/notice-2026-01.html"],
                }),
              ids: z
                .array(z.string().min(1).max(200))
                .min(1)
                .max(1000)
                .optional()
                .openapi({ description: "Re-index these policies from their source files or URLs", example: ["wh-gaoqi-reward-2026"] }),
              force: z.boolean().optional().openapi({ description: "Re-index unchanged documents too (default false: only changed ones)" }),
              prune: z
                .boolean()
                .optional()
                .openapi({ description: "Delete policies whose file has gone from these folders (default true for folders, false for urls and ids)" }),
            })
            .openapi("ReindexRequest"),
        },
      },
    },
  },
  responses: {
    202: jsonResponse(JobSchema, "The job, queued; follow it at GET /v1/admin/jobs/{id}"),
    400: jsonResponse(ErrorSchema, "A path outside the allowed roots, a URL outside ADMIN_URL_PREFIXES, or a bad body"),
    404: jsonResponse(ErrorSchema, "An id that names no policy"),
    409: jsonResponse(ErrorSchema, "conflict: a re-index is already running (the message names it)"),
    501: jsonResponse(ErrorSchema, "not_implemented: on Cloudflare Workers; staff jobs run on the Node server"),
    ...accessErrors("admin"),
  },
});
const listRoute = createRoute({
  method: "get",
  path: "/v1/admin/jobs",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "Recent jobs, newest first",
  responses: { 200: jsonResponse(z.object({ items: z.array(JobSchema).openapi({ description: "Up to 20 jobs" }) }), "Jobs"), ...accessErrors("admin") },
});
const getRoute = createRoute({
  method: "get",
  path: "/v1/admin/jobs/{id}",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "One job's progress",
  request: { params: JobIdParams },
  responses: { 200: jsonResponse(JobSchema, "The job"), 404: jsonResponse(ErrorSchema, "No such job"), ...accessErrors("admin") },
});
const cancelRoute = createRoute({
  method: "post",
  path: "/v1/admin/jobs/{id}/cancel",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "Stop a live job between documents (what it stored stays)",
  request: { params: JobIdParams },
  responses: {
    200: jsonResponse(JobSchema, "The job, cancel requested"),
    404: jsonResponse(ErrorSchema, "No such job"),
    409: jsonResponse(ErrorSchema, "The job has already ended"),
    ...accessErrors("admin"),
  },
});
const withdrawRoute = createRoute({
  method: "post",
  path: "/v1/admin/policies/{id}/withdraw",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "Withdraw a policy: it leaves answers and matching at once, and stays readable",
  request: { params: z.object({ id: PolicyId }) },
  responses: {
    200: jsonResponse(
      z.object({
        id: z.string().openapi({ example: "wh-gaoqi-reward-2026" }),
        status: z.literal("withdrawn").openapi({ description: "The policy's new status" }),
      }),
      "Withdrawn",
    ),
    404: jsonResponse(ErrorSchema, "No such policy"),
    ...accessErrors("admin"),
  },
});

const versionsRoute = createRoute({
  method: "get",
  path: "/v1/admin/policies/{id}/versions",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "A policy's earlier versions, and what changed since the one before the current",
  request: {
    params: z.object({ id: PolicyId }),
    query: z.object({
      against: z.coerce
        .number()
        .int()
        .min(1)
        .optional()
        .openapi({ description: "Diff the current text against this version (default: the latest earlier one)", example: 1 }),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({
        id: z.string().openapi({ example: "wh-gaoqi-reward-2026" }),
        current: z
          .object({
            contentHash: z.string().nullable().openapi({ description: "Hash of the indexed file" }),
            title: z.string().openapi({ description: "Current title" }),
            chunkCount: z.number().int().openapi({ example: 7 }),
          })
          .nullable()
          .openapi({ description: "The version in service; null once deleted" }),
        versions: z
          .array(
            z.object({
              version: z.number().int().openapi({ example: 1 }),
              contentHash: z.string().nullable().openapi({ description: "Hash of that version's file" }),
              title: z.string().openapi({ description: "Its title" }),
              replacedAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }),
              chunkCount: z.number().int().openapi({ example: 6 }),
            }),
          )
          .openapi({ description: "Earlier versions, newest first" }),
        diff: z
          .object({
            against: z.number().int().openapi({ example: 1 }),
            added: z.array(z.string()).openapi({
              description:
                "Lines added, in document order: a line diff (longest common subsequence), so a condition moved elsewhere is removed at its old place and added at its new one",
            }),
            removed: z.array(z.string()).openapi({ description: "Lines removed, in document order" }),
          })
          .nullable()
          .openapi({ description: "Current text against an earlier version" }),
      }),
      "Versions and a diff",
    ),
    404: jsonResponse(ErrorSchema, "No such policy and no earlier versions"),
    ...accessErrors("admin"),
  },
});

const uploadRoute = createRoute({
  method: "post",
  path: "/v1/admin/upload",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "Upload policy files (txt/md/html/pdf/docx) and index them as one job",
  description:
    "multipart/form-data with one or more `files` parts; all of them together within UPLOAD_MAX_BYTES. A file with the name of an earlier upload replaces it (a new version); the files are stored only once their job is accepted, so a refused upload (409) changes nothing. Each file is at most UPLOAD_MAX_BYTES and its text at most 2,000,000 characters, else it is a `too_large` failure of the job. A name too long for the file system (over 255 bytes, or a policy id over 200 characters) is cut, keeping its extension, and tagged with a short hash of the whole name.",
  request: {
    body: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: z
            .object({ files: z.any().openapi({ type: "array", items: { type: "string", format: "binary" }, description: "The policy files" }) })
            .openapi("Upload"),
        },
      },
    },
  },
  responses: {
    202: jsonResponse(JobSchema, "The files are stored and their re-index job queued"),
    400: jsonResponse(ErrorSchema, "No files, or a file type that cannot be read"),
    409: jsonResponse(ErrorSchema, "conflict: a re-index is already running"),
    501: jsonResponse(ErrorSchema, "not_implemented: on Cloudflare Workers; uploads run on the Node server"),
    413: jsonResponse(ErrorSchema, "payload_too_large: the upload is over UPLOAD_MAX_BYTES"),
    ...accessErrors("admin"),
  },
});

/**
 * A URL is allowed when it has the origin of a prefix and its normalised path
 * starts with the prefix's: no user-info tricks (https://gov.cn@127.0.0.1/),
 * no ../ climbing out of the prefix.
 */
export function urlAllowed(url: string, prefixes: string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (!/^https?:$/.test(u.protocol) || u.username || u.password) return false;
  return prefixes.some((prefix) => {
    const p = new URL(prefix);
    return p.origin === u.origin && u.pathname.startsWith(p.pathname);
  });
}

/** Where chosen policies came from: their files, or the URLs they were fetched from. */
async function sourcesOf(deps: { db: Queryable }, ids: string[]): Promise<{ paths: string[]; urls: string[] }> {
  const policies = new Map((await getPolicies(deps.db, ids)).map((p) => [p.id, p]));
  const missing = ids.filter((id) => !policies.get(id)?.sourceFile);
  if (missing.length) throw new AppError("not_found", `ids: 没有这些政策或它们没有源文件：${missing.join("、")}`);
  const sources = ids.map((id) => policies.get(id)!.sourceFile!);
  return { paths: sources.filter((s) => !/^https?:\/\//i.test(s)), urls: sources.filter((s) => /^https?:\/\//i.test(s)) };
}

const ModelName = z.string().min(1).max(200);
const embeddingsRoute = createRoute({
  method: "get",
  path: "/v1/admin/embeddings",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "Embedding models: which answers queries, which are configured, and how much of the library each covers",
  responses: {
    200: jsonResponse(
      z
        .object({
          active: z.string().nullable().openapi({ description: "The model that answers queries", example: "local-hash-v1-1024" }),
          configured: z
            .array(
              z.object({
                model: z.string().openapi({ example: "openai:bge-m3" }),
                role: z.enum(["current", "next"]).openapi({ description: "EMBEDDING_* or NEXT_EMBEDDING_*" }),
              }),
            )
            .openapi({ description: "Models this server can embed with" }),
          models: z
            .array(
              z.object({
                model: z.string().openapi({ example: "local-hash-v1-1024" }),
                dims: z.number().int().nullable().openapi({ example: 1024 }),
                status: z
                  .enum(["active", "building", "retired"])
                  .openapi({ description: "active answers queries; building is being filled; retired was replaced and is kept until deleted" }),
                activatedAt: z.string().nullable().openapi({ example: "2026-11-30T09:00:00.000Z" }),
                vectors: z.number().int().openapi({ description: "Chunks with a vector under this model", example: 1880 }),
                coverage: z.number().openapi({ description: "vectors / chunks", example: 1 }),
              }),
            )
            .openapi({ description: "Models with vectors in the library" }),
          chunks: z.number().int().openapi({ description: "Chunks in the library", example: 1880 }),
        })
        .openapi("EmbeddingStatus"),
      "The library's embedding models",
    ),
    ...accessErrors("admin"),
  },
});
const switchRoute = createRoute({
  method: "post",
  path: "/v1/admin/embeddings/switch",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "Switch to another embedding model without downtime: its vectors are filled in the background, the active model serves until they are complete",
  request: {
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z
            .object({ model: ModelName.optional().openapi({ description: "Default: the NEXT_EMBEDDING_* model", example: "openai:bge-m3" }) })
            .openapi("EmbeddingSwitchRequest"),
        },
      },
    },
  },
  responses: {
    202: jsonResponse(JobSchema, "The switch job, queued; follow it at GET /v1/admin/jobs/{id}"),
    400: jsonResponse(ErrorSchema, "The model is not configured on this server"),
    409: jsonResponse(ErrorSchema, "conflict: the model is already active, or a switch is running"),
    501: jsonResponse(ErrorSchema, "not_implemented: on Cloudflare Workers; switches run on the Node server"),
    ...accessErrors("admin"),
  },
});
const dropModelRoute = createRoute({
  method: "delete",
  path: "/v1/admin/embeddings/{model}",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "Delete a model that no longer answers queries (its vectors and index)",
  request: { params: z.object({ model: ModelName.openapi({ description: "Model name", example: "local-hash-v1-1024" }) }) },
  responses: {
    200: jsonResponse(
      z.object({ model: z.string().openapi({ example: "local-hash-v1-1024" }), deleted: z.literal(true).openapi({ description: "Its vectors are gone" }) }),
      "Deleted",
    ),
    404: jsonResponse(ErrorSchema, "No such model"),
    409: jsonResponse(ErrorSchema, "conflict: the model is the active one"),
    ...accessErrors("admin"),
  },
});

const UPLOADABLE = /\.(txt|md|markdown|html?|pdf|docx)$/i;

export const adminRoutes = new OpenAPIHono<AppEnv>()
  .openapi(uploadRoute, async (c) => {
    const deps = c.get("deps");
    requireBackgroundWork(deps, "上传与重建索引");
    const form = await c.req.parseBody({ all: true });
    const files = [form.files ?? []].flat().filter((f): f is File => typeof f === "object" && f !== null && "arrayBuffer" in f);
    if (files.length === 0) throw new AppError("bad_request", "files: 请以 multipart/form-data 上传至少一个文件（字段名 files）");
    const bad = files.find((f) => !UPLOADABLE.test(f.name));
    if (bad) throw new AppError("bad_request", `files: 不支持的文件类型：${bad.name}（支持 txt/md/html/pdf/docx）`);
    // Stored only once the job is accepted: a refused upload (409) changes no file.
    const job = await acceptUpload(
      deps,
      files.map((f) => ({ name: f.name, bytes: async () => new Uint8Array(await f.arrayBuffer()) })),
    );
    runInBackground(deps, job.id);
    return c.json(job, 202);
  })
  .openapi(reindexRoute, async (c) => {
    const deps = c.get("deps");
    requireBackgroundWork(deps, "重建索引");
    const body = (c.req.valid("json") ?? {}) as { paths?: string[]; urls?: string[]; ids?: string[]; force?: boolean; prune?: boolean };
    const picked = body.ids ? await sourcesOf(deps, body.ids) : { paths: [], urls: [] };
    const paths = [...(body.paths ?? (body.urls || body.ids ? [] : deps.admin.ingestRoots)), ...picked.paths].map((p) => resolve(p));
    const urls = [...(body.urls ?? []), ...picked.urls];
    const roots = [...deps.admin.ingestRoots, ...(body.ids ? [deps.admin.uploadDir] : [])].map((r) => resolve(r));
    for (const p of paths) {
      if (!roots.some((r) => p === r || p.startsWith(r + sep))) throw new AppError("bad_request", `paths: ${p} 不在允许的目录（ADMIN_INGEST_ROOTS）之内`);
    }
    for (const u of urls) {
      if (!deps.admin.urlPrefixes.length) throw new AppError("bad_request", "urls: 未开启从网址获取文件（ADMIN_URL_PREFIXES 为空）");
      if (!urlAllowed(u, deps.admin.urlPrefixes)) {
        throw new AppError("bad_request", `urls: ${u} 不在允许的网址前缀（ADMIN_URL_PREFIXES）之内`);
      }
    }
    const params = {
      paths,
      prune: body.prune ?? !(body.urls || body.ids),
      ...(urls.length ? { urls } : {}),
      ...(body.force ? { force: true } : {}),
      ...(body.ids ? { ids: body.ids } : {}),
    };
    const job = await createReindexJob(deps.db, params, deps.clock.now());
    // The job runs on after the response; its progress is in the database.
    runInBackground(deps, job.id);
    return c.json(job, 202);
  })
  .openapi(embeddingsRoute, async (c) => c.json(await embeddingStatus(c.get("deps")), 200))
  .openapi(switchRoute, async (c) => {
    const deps = c.get("deps");
    requireBackgroundWork(deps, "向量模型切换");
    const body = (c.req.valid("json") ?? {}) as { model?: string };
    const job = await createEmbedJob(deps, body.model, deps.clock.now());
    runInBackground(deps, job.id);
    return c.json(job, 202);
  })
  .openapi(dropModelRoute, async (c) => {
    const { model } = c.req.valid("param");
    await dropEmbeddingModel(c.get("deps"), model);
    return c.json({ model, deleted: true as const }, 200);
  })
  .openapi(listRoute, async (c) => c.json({ items: await listJobs(c.get("deps").db) }, 200))
  .openapi(getRoute, async (c) => {
    const job = await getJob(c.get("deps").db, c.req.valid("param").id);
    if (!job) throw new AppError("not_found", `没有这个任务：${c.req.valid("param").id}`);
    return c.json(job, 200);
  })
  .openapi(cancelRoute, async (c) => c.json(await cancelJob(c.get("deps").db, c.req.valid("param").id), 200))
  .openapi(versionsRoute, async (c) => c.json(await policyVersions(c.get("deps").db, c.req.valid("param").id, c.req.valid("query").against), 200))
  .openapi(withdrawRoute, async (c) => {
    const { id } = c.req.valid("param");
    await withdrawPolicy(c.get("deps").db, id);
    return c.json({ id, status: "withdrawn" as const }, 200);
  });
