/**
 * The lexical index in process: the chunks' stored BM25 weights (the `lexical`
 * sparse vectors) inverted into postings per term index, and exact top-k by
 * MaxScore over them. Its scores are the ones pgvector computes for
 * `-(lexical <#> query)`, to the bit: pgvector multiplies each pair of float32
 * values in float32 and adds the products in float32 in ascending index order,
 * and so does every score here. No database import: the loader (src/db) feeds it.
 *
 * Layout, per segment (one base built at load, one small append segment):
 * - postings of a term: chunk ordinals as varint gaps, in blocks of 128 whose
 *   last ordinal and byte offset are kept, so a list is skipped block by block;
 * - one byte per posting for its weight, lossless: a chunk's weights take few
 *   distinct values (BM25 saturates the term frequency against one length per
 *   chunk: 8 on average, at most 17 on the corpus), so each chunk keeps a palette of
 *   its distinct float32 weights and a posting stores its index in that palette.
 *   Error bound 0: no quantisation, no rescoring, ties stay ties. A segment in
 *   which some chunk has over 256 distinct weights stores two bytes per posting.
 */

/** A sparse vector as pgvector holds it: ascending 1-based indices, float32 values (all positive here). */
export type SparseVector = { indices: Uint32Array; values: Float32Array };

export type IndexedChunk = { chunkId: string; policyId: string; lexical: SparseVector };

export type LexicalHit = { chunkId: string; policyId: string; score: number };

export type TopKOptions = {
  /** Chunks that may be returned, by ordinal (1 = allowed), e.g. `policyMask(...)`; all when absent. */
  allow?: Uint8Array;
  /** Only chunks holding at least one of these term indices may be returned (search's candidate selection). */
  anyOf?: ArrayLike<number>;
};

const BLOCK_SHIFT = 7;
const BLOCK = 1 << BLOCK_SHIFT;
/** Ordinal gaps are varints of at most 4 bytes (28 bits). */
const MAX_CHUNKS = 2 ** 28 - 1;
const END = 0x7fffffff;
/**
 * How far a score may be from the float64 sum of its float32 products that
 * MaxScore's bounds are computed in: float32 summation of m positive terms errs
 * by under m·2⁻²⁴ of the sum, float64 by far less; 4·m·2⁻²⁴ covers both with room
 * (a chunk dropped below the threshold less this much is strictly below it).
 */
const SUM_ERROR_PER_TERM = 2 ** -22;
/** A list is probed for its candidates rather than read whole when it is this many times longer than they are many. */
const PROBE_RATIO = 32;

type Codes = Uint8Array | Uint16Array;

type Workspace = { sums: Float64Array; heapPosition: Int32Array; candidate: Uint8Array; ordinals: Uint32Array; list: Uint32Array };

/** One immutable run of chunks with their postings. Ordinals are local; the index adds the segment's offset. */
class Segment {
  constructor(
    readonly chunkIds: string[],
    readonly policyIds: string[],
    /** Each chunk's policy, as an index into policyIds. */
    readonly policyOf: Uint32Array,
    /** Term indices present, ascending; a term's rank is its position here. */
    readonly terms: Uint32Array,
    /** By rank, length terms+1: where the term's postings start (codes) and its first block. */
    readonly postingStart: Uint32Array,
    readonly blockStart: Uint32Array,
    /** By rank: the largest weight in the term's postings, MaxScore's upper bound. */
    readonly maxWeight: Float32Array,
    readonly blockLastOrdinal: Uint32Array,
    readonly blockByte: Uint32Array,
    readonly gaps: Uint8Array,
    readonly codes: Codes,
    /** By ordinal, length chunks+1: where the chunk's palette starts in `palette`. */
    readonly paletteStart: Uint32Array,
    readonly palette: Float32Array,
  ) {}

  private scratch: Workspace | undefined;

  get size(): number {
    return this.chunkIds.length;
  }

  /** Term `rank`'s ordinals, ascending, decoded into `out` (as long as the segment); returns how many. */
  decode(rank: number, out: Uint32Array): number {
    const gaps = this.gaps;
    const count = this.postingStart[rank + 1] - this.postingStart[rank];
    let byte = this.blockByte[this.blockStart[rank]];
    for (let j = 0, ordinal = 0; j < count; j++) {
      let b = gaps[byte++];
      let gap = b & 0x7f;
      if (b & 0x80) {
        b = gaps[byte++];
        gap |= (b & 0x7f) << 7;
        if (b & 0x80) {
          b = gaps[byte++];
          gap |= (b & 0x7f) << 14;
          if (b & 0x80) gap |= gaps[byte++] << 21;
        }
      }
      out[j] = ordinal += gap;
    }
    return count;
  }

  /** The weight of posting `p`, a posting of chunk `ordinal`. */
  weight(p: number, ordinal: number): number {
    return this.palette[this.paletteStart[ordinal] + this.codes[p]];
  }

  /** Per-chunk buffers for one query at a time (queries run synchronously), cleared by the caller. */
  workspace(): Workspace {
    return (this.scratch ??= {
      sums: new Float64Array(this.size),
      heapPosition: new Int32Array(this.size),
      candidate: new Uint8Array(this.size),
      ordinals: new Uint32Array(this.size),
      list: new Uint32Array(this.size),
    });
  }

  rankOf(term: number): number {
    let lo = 0;
    let hi = this.terms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.terms[mid];
      if (t < term) lo = mid + 1;
      else if (t > term) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** With the per-query workspace, which the first query allocates. */
  arrayBytes(): number {
    const workspace = this.size * (8 + 4 + 1 + 4 + 4);
    const arrays = [
      this.policyOf,
      this.terms,
      this.postingStart,
      this.blockStart,
      this.maxWeight,
      this.blockLastOrdinal,
      this.blockByte,
      this.gaps,
      this.codes,
      this.paletteStart,
      this.palette,
    ];
    return arrays.reduce((n, a) => n + a.byteLength, workspace);
  }
}

function varintLength(x: number): number {
  return x < 0x80 ? 1 : x < 0x4000 ? 2 : x < 0x200000 ? 3 : 4;
}

function grown<A extends Uint8Array | Uint16Array | Uint32Array | Float32Array>(a: A, need: number): A {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => A)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Collects chunks one at a time (the loader's pages) in their forward form, then inverts them into a segment. */
class SegmentBuilder {
  private chunkIds: string[] = [];
  private policyIds: string[] = [];
  private policyIndex = new Map<string, number>();
  private policyOf: number[] = [];
  private slotOf = new Map<number, number>();
  private termOfSlot: number[] = [];
  private df: number[] = [];
  /** Forward postings: each chunk's term slots and weight codes, chunk after chunk. */
  private slots = new Uint32Array(1 << 16);
  private codes: Codes = new Uint8Array(1 << 16);
  private forwardEnd: number[] = [];
  private postings = 0;
  private paletteStart = new Uint32Array(1 << 12);
  private palette = new Float32Array(1 << 12);
  private paletteSize = 0;

  add({ chunkId, policyId, lexical }: IndexedChunk): void {
    if (this.chunkIds.length >= MAX_CHUNKS) throw new RangeError(`a segment holds at most ${MAX_CHUNKS} chunks`);
    const { indices, values } = lexical;
    if (indices.length !== values.length) throw new Error(`chunk ${chunkId}: ${indices.length} indices but ${values.length} values`);
    for (let i = 0; i < indices.length; i++) {
      if (!(values[i] > 0 && Number.isFinite(values[i]))) throw new RangeError(`chunk ${chunkId}: weight ${values[i]} at index ${indices[i]} is not positive`);
      if (i > 0 && indices[i] <= indices[i - 1]) throw new Error(`chunk ${chunkId}: indices are not ascending`);
    }
    const ordinal = this.chunkIds.length;
    this.chunkIds.push(chunkId);
    let p = this.policyIndex.get(policyId);
    if (p === undefined) this.policyIndex.set(policyId, (p = this.policyIds.push(policyId) - 1));
    this.policyOf.push(p);

    this.paletteStart = grown(this.paletteStart, ordinal + 2);
    this.paletteStart[ordinal] = this.paletteSize;
    this.slots = grown(this.slots, this.postings + indices.length);
    this.codes = grown(this.codes, this.postings + indices.length);
    const codeOf = new Map<number, number>();
    for (let i = 0; i < indices.length; i++) {
      const w = values[i];
      let code = codeOf.get(w);
      if (code === undefined) {
        code = codeOf.size;
        codeOf.set(w, code);
        if (code === 256 && this.codes instanceof Uint8Array) this.codes = Uint16Array.from(this.codes);
        if (code === 65536) throw new RangeError(`chunk ${chunkId} has over 65,536 distinct weights`);
        this.palette = grown(this.palette, this.paletteSize + 1);
        this.palette[this.paletteSize++] = w;
      }
      let slot = this.slotOf.get(indices[i]);
      if (slot === undefined) {
        slot = this.termOfSlot.push(indices[i]) - 1;
        this.slotOf.set(indices[i], slot);
        this.df.push(0);
      }
      this.df[slot]++;
      this.slots[this.postings] = slot;
      this.codes[this.postings++] = code;
    }
    this.forwardEnd.push(this.postings);
  }

  build(): Segment {
    const n = this.chunkIds.length;
    const termCount = this.termOfSlot.length;
    const bySlot = Uint32Array.from(this.termOfSlot.keys()).sort((a, b) => this.termOfSlot[a] - this.termOfSlot[b]);
    const rankOf = new Uint32Array(termCount);
    const terms = new Uint32Array(termCount);
    const postingStart = new Uint32Array(termCount + 1);
    const blockStart = new Uint32Array(termCount + 1);
    for (let r = 0; r < termCount; r++) {
      const slot = bySlot[r];
      rankOf[slot] = r;
      terms[r] = this.termOfSlot[slot];
      postingStart[r + 1] = postingStart[r] + this.df[slot];
      blockStart[r + 1] = blockStart[r] + Math.ceil(this.df[slot] / BLOCK);
    }
    const blocks = blockStart[termCount];
    const blockLastOrdinal = new Uint32Array(blocks);
    const blockByte = new Uint32Array(blocks);
    const maxWeight = new Float32Array(termCount);
    const paletteStart = this.paletteStart.slice(0, n + 1);
    paletteStart[n] = this.paletteSize;
    const palette = this.palette.slice(0, this.paletteSize);

    // Pass 1, chunk by chunk (so each term's ordinals come ascending): each term's gap bytes and its blocks.
    const count = new Uint32Array(termCount);
    const last = new Uint32Array(termCount);
    const gapBytes = new Float64Array(termCount);
    const eachPosting = (visit: (rank: number, ordinal: number, k: number, forward: number) => void) => {
      count.fill(0);
      last.fill(0);
      for (let ordinal = 0, f = 0; ordinal < n; ordinal++) {
        for (const end = this.forwardEnd[ordinal]; f < end; f++) {
          const r = rankOf[this.slots[f]];
          visit(r, ordinal, count[r]++, f);
          last[r] = ordinal;
        }
      }
    };
    eachPosting((r, ordinal, k, f) => {
      const block = blockStart[r] + (k >>> BLOCK_SHIFT);
      if ((k & (BLOCK - 1)) === 0) blockByte[block] = gapBytes[r];
      blockLastOrdinal[block] = ordinal;
      gapBytes[r] += varintLength(ordinal - last[r]);
      const w = palette[paletteStart[ordinal] + this.codes[f]];
      if (w > maxWeight[r]) maxWeight[r] = w;
    });
    // Byte offsets: each term's run starts where the previous one's ends.
    let offset = 0;
    const termByte = new Float64Array(termCount);
    for (let r = 0; r < termCount; r++) {
      termByte[r] = offset;
      for (let b = blockStart[r]; b < blockStart[r + 1]; b++) blockByte[b] += offset;
      offset += gapBytes[r];
    }
    // Pass 2: write the gaps and the codes in postings order.
    const gaps = new Uint8Array(offset);
    const codes: Codes = this.codes instanceof Uint8Array ? new Uint8Array(this.postings) : new Uint16Array(this.postings);
    eachPosting((r, ordinal, k, f) => {
      let x = ordinal - last[r];
      let p = termByte[r];
      while (x >= 0x80) {
        gaps[p++] = (x & 0x7f) | 0x80;
        x >>>= 7;
      }
      gaps[p++] = x;
      termByte[r] = p;
      codes[postingStart[r] + k] = this.codes[f];
    });
    return new Segment(
      this.chunkIds,
      this.policyIds,
      Uint32Array.from(this.policyOf),
      terms,
      postingStart,
      blockStart,
      maxWeight,
      blockLastOrdinal,
      blockByte,
      gaps,
      codes,
      paletteStart,
      palette,
    );
  }
}

/** Walks one term's postings in a segment forward, skipping whole blocks that end before a target. */
class PostingCursor {
  ordinal = 0;
  /** The current posting's index in the segment's codes. */
  private k: number;
  private byte: number;
  private readonly start: number;
  private readonly end: number;
  private readonly firstBlock: number;
  private readonly endBlock: number;

  constructor(
    private readonly segment: Segment,
    rank: number,
    /** The query's weight for the term. */
    private readonly q: number,
  ) {
    this.start = segment.postingStart[rank];
    this.end = segment.postingStart[rank + 1];
    this.firstBlock = segment.blockStart[rank];
    this.endBlock = segment.blockStart[rank + 1];
    this.k = this.start - 1;
    this.byte = segment.blockByte[this.firstBlock];
    this.next();
  }

  private next(): void {
    if (++this.k >= this.end) {
      this.ordinal = END;
      return;
    }
    const gaps = this.segment.gaps;
    let b = gaps[this.byte++];
    let gap = b & 0x7f;
    if (b & 0x80) {
      b = gaps[this.byte++];
      gap |= (b & 0x7f) << 7;
      if (b & 0x80) {
        b = gaps[this.byte++];
        gap |= (b & 0x7f) << 14;
        if (b & 0x80) gap |= gaps[this.byte++] << 21;
      }
    }
    this.ordinal += gap;
  }

  /** Moves to the first posting at or after `target`. */
  seek(target: number): void {
    if (this.ordinal >= target) return;
    const last = this.segment.blockLastOrdinal;
    let block = this.firstBlock + ((this.k - this.start) >>> BLOCK_SHIFT);
    if (last[block] < target) {
      do block++;
      while (block < this.endBlock && last[block] < target);
      if (block === this.endBlock) {
        this.k = this.end;
        this.ordinal = END;
        return;
      }
      // Gaps continue across blocks: the previous block's last ordinal is where this one counts from.
      this.k = this.start + ((block - this.firstBlock) << BLOCK_SHIFT) - 1;
      this.ordinal = last[block - 1];
      this.byte = this.segment.blockByte[block];
    }
    do this.next();
    while (this.ordinal < target);
  }

  /** q × the current posting's weight, as pgvector's float32 product. */
  contribution(): number {
    return Math.fround(this.q * this.segment.weight(this.k, this.ordinal));
  }
}

/** The k best (score, ordinal) pairs: higher score first, and on equal scores the lower ordinal (load order). */
class TopK {
  private readonly scores: Float64Array;
  private readonly ordinals: Int32Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.scores = new Float64Array(k);
    this.ordinals = new Int32Array(k);
  }

  /** The k-th best score so far; -∞ until k are held. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[0];
  }

  private worse(i: number, j: number): boolean {
    const a = this.scores[i];
    const b = this.scores[j];
    return a < b || (a === b && this.ordinals[i] > this.ordinals[j]);
  }

  private swap(i: number, j: number) {
    const s = this.scores[i];
    this.scores[i] = this.scores[j];
    this.scores[j] = s;
    const o = this.ordinals[i];
    this.ordinals[i] = this.ordinals[j];
    this.ordinals[j] = o;
  }

  /** Keeps the pair if it is among the k best so far. */
  offer(score: number, ordinal: number): void {
    if (!(score > 0) || this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      this.scores[i] = score;
      this.ordinals[i] = ordinal;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const root = this.scores[0];
    if (score < root || (score === root && ordinal > this.ordinals[0])) return;
    this.scores[0] = score;
    this.ordinals[0] = ordinal;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  /** Best first. */
  sorted(): Array<{ score: number; ordinal: number }> {
    const out = Array.from({ length: this.size }, (_, i) => ({ score: this.scores[i], ordinal: this.ordinals[i] }));
    return out.sort((a, b) => b.score - a.score || a.ordinal - b.ordinal);
  }
}

/**
 * The k chunks of a segment with the highest partial sums so far, as a min-heap over the live
 * `sums` that knows each member's place, so a member whose sum grows moves at once: its root
 * is always the k-th highest partial sum, a lower bound of the k-th final one.
 */
class PartialTopK {
  private readonly heap: Int32Array;
  private size = 0;

  constructor(
    private readonly k: number,
    private readonly sums: Float64Array,
    /** By ordinal: the place in the heap, -1 outside it. */
    private readonly position: Int32Array,
  ) {
    this.heap = new Int32Array(k);
    position.fill(-1);
  }

  get threshold(): number {
    return this.size < this.k ? -Infinity : this.sums[this.heap[0]];
  }

  /** After `ordinal`'s sum grew: it moves within the heap, or enters it if it is now among the k highest. */
  raised(ordinal: number, eligible: (ordinal: number) => boolean): void {
    const at = this.position[ordinal];
    if (at >= 0) return this.sink(at);
    if (this.size < this.k) {
      if (!eligible(ordinal)) return;
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.sums[this.heap[parent]] <= this.sums[ordinal]) break;
        this.place(this.heap[parent], i);
        i = parent;
      }
      this.place(ordinal, i);
      return;
    }
    if (this.sums[ordinal] <= this.sums[this.heap[0]] || !eligible(ordinal)) return;
    this.position[this.heap[0]] = -1;
    this.place(ordinal, 0);
    this.sink(0);
  }

  private place(ordinal: number, i: number) {
    this.heap[i] = ordinal;
    this.position[ordinal] = i;
  }

  private sink(i: number) {
    const ordinal = this.heap[i];
    const sum = this.sums[ordinal];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && this.sums[this.heap[r]] < this.sums[this.heap[l]] ? r : l;
      if (this.sums[this.heap[c]] >= sum) break;
      this.place(this.heap[c], i);
      i = c;
    }
    this.place(ordinal, i);
  }
}

export class LexicalIndex {
  private constructor(
    private readonly base: Segment,
    private readonly baseOrdinals: Map<string, number>,
    /** Chunks added or replaced since the base was built, in arrival order: the append segment's source. */
    private readonly appended: IndexedChunk[],
    private readonly appendSegment: Segment | null,
    private readonly appendOrdinals: Map<string, number>,
    /** By ordinal: 1 for a chunk removed or replaced since it was indexed. */
    private readonly dead: Uint8Array,
  ) {}

  /** A builder fed chunk by chunk (so a loader never holds every chunk's vector at once). */
  static builder(): { add(chunk: IndexedChunk): void; build(): LexicalIndex } {
    const builder = new SegmentBuilder();
    const ordinals = new Map<string, number>();
    return {
      add: (chunk) => {
        if (ordinals.has(chunk.chunkId)) throw new Error(`chunk ${chunk.chunkId} is indexed twice`);
        ordinals.set(chunk.chunkId, ordinals.size);
        builder.add(chunk);
      },
      build: () => {
        const base = builder.build();
        return new LexicalIndex(base, ordinals, [], null, new Map(), new Uint8Array(base.size));
      },
    };
  }

  static build(chunks: Iterable<IndexedChunk>): LexicalIndex {
    const builder = LexicalIndex.builder();
    for (const chunk of chunks) builder.add(chunk);
    return builder.build();
  }

  private get segments(): Array<{ segment: Segment; offset: number }> {
    const out = [{ segment: this.base, offset: 0 }];
    if (this.appendSegment) out.push({ segment: this.appendSegment, offset: this.base.size });
    return out;
  }

  /** Whether any chunk indexed here, live or removed since, has `term`: without it, no chunk of this index has the term. */
  holds(term: number): boolean {
    return this.segments.some(({ segment }) => segment.rankOf(term) >= 0);
  }

  /** Ordinals in use, live or dead: the length a `TopKOptions.allow` mask needs. */
  get ordinals(): number {
    return this.dead.length;
  }

  /** Chunks searched (not removed or replaced). */
  get size(): number {
    let live = 0;
    for (let o = 0; o < this.dead.length; o++) live += 1 - this.dead[o];
    return live;
  }

  /**
   * A new index with `remove` gone and `upsert` added (a chunk already indexed is
   * replaced): dead ordinals are tombstoned and new chunks go to the append
   * segment, rebuilt whole from the chunks appended so far. This index stays as it was,
   * so a query that holds it never sees half of a change.
   */
  withChanges({ remove = [], upsert = [] }: { remove?: Iterable<string>; upsert?: IndexedChunk[] }): LexicalIndex {
    const appended = [...this.appended, ...upsert];
    const dead = new Uint8Array(this.base.size + appended.length);
    dead.set(this.dead);
    const appendOrdinals = new Map(this.appendOrdinals);
    const kill = (id: string) => {
      const o = appendOrdinals.get(id) ?? this.baseOrdinals.get(id);
      if (o !== undefined) dead[o] = 1;
    };
    for (const id of remove) kill(id);
    upsert.forEach((chunk, i) => {
      kill(chunk.chunkId);
      appendOrdinals.set(chunk.chunkId, this.base.size + this.appended.length + i);
    });
    // An id repeats in the append segment when its chunk is replaced twice; only its latest ordinal is live.
    const builder = new SegmentBuilder();
    for (const chunk of appended) builder.add(chunk);
    return new LexicalIndex(this.base, this.baseOrdinals, appended, builder.build(), appendOrdinals, dead);
  }

  /** An `allow` mask: 1 for every chunk whose policy passes the predicate (asked once per policy per segment). */
  policyMask(allowed: (policyId: string) => boolean): Uint8Array {
    const mask = new Uint8Array(this.ordinals);
    for (const { segment, offset } of this.segments) {
      const pass = Uint8Array.from(segment.policyIds, (id) => (allowed(id) ? 1 : 0));
      for (let o = 0; o < segment.size; o++) mask[offset + o] = pass[segment.policyOf[o]];
    }
    return mask;
  }

  /** Bytes in typed arrays (postings, weights, per-chunk tables, the query workspace); the chunk ids and their maps come on top. */
  arrayBytes(): number {
    return this.segments.reduce((n, { segment }) => n + segment.arrayBytes(), this.dead.byteLength);
  }

  /**
   * The k chunks with the highest inner product with `query` (those sharing no term with it
   * score 0 and are never returned), by MaxScore term at a time: terms in descending order of
   * the most they can add. While the terms left could lift a chunk not yet seen into the best k,
   * each list is read whole; from then on only chunks already seen that can still reach the best
   * k are followed, each later list probed for them alone (or read, when they are many), and the
   * survivors are scored exactly at the end.
   */
  topK(query: SparseVector, k: number, options: TopKOptions = {}): LexicalHit[] {
    checkQuery(query);
    const top = new TopK(k);
    const allow = this.allowed(options);
    if (k > 0) for (const { segment, offset } of this.segments) this.maxScore(segment, offset, query, k, top, allow);
    return this.hits(top);
  }

  /** The reference: every posting of every query term scored, then the best k. Same scores, same order as topK. */
  exhaustiveTopK(query: SparseVector, k: number, options: TopKOptions = {}): LexicalHit[] {
    checkQuery(query);
    const scores = new Float32Array(this.ordinals);
    for (const { segment, offset } of this.segments) {
      const list = segment.workspace().list;
      // Terms in ascending index order, each product and each sum rounded to float32 on the way into
      // the Float32Array: pgvector's arithmetic.
      for (let t = 0; t < query.indices.length; t++) {
        const r = segment.rankOf(query.indices[t]);
        if (r < 0) continue;
        const q = query.values[t];
        const first = segment.postingStart[r];
        for (let j = 0, n = segment.decode(r, list); j < n; j++) scores[offset + list[j]] += Math.fround(q * segment.weight(first + j, list[j]));
      }
    }
    const top = new TopK(k);
    const allow = this.allowed(options);
    for (let o = 0; o < scores.length; o++) {
      if (scores[o] > 0 && this.dead[o] === 0 && (!allow || allow[o] === 1)) top.offer(scores[o], o);
    }
    return this.hits(top);
  }

  /**
   * One segment's contenders into `top`. Partial sums are float64 sums of the float32 products; a
   * chunk is let go only when the most it can reach is below the threshold less the summation
   * error, so it is strictly below it in pgvector's float32 arithmetic too. The threshold is the
   * higher of this segment's k-th partial sum and the k-th exact score of the segments before.
   */
  private maxScore(segment: Segment, offset: number, query: SparseVector, k: number, top: TopK, allow: Uint8Array | undefined) {
    const terms: Array<{ rank: number; q: number; upper: number }> = [];
    for (let t = 0; t < query.indices.length; t++) {
      const rank = segment.rankOf(query.indices[t]);
      if (rank >= 0) terms.push({ rank, q: query.values[t], upper: Math.fround(query.values[t] * segment.maxWeight[rank]) });
    }
    const m = terms.length;
    if (m === 0) return;
    // Query order is ascending term index: pgvector's summation order, kept for the exact scores.
    const inQueryOrder = [...terms];
    terms.sort((a, b) => b.upper - a.upper);
    // left[i]: the most terms i.. can add to a chunk.
    const left = new Float64Array(m + 1);
    for (let i = m - 1; i >= 0; i--) left[i] = left[i + 1] + terms[i].upper;

    const { sums, heapPosition, candidate, ordinals, list } = segment.workspace();
    sums.fill(0);
    const partial = new PartialTopK(k, sums, heapPosition);
    const dead = this.dead;
    const eligible = (o: number) => dead[offset + o] === 0 && (!allow || allow[offset + o] === 1);
    const factor = 1 - m * SUM_ERROR_PER_TERM;
    const cutoff = () => Math.max(partial.threshold, top.threshold) * factor;

    let i = 0;
    for (; i < m && left[i] >= cutoff(); i++) {
      const { rank, q } = terms[i];
      const first = segment.postingStart[rank];
      for (let j = 0, n = segment.decode(rank, list); j < n; j++) {
        const o = list[j];
        sums[o] += Math.fround(q * segment.weight(first + j, o));
        partial.raised(o, eligible);
      }
    }
    // From here no chunk unseen can reach the threshold: the contenders are the chunks seen that still can.
    let count = 0;
    for (let o = 0, c = cutoff(); o < segment.size; o++) {
      if (sums[o] > 0 && sums[o] + left[i] >= c && eligible(o)) ordinals[count++] = o;
    }
    candidate.fill(0);
    for (let x = 0; x < count; x++) candidate[ordinals[x]] = 1;
    for (; i < m && count > 0; i++) {
      const c = cutoff();
      let kept = 0;
      for (let x = 0; x < count; x++) {
        const o = ordinals[x];
        if (sums[o] + left[i] >= c) ordinals[kept++] = o;
        else candidate[o] = 0;
      }
      count = kept;
      const { rank, q } = terms[i];
      const first = segment.postingStart[rank];
      if (count * PROBE_RATIO < segment.postingStart[rank + 1] - first) {
        const cursor = new PostingCursor(segment, rank, q);
        for (let x = 0; x < count; x++) {
          const o = ordinals[x];
          cursor.seek(o);
          if (cursor.ordinal !== o) continue;
          sums[o] += cursor.contribution();
          partial.raised(o, eligible);
        }
      } else {
        for (let j = 0, n = segment.decode(rank, list); j < n; j++) {
          const o = list[j];
          if (candidate[o] === 0) continue;
          sums[o] += Math.fround(q * segment.weight(first + j, o));
          partial.raised(o, eligible);
        }
      }
    }
    // The contenders left, scored exactly: each term's products added in query order, in float32.
    const c = cutoff();
    let finalists = 0;
    for (let x = 0; x < count; x++) if (sums[ordinals[x]] >= c) ordinals[finalists++] = ordinals[x];
    const exact = new Float32Array(finalists);
    for (const { rank, q } of inQueryOrder) {
      const cursor = new PostingCursor(segment, rank, q);
      for (let x = 0; x < finalists; x++) {
        cursor.seek(ordinals[x]);
        if (cursor.ordinal === ordinals[x]) exact[x] += cursor.contribution();
      }
    }
    for (let x = 0; x < finalists; x++) top.offer(exact[x], offset + ordinals[x]);
  }

  /** `allow`, narrowed to the chunks holding one of `anyOf`'s terms when it is given. */
  private allowed({ allow, anyOf }: TopKOptions): Uint8Array | undefined {
    if (!anyOf) return allow;
    const mask = new Uint8Array(this.ordinals);
    for (const { segment, offset } of this.segments) {
      const list = segment.workspace().list;
      for (let t = 0; t < anyOf.length; t++) {
        const r = segment.rankOf(anyOf[t]);
        if (r < 0) continue;
        for (let j = 0, n = segment.decode(r, list); j < n; j++) {
          const o = offset + list[j];
          mask[o] = allow ? allow[o] : 1;
        }
      }
    }
    return mask;
  }

  /** Chunks added or replaced since the base was built: how far the index has drifted from one built afresh. */
  get appendedCount(): number {
    return this.appended.length;
  }

  private chunkAt(ordinal: number): { chunkId: string; policyId: string } {
    const inBase = ordinal < this.base.size;
    const segment = inBase ? this.base : this.appendSegment!;
    const local = inBase ? ordinal : ordinal - this.base.size;
    return { chunkId: segment.chunkIds[local], policyId: segment.policyIds[segment.policyOf[local]] };
  }

  private hits(top: TopK): LexicalHit[] {
    return top.sorted().map(({ score, ordinal }) => ({ ...this.chunkAt(ordinal), score }));
  }
}

function checkQuery({ indices, values }: SparseVector) {
  for (let t = 0; t < indices.length; t++) {
    if (!(values[t] > 0 && Number.isFinite(values[t]))) throw new RangeError(`query weight ${values[t]} at index ${indices[t]} is not positive`);
    if (t > 0 && indices[t] <= indices[t - 1]) throw new Error("query indices are not ascending");
  }
}
