import type { Db, Queryable } from "./db.js";

export type SessionRecord = { id: string; userId: string | null; profile: Record<string, unknown>; expiresAt: string };
export type TurnRecord = { seq: number; question: string; answer: string; policyIds: string[]; mode: string };

/** The live session with this id, or the user's most recent live one. */
export async function findSession(db: Queryable, tenantId: string, by: { id?: string; userId?: string }, now: Date): Promise<SessionRecord | undefined> {
  const { rows } = by.id
    ? await db.query<SessionRow>("SELECT id, user_id, profile, expires_at FROM sessions WHERE id = $1 AND tenant_id = $2 AND expires_at > $3", [
        by.id,
        tenantId,
        now.toISOString(),
      ])
    : await db.query<SessionRow>(
        "SELECT id, user_id, profile, expires_at FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND expires_at > $3 ORDER BY updated_at DESC LIMIT 1",
        [tenantId, by.userId, now.toISOString()],
      );
  return rows[0] && toSession(rows[0]);
}

export async function createSession(db: Queryable, s: { id: string; tenantId: string; userId?: string; now: Date; expiresAt: Date }): Promise<SessionRecord> {
  await db.query("INSERT INTO sessions (id, tenant_id, user_id, created_at, updated_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)", [
    s.id,
    s.tenantId,
    s.userId ?? null,
    s.now.toISOString(),
    s.expiresAt.toISOString(),
  ]);
  return { id: s.id, userId: s.userId ?? null, profile: {}, expiresAt: s.expiresAt.toISOString() };
}

export async function recentTurns(db: Queryable, sessionId: string, limit: number): Promise<TurnRecord[]> {
  const { rows } = await db.query<{ seq: number; question: string; answer: string; policy_ids: string[]; mode: string }>(
    "SELECT seq, question, answer, policy_ids, mode FROM session_turns WHERE session_id = $1 ORDER BY seq DESC LIMIT $2",
    [sessionId, limit],
  );
  return rows.reverse().map((r) => ({ seq: r.seq, question: r.question, answer: r.answer, policyIds: r.policy_ids, mode: r.mode }));
}

/** Records a turn and the profile gathered so far, and pushes the expiry forward; one transaction. */
export async function appendTurn(
  db: Db,
  sessionId: string,
  turn: Omit<TurnRecord, "seq">,
  profile: Record<string, unknown>,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO session_turns (session_id, seq, question, answer, policy_ids, mode, created_at)
       SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6 FROM session_turns WHERE session_id = $1`,
      [sessionId, turn.question, turn.answer, turn.policyIds, turn.mode, now.toISOString()],
    );
    await tx.query("UPDATE sessions SET profile = $2, updated_at = $3, expires_at = $4 WHERE id = $1", [
      sessionId,
      JSON.stringify(profile),
      now.toISOString(),
      expiresAt.toISOString(),
    ]);
  });
}

/** Forgets sessions past their expiry (their turns go with them). */
export async function deleteExpiredSessions(db: Queryable, now: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>("WITH gone AS (DELETE FROM sessions WHERE expires_at <= $1 RETURNING 1) SELECT count(*)::int AS n FROM gone", [
    now.toISOString(),
  ]);
  return rows[0].n;
}

type SessionRow = { id: string; user_id: string | null; profile: Record<string, unknown>; expires_at: Date | string };

const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  profile: r.profile,
  expiresAt: new Date(r.expires_at).toISOString(),
});
