import { diffArrays } from "diff";
import type { Queryable } from "../db/db.js";
import { getChunksOf, getPolicies, getPolicyVersions, getVersionChunks } from "../db/policy-store.js";
import { AppError } from "../lib/errors.js";

/** Past this the texts are too different to diff cheaply: the result is every old line removed, every new one added. */
const DIFF_TIMEOUT_MS = 2_000;

/**
 * What changed between two versions of a policy's text, line by line
 * (sentences of a long paragraph count as lines): a longest-common-subsequence
 * line diff, so a condition moved to another place is removed there and added
 * here. Lines come in document order. A line repeated at once is read once: a
 * chunk starts with the sentence its predecessor ended with (the overlap).
 */
export function diffText(before: string[], after: string[]): { added: string[]; removed: string[] } {
  const lines = (texts: string[]) =>
    texts
      .flatMap((t) => t.split(/\n|(?<=。)/))
      .map((l) => l.trim())
      .filter(Boolean)
      .filter((l, i, all) => l !== all[i - 1]);
  const a = lines(before),
    b = lines(after);
  const changes = diffArrays(a, b, { timeout: DIFF_TIMEOUT_MS }) ?? [
    { removed: true, added: false, value: a, count: a.length },
    { added: true, removed: false, value: b, count: b.length },
  ];
  return { added: changes.filter((c) => c.added).flatMap((c) => c.value), removed: changes.filter((c) => c.removed).flatMap((c) => c.value) };
}

/**
 * A policy's kept versions, newest first, and what changed from version
 * `against` (default: the newest kept) to the current text.
 */
export async function policyVersions(db: Queryable, id: string, against?: number) {
  const [versions, [policy]] = await Promise.all([getPolicyVersions(db, id), getPolicies(db, [id])]);
  if (!policy && versions.length === 0) throw new AppError("not_found", `没有这项政策：${id}`);
  const wanted = against ?? versions[0]?.version;
  const base = versions.find((v) => v.version === wanted);
  if (wanted !== undefined && !base) throw new AppError("not_found", `没有版本 ${wanted}`);
  const [before, now] = base ? await Promise.all([getVersionChunks(db, id, base.version), getChunksOf(db, [id])]) : [[], []];
  return {
    id,
    current: policy ? { contentHash: policy.contentHash, title: policy.title, chunkCount: policy.chunkCount } : null,
    versions: versions.map((v) => ({ version: v.version, contentHash: v.contentHash, title: v.title, replacedAt: v.replacedAt, chunkCount: v.chunkCount })),
    diff: base
      ? {
          against: base.version,
          ...diffText(
            before.map((x) => x.text),
            now.map((x) => x.text),
          ),
        }
      : null,
  };
}
