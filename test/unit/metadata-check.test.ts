import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateMetadata } from "../../src/eval/metadata-check.js";

describe("metadata figures against the front matter", () => {
  it("counts apart the documents whose text states the value, so what reading the text can reach is measured", async () => {
    const corpus = await mkdtemp(join(tmpdir(), "metadata-"));
    // Two documents of my own: one states its 文号 in the text, the other has it only in front matter.
    await writeFile(
      join(corpus, "doc_1.md"),
      '---\n{"title": "某区研发补助办法", "doc_no": "某科发〔2026〕3号"}\n---\n# 某区研发补助办法\n某科发〔2026〕3号\n一、支持对象\n在本区注册的企业。\n',
    );
    await writeFile(
      join(corpus, "doc_2.md"),
      '---\n{"title": "某区人才公寓办法", "doc_no": "某人社〔2026〕8号"}\n---\n# 某区人才公寓办法\n一、对象\n在本区工作的人才。\n',
    );
    const r = await evaluateMetadata(corpus);
    expect(r.fields.docNumber).toMatchObject({ documents: 2, correct: 1, accuracy: 0.5, stated: 1, statedCorrect: 1, statedAccuracy: 1 });
    expect(r.fields.title).toMatchObject({ documents: 2, stated: 2, statedAccuracy: 1 });
  });
});
