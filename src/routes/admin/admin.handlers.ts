import { createEmbedJob, dropEmbeddingModel, embeddingStatus } from "../../admin/embedding-switch.js";
import { type ReindexRequest, reindexParams } from "../../admin/reindex-request.js";
import { acceptUpload } from "../../admin/uploads.js";
import { policyVersions } from "../../admin/versions.js";
import type { AppRouteHandler } from "../../app-env.js";
import { createReindexJob } from "../../ingest/reindex-job.js";
import { LISTED_JOB_KINDS, runInBackground } from "../../job-runners.js";
import { cancelJob, getJob, listJobs, requireBackgroundWork } from "../../jobs/queue.js";
import { AppError } from "../../lib/errors.js";
import { withdrawPolicy } from "../../policies/catalogue.js";
import type * as routes from "./admin.routes.js";

const UPLOADABLE = /\.(txt|md|markdown|html?|pdf|docx)$/i;

export const upload: AppRouteHandler<typeof routes.uploadRoute> = async (c) => {
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
};

export const reindex: AppRouteHandler<typeof routes.reindexRoute> = async (c) => {
  const deps = c.get("deps");
  requireBackgroundWork(deps, "重建索引");
  const body = (c.req.valid("json") ?? {}) as ReindexRequest;
  const params = await reindexParams(deps.db, deps.admin, body);
  const job = await createReindexJob(deps.db, params, deps.clock.now());
  // The job runs on after the response; its progress is in the database.
  runInBackground(deps, job.id);
  return c.json(job, 202);
};

export const embeddings: AppRouteHandler<typeof routes.embeddingsRoute> = async (c) => c.json(await embeddingStatus(c.get("deps")), 200);

export const switchModel: AppRouteHandler<typeof routes.switchRoute> = async (c) => {
  const deps = c.get("deps");
  requireBackgroundWork(deps, "向量模型切换");
  const body = (c.req.valid("json") ?? {}) as { model?: string };
  const job = await createEmbedJob(deps, body.model, deps.clock.now());
  runInBackground(deps, job.id);
  return c.json(job, 202);
};

export const dropModel: AppRouteHandler<typeof routes.dropModelRoute> = async (c) => {
  const { model } = c.req.valid("param");
  await dropEmbeddingModel(c.get("deps"), model);
  return c.json({ model, deleted: true as const }, 200);
};

export const list: AppRouteHandler<typeof routes.listRoute> = async (c) => c.json({ items: await listJobs(c.get("deps").db, LISTED_JOB_KINDS) }, 200);

export const get: AppRouteHandler<typeof routes.getRoute> = async (c) => {
  const job = await getJob(c.get("deps").db, c.req.valid("param").id);
  if (!job) throw new AppError("not_found", `没有这个任务：${c.req.valid("param").id}`);
  return c.json(job, 200);
};

export const cancel: AppRouteHandler<typeof routes.cancelRoute> = async (c) => c.json(await cancelJob(c.get("deps").db, c.req.valid("param").id), 200);

export const versions: AppRouteHandler<typeof routes.versionsRoute> = async (c) =>
  c.json(await policyVersions(c.get("deps").db, c.req.valid("param").id, c.req.valid("query").against), 200);

export const withdraw: AppRouteHandler<typeof routes.withdrawRoute> = async (c) => {
  const { id } = c.req.valid("param");
  await withdrawPolicy(c.get("deps").db, id);
  return c.json({ id, status: "withdrawn" as const }, 200);
};
