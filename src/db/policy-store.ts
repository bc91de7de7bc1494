import type { PolicyCriteria } from "../policies/criteria.js";
import type { ChunkRecord, PolicyRecord, StoredChunk } from "../policies/policy.js";
import type { PolicyStructure } from "../policies/structure.js";
import { CHUNK_COUNT_TERM } from "../retrieval/lexical.js";
import type { Db, Queryable } from "./db.js";
import { recordLibraryChange } from "./library-log.js";
import { insertVectors, type ModelVectors } from "./vector-store.js";

const POLICY_COLUMNS = `id, title, doc_number AS "docNumber", issuer, region, region_path AS "regionPath", level,
  to_char(published_at, 'YYYY-MM-DD') AS "publishedAt", to_char(apply_start, 'YYYY-MM-DD') AS "applyStart",
  to_char(apply_end, 'YYYY-MM-DD') AS "applyEnd", to_char(valid_until, 'YYYY-MM-DD') AS "validUntil",
  source, source_file AS "sourceFile", format, content_hash AS "contentHash", status, tags, meta,
  text_chars AS "textChars", chunk_count AS "chunkCount", criteria, structure, updated_at AS "updatedAt"`;

export type StoredHashes = { contentHash: string; criteriaRules: string | null };

/** What decides whether a stored policy is current: its content hash, and the rules its criteria came from. */
export async function getPolicyHashes(db: Queryable, ids: string[]): Promise<Map<string, StoredHashes>> {
  const { rows } = await db.query<{ id: string; content_hash: string; criteria_rules: string | null }>(
    "SELECT id, content_hash, criteria_rules FROM policies WHERE id = ANY($1::text[])",
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { contentHash: r.content_hash, criteriaRules: r.criteria_rules }]));
}

/** Replaces only a policy's criteria and structure (re-derived by newer rules): its text, chunks and versions stay. */
export async function updatePolicyCriteria(db: Db, id: string, criteria: PolicyCriteria, structure: PolicyStructure, criteriaRules: string) {
  await db.transaction(async (tx) => {
    await tx.query("UPDATE policies SET criteria = $2::jsonb, structure = $3::jsonb, criteria_rules = $4 WHERE id = $1", [
      id,
      JSON.stringify(criteria),
      JSON.stringify(structure),
      criteriaRules,
    ]);
    await recordLibraryChange(tx, { reason: "criteria re-derived", policyIds: [id] });
  });
}

/** Chunks per statement when a policy is stored. */
const STORE_SLICE = 500;

/**
 * Replaces a policy and all its chunks in one transaction, keeping the term
 * statistics exact: nobody ever sees half a policy.
 */
export async function replacePolicy(db: Db, policy: PolicyRecord, chunks: ChunkRecord[], vectors: ModelVectors[]) {
  await db.transaction(async (tx) => {
    await keepVersion(tx, policy.id, policy.contentHash);
    const removed = await removeChunks(tx, policy.id);
    await tx.query(
      `INSERT INTO policies (id, title, doc_number, issuer, region, region_path, level, published_at, apply_start, apply_end,
         valid_until, source, source_file, format, content_hash, status, tags, meta, text_chars, chunk_count, criteria, criteria_rules, structure)
       VALUES ($1,$2,$3,$4,$5,$6::text[],$7,$8::date,$9::date,$10::date,$11::date,$12,$13,$14,$15,$16,$17::text[],$18::jsonb,$19,$20,$21::jsonb,$22,$23::jsonb)
       ON CONFLICT (id) DO UPDATE SET title=EXCLUDED.title, doc_number=EXCLUDED.doc_number, issuer=EXCLUDED.issuer,
         region=EXCLUDED.region, region_path=EXCLUDED.region_path, level=EXCLUDED.level, published_at=EXCLUDED.published_at,
         apply_start=EXCLUDED.apply_start, apply_end=EXCLUDED.apply_end, valid_until=EXCLUDED.valid_until, source=EXCLUDED.source,
         source_file=EXCLUDED.source_file, format=EXCLUDED.format, content_hash=EXCLUDED.content_hash, status=EXCLUDED.status,
         tags=EXCLUDED.tags, meta=EXCLUDED.meta, text_chars=EXCLUDED.text_chars, chunk_count=EXCLUDED.chunk_count,
         criteria=EXCLUDED.criteria, criteria_rules=EXCLUDED.criteria_rules, structure=EXCLUDED.structure, updated_at=now()`,
      [
        policy.id,
        policy.title,
        policy.docNumber,
        policy.issuer,
        policy.region,
        policy.regionPath,
        policy.level,
        policy.publishedAt,
        policy.applyStart,
        policy.applyEnd,
        policy.validUntil,
        policy.source,
        policy.sourceFile,
        policy.format,
        policy.contentHash,
        policy.status,
        policy.tags,
        JSON.stringify(policy.meta),
        policy.textChars,
        chunks.length,
        JSON.stringify(policy.criteria),
        policy.criteriaRules ?? null,
        policy.structure ? JSON.stringify(policy.structure) : null,
      ],
    );
    // Last: the generation row is locked until commit, after the term rows (see recordLibraryChange).
    const changed = { reason: "policy indexed", policyIds: [policy.id], chunkIds: [...removed, ...chunks.map((c) => c.id)] };
    if (chunks.length === 0) return void (await recordLibraryChange(tx, changed));
    // In slices: one statement for a policy of thousands of chunks would hold all of them, as text, in the database's memory at once.
    for (let i = 0; i < chunks.length; i += STORE_SLICE) {
      const slice = chunks.slice(i, i + STORE_SLICE);
      await tx.query(
        `INSERT INTO chunks (id, policy_id, position, heading, text, words, tsv, lexical)
         SELECT u.id, $1, u.position, u.heading, u.text, u.words, array_to_tsvector(string_to_array(u.terms, ' ')), u.lexical::sparsevec
         FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           AS u(id, position, heading, text, words, terms, lexical)`,
        [
          policy.id,
          slice.map((c) => c.id),
          slice.map((c) => c.position),
          slice.map((c) => c.heading),
          slice.map((c) => c.text),
          slice.map((c) => c.words),
          slice.map((c) => [...new Set(c.terms)].join(" ")),
          slice.map((c) => c.lexical),
        ],
      );
      for (const v of vectors)
        await insertVectors(
          tx,
          v.model,
          slice.map((c) => c.id),
          v.embeddings.slice(i, i + STORE_SLICE),
        );
    }
    const df = new Map<string, number>([[CHUNK_COUNT_TERM, chunks.length]]);
    for (const c of chunks) for (const t of new Set(c.terms)) df.set(t, (df.get(t) ?? 0) + 1);
    // Sorted so concurrent writers lock term rows in the same order (no deadlock).
    const terms = [...df.keys()].sort();
    await tx.query(
      `INSERT INTO term_stats (term, df) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (term) DO UPDATE SET df = term_stats.df + EXCLUDED.df`,
      [terms, terms.map((t) => df.get(t)!)],
    );
    await recordLibraryChange(tx, changed);
  });
}

/**
 * Adds many new policies in one transaction (bulk loads, the scale benchmark):
 * the same rows and exact term statistics as replacePolicy, in a few statements.
 */
export async function insertPolicies(db: Db, items: Array<{ policy: PolicyRecord; chunks: ChunkRecord[]; vectors: ModelVectors[] }>) {
  if (items.length === 0) return;
  const chunks = items.flatMap(({ policy, chunks }) => chunks.map((c) => ({ ...c, policyId: policy.id })));
  const df = new Map<string, number>([[CHUNK_COUNT_TERM, chunks.length]]);
  for (const c of chunks) for (const t of new Set(c.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const terms = [...df.keys()].sort();
  const col = <K extends keyof PolicyRecord>(k: K) => items.map((i) => i.policy[k]);
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO policies (id, title, doc_number, issuer, region, region_path, level, published_at, source, source_file, format,
         content_hash, status, meta, text_chars, chunk_count, criteria, structure)
       SELECT u.id, u.title, u.doc_number, u.issuer, u.region, string_to_array(u.region_path, '/'), u.level, u.published_at::date, u.source,
              u.source_file, u.format, u.content_hash, u.status, u.meta::jsonb, u.text_chars, u.chunk_count, u.criteria::jsonb, u.structure::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                   $11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::int[], $17::text[], $18::text[])
         AS u(id, title, doc_number, issuer, region, region_path, level, published_at, source, source_file, format, content_hash, status,
              meta, text_chars, chunk_count, criteria, structure)`,
      [
        col("id"),
        col("title"),
        col("docNumber"),
        col("issuer"),
        col("region"),
        items.map((i) => i.policy.regionPath.join("/")),
        col("level"),
        col("publishedAt"),
        col("source"),
        col("sourceFile"),
        col("format"),
        col("contentHash"),
        col("status"),
        items.map((i) => JSON.stringify(i.policy.meta)),
        col("textChars"),
        items.map((i) => i.chunks.length),
        items.map((i) => JSON.stringify(i.policy.criteria)),
        items.map((i) => (i.policy.structure ? JSON.stringify(i.policy.structure) : null)),
      ],
    );
    await tx.query(
      `INSERT INTO chunks (id, policy_id, position, heading, text, words, tsv, lexical)
       SELECT u.id, u.policy_id, u.position, u.heading, u.text, u.words, array_to_tsvector(string_to_array(u.terms, ' ')), u.lexical::sparsevec
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS u(id, policy_id, position, heading, text, words, terms, lexical)`,
      [
        chunks.map((c) => c.id),
        chunks.map((c) => c.policyId),
        chunks.map((c) => c.position),
        chunks.map((c) => c.heading),
        chunks.map((c) => c.text),
        chunks.map((c) => c.words),
        chunks.map((c) => [...new Set(c.terms)].join(" ")),
        chunks.map((c) => c.lexical),
      ],
    );
    const byModel = new Map<string, { ids: string[]; embeddings: string[] }>();
    for (const { chunks, vectors } of items) {
      for (const v of vectors) {
        const m = byModel.get(v.model) ?? byModel.set(v.model, { ids: [], embeddings: [] }).get(v.model)!;
        m.ids.push(...chunks.map((c) => c.id));
        m.embeddings.push(...v.embeddings);
      }
    }
    for (const [model, m] of byModel) await insertVectors(tx, model, m.ids, m.embeddings);
    await tx.query(
      `INSERT INTO term_stats (term, df) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (term) DO UPDATE SET df = term_stats.df + EXCLUDED.df`,
      [terms, terms.map((t) => df.get(t)!)],
    );
    await recordLibraryChange(tx, { reason: "policies added in bulk", policyIds: items.map((i) => i.policy.id), chunkIds: chunks.map((c) => c.id) });
  });
}

/** Deletes a policy's chunks and takes them out of the term statistics; returns their ids. */
async function removeChunks(tx: Queryable, policyId: string): Promise<string[]> {
  await tx.query(
    `WITH old AS (
       SELECT t.term, count(*)::int AS n FROM chunks c, unnest(tsvector_to_array(c.tsv)) AS t(term)
       WHERE c.policy_id = $1 GROUP BY t.term
       UNION ALL SELECT '', count(*)::int FROM chunks WHERE policy_id = $1
     )
     UPDATE term_stats s SET df = s.df - old.n FROM old WHERE s.term = old.term`,
    [policyId],
  );
  const { rows } = await tx.query<{ id: string }>("DELETE FROM chunks WHERE policy_id = $1 RETURNING id", [policyId]);
  return rows.map((r) => r.id);
}

/** The version about to be replaced (by other content) or deleted is kept, whole, for audit and diffs. */
async function keepVersion(tx: Queryable, id: string, nextHash: string | null) {
  await tx.query(
    `INSERT INTO policy_versions (policy_id, version, content_hash, title, record, chunks)
     SELECT p.id, coalesce((SELECT max(v.version) FROM policy_versions v WHERE v.policy_id = p.id), 0) + 1, p.content_hash, p.title,
            to_jsonb(p) - 'criteria',
            (SELECT coalesce(jsonb_agg(jsonb_build_object('position', c.position, 'heading', c.heading, 'text', c.text) ORDER BY c.position), '[]'::jsonb)
               FROM chunks c WHERE c.policy_id = p.id)
     FROM policies p WHERE p.id = $1 AND ($2::text IS NULL OR p.content_hash IS DISTINCT FROM $2)`,
    [id, nextHash],
  );
}

export async function deletePolicy(db: Db, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await keepVersion(tx, id, null);
    const removed = await removeChunks(tx, id);
    const { rows } = await tx.query("DELETE FROM policies WHERE id = $1 RETURNING id", [id]);
    if (rows.length > 0 || removed.length > 0) await recordLibraryChange(tx, { reason: "policy deleted", policyIds: [id], chunkIds: removed });
    return rows.length > 0;
  });
}

export async function getPolicies(db: Queryable, ids: string[]): Promise<PolicyRecord[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<PolicyRecord>(`SELECT ${POLICY_COLUMNS} FROM policies WHERE id = ANY($1::text[])`, [ids]);
  return rows;
}

export type PolicyListFilter = { status?: string; region?: string[]; q?: string; level?: string; limit: number; offset: number };

export async function listPolicies(db: Queryable, f: PolicyListFilter): Promise<{ items: PolicyRecord[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.status) where.push(`status = $${params.push(f.status)}`);
  if (f.level) where.push(`level = $${params.push(f.level)}`);
  if (f.region?.length) where.push(`region_path <@ $${params.push(f.region)}::text[]`);
  if (f.q) where.push(`(title ILIKE $${params.push(`%${f.q}%`)} OR doc_number ILIKE $${params.length})`);
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM policies ${clause}`, params);
  const { rows } = await db.query<PolicyRecord>(
    `SELECT ${POLICY_COLUMNS} FROM policies ${clause} ORDER BY published_at DESC NULLS LAST, id
     LIMIT $${params.push(f.limit)} OFFSET $${params.push(f.offset)}`,
    params,
  );
  return { items: rows, total: total.rows[0]?.n ?? 0 };
}

const LIBRARY_PAGE = 1000;

/** Every policy (of one status, when given), read page by page: what matching judges. */
export async function listAllPolicies(db: Queryable, status?: PolicyRecord["status"]): Promise<PolicyRecord[]> {
  const out: PolicyRecord[] = [];
  for (let offset = 0; ; offset += LIBRARY_PAGE) {
    const page = await listPolicies(db, { status, limit: LIBRARY_PAGE, offset });
    out.push(...page.items);
    if (page.items.length < LIBRARY_PAGE) return out;
  }
}

export async function getChunksOf(db: Queryable, policyIds: string[]): Promise<StoredChunk[]> {
  if (policyIds.length === 0) return [];
  const { rows } = await db.query<StoredChunk>(
    `SELECT id, policy_id AS "policyId", position, heading, text FROM chunks WHERE policy_id = ANY($1::text[]) ORDER BY policy_id, position`,
    [policyIds],
  );
  return rows;
}

export async function termDocumentFrequencies(db: Queryable, terms: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ term: string; df: number }>("SELECT term, df FROM term_stats WHERE term = ANY($1::text[]) AND df > 0", [
    [...new Set([...terms, CHUNK_COUNT_TERM])],
  ]);
  return new Map(rows.map((r) => [r.term, r.df]));
}

export async function recordIngestRun(
  db: Queryable,
  run: { source: string; added: number; updated: number; unchanged: number; removed: number; failed: number; failures: unknown[] },
) {
  await db.query(
    `INSERT INTO ingest_runs (source, finished_at, added, updated, unchanged, removed, failed, failures)
     VALUES ($1, now(), $2, $3, $4, $5, $6, $7::jsonb)`,
    [run.source, run.added, run.updated, run.unchanged, run.removed, run.failed, JSON.stringify(run.failures)],
  );
}

export async function listPolicySourceFiles(db: Queryable): Promise<Array<{ id: string; sourceFile: string | null }>> {
  const { rows } = await db.query<{ id: string; sourceFile: string | null }>('SELECT id, source_file AS "sourceFile" FROM policies');
  return rows;
}

/** Sets a policy's status (withdrawn, say); false when there is no such policy. */
export async function setPolicyStatus(db: Db, id: string, status: PolicyRecord["status"]): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query("UPDATE policies SET status = $2 WHERE id = $1 RETURNING id", [id, status]);
    if (rows.length > 0) await recordLibraryChange(tx, { reason: `status set to ${status}`, policyIds: [id] });
    return rows.length > 0;
  });
}

/** Active policies past their valid-until date become expired: out of matching, still readable. Returns their ids. */
export async function expirePastPolicies(db: Db, today: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      "UPDATE policies SET status = 'expired' WHERE status = 'active' AND valid_until IS NOT NULL AND valid_until < $1::date RETURNING id",
      [today],
    );
    const ids = rows.map((r) => r.id);
    if (ids.length) await recordLibraryChange(tx, { reason: "expired by date", policyIds: ids });
    return ids;
  });
}

export type PolicyVersion = { version: number; contentHash: string | null; title: string; replacedAt: string; chunkCount: number };
export type VersionChunk = { position: number; heading: string | null; text: string };

/** Earlier versions of a policy, newest first (their texts stay in the database: see getVersionChunks). */
export async function getPolicyVersions(db: Queryable, id: string): Promise<PolicyVersion[]> {
  const { rows } = await db.query<{ version: number; content_hash: string | null; title: string; replaced_at: Date | string; chunk_count: number }>(
    "SELECT version, content_hash, title, replaced_at, jsonb_array_length(chunks) AS chunk_count FROM policy_versions WHERE policy_id = $1 ORDER BY version DESC",
    [id],
  );
  return rows.map((r) => ({
    version: r.version,
    contentHash: r.content_hash,
    title: r.title,
    replacedAt: new Date(r.replaced_at).toISOString(),
    chunkCount: r.chunk_count,
  }));
}

/** The passages of one earlier version, in order. */
export async function getVersionChunks(db: Queryable, id: string, version: number): Promise<VersionChunk[]> {
  const { rows } = await db.query<{ chunks: VersionChunk[] }>("SELECT chunks FROM policy_versions WHERE policy_id = $1 AND version = $2", [id, version]);
  return rows[0]?.chunks ?? [];
}

/** One page of a policy's passages, in order. */
export async function getChunkPage(db: Queryable, policyId: string, offset: number, limit: number): Promise<StoredChunk[]> {
  const { rows } = await db.query<StoredChunk>(
    `SELECT id, policy_id AS "policyId", position, heading, text FROM chunks WHERE policy_id = $1 ORDER BY position LIMIT $2 OFFSET $3`,
    [policyId, limit, offset],
  );
  return rows;
}

// The library as a whole: its size, its version (ingest runs), the criteria stored for it, the planner's statistics.
export async function libraryCounts(db: Queryable): Promise<{ policies: number; chunks: number }> {
  const { rows } = await db.query<{ policies: number; chunks: number }>(
    "SELECT (SELECT count(*)::int FROM policies) AS policies, (SELECT count(*)::int FROM chunks) AS chunks",
  );
  return rows[0];
}

/** Changes whenever an ingest run (or an embedding switch) is recorded: what cached answers are keyed on. */
export async function libraryVersion(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ v: string }>("SELECT coalesce(max(id), 0)::text AS v FROM ingest_runs");
  return rows[0].v;
}

/** Every indexed policy's stored criteria, in id order. */
export async function storedCriteria(db: Queryable): Promise<PolicyCriteria[]> {
  const { rows } = await db.query<{ criteria: PolicyCriteria }>("SELECT criteria FROM policies ORDER BY id");
  return rows.map((r) => r.criteria);
}

/** Fresh statistics after policies changed, or the planner keeps estimating an empty table and skips the indexes. */
export async function analyzeLibrary(db: Queryable): Promise<void> {
  await db.query("ANALYZE policies, chunks, term_stats");
}
