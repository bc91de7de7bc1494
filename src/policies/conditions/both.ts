import { z } from "zod";
import type { Company } from "../company.js";
import { type CheckResult, type ConditionKind, typeOf } from "./kind.js";
import { type LeafCheck, LeafCheckSchema } from "./leaf.js";

export const BothSchema = z.object({
  type: typeOf("both", "Several checks that must all hold"),
  checks: z.array(LeafCheckSchema).min(2).describe("The checks"),
});
type Both = z.infer<typeof BothSchema>;

/**
 * Several checks that must all hold («生物医药领域企业注册成立不超过7年»:
 * industry and age). No reader states one: criteria extraction builds it
 * from an exception («其中…») that widens the criterion before; `judgeLeaf`
 * judges its members.
 */
export function createBoth(judgeLeaf: (check: LeafCheck, text: string, company: Company) => CheckResult): ConditionKind<Both> {
  return {
    type: "both",
    schema: BothSchema,
    read: () => [],
    judge(check, text, company) {
      const results = check.checks.map((c) => judgeLeaf(c, text, company));
      return (
        results.find((r) => r.status === "unmet") ??
        results.find((r) => r.status === "unknown") ?? { status: "met", reason: results.map((r) => r.reason).join("；") }
      );
    },
    // Compound checks stay with the rules.
    verify: () => false,
  };
}
