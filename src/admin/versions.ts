import { diffArrays } from "diff";

/** Past this the texts are too different to diff cheaply: the result is every old line removed, every new one added. */
const DIFF_TIMEOUT_MS = 2_000;

/**
 * What changed between two versions of a policy's text, line by line
 * (sentences of a long paragraph count as lines): a longest-common-subsequence
 * line diff, so a condition moved to another place is removed there and added
 * here. Lines come in document order. A line repeated at once is read once: a
 * chunk starts with the sentence its predecessor ended with (the overlap).
 */
export function diffText(before: string[], after: string[]): { added: string[]; removed: string[] } {
  const lines = (texts: string[]) =>
    texts.flatMap((t) => t.split(/\n|(?<=。)/)).map((l) => l.trim()).filter(Boolean).filter((l, i, all) => l !== all[i - 1]);
  const a = lines(before), b = lines(after);
  const changes = diffArrays(a, b, { timeout: DIFF_TIMEOUT_MS }) ?? [{ removed: true, added: false, value: a, count: a.length }, { added: true, removed: false, value: b, count: b.length }];
  return { added: changes.filter((c) => c.added).flatMap((c) => c.value), removed: changes.filter((c) => c.removed).flatMap((c) => c.value) };
}
