/**
 * Every kind of job and the feature that runs it: the one place where the
 * job queue (src/jobs/) meets the features, so that neither imports the other
 * back.
 */
import { runEmbedJob } from "./admin/embedding-switch.js";
import { runBatchJob } from "./companies/batch.js";
import { type DeliveryDeps, deliverWebhook, webhookRetry, webhooksEnabled } from "./companies/webhook-delivery.js";
import type { IngestDeps, IngestOptions } from "./ingest/ingest.js";
import { runReindexJob } from "./ingest/reindex-job.js";
import type { JobKind } from "./jobs/job.js";
import { createJobQueue } from "./jobs/queue.js";

/** What any job may need: the library and its embedders (re-index and switch), the clock, the limits and the webhook settings. */
export type JobDeps = IngestDeps & DeliveryDeps;

export const { runJob, runInBackground, resumeJobs, pool } = createJobQueue<JobDeps, Pick<IngestOptions, "onProgress">>({
  reindex: runReindexJob,
  embed: (deps, job) => runEmbedJob(deps, job),
  batch: (deps, job) => runBatchJob(deps, job),
  webhook: { run: deliverWebhook, retry: webhookRetry, enabled: webhooksEnabled },
});

/** The kinds staff see in the job list: a webhook delivery is one per company and policy, and has its own log (GET /v1/subscriptions/:id/deliveries). */
export const LISTED_JOB_KINDS: JobKind[] = ["reindex", "embed", "batch"];
