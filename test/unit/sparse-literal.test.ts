import { describe, expect, it } from "vitest";
import { parseSparseLiteral, toSparseLiteral } from "../../src/db/db.js";

describe("parseSparseLiteral: pgvector's text form of a sparse vector", () => {
  it("reads back what toSparseLiteral writes, values rounded to float32 as pgvector stores them", () => {
    const entries = new Map([
      [999_999_937, 0.5],
      [3, 1.23456789],
      [42, 2.2],
    ]);
    const { indices, values } = parseSparseLiteral(toSparseLiteral(entries, 999_999_937));
    expect([...indices]).toEqual([3, 42, 999_999_937]);
    expect([...values]).toEqual([Math.fround(1.23457), Math.fround(2.2), 0.5]);
  });

  it("reads pgvector's shortest float output, exponents included, and the empty vector", () => {
    const { indices, values } = parseSparseLiteral("{1:1e-05,7:-3.5,12:12345678}/20");
    expect([...indices]).toEqual([1, 7, 12]);
    expect([...values]).toEqual([Math.fround(1e-5), -3.5, 12345678]);
    expect(parseSparseLiteral("{}/5").indices).toHaveLength(0);
  });

  it("refuses text that is not a sparse vector", () => {
    expect(() => parseSparseLiteral("[1,2,3]")).toThrow(/not a sparsevec/);
    expect(() => parseSparseLiteral("{1:x}/3")).toThrow(/not a sparsevec/);
  });
});
