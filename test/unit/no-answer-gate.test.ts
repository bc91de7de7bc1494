import { describe, expect, it } from "vitest";
import { answerableHits, asksUncoveredPlace, MIN_COVERAGE_NATIONAL_ONLY } from "../../src/answer/answer.js";
import { composeAnswer } from "../../src/answer/extractive.js";
import type { PolicyHit } from "../../src/retrieval/search.js";

const hit = (policyId: string, regionPath: string[], coverage = 0.6, score = 1): PolicyHit => ({
  policyId,
  score,
  coverage,
  lexical: score,
  vector: 0,
  regionPath,
  chunks: [],
});
const suzhouPark = ["江苏省", "苏州市", "苏州工业园区"];

describe("the no-answer gate on a place the library has no policy for", () => {
  const nationalLaws = [hit("science-law", [], 0.7), hit("sme-law", [], 0.5, 0.8)];

  it("offers nothing when the question asks about that place's own programmes and only national texts match", () => {
    // «苏州工业园区的人才安居补贴每月发多少»: no one says the company is there.
    expect(answerableHits(nationalLaws, 5, { placePath: suzhouPark })).toEqual([]);
  });

  it("keeps the national texts for a company that says it is in that place", () => {
    // «我们是苏州的软件企业，研发费用加计扣除比例是多少»: national rules apply to it wherever it is.
    const kept = answerableHits(nationalLaws, 5, { placePath: ["江苏省", "苏州市"], companyPath: ["江苏省", "苏州市"] });
    expect(kept.map((h) => h.policyId)).toEqual(["science-law", "sme-law"]);
  });

  it("still asks the national texts to match strongly where the company is", () => {
    const weak = [hit("science-law", [], MIN_COVERAGE_NATIONAL_ONLY - 0.05)];
    expect(answerableHits(weak, 5, { placePath: suzhouPark, companyPath: suzhouPark })).toEqual([]);
  });

  it("answers from the place's own policy when the library has one", () => {
    const local = [hit("suzhou-talent", suzhouPark, 0.5), hit("science-law", [], 0.7, 0.6)];
    expect(answerableHits(local, 5, { placePath: suzhouPark }).map((h) => h.policyId)).toEqual(["suzhou-talent", "science-law"]);
  });

  it("answers a place's policies asked for as a whole («武汉有哪些补贴？»), which no coverage can measure, when the library has that place", () => {
    const found = [hit("suzhou-talent", suzhouPark, 0), hit("science-law", [], 0, 0.3)];
    expect(answerableHits(found, 5, { placePath: suzhouPark, namesTopic: false }).map((h) => h.policyId)).toEqual(["suzhou-talent", "science-law"]);
    // A topic named is measured as before; a place the library lacks is still that place's own programmes.
    expect(answerableHits(found, 5, { placePath: suzhouPark, namesTopic: true })).toEqual([]);
    expect(answerableHits([hit("science-law", [], 0)], 5, { placePath: suzhouPark, namesTopic: false })).toEqual([]);
    // No place: nothing says which policies are wanted.
    expect(answerableHits(found, 5, { namesTopic: false })).toEqual([]);
  });

  it("leaves questions that name no place to the coverage threshold alone", () => {
    expect(answerableHits(nationalLaws, 5, {}).map((h) => h.policyId)).toEqual(["science-law", "sme-law"]);
  });
});

describe("the answer when the library has no policy of the place asked about", () => {
  it("names the place and where to ask, instead of a generic «not found»", () => {
    const hits = [hit("science-law", [])];
    expect(asksUncoveredPlace(hits, { placePath: suzhouPark })).toBe(true);
    const answer = composeAnswer([], { uncoveredPlace: suzhouPark });
    expect(answer).toContain("暂未收录苏州工业园区的政策");
    expect(answer).toContain("主管部门咨询");
  });

  it("is not said when a policy of the place is in the results, or the company is there", () => {
    expect(asksUncoveredPlace([hit("suzhou-talent", suzhouPark)], { placePath: suzhouPark })).toBe(false);
    expect(asksUncoveredPlace([hit("science-law", [])], { placePath: suzhouPark, companyPath: ["江苏省", "苏州市"] })).toBe(false);
    expect(composeAnswer([], {})).toContain("未在政策库中找到");
  });
});
