/**
 * The library as one process holds it: the in-memory lexical index of every chunk, every chunk's text
 * (what answers quote) and every policy's record (what search filters by, what matching judges), at one generation of the database (which stays the only source of truth).
 * Every writing transaction bumps the generation and logs the chunks and policies it changed
 * (src/db/library-store.ts); a process that finds the database ahead applies the changes since its
 * own generation to a copy (tombstones and the append segment, `LexicalIndex.withChanges`) and swaps
 * the copy in whole, so a request holding a snapshot never sees half a change. No SQL here: the
 * store reads the database.
 */

import { BoundedMemo } from "../lib/bounded-memo.js";
import type { Logger } from "../lib/logger.js";
import type { LibraryCounts } from "../lib/prometheus.js";
import type { PolicyRecord } from "../policies/policy.js";
import { CHUNK_COUNT_TERM, termIndex } from "./lexical.js";
import type { IndexedChunk, LexicalHit, LexicalIndex, SparseVector } from "./memory-index.js";

/** What search filters and reports a policy by. */
export type PolicyFacts = Pick<PolicyRecord, "status" | "regionPath" | "title">;

/** Which policies a search reads: SQL's `filterSql` in search-store, as a predicate. */
export type PolicyFilter = { statuses: string[]; regionPath?: string[]; placePath?: string[]; policyIds?: string[] };

/** A chunk as answers quote it: its place in its policy, heading and text (policy-store's StoredChunk). */
export type LibraryChunk = { id: string; policyId: string; position: number; heading: string | null; text: string };

export type LibraryState = { generation: number; index: LexicalIndex; policies: Map<string, PolicyRecord>; chunks: Map<string, LibraryChunk> };

/** What changed after one generation, up to `generation`, read in one database snapshot. */
export type LibraryDelta = {
  generation: number;
  /** Every chunk a change named: removed, added or rewritten. */
  chunkIds: string[];
  /** Those of them that exist at `generation`, as they are then: their weights, and their texts. */
  chunks: IndexedChunk[];
  texts: LibraryChunk[];
  /** Every policy a change named, as it is at `generation`; null when it is gone. */
  policies: Map<string, PolicyRecord | null>;
};

/** The database side (src/db/library-store.ts). Each read states the generation it saw. */
export interface LibraryStore {
  load(): Promise<LibraryState>;
  /** The database's generation now (one row). */
  generation(): Promise<number>;
  /** The changes after `generation`; null when the log no longer reaches back that far or they touch more than `maxChunks` chunks. */
  changesSince(generation: number, maxChunks: number): Promise<LibraryDelta | null>;
  /** Document frequencies of the terms (the chunk count under CHUNK_COUNT_TERM) and the generation they belong to. */
  termStats(terms: string[]): Promise<{ generation: number; df: Map<string, number> }>;
}

export type LibraryHit = LexicalHit & { policy: PolicyRecord };

/** Term frequencies kept per snapshot (about 100 bytes each). */
const DF_KEPT = 200_000;

/** Filter masks kept per snapshot (a region's or the default statuses'; never a list of policy ids). */
const MASK_CACHE = 32;

/** Strings in code point order (PostgreSQL's "C" collation); `<` compares UTF-16 code units. */
export function compareCodePoints(a: string, b: string): number {
  for (let i = 0, n = Math.min(a.length, b.length); i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate stands for a code point above U+FFFF: lift it over U+E000–FFFF.
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/** `p.region_path <@ $1`: every element of `inner` is in `outer`. */
const containedIn = (inner: string[], outer: string[]) => inner.every((p) => outer.includes(p));

/** The filter as a predicate over policies (a list of ids looked up in a set: matching passes thousands). */
export function policyPredicate(filter: PolicyFilter): (id: string, p: PolicyFacts) => boolean {
  const ids = filter.policyIds && new Set(filter.policyIds);
  return (id, p) =>
    filter.statuses.includes(p.status) &&
    (!filter.regionPath || containedIn(p.regionPath, filter.regionPath)) &&
    (!filter.placePath || containedIn(p.regionPath, filter.placePath) || containedIn(filter.placePath, p.regionPath)) &&
    (!ids || ids.has(id));
}

/** One generation of the library; immutable. */
export class LibrarySnapshot {
  private readonly masks = new BoundedMemo<string, Uint8Array>(MASK_CACHE);
  private byPolicy: Map<string, LibraryChunk[]> | undefined;

  constructor(
    readonly generation: number,
    readonly index: LexicalIndex,
    /** Every policy's record, as `getPolicies` reads it. */
    readonly policies: Map<string, PolicyRecord>,
    /** Every chunk's text, as `getChunksOf` reads it. */
    readonly chunks: Map<string, LibraryChunk>,
  ) {}

  /** The next generation: `delta` applied to copies of the index, the policies and the texts. */
  apply(delta: LibraryDelta): LibrarySnapshot {
    if (delta.generation === this.generation) return this;
    const policies = new Map(this.policies);
    for (const [id, facts] of delta.policies) {
      if (facts) policies.set(id, facts);
      else policies.delete(id);
    }
    const index = delta.chunkIds.length ? this.index.withChanges({ remove: delta.chunkIds, upsert: delta.chunks }) : this.index;
    let chunks = this.chunks;
    if (delta.chunkIds.length) {
      chunks = new Map(chunks);
      for (const id of delta.chunkIds) chunks.delete(id);
      for (const c of delta.texts) chunks.set(c.id, c);
    }
    return new LibrarySnapshot(delta.generation, index, policies, chunks);
  }

  /**
   * Document frequencies read at this generation, which cannot change within it: the database is asked for
   * a term's once per generation, not on every question (term_stats was the costliest read of a question).
   */
  private readonly dfRead = new Map<string, number>();

  /**
   * The frequencies of all these terms (those above 0), when every one was read at this generation or is in
   * no chunk of it. The index holds every chunk's terms (term_stats counts the same chunks), so a term
   * whose index position has no posting, live or removed, has none to read: a figure or a name of a
   * company's own («1234名员工») costs no database read.
   */
  knownDf(terms: string[]): Map<string, number> | undefined {
    const df = new Map<string, number>();
    for (const t of terms) {
      const n = this.dfRead.get(t);
      if (n === undefined) {
        if (t !== CHUNK_COUNT_TERM && !this.index.holds(termIndex(t))) continue;
        return undefined;
      }
      if (n > 0) df.set(t, n);
    }
    return df;
  }

  /** Keeps frequencies read at this generation (a term not in `df` has none); bounded, since questions bring new words. */
  rememberDf(terms: string[], df: Map<string, number>): void {
    for (const t of terms) {
      if (this.dfRead.size >= DF_KEPT) return;
      this.dfRead.set(t, df.get(t) ?? 0);
    }
  }

  /** The chunks of these policies, each policy's in position order: what `getChunksOf` reads (grouped by policy in the order asked). */
  chunksOf(policyIds: string[]): LibraryChunk[] {
    if (!this.byPolicy) {
      this.byPolicy = new Map();
      for (const c of this.chunks.values()) {
        const own = this.byPolicy.get(c.policyId);
        if (own) own.push(c);
        else this.byPolicy.set(c.policyId, [c]);
      }
      for (const own of this.byPolicy.values()) own.sort((a, b) => a.position - b.position);
    }
    return [...new Set(policyIds)].flatMap((id) => this.byPolicy!.get(id) ?? []);
  }

  /**
   * The `k` chunks of highest BM25 score among those of the filter's policies that hold one of
   * `anyOf`'s terms, equal scores in chunk id order: what search's SQL (`ORDER BY score, id COLLATE "C"
   * LIMIT k`) returns, to the bit.
   */
  lexicalTopK(query: SparseVector, anyOf: ArrayLike<number>, filter: PolicyFilter, k: number): LibraryHit[] {
    const allow = this.mask(filter);
    // The index breaks ties by ordinal, and a re-indexed chunk's ordinal is out of id order: ask for more
    // until every chunk tied with the k-th is in, then order the ties by id.
    let hits: LexicalHit[] = [];
    for (let want = k + 1; ; want *= 2) {
      hits = this.index.topK(query, want, { allow, anyOf });
      if (hits.length < want || hits[want - 1].score < hits[k - 1].score) break;
    }
    hits.sort((a, b) => b.score - a.score || compareCodePoints(a.chunkId, b.chunkId));
    return hits.slice(0, k).map((h) => ({ ...h, policy: this.policies.get(h.policyId)! }));
  }

  private mask(filter: PolicyFilter): Uint8Array {
    const passes = policyPredicate(filter);
    const build = () =>
      this.index.policyMask((id) => {
        const p = this.policies.get(id);
        return !!p && passes(id, p);
      });
    if (filter.policyIds) return build();
    return this.masks.get(JSON.stringify([filter.statuses, filter.regionPath, filter.placePath]), build);
  }
}

export type LibraryOptions = {
  logger?: Logger;
  /** A change set touching more chunks than this share of the library is loaded afresh rather than applied. */
  reloadShare?: number;
  /** The append segment is rebuilt whole on every change: past this many chunks (or a tenth of the library), the library is reloaded in the background. */
  compactAfter?: number;
};

/**
 * One process's library: the snapshot, brought up to a generation on demand. Loads and catch-ups run one
 * at a time; readers keep the snapshot they took until they let go of it.
 */
export class Library {
  private snapshot: LibrarySnapshot | undefined;
  private refreshing: Promise<LibrarySnapshot> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private compacting = false;
  private readonly done = { loads: 0, deltas: 0, snapshotSearches: 0, sqlFallbacks: 0 };

  constructor(
    readonly store: LibraryStore,
    private readonly options: LibraryOptions = {},
  ) {}

  counts(): LibraryCounts {
    return { generation: this.snapshot?.generation ?? 0, chunks: this.snapshot?.index.size ?? 0, ...this.done };
  }

  /** Search tells how it answered: from a snapshot, or (after repeated races with writers) from SQL. */
  searched(from: "snapshot" | "sql"): void {
    if (from === "snapshot") this.done.snapshotSearches++;
    else this.done.sqlFallbacks++;
  }

  /** The snapshot held now, if any (no database read). */
  get current(): LibrarySnapshot | undefined {
    return this.snapshot;
  }

  /** A snapshot at the database's generation now: one row read, and a catch-up when this process is behind. */
  async latest(): Promise<LibrarySnapshot> {
    const generation = await this.store.generation();
    for (;;) {
      const snapshot = await this.at(generation);
      if (snapshot.generation >= generation) return snapshot;
    }
  }

  /** A snapshot at `generation` or later: the one held, or the library brought up to date. */
  async at(generation: number): Promise<LibrarySnapshot> {
    const held = this.snapshot;
    if (held && held.generation >= generation) return held;
    return this.refresh();
  }

  /** Brings the snapshot up to the database's generation (loading it the first time); concurrent callers share one catch-up. */
  refresh(): Promise<LibrarySnapshot> {
    return (this.refreshing ??= this.serial(() => this.catchUp()).finally(() => (this.refreshing = undefined)));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async catchUp(): Promise<LibrarySnapshot> {
    const held = this.snapshot;
    if (!held) return this.install(await this.load("start"));
    const delta = await this.store.changesSince(held.generation, this.reloadLimit(held));
    const next = delta ? held.apply(delta) : await this.load("changes too large to apply, or older than the change log");
    if (delta && delta.generation > held.generation) this.done.deltas++;
    this.install(next);
    if (delta && next.index.appendedCount > Math.max(this.options.compactAfter ?? 5_000, next.index.size / 10)) this.compact();
    return next;
  }

  private reloadLimit(held: LibrarySnapshot): number {
    return Math.max(1_000, Math.floor(held.index.size * (this.options.reloadShare ?? 0.25)));
  }

  private async load(why: string): Promise<LibrarySnapshot> {
    const t0 = performance.now();
    const { generation, index, policies, chunks } = await this.store.load();
    this.done.loads++;
    this.options.logger?.info("library loaded", { why, generation, chunks: index.size, policies: policies.size, ms: Math.round(performance.now() - t0) });
    return new LibrarySnapshot(generation, index, policies, chunks);
  }

  private install(next: LibrarySnapshot): LibrarySnapshot {
    if (!this.snapshot || next.generation >= this.snapshot.generation) this.snapshot = next;
    return this.snapshot;
  }

  /** A fresh load in the background (requests go on with the snapshot held), caught up and swapped in when ready. */
  private compact(): void {
    if (this.compacting) return;
    this.compacting = true;
    this.load("compaction: the append segment outgrew its bound")
      .then((fresh) =>
        this.serial(async () => {
          const held = this.snapshot!;
          const delta = fresh.generation < held.generation ? await this.store.changesSince(fresh.generation, this.reloadLimit(held)) : undefined;
          if (delta === null) return;
          this.install(delta ? fresh.apply(delta) : fresh);
        }),
      )
      .catch((err) => this.options.logger?.warn("library compaction failed; the snapshot held goes on", { message: (err as Error).message }))
      .finally(() => (this.compacting = false));
  }
}
