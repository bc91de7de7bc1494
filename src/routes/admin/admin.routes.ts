import { createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../../access/middleware.js";
import { accessErrors, ErrorSchema, jsonResponse } from "../schemas.js";

const JobSchema = z
  .object({
    id: z.string().openapi({ example: "job_3f9a0c2e4b7d4e1a" }),
    kind: z.enum(["reindex", "embed", "batch", "webhook"]).openapi({
      description:
        "What the job does: re-index documents, fill in a new embedding model's vectors and switch to it, match a batch of companies, or deliver one webhook (not in the list: see a subscription's delivery log)",
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
        notificationId: z.string().optional().openapi({ description: "webhook: the notification sent" }),
        subscriptionId: z.string().optional().openapi({ description: "webhook: the subscription it is sent to" }),
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

export const reindexRoute = createRoute({
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
export const listRoute = createRoute({
  method: "get",
  path: "/v1/admin/jobs",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "Recent jobs, newest first",
  responses: { 200: jsonResponse(z.object({ items: z.array(JobSchema).openapi({ description: "Up to 20 jobs" }) }), "Jobs"), ...accessErrors("admin") },
});
export const getRoute = createRoute({
  method: "get",
  path: "/v1/admin/jobs/{id}",
  middleware: [authorize("admin")] as const,
  tags: ["admin"],
  summary: "One job's progress",
  request: { params: JobIdParams },
  responses: { 200: jsonResponse(JobSchema, "The job"), 404: jsonResponse(ErrorSchema, "No such job"), ...accessErrors("admin") },
});
export const cancelRoute = createRoute({
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
export const withdrawRoute = createRoute({
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

export const versionsRoute = createRoute({
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

export const uploadRoute = createRoute({
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

const ModelName = z.string().min(1).max(200);
export const embeddingsRoute = createRoute({
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
export const switchRoute = createRoute({
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
export const dropModelRoute = createRoute({
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
