import { toSql } from "pgvector";

/** The one database interface all code uses; PGlite and node-postgres both implement it. */
/**
 * pgvector's HNSW search returns at most `hnsw.ef_search` rows (its default, 40); the vector path asks for
 * 160 (twice its 80 candidates), so each session is given more than that.
 */
export const HNSW_EF_SEARCH = 200;

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs fn in one transaction: all of its writes become visible together, or none. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** pgvector text literal for a dense vector parameter (`$1::vector`), each value at the 7 significant digits a float4 keeps. */
export function toVectorLiteral(values: ArrayLike<number>): string {
  return toSql(Array.from(values, (x) => Number(Number(x).toPrecision(7))));
}

/**
 * pgvector text literal for a sparse vector (`$1::sparsevec`): indices are 1-based. Not pgvector's SparseVector,
 * which writes each double in full: the stored lexical weights, and the scores the memory index reproduces, are these 6 digits.
 */
export function toSparseLiteral(entries: Map<number, number>, dims: number): string {
  const parts = [...entries].sort((a, b) => a[0] - b[0]).map(([i, v]) => `${i}:${v.toPrecision(6)}`);
  return `{${parts.join(",")}}/${dims}`;
}

/** pgvector's text form of a sparse vector (`{1:0.5,7:2}/dims`) read back: its indices, and its values as the float32 pgvector holds. */
export function parseSparseLiteral(text: string): { indices: Uint32Array; values: Float32Array } {
  const close = text.lastIndexOf("}/");
  if (text.charCodeAt(0) !== 123 || close < 0) throw new Error(`not a sparsevec literal: ${text.slice(0, 40)}`);
  let n = 0;
  for (let i = 1; i < close; i++) if (text.charCodeAt(i) === 58) n++;
  const indices = new Uint32Array(n);
  const values = new Float32Array(n);
  for (let i = 0, at = 1; i < n; i++) {
    let index = 0;
    for (let c = text.charCodeAt(at); c !== 58; c = text.charCodeAt(++at)) index = index * 10 + c - 48;
    const end = i + 1 < n ? text.indexOf(",", at) : close;
    const value = Number(text.slice(at + 1, end));
    if (!Number.isFinite(value) || !(index > 0)) throw new Error(`not a sparsevec literal: ${text.slice(0, 40)}`);
    indices[i] = index;
    values[i] = value;
    at = end + 1;
  }
  return { indices, values };
}
