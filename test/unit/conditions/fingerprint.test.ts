import { describe, expect, it } from "vitest";
import { rulesFingerprint } from "../../../src/policies/conditions/fingerprint.js";
import { CRITERIA_RULES } from "../../../src/policies/criteria.js";

describe("rulesFingerprint", () => {
  it("is the same for the same rules", () => {
    const rule = /注册在(.+)的企业/;
    expect(rulesFingerprint([rule, (s: string) => s.trim()])).toBe(rulesFingerprint([/注册在(.+)的企业/, (s: string) => s.trim()]));
  });

  it("changes when a rule's pattern or a function's code changes", () => {
    const base = rulesFingerprint([/营业收入不超过(\d+)/, (s: string) => s.trim()]);
    expect(rulesFingerprint([/营业收入不低于(\d+)/, (s: string) => s.trim()])).not.toBe(base);
    expect(rulesFingerprint([/营业收入不超过(\d+)/, (s: string) => s.trimStart()])).not.toBe(base);
  });

  it("fingerprints the criteria reader and every condition kind", () => {
    expect(CRITERIA_RULES).toMatch(/^[0-9a-f]{16}$/);
    expect(rulesFingerprint([])).not.toBe(CRITERIA_RULES);
  });
});
