import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadDocument } from "../../../src/ingest/loaders.js";
import { extractMetadata } from "../../../src/ingest/metadata.js";
import { kindOf } from "../../../src/policies/conditions/index.js";
import { extractCriteria } from "../../../src/policies/criteria.js";
import { fixture } from "../../helpers/corpus.js";
import { company, readAs } from "./table.js";

const both = kindOf("both");
const check = {
  type: "both" as const,
  checks: [
    { type: "age" as const, op: "<=" as const, years: 7 },
    { type: "industry" as const, fields: ["医药健康"] },
  ],
};

describe("both: several checks that must all hold", () => {
  it("bj_066: an exception («其中生物医药领域企业…不超过7年») widens the criterion before it", async () => {
    const file = fixture("bj_066");
    const doc = await loadDocument(file.pathname, readFileSync(file));
    const meta = extractMetadata(doc.text, doc.meta, { title: doc.title, fileName: "bj_066" });
    const criteria = extractCriteria(doc.text, { policyRegionPath: meta.regionPath, title: meta.title });
    const widened = [...criteria.common, ...criteria.programmes.flatMap((p) => p.criteria)].find((c) => c.text.includes("其中生物医药领域企业"));
    expect(widened).toMatchObject({ mode: "any", checks: [{ type: "age", op: "<=", years: 5 }, check] });
  });

  it("is never read from a clause on its own", () => {
    expect(readAs("both", "生物医药领域企业注册成立不超过7年")).toEqual([]);
  });

  it("holds when every member holds, and reports the first that fails or is open", () => {
    const young = company({ established: "2021-01-01", industries: ["生物医药"] });
    expect(both.judge(check, "", young).status).toBe("met");
    expect(both.judge(check, "", company({ established: "2010-01-01", industries: ["生物医药"] })).status).toBe("unmet");
    expect(both.judge(check, "", company({ industries: ["生物医药"] }))).toMatchObject({ status: "unknown", question: "贵公司的成立（注册）日期是？" });
  });

  it("never takes a model's compound check", () => {
    expect(both.verify(check, "生物医药领域企业注册成立不超过7年")).toBe(false);
  });
});
