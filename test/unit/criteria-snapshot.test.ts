import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { criteriaSnapshot } from "../../scripts/criteria-snapshot.js";
import { FIXTURE_CORPUS } from "../helpers/corpus.js";

/**
 * Any change to criteria extraction or eligibility shows here as a diff of
 * test/fixtures/criteria-snapshot.json: the criteria of the 22 fixture
 * policies and the judgements of the script's ten companies. After an
 * intended change, regenerate it and review the diff in the commit:
 *   npx vitest run test/unit/criteria-snapshot.test.ts -u
 */
it("extracts and judges the 22 fixture policies exactly as the committed snapshot records", async () => {
  const dir = fileURLToPath(FIXTURE_CORPUS);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".md") && f !== "README.md")
    .sort();
  expect(files).toHaveLength(22);
  const docs = files.map((f) => ({ file: join(dir, f), bytes: new Uint8Array(readFileSync(join(dir, f))) }));
  await expect(await criteriaSnapshot(docs, { checks: false })).toMatchFileSnapshot("../fixtures/criteria-snapshot.json");
});
