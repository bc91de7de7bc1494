import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { createReindexJob } from "../ingest/reindex-job.js";
import type { Job } from "../jobs/job.js";
import { failJob, type QueueDeps } from "../jobs/queue.js";
import type { IngestSources } from "../settings.js";

/** File systems allow 255 bytes per name (ext4, XFS, APFS); a Chinese character is 3 of them in UTF-8. */
const MAX_NAME_BYTES = 255;
/** A policy's id is its file's name without the extension, and the API takes ids of up to 200 characters. */
const MAX_STEM_CHARS = 200;

/**
 * The name an uploaded file is stored under: its own name without folders,
 * with nothing that could climb out of the upload folder. A name too long for
 * the file system (or for a policy id) is cut at a character boundary and
 * tagged with a short hash of the whole name, so it stays unique and keeps its
 * extension; the same upload name always gives the same stored name (a new
 * version of it).
 */
export function uploadFileName(original: string): string {
  const name = basename(original)
    .replace(/[^\p{L}\p{N}_.-]+/gu, "_")
    .replace(/^\.+/, "_");
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES && stem.length <= MAX_STEM_CHARS) return name;
  const tag = `-${createHash("sha256").update(name).digest("hex").slice(0, 10)}`;
  let kept = "";
  for (const ch of stem) {
    const next = kept + ch;
    if (Buffer.byteLength(next + tag + ext) > MAX_NAME_BYTES || next.length + tag.length > MAX_STEM_CHARS) break;
    kept = next;
  }
  return `${kept}${tag}${ext}`;
}

export type UploadedFile = { name: string; bytes: () => Promise<Uint8Array> };

/**
 * Queues the re-index of uploaded files, then stores them. A refused job (one
 * is live already) leaves every stored file as it was. Each file is written
 * aside and renamed into place, so none is ever half-written; a file that
 * cannot be stored fails the job.
 */
export async function acceptUpload(deps: QueueDeps & { admin: IngestSources }, files: UploadedFile[]): Promise<Job> {
  const targets = files.map((f) => ({ file: f, path: resolve(join(deps.admin.uploadDir, uploadFileName(f.name))) }));
  const job = await createReindexJob(deps.db, { paths: [...new Set(targets.map((t) => t.path))], prune: false }, deps.clock.now());
  try {
    await mkdir(deps.admin.uploadDir, { recursive: true });
    for (const { file, path } of targets) {
      // A hidden name without a policy extension: an ingest of the folder meanwhile never reads it.
      const part = join(deps.admin.uploadDir, `.upload-${randomUUID()}.part`);
      try {
        await writeFile(part, await file.bytes());
        await rename(part, path);
      } finally {
        await rm(part, { force: true });
      }
    }
  } catch (err) {
    await failJob(deps, job.id, err as Error);
    throw err;
  }
  return job;
}
