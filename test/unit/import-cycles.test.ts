import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CycleReport, importCycles } from "../../scripts/checks/import-cycles.js";

// A planted tree: one runtime cycle, one type-only cycle across folders, one type-only cycle inside a folder.
const FILES: Record<string, string> = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { module: "ESNext", moduleResolution: "Bundler" } }),
  "src/jobs/queue.ts": 'import { runBatch } from "../companies/batch.js";\nexport const createJob = () => runBatch;\n',
  "src/companies/batch.ts": 'import { createJob } from "../jobs/queue.js";\nexport const runBatch = () => createJob;\n',
  "src/deps.ts": 'import type { Notify } from "./companies/notify.js";\nexport type Deps = { notify: Notify };\n',
  "src/companies/notify.ts": 'import type { Deps } from "../deps.js";\nexport type Notify = (deps: Pick<Deps, "notify">) => void;\n',
  "src/conditions/kind.ts": 'import type { Check } from "./check.js";\nexport type Kind = { before: Check[] };\n',
  "src/conditions/check.ts": 'import type { Kind } from "./kind.js";\nexport type Check = { kind: Kind };\n',
};

describe("the import-cycle check", () => {
  let root: string;
  let report: CycleReport;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "cycle-check-"));
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    report = await importCycles(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("fails a runtime cycle between a queue and a feature", () => {
    expect(report.runtime.map((c) => [...c].sort())).toEqual([["companies/batch.ts", "jobs/queue.ts"]]);
  });

  it("fails a type-only cycle across folders (a feature's Pick<Deps, …>)", () => {
    expect(report.typeOnly.map((c) => [...c].sort())).toEqual([["companies/notify.ts", "deps.ts"]]);
  });

  it("allows a type-only cycle inside one folder (a recursive type)", () => {
    expect(report.allowed.map((c) => [...c].sort())).toEqual([["conditions/check.ts", "conditions/kind.ts"]]);
  });
});
