/**
 * Answers to identical requests, reused while the policy library is unchanged.
 * Keys carry the library version (the last ingest run) and the day, so a
 * re-indexed policy or a deadline passing at midnight is never served stale.
 */
export type ResponseCache = {
  get(key: string): Promise<string | undefined>;
  set(key: string, body: string): Promise<void>;
  readonly size: number;
};

export function createResponseCache(options: { capacity: number; version: () => Promise<string>; versionTtlMs?: number }): ResponseCache {
  const entries = new Map<string, string>();
  let version = "";
  let checkedAt = -Infinity;
  // Asking the database for its version on every request would cost what the cache saves.
  const currentVersion = async () => {
    const now = performance.now();
    if (now - checkedAt > (options.versionTtlMs ?? 1000)) {
      checkedAt = now;
      const v = await options.version();
      if (v !== version) entries.clear();
      version = v;
    }
    return version;
  };
  return {
    async get(key) {
      if (options.capacity <= 0) return undefined;
      const full = `${await currentVersion()}\n${key}`;
      const hit = entries.get(full);
      if (hit !== undefined) {
        // Least recently used goes first: move a hit to the back.
        entries.delete(full);
        entries.set(full, hit);
      }
      return hit;
    },
    async set(key, body) {
      if (options.capacity <= 0) return;
      entries.set(`${await currentVersion()}\n${key}`, body);
      while (entries.size > options.capacity) entries.delete(entries.keys().next().value!);
    },
    get size() {
      return entries.size;
    },
  };
}
