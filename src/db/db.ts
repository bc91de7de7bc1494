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
  let out = "[";
  for (let i = 0; i < values.length; i++) out += (i ? "," : "") + Number(values[i]).toPrecision(7);
  return out + "]";
}

/** pgvector text literal for a sparse vector (`$1::sparsevec`): indices are 1-based. */
export function toSparseLiteral(entries: Map<number, number>, dims: number): string {
  const parts = [...entries].sort((a, b) => a[0] - b[0]).map(([i, v]) => `${i}:${v.toPrecision(6)}`);
  return `{${parts.join(",")}}/${dims}`;
}
