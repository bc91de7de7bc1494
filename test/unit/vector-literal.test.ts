import { describe, expect, it } from "vitest";
import { toVectorLiteral } from "../../src/db/db.js";

describe("the dense vector literal (pgvector's toSql)", () => {
  it("writes every value at 7 significant digits, so PostgreSQL stores the float4 the hand-written literal gave", () => {
    const values = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i * 12.9898) * (i % 7 === 0 ? 1e-6 : 0.3));
    const literal = toVectorLiteral(values);
    expect(literal.startsWith("[") && literal.endsWith("]")).toBe(true);
    const written = literal.slice(1, -1).split(",").map(Number);
    expect(written).toHaveLength(1024);
    written.forEach((v, i) => expect(Math.fround(v)).toBe(Math.fround(Number(values[i].toPrecision(7)))));
  });

  it("takes a plain array as well as a typed one", () => {
    expect(toVectorLiteral([0.5, -0.25, 1 / 3])).toBe("[0.5,-0.25,0.3333333]");
  });
});
