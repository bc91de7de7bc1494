/**
 * No import cycle in src/, type-only imports included: a cycle through
 * `import type` still ties two layers together (deps.ts ↔ a feature's
 * Pick<Deps, …>). The one kind allowed is a type-only cycle inside one
 * folder: a recursive type spread over a family's modules (a condition kind
 * reads the union of all kinds). Run: tsx scripts/checks/import-cycles.ts
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import madge from "madge";

export type CycleReport = { runtime: string[][]; typeOnly: string[][]; allowed: string[][] };

const key = (cycle: string[]) => [...cycle].sort().join(" ");

/** The import cycles among `files` (paths relative to `root`), split by whether type-only imports close them. */
export async function importCycles(root: string, files = ["src"]): Promise<CycleReport> {
  const base = { fileExtensions: ["ts"], tsConfig: join(root, "tsconfig.json") };
  const runtime = (
    await madge(
      files.map((f) => join(root, f)),
      { ...base, detectiveOptions: { ts: { skipTypeImports: true } } },
    )
  ).circular();
  const all = (
    await madge(
      files.map((f) => join(root, f)),
      base,
    )
  ).circular();
  const runtimeKeys = new Set(runtime.map(key));
  const typeOnly = all.filter((c) => !runtimeKeys.has(key(c)));
  const oneFolder = (c: string[]) => new Set(c.map((f) => dirname(f))).size === 1;
  return { runtime, typeOnly: typeOnly.filter((c) => !oneFolder(c)), allowed: typeOnly.filter(oneFolder) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = await importCycles(fileURLToPath(new URL("../..", import.meta.url)));
  for (const c of report.runtime) console.error(`import cycle: ${c.join(" → ")} → ${c[0]}`);
  for (const c of report.typeOnly) console.error(`import cycle through type-only imports across folders: ${c.join(" → ")} → ${c[0]}`);
  if (report.runtime.length || report.typeOnly.length) process.exit(1);
  console.log(`cycles: none in src/ (${report.allowed.length} type-only within one folder: ${report.allowed.map((c) => c.join(" → ")).join("; ")})`);
}
