/**
 * Every kind of job and the feature that runs it: the one place where the
 * job queue (src/jobs/) meets the features, so that neither imports the other
 * back.
 */
import { runEmbedJob } from "./admin/embedding-switch.js";
import { runBatchJob } from "./companies/batch.js";
import type { IngestDeps, IngestOptions } from "./ingest/ingest.js";
import { runReindexJob } from "./ingest/reindex-job.js";
import { createJobQueue } from "./jobs/queue.js";

/** What any job may need: the library and its embedders (re-index and switch), the clock and the limits. */
export type JobDeps = IngestDeps;

export const { runJob, runInBackground, resumeJobs } = createJobQueue<JobDeps, Pick<IngestOptions, "onProgress">>({
  reindex: runReindexJob,
  embed: (deps, job) => runEmbedJob(deps, job),
  batch: (deps, job) => runBatchJob(deps, job),
});
