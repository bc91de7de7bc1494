import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join, resolve, sep } from "node:path";
import { cancelJob, createReindexJob, getJob, listJobs, runJob } from "../admin/jobs.js";
import type { AppEnv } from "../app-env.js";
import { getChunksOf, getPolicies, getPolicyVersions, setPolicyStatus } from "../db/policy-store.js";
import { diffText } from "../admin/versions.js";
import { AppError } from "../lib/errors.js";
import { accessErrors, ErrorSchema, jsonResponse } from "./schemas.js";

const JobSchema = z
  .object({
    id: z.string().openapi({ example: "job_3f9a0c2e4b7d4e1a" }),
    kind: z.literal("reindex").openapi({ description: "What the job does" }),
    status: z.enum(["queued", "running", "done", "failed", "cancelled"]).openapi({ description: "Where the job is" }),
    params: z.object({ paths: z.array(z.string()).openapi({ description: "Folders or files indexed" }), prune: z.boolean().openapi({ description: "Policies whose file is gone are deleted" }) }).openapi({ description: "What was asked" }),
    total: z.number().int().openapi({ description: "Files to look at (known once the run has listed them)", example: 30 }),
    done: z.number().int().openapi({ description: "Files looked at so far", example: 12 }),
    current: z.string().nullable().openapi({ description: "The file being indexed" }),
    counts: z.record(z.string(), z.number().int()).openapi({ description: "added, updated, unchanged, removed, failed", example: { added: 2, updated: 1, unchanged: 27, removed: 0, failed: 0 } }),
    failures: z
      .array(z.object({ file: z.string().openapi({ description: "The file" }), reason: z.string().openapi({ example: "scanned_pdf" }), message: z.string().openapi({ description: "What went wrong" }) }))
      .openapi({ description: "Files that could not be indexed, with reasons" }),
    error: z.string().nullable().openapi({ description: "Why a failed job failed" }),
    attempts: z.number().int().openapi({ description: "Runs of this job: more than 1 when a restart resumed it", example: 1 }),
    createdAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }),
    startedAt: z.string().nullable().openapi({ example: "2026-11-30T09:00:00.050Z" }),
    finishedAt: z.string().nullable().openapi({ example: "2026-11-30T09:00:09.800Z" }),
    cancelRequested: z.boolean().openapi({ description: "A cancel was asked for; the job stops between documents" }),
  })
  .openapi("Job");

const JobIdParams = z.object({ id: z.string().min(1).max(100).openapi({ description: "Job id", example: "job_3f9a0c2e4b7d4e1a" }) });

const reindexRoute = createRoute({
  method: "post",
  path: "/v1/admin/reindex",
  tags: ["admin"],
  summary: "Re-index folders or files the server can read (changed files only; unchanged ones are skipped by content hash)",
  request: {
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z
            .object({
              paths: z.array(z.string().min(1).max(500)).min(1).max(100).optional().openapi({ description: "Folders or files under ADMIN_INGEST_ROOTS (default: the demo library folder)", example: ["data/policies"] }),
              prune: z.boolean().optional().openapi({ description: "Delete policies whose file has gone from these folders (default true)" }),
            })
            .openapi("ReindexRequest"),
        },
      },
    },
  },
  responses: {
    202: jsonResponse(JobSchema, "The job, queued; follow it at GET /v1/admin/jobs/{id}"),
    400: jsonResponse(ErrorSchema, "A path outside the allowed roots, or a bad body"),
    409: jsonResponse(ErrorSchema, "conflict: a re-index is already running (the message names it)"),
    ...accessErrors("admin"),
  },
});
const listRoute = createRoute({ method: "get", path: "/v1/admin/jobs", tags: ["admin"], summary: "Recent jobs, newest first", responses: { 200: jsonResponse(z.object({ items: z.array(JobSchema).openapi({ description: "Up to 20 jobs" }) }), "Jobs"), ...accessErrors("admin") } });
const getRoute = createRoute({
  method: "get", path: "/v1/admin/jobs/{id}", tags: ["admin"], summary: "One job's progress", request: { params: JobIdParams },
  responses: { 200: jsonResponse(JobSchema, "The job"), 404: jsonResponse(ErrorSchema, "No such job"), ...accessErrors("admin") },
});
const cancelRoute = createRoute({
  method: "post", path: "/v1/admin/jobs/{id}/cancel", tags: ["admin"], summary: "Stop a live job between documents (what it stored stays)", request: { params: JobIdParams },
  responses: { 200: jsonResponse(JobSchema, "The job, cancel requested"), 404: jsonResponse(ErrorSchema, "No such job"), 409: jsonResponse(ErrorSchema, "The job has already ended"), ...accessErrors("admin") },
});
const withdrawRoute = createRoute({
  method: "post", path: "/v1/admin/policies/{id}/withdraw", tags: ["admin"], summary: "Withdraw a policy: it leaves answers and matching at once, and stays readable",
  request: { params: z.object({ id: z.string().min(1).max(200).openapi({ description: "Policy id", example: "wh-gaoqi-reward-2026" }) }) },
  responses: {
    200: jsonResponse(z.object({ id: z.string().openapi({ example: "wh-gaoqi-reward-2026" }), status: z.literal("withdrawn").openapi({ description: "The policy's new status" }) }), "Withdrawn"),
    404: jsonResponse(ErrorSchema, "No such policy"),
    ...accessErrors("admin"),
  },
});

const versionsRoute = createRoute({
  method: "get", path: "/v1/admin/policies/{id}/versions", tags: ["admin"], summary: "A policy's earlier versions, and what changed since the one before the current",
  request: {
    params: z.object({ id: z.string().min(1).max(200).openapi({ description: "Policy id", example: "wh-gaoqi-reward-2026" }) }),
    query: z.object({ against: z.coerce.number().int().min(1).optional().openapi({ description: "Diff the current text against this version (default: the latest earlier one)", example: 1 }) }),
  },
  responses: {
    200: jsonResponse(
      z.object({
        id: z.string().openapi({ example: "wh-gaoqi-reward-2026" }),
        current: z
          .object({ contentHash: z.string().nullable().openapi({ description: "Hash of the indexed file" }), title: z.string().openapi({ description: "Current title" }), chunkCount: z.number().int().openapi({ example: 7 }) })
          .nullable()
          .openapi({ description: "The version in service; null once deleted" }),
        versions: z
          .array(z.object({ version: z.number().int().openapi({ example: 1 }), contentHash: z.string().nullable().openapi({ description: "Hash of that version's file" }), title: z.string().openapi({ description: "Its title" }), replacedAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }), chunkCount: z.number().int().openapi({ example: 6 }) }))
          .openapi({ description: "Earlier versions, newest first" }),
        diff: z
          .object({ against: z.number().int().openapi({ example: 1 }), added: z.array(z.string()).openapi({ description: "Lines in the current text only" }), removed: z.array(z.string()).openapi({ description: "Lines in the earlier version only" }) })
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
  tags: ["admin"],
  summary: "Upload policy files (txt/md/html/pdf/docx) and index them as one job",
  description: "multipart/form-data with one or more `files` parts; all of them together within UPLOAD_MAX_BYTES. A file with the name of an earlier upload replaces it (a new version).",
  request: {
    body: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: z.object({ files: z.any().openapi({ type: "array", items: { type: "string", format: "binary" }, description: "The policy files" }) }).openapi("Upload"),
        },
      },
    },
  },
  responses: {
    202: jsonResponse(JobSchema, "The files are stored and their re-index job queued"),
    400: jsonResponse(ErrorSchema, "No files, or a file type that cannot be read"),
    409: jsonResponse(ErrorSchema, "conflict: a re-index is already running"),
    413: jsonResponse(ErrorSchema, "payload_too_large: the upload is over UPLOAD_MAX_BYTES"),
    ...accessErrors("admin"),
  },
});

const UPLOADABLE = /\.(txt|md|markdown|html?|pdf|docx)$/i;

export const adminRoutes = new OpenAPIHono<AppEnv>()
  .openapi(uploadRoute, async (c) => {
    const deps = c.get("deps");
    const form = await c.req.parseBody({ all: true });
    const files = [form.files ?? []].flat().filter((f): f is File => typeof f === "object" && f !== null && "arrayBuffer" in f);
    if (files.length === 0) throw new AppError("bad_request", "files: 请以 multipart/form-data 上传至少一个文件（字段名 files）");
    const bad = files.find((f) => !UPLOADABLE.test(f.name));
    if (bad) throw new AppError("bad_request", `files: 不支持的文件类型：${bad.name}（支持 txt/md/html/pdf/docx）`);
    await mkdir(deps.admin.uploadDir, { recursive: true });
    const saved: string[] = [];
    for (const f of files) {
      // The name only: no folders, nothing that could climb out of the upload folder.
      const name = basename(f.name).replace(/[^\p{L}\p{N}_.-]+/gu, "_").replace(/^\.+/, "_");
      const path = join(deps.admin.uploadDir, name);
      await writeFile(path, new Uint8Array(await f.arrayBuffer()));
      saved.push(resolve(path));
    }
    const job = await createReindexJob(deps.db, { paths: saved, prune: false }, deps.clock.now());
    void runJob(deps, job.id);
    return c.json(job, 202);
  })
  .openapi(reindexRoute, async (c) => {
    const deps = c.get("deps");
    const body = (c.req.valid("json") ?? {}) as { paths?: string[]; prune?: boolean };
    const paths = (body.paths ?? deps.admin.ingestRoots).map((p) => resolve(p));
    const roots = deps.admin.ingestRoots.map((r) => resolve(r));
    for (const p of paths) {
      if (!roots.some((r) => p === r || p.startsWith(r + sep))) throw new AppError("bad_request", `paths: ${p} 不在允许的目录（ADMIN_INGEST_ROOTS）之内`);
    }
    const job = await createReindexJob(deps.db, { paths, prune: body.prune ?? true }, deps.clock.now());
    // The job runs on after the response; its progress is in the database.
    void runJob(deps, job.id);
    return c.json(job, 202);
  })
  .openapi(listRoute, async (c) => c.json({ items: await listJobs(c.get("deps").db) }, 200))
  .openapi(getRoute, async (c) => {
    const job = await getJob(c.get("deps").db, c.req.valid("param").id);
    if (!job) throw new AppError("not_found", `没有这个任务：${c.req.valid("param").id}`);
    return c.json(job, 200);
  })
  .openapi(cancelRoute, async (c) => c.json(await cancelJob(c.get("deps").db, c.req.valid("param").id), 200))
  .openapi(versionsRoute, async (c) => {
    const { id } = c.req.valid("param");
    const db = c.get("deps").db;
    const [versions, [policy], chunks] = await Promise.all([getPolicyVersions(db, id), getPolicies(db, [id]), getChunksOf(db, [id])]);
    if (!policy && versions.length === 0) throw new AppError("not_found", `没有这项政策：${id}`);
    const against = c.req.valid("query").against ?? versions[0]?.version;
    const base = versions.find((v) => v.version === against);
    if (against !== undefined && !base) throw new AppError("not_found", `没有版本 ${against}`);
    return c.json(
      {
        id,
        current: policy ? { contentHash: policy.contentHash, title: policy.title, chunkCount: chunks.length } : null,
        versions: versions.map((v) => ({ version: v.version, contentHash: v.contentHash, title: v.title, replacedAt: v.replacedAt, chunkCount: v.chunks.length })),
        diff: base ? { against: base.version, ...diffText(base.chunks.map((x) => x.text), chunks.map((x) => x.text)) } : null,
      },
      200,
    );
  })
  .openapi(withdrawRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await setPolicyStatus(c.get("deps").db, id, "withdrawn"))) throw new AppError("not_found", `没有这项政策：${id}`);
    return c.json({ id, status: "withdrawn" as const }, 200);
  });
