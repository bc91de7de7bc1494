/** The one database interface all code uses; PGlite and node-postgres both implement it. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs fn in one transaction: all of its writes become visible together, or none. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** pgvector text literal for a dense vector parameter (`$1::vector`). */
export function toVectorLiteral(values: ArrayLike<number>): string {
  // One join, not +=: a concatenated string keeps its pieces (about 60 KB per 1,024-d vector instead of 11 KB).
  return `[${Array.from(values, (x) => Number(x).toPrecision(7)).join(",")}]`;
}

/** pgvector text literal for a sparse vector (`$1::sparsevec`): indices are 1-based. */
export function toSparseLiteral(entries: Map<number, number>, dims: number): string {
  const parts = [...entries].sort((a, b) => a[0] - b[0]).map(([i, v]) => `${i}:${v.toPrecision(6)}`);
  return `{${parts.join(",")}}/${dims}`;
}
