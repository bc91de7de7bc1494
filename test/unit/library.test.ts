import { describe, expect, it } from "vitest";
import type { PolicyRecord } from "../../src/policies/policy.js";
import { CHUNK_COUNT_TERM, termIndex } from "../../src/retrieval/lexical.js";
import { compareCodePoints, Library, type LibraryDelta, type LibraryStore } from "../../src/retrieval/library.js";
import { type IndexedChunk, LexicalIndex, type SparseVector } from "../../src/retrieval/memory-index.js";

const vector = (entries: Array<[number, number]>): SparseVector => ({
  indices: Uint32Array.from(entries, ([i]) => i),
  values: Float32Array.from(entries, ([, v]) => v),
});

const policy = (id: string, status: PolicyRecord["status"] = "active", regionPath: string[] = []): PolicyRecord =>
  ({ id, title: `${id} 的标题`, status, regionPath }) as PolicyRecord;

/** A database in miniature: chunks and policies by generation, and the change log between them. */
function fakeStore(chunks: IndexedChunk[], policies: PolicyRecord[]) {
  const state = { generation: 0, chunks: new Map(chunks.map((c) => [c.chunkId, c])), policies: new Map(policies.map((p) => [p.id, p])) };
  const log: Array<{ generation: number; chunkIds: string[]; policyIds: string[] }> = [];
  const calls = { loads: 0, deltas: 0 };
  const store: LibraryStore = {
    async load() {
      calls.loads++;
      return {
        generation: state.generation,
        index: LexicalIndex.build([...state.chunks.values()].sort((a, b) => compareCodePoints(a.chunkId, b.chunkId))),
        policies: new Map(state.policies),
        chunks: new Map(),
      };
    },
    generation: async () => state.generation,
    async changesSince(since, maxChunks): Promise<LibraryDelta | null> {
      calls.deltas++;
      const entries = log.filter((e) => e.generation > since);
      if (entries.length !== state.generation - since) return null;
      const chunkIds = [...new Set(entries.flatMap((e) => e.chunkIds))];
      if (chunkIds.length > maxChunks) return null;
      const policyIds = [...new Set(entries.flatMap((e) => e.policyIds))];
      return {
        generation: state.generation,
        chunkIds,
        chunks: chunkIds.flatMap((id) => state.chunks.get(id) ?? []),
        texts: [],
        policies: new Map(policyIds.map((id) => [id, state.policies.get(id) ?? null])),
      };
    },
    termStats: async () => ({ generation: state.generation, df: new Map() }),
  };
  const commit = (change: { upsert?: IndexedChunk[]; remove?: string[]; policies?: PolicyRecord[] }) => {
    for (const id of change.remove ?? []) state.chunks.delete(id);
    for (const c of change.upsert ?? []) state.chunks.set(c.chunkId, c);
    for (const p of change.policies ?? []) state.policies.set(p.id, p);
    log.push({
      generation: ++state.generation,
      chunkIds: [...(change.remove ?? []), ...(change.upsert ?? []).map((c) => c.chunkId)],
      policyIds: (change.policies ?? []).map((p) => p.id),
    });
  };
  return { store, commit, calls, log, state };
}

const Q = vector([[7, 1]]);
const ALL = { statuses: ["active"] };

describe("Library: one process's snapshot, following the database's generation", () => {
  it("orders chunks of equal score by id, a re-indexed chunk's place in the append segment notwithstanding", async () => {
    // Twelve chunks of one score: SQL's `ORDER BY score, id COLLATE "C" LIMIT 5` takes a#0 … a#4 whatever was re-indexed.
    const chunks = Array.from({ length: 12 }, (_, i) => ({ chunkId: `a#${i.toString().padStart(2, "0")}`, policyId: "a", lexical: vector([[7, 2]]) }));
    const { store, commit } = fakeStore(chunks, [policy("a")]);
    const library = new Library(store);
    await library.refresh();
    commit({ upsert: [chunks[0], chunks[3]] });
    const snapshot = await library.refresh();
    expect(snapshot.index.appendedCount).toBe(2);
    expect(snapshot.lexicalTopK(Q, [7], ALL, 5).map((h) => h.chunkId)).toEqual(["a#00", "a#01", "a#02", "a#03", "a#04"]);
  });

  it("selects candidates by their terms and filters by status, region and ids as SQL's filter does", async () => {
    const chunks = [
      { chunkId: "bj#0", policyId: "bj", lexical: vector([[7, 3]]) },
      {
        chunkId: "hd#0",
        policyId: "hd",
        lexical: vector([
          [7, 2.5],
          [9, 1],
        ]),
      },
      {
        chunkId: "sh#0",
        policyId: "sh",
        lexical: vector([
          [7, 1],
          [9, 1],
        ]),
      },
      { chunkId: "nat#0", policyId: "nat", lexical: vector([[9, 1]]) },
    ];
    const { store } = fakeStore(chunks, [
      policy("bj", "active", ["北京市"]),
      policy("hd", "active", ["北京市", "海淀区"]),
      policy("sh", "expired", ["上海市"]),
      policy("nat"),
    ]);
    const snapshot = await new Library(store).refresh();
    const ids = (anyOf: number[], filter: Parameters<typeof snapshot.lexicalTopK>[2]) =>
      snapshot
        .lexicalTopK(
          vector([
            [7, 1],
            [9, 1],
          ]),
          anyOf,
          filter,
          10,
        )
        .map((h) => h.chunkId);
    expect(ids([7, 9], { statuses: ["active", "expired"] })).toEqual(["hd#0", "bj#0", "sh#0", "nat#0"]);
    // Only chunks holding a selecting term are candidates; the others still score on every term.
    expect(ids([9], { statuses: ["active", "expired"] })).toEqual(["hd#0", "sh#0", "nat#0"]);
    expect(ids([7, 9], ALL)).toEqual(["hd#0", "bj#0", "nat#0"]);
    // region_path <@ the company's path: Beijing's and national policies, not Haidian's for a company elsewhere in Beijing.
    expect(ids([7, 9], { statuses: ["active"], regionPath: ["北京市", "朝阳区"] })).toEqual(["bj#0", "nat#0"]);
    // A named place: its branch, above and below it.
    expect(ids([7, 9], { statuses: ["active"], placePath: ["北京市"] })).toEqual(["hd#0", "bj#0", "nat#0"]);
    expect(ids([7, 9], { statuses: ["active"], policyIds: ["nat", "bj"] })).toEqual(["bj#0", "nat#0"]);
  });

  it("applies each change to a copy and swaps it in: a reader keeps the snapshot it took, whole", async () => {
    const { store, commit, calls } = fakeStore([{ chunkId: "a#0", policyId: "a", lexical: vector([[7, 1]]) }], [policy("a")]);
    const library = new Library(store);
    const first = await library.refresh();
    commit({ upsert: [{ chunkId: "b#0", policyId: "b", lexical: vector([[7, 2]]) }], policies: [policy("b")] });
    commit({ remove: ["a#0"] });
    commit({ policies: [policy("b", "withdrawn")] });
    const held = await library.at(0);
    expect(held).toBe(first);
    const latest = await library.latest();
    expect(latest.generation).toBe(3);
    expect(latest.lexicalTopK(Q, [7], ALL, 10)).toEqual([]);
    expect(latest.lexicalTopK(Q, [7], { statuses: ["withdrawn"] }, 10).map((h) => h.chunkId)).toEqual(["b#0"]);
    expect(first.lexicalTopK(Q, [7], ALL, 10).map((h) => h.chunkId)).toEqual(["a#0"]);
    expect(first.generation).toBe(0);
    // Three generations in one catch-up, never a reload.
    expect(calls).toEqual({ loads: 1, deltas: 1 });
  });

  it("shares one catch-up among concurrent callers, and reloads when the log no longer reaches its generation", async () => {
    const { store, commit, calls, log } = fakeStore([{ chunkId: "a#0", policyId: "a", lexical: vector([[7, 1]]) }], [policy("a")]);
    const library = new Library(store);
    await library.refresh();
    commit({ upsert: [{ chunkId: "a#1", policyId: "a", lexical: vector([[7, 1]]) }] });
    const [x, y, z] = await Promise.all([library.refresh(), library.latest(), library.at(1)]);
    expect(x).toBe(y);
    expect(y).toBe(z);
    expect(calls).toEqual({ loads: 1, deltas: 1 });
    commit({ remove: ["a#1"] });
    log.length = 0;
    const reloaded = await library.refresh();
    expect(calls.loads).toBe(2);
    expect(reloaded.generation).toBe(2);
    expect(reloaded.index.size).toBe(1);
  });

  it("compacts in the background once the append segment outgrows its bound, catching up on what landed meanwhile", async () => {
    const base = Array.from({ length: 50 }, (_, i) => ({ chunkId: `a#${i}`, policyId: "a", lexical: vector([[7, 1 + i / 100]]) }));
    const { store, commit, calls } = fakeStore(base, [policy("a")]);
    const library = new Library(store, { compactAfter: 3 });
    await library.refresh();
    commit({ upsert: base.slice(0, 6) });
    const grown = await library.refresh();
    expect(grown.index.appendedCount).toBe(6);
    commit({ remove: ["a#49"] });
    await expect.poll(() => library.current!.index.appendedCount).toBe(0);
    const compacted = await library.latest();
    expect(calls.loads).toBe(2);
    expect(compacted.generation).toBe(2);
    expect(compacted.index.size).toBe(49);
    expect(compacted.lexicalTopK(Q, [7], ALL, 1).map((h) => h.chunkId)).toEqual(["a#48"]);
  });

  it("keeps the term frequencies read at its generation, a term without chunks among them, and a new generation starts afresh", async () => {
    const holding = (chunkId: string, ...terms: string[]): IndexedChunk => ({
      chunkId,
      policyId: chunkId.split("#")[0],
      lexical: vector([...new Set(terms.map(termIndex))].sort((x, y) => x - y).map((i) => [i, 1] as [number, number])),
    });
    const { store, commit } = fakeStore([holding("a#0", "高新", "补贴", "研发")], [policy("a")]);
    const library = new Library(store);
    const first = await library.refresh();
    expect(first.knownDf(["高新", "补贴"])).toBeUndefined();
    first.rememberDf(["高新", "补贴"], new Map([["高新", 3]]));
    expect(first.knownDf(["高新", "补贴"])).toEqual(new Map([["高新", 3]]));
    // One term never read: nothing is known, so the caller reads them all.
    expect(first.knownDf(["高新", "研发"])).toBeUndefined();
    // A term no chunk holds has no frequency to read; the chunk count always has one.
    expect(first.knownDf(["高新", "1234名"])).toEqual(new Map([["高新", 3]]));
    expect(first.knownDf(["高新", CHUNK_COUNT_TERM])).toBeUndefined();
    commit({ upsert: [holding("b#0", "高新", "贴息")], policies: [policy("b")] });
    const next = await library.refresh();
    expect(next.generation).toBe(1);
    expect(next.knownDf(["高新"])).toBeUndefined();
    expect(next.knownDf(["贴息"])).toBeUndefined();
    expect(first.knownDf(["高新"])).toEqual(new Map([["高新", 3]]));
    expect(first.knownDf(["贴息"])).toEqual(new Map());
    // A removed chunk's terms stay in the index until it is rebuilt: not known to be absent, so read.
    commit({ remove: ["b#0"] });
    expect((await library.refresh()).knownDf(["贴息"])).toBeUndefined();
  });

  it("orders strings by code point, as PostgreSQL's C collation does", () => {
    const ids = ["a#2", "a#10", "a_1", "A", "中", "\u{20000}", "\uFF01", "é"];
    expect([...ids].sort(compareCodePoints)).toEqual(["A", "a#10", "a#2", "a_1", "é", "中", "\uFF01", "\u{20000}"]);
  });
});
