/**
 * A job: work that outlives its request (a re-index, an embedding-model
 * switch, a batch match, a webhook delivery), queued and tracked in the jobs
 * table. The queue (./queue.ts) runs every kind alike; what a kind does is its
 * feature's runner.
 */
export type JobStatus = "queued" | "running" | "done" | "failed" | "cancelled";
export type JobKind = "reindex" | "embed" | "batch" | "webhook";

/** What each kind is asked to do, as stored with the job. */
export type ReindexParams = {
  paths: string[];
  prune: boolean;
  /** Documents fetched over HTTP(S) (from prefixes the configuration allows). */
  urls?: string[];
  /** Re-index even files whose content is unchanged. */
  force?: boolean;
  /** The policy ids asked for, when staff picked policies rather than folders. */
  ids?: string[];
};
export type EmbedParams = { model: string };
export type BatchParams = { tenantId: string; companies: number };
/** One notification to one webhook subscription (its row in deliveries carries the log). */
export type DeliveryParams = { notificationId: string; subscriptionId: string };

export type JobCounts = Partial<
  Record<"added" | "updated" | "unchanged" | "removed" | "failed" | "embeddingRetries" | "embedded" | "alreadyEmbedded" | "policies", number>
>;
export type JobFailure = { file: string; reason: string; message: string };

export type Job = {
  id: string;
  kind: JobKind;
  status: JobStatus;
  params: ReindexParams | EmbedParams | BatchParams | DeliveryParams;
  total: number;
  done: number;
  current: string | null;
  counts: JobCounts;
  failures: JobFailure[];
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequested: boolean;
};

/** How a kind is named to staff, in a refusal. */
export const JOB_KIND_NAMES: Record<JobKind, string> = { reindex: "重建索引任务", embed: "向量模型切换任务", batch: "批量匹配任务", webhook: "webhook 投递" };

/**
 * A process's runner of scheduled jobs (those due at a time, taken by
 * whichever process is free: webhook deliveries). Absent where no work may
 * outlive a request (Workers).
 */
export type JobPool = {
  /** Runs what is due now and keeps at it while jobs are due, running or waiting for a retry. */
  kick(): void;
  /**
   * Before a process closes its database: runs what is due, waits for what is under way for at most
   * `timeoutMs`, then hands back what is still running (queued again at once). True when nothing was handed back.
   */
  drain(timeoutMs: number): Promise<boolean>;
};
