import { describe, expect, it } from "vitest";
import { diffText } from "../../src/admin/versions.js";

describe("what changed between two versions of a policy", () => {
  it("shows reordered conditions as changed", () => {
    const before = ["一、申报条件\n（一）在武汉市注册登记。\n（二）研发投入占比不低于3%。\n（三）信用良好。"];
    const after = ["一、申报条件\n（三）信用良好。\n（一）在武汉市注册登记。\n（二）研发投入占比不低于3%。"];
    const diff = diffText(before, after);
    expect(diff.added.length).toBeGreaterThan(0);
    expect(diff.removed.length).toBeGreaterThan(0);
    expect(diff).toEqual({ added: ["（三）信用良好。"], removed: ["（三）信用良好。"] });
  });

  it("shows a line that now appears a second time as added, in document order, and reads a chunk's carried-over sentence once", () => {
    const before = ["一、申报条件\n逾期不予受理。", "二、支持标准\n给予最高20万元补助。每年申报一次。"];
    const after = ["一、申报条件\n逾期不予受理。", "二、支持标准\n给予最高30万元补助。每年申报一次。\n逾期不予受理。"];
    expect(diffText(before, after)).toEqual({ added: ["给予最高30万元补助。", "逾期不予受理。"], removed: ["给予最高20万元补助。"] });
    expect(diffText(before, before)).toEqual({ added: [], removed: [] });
    expect(diffText(["第一句。第二句。", "第二句。第三句。"], ["第一句。第二句。第三句。"])).toEqual({ added: [], removed: [] });
  });
});
