import { resolve, sep } from "node:path";
import type { Queryable } from "../db/db.js";
import type { ReindexParams } from "../jobs/job.js";
import { AppError } from "../lib/errors.js";
import { getPolicies } from "../policies/catalogue.js";
import type { IngestSources } from "../settings.js";

export type ReindexRequest = { paths?: string[]; urls?: string[]; ids?: string[]; force?: boolean; prune?: boolean };

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
async function sourcesOf(db: Queryable, ids: string[]): Promise<{ paths: string[]; urls: string[] }> {
  const policies = new Map((await getPolicies(db, ids)).map((p) => [p.id, p]));
  const missing = ids.filter((id) => !policies.get(id)?.sourceFile);
  if (missing.length) throw new AppError("not_found", `ids: 没有这些政策或它们没有源文件：${missing.join("、")}`);
  const sources = ids.map((id) => policies.get(id)!.sourceFile!);
  return { paths: sources.filter((s) => !/^https?:\/\//i.test(s)), urls: sources.filter((s) => /^https?:\/\//i.test(s)) };
}

/** A staff request to re-index, checked against where staff may index from, as the job's parameters. */
export async function reindexParams(db: Queryable, allowed: IngestSources, body: ReindexRequest): Promise<ReindexParams> {
  const picked = body.ids ? await sourcesOf(db, body.ids) : { paths: [], urls: [] };
  const paths = [...(body.paths ?? (body.urls || body.ids ? [] : allowed.ingestRoots)), ...picked.paths].map((p) => resolve(p));
  const urls = [...(body.urls ?? []), ...picked.urls];
  const roots = [...allowed.ingestRoots, ...(body.ids ? [allowed.uploadDir] : [])].map((r) => resolve(r));
  for (const p of paths) {
    if (!roots.some((r) => p === r || p.startsWith(r + sep))) throw new AppError("bad_request", `paths: ${p} 不在允许的目录（ADMIN_INGEST_ROOTS）之内`);
  }
  for (const u of urls) {
    if (!allowed.urlPrefixes.length) throw new AppError("bad_request", "urls: 未开启从网址获取文件（ADMIN_URL_PREFIXES 为空）");
    if (!urlAllowed(u, allowed.urlPrefixes)) {
      throw new AppError("bad_request", `urls: ${u} 不在允许的网址前缀（ADMIN_URL_PREFIXES）之内`);
    }
  }
  return {
    paths,
    prune: body.prune ?? !(body.urls || body.ids),
    ...(urls.length ? { urls } : {}),
    ...(body.force ? { force: true } : {}),
    ...(body.ids ? { ids: body.ids } : {}),
  };
}
