/** What changed between two versions of a policy's text, line by line (sentences of a long paragraph count as lines). */
export function diffText(before: string[], after: string[]): { added: string[]; removed: string[] } {
  const lines = (texts: string[]) =>
    texts.flatMap((t) => t.split(/\n|(?<=。)/)).map((l) => l.trim()).filter(Boolean);
  const a = lines(before), b = lines(after);
  const inA = new Set(a), inB = new Set(b);
  return { added: [...new Set(b.filter((l) => !inA.has(l)))], removed: [...new Set(a.filter((l) => !inB.has(l)))] };
}
