import { describe, expect, it } from "vitest";
import { chinaDate } from "../../src/lib/china-time.js";
import { CompanyProfileSchema } from "../../src/policies/profile.js";

const established = (d: string) => CompanyProfileSchema.safeParse({ established: d });

describe("a company's founding date", () => {
  it.each([["2026-02-30"], ["2025-02-29"], ["2024-04-31"], ["2024-00-10"], ["2024-13"], ["2024-00"], ["2024-06-00"]])(
    "refuses %s: no such calendar day, naming the field",
    (d) => {
      const r = established(d);
      expect(r.success).toBe(false);
      expect(r.error!.issues[0].path).toEqual(["established"]);
    },
  );

  it.each([["2024-02-29"], ["2019-06-18"], ["2019-06"], ["2019"], ["2000-12-31"]])("accepts %s", (d) => {
    expect(established(d).success).toBe(true);
  });

  it("refuses a date after China's today, and accepts China's today itself", () => {
    const today = chinaDate(new Date());
    expect(established(today).success).toBe(true);
    expect(established(today.slice(0, 7)).success).toBe(true);
    const tomorrow = chinaDate(new Date(Date.now() + 86_400_000));
    expect(established(tomorrow).error?.issues[0].message).toBe("成立日期不能晚于今天");
  });
});
