import { describe, expect, it } from "vitest";
import { BATCH_SYNC_MAX, batchRunsAsJob } from "../../src/companies/batch.js";

describe("whether a batch runs as a job", () => {
  it("answers up to BATCH_SYNC_MAX companies in the request and runs more as a job", () => {
    expect(batchRunsAsJob(1, false)).toBe(false);
    expect(batchRunsAsJob(BATCH_SYNC_MAX, false)).toBe(false);
    expect(batchRunsAsJob(BATCH_SYNC_MAX + 1, false)).toBe(true);
  });

  it("runs even a small batch as a job when the caller asks", () => {
    expect(batchRunsAsJob(1, true)).toBe(true);
  });
});
