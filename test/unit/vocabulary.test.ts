import { describe, expect, it } from "vitest";
import {
  anyOf,
  canonicalQualification,
  QUALIFICATION_ABBREVIATIONS,
  QUALIFICATION_STEMS,
  QUALIFICATION_TOPICS,
  QUALIFICATION_WORDS,
  QUALIFICATIONS,
  SPECIALISED_SME_STEMS,
} from "../../src/policies/vocabulary.js";
import { POLICY_WORDS } from "../../src/retrieval/policy-terms.js";

const NAMES = Object.entries(QUALIFICATIONS).flatMap(([canonical, names]) => [canonical, ...names]);

describe("the policy vocabulary", () => {
  it("spells each abbreviation out as a canonical qualification, which the company-fact readers resolve to itself", () => {
    for (const [, full] of QUALIFICATION_ABBREVIATIONS) {
      expect(Object.keys(QUALIFICATIONS), full).toContain(full);
      expect(canonicalQualification(full)).toBe(full);
    }
    expect("我们是国高，也是科小".replace(QUALIFICATION_ABBREVIATIONS[0][0], QUALIFICATION_ABBREVIATIONS[0][1])).toBe("我们是高新技术企业，也是科小");
  });

  it("takes every stem, topic word and 专精特新 word from a qualification name it knows", () => {
    for (const word of [...QUALIFICATION_STEMS, ...QUALIFICATION_TOPICS, ...SPECIALISED_SME_STEMS]) {
      expect(
        NAMES.some((n) => n.includes(word)),
        word,
      ).toBe(true);
    }
  });

  it("gives the segmenter every qualification word first, the rest of the policy words after", () => {
    expect(POLICY_WORDS.slice(0, QUALIFICATION_WORDS.length)).toEqual([...QUALIFICATION_WORDS]);
    expect(new Set(POLICY_WORDS).size).toBe(POLICY_WORDS.length);
  });

  it("builds alternations that match each word literally, brackets included", () => {
    const re = new RegExp(anyOf(["首台（套）", "首台(套)"]));
    expect(re.exec("支持首台(套)重大技术装备")?.[0]).toBe("首台(套)");
    expect(re.test("首台套")).toBe(false);
  });
});
