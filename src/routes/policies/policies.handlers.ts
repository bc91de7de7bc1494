import { tenantOf } from "../../access/middleware.js";
import type { AppRouteHandler } from "../../app-env.js";
import { candidatesFor } from "../../companies/matching.js";
import { AppError } from "../../lib/errors.js";
import { getChunkPage, getPolicies, listPolicies } from "../../policies/catalogue.js";
import type { PolicyRecord } from "../../policies/policy.js";
import { parseRegion } from "../../policies/region.js";
import type * as routes from "./policies.routes.js";

const publicPolicy = (p: PolicyRecord) => ({
  id: p.id,
  title: p.title,
  docNumber: p.docNumber,
  issuer: p.issuer,
  region: p.region,
  regionPath: p.regionPath,
  level: p.level,
  publishedAt: p.publishedAt,
  applyStart: p.applyStart,
  applyEnd: p.applyEnd,
  validUntil: p.validUntil,
  source: p.source,
  format: p.format,
  status: p.status,
  tags: p.tags,
  chunkCount: p.chunkCount,
});

export const list: AppRouteHandler<typeof routes.listRoute> = async (c) => {
  const { db } = c.get("deps");
  const q = c.req.valid("query");
  const { items, total } = await listPolicies(db, {
    status: q.status,
    level: q.level,
    q: q.q,
    region: q.region ? parseRegion(q.region) : undefined,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return c.json({ items: items.map(publicPolicy), total, page: q.page, pageSize: q.pageSize }, 200);
};

export const get: AppRouteHandler<typeof routes.getRoute> = async (c) => {
  const { db } = c.get("deps");
  const { id } = c.req.valid("param");
  const [policy] = await getPolicies(db, [id]);
  if (!policy) throw new AppError("not_found", `没有编号为 ${id} 的政策`);
  const { chunkOffset: offset, chunkLimit: limit } = c.req.valid("query");
  const chunks = await getChunkPage(db, id, offset, limit);
  const nextOffset = offset + limit < policy.chunkCount ? offset + limit : null;
  return c.json(
    {
      ...publicPolicy(policy),
      criteria: policy.criteria,
      chunks: chunks.map(({ policyId: _p, ...c }) => c),
      chunkPage: { offset, limit, total: policy.chunkCount, nextOffset },
    },
    200,
  );
};

export const candidates: AppRouteHandler<typeof routes.candidatesRoute> = async (c) => {
  const deps = c.get("deps");
  const { id } = c.req.valid("param");
  const [policy] = await getPolicies(deps.db, [id]);
  if (!policy) throw new AppError("not_found", `没有这项政策：${id}`);
  return c.json({ policyId: id, title: policy.title, candidates: await candidatesFor(deps, tenantOf(c), policy) }, 200);
};
