import { existsSync } from "node:fs";

/** The policy documents the unit tests read, copied from the shared corpus (see its README). */
export const FIXTURE_CORPUS = new URL("../fixtures/corpus/", import.meta.url);

/** One fixture document by id: `fixture("bj_065")` is test/fixtures/corpus/bj_065.md. */
export const fixture = (id: string) => new URL(`${id}.md`, FIXTURE_CORPUS);

/** The whole shared corpus (220 documents), beside the repository in the workspace; a plain clone lacks it. */
export const SHARED_CORPUS = new URL("../../../shared/corpus/", import.meta.url).pathname;

/**
 * Whether the tests that need the whole shared corpus must skip: they say so
 * when it is absent. Under CI its absence is a failure, never a quiet skip.
 */
export function sharedCorpusMissing(what: string): boolean {
  if (existsSync(SHARED_CORPUS)) return false;
  const why = `${what} needs the whole shared corpus at ${SHARED_CORPUS} (../shared/corpus beside the repository), which is absent`;
  if (process.env.CI === "true") throw new Error(`${why}; under CI this is a failure, not a skip`);
  console.warn(`skipping: ${why}`);
  return true;
}
