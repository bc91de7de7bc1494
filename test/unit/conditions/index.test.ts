import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadDocument } from "../../../src/ingest/loaders.js";
import { CONDITION_KINDS, kindOf, readChecks } from "../../../src/policies/conditions/index.js";
import { CheckSchema, extractCriteria, type PolicyCriteria } from "../../../src/policies/criteria.js";
import { BEIJING } from "./table.js";

describe("the registry of condition kinds", () => {
  it("has one kind for every member of the criteria union, each found by its type", () => {
    const members = CheckSchema.options.flatMap((o) => ("options" in o ? o.options.map((x) => x.shape.type.value) : [o.shape.type.value]));
    expect(CONDITION_KINDS.map((k) => k.type).sort()).toEqual([...new Set(members)].sort());
    for (const k of CONDITION_KINDS) expect(kindOf(k.type)).toBe(k);
  });

  it("parses every check the rules read with its own kind's schema", () => {
    const snapshot = JSON.parse(readFileSync(new URL("../../fixtures/criteria-snapshot.json", import.meta.url), "utf8"));
    const checks = Object.values(snapshot as Record<string, { criteria: PolicyCriteria }>)
      .flatMap(({ criteria }) => [...criteria.common, ...criteria.programmes.flatMap((p) => p.criteria)])
      .flatMap((c) => [...c.checks, ...(c.when ? [c.when] : [])]);
    // Every kind is read from at least one real fixture policy (bj_097 says who alone may apply), but the ones below.
    const unseen = CONDITION_KINDS.map((k) => k.type).filter((t) => !checks.some((c) => c.type === t));
    expect(unseen).toEqual(Object.keys(DEMO_ONLY));
    for (const c of checks) expect(kindOf(c.type).schema.safeParse(c).success, JSON.stringify(c)).toBe(true);
  });

  // No corpus fixture rewards a grant of one year («2025年度新认定的…，给予…») or asks for a clean record
  // («未发生重大安全、质量、环境事故»); the demo library's reward notice does both.
  const DEMO_ONLY: Record<string, string> = { recognised: "wh-zhuanjingtexin-reward-2026.html", record: "wh-zhuanjingtexin-reward-2026.html" };
  it.each(Object.entries(DEMO_ONLY))("reads %s from the demo library's %s", async (type, file) => {
    const path = new URL(`../../../data/policies/${file}`, import.meta.url);
    const doc = await loadDocument(file, new Uint8Array(readFileSync(path)));
    const criteria = extractCriteria(doc.text, { policyRegionPath: ["湖北省", "武汉市"] });
    const read = [...criteria.common, ...criteria.programmes.flatMap((p) => p.criteria)].flatMap((c) => c.checks);
    const ofKind = read.filter((c) => c.type === type);
    expect(ofKind.length).toBeGreaterThan(0);
    for (const c of ofKind) expect(kindOf(c.type).schema.safeParse(c).success, JSON.stringify(c)).toBe(true);
  });

  it("reads a clause kind by kind, in registry order", () => {
    expect(readChecks("在京注册的法人企业（房地产企业除外）", BEIJING).map((c) => c.type)).toEqual(["region", "legalEntity"]);
  });

  it("keeps founding ages and figures in the order their numbers stand in the clause", () => {
    expect(readChecks("营业收入不低于1000万元且注册成立不超过5年的企业", BEIJING).map((c) => c.type)).toEqual(["threshold", "age"]);
    expect(readChecks("注册成立不超过5年且营业收入不低于1000万元的企业", BEIJING).map((c) => c.type)).toEqual(["age", "threshold"]);
  });
});
