/**
 * Values that are pure functions of their key, computed once and kept: at most `capacity` of them, the
 * oldest dropped first. For text read the same way on every request (a clause's bigrams, a chunk's rate
 * rules) and a snapshot's filter masks.
 */
export class BoundedMemo<K, V> {
  private readonly kept = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K, compute: (key: K) => V): V {
    if (this.kept.has(key)) return this.kept.get(key)!;
    const value = compute(key);
    if (this.kept.size >= this.capacity) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, value);
    return value;
  }

  get size(): number {
    return this.kept.size;
  }
}
