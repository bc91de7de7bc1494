import { type Company, companyFrom } from "../../../src/policies/company.js";
import { type ReadContext, readChecks } from "../../../src/policies/conditions/index.js";
import type { Check } from "../../../src/policies/criteria.js";
import type { CompanyProfile } from "../../../src/policies/profile.js";

/** A Beijing policy: «本市» is Beijing. */
export const BEIJING: ReadContext = { policyRegionPath: ["北京市"], regionHint: ["北京市"] };

/** The checks of one type that the registry reads from a clause, as ingest would. */
export const readAs = <T extends Check["type"]>(type: T, clause: string, ctx: ReadContext = BEIJING) =>
  readChecks(clause, ctx).filter((c): c is Extract<Check, { type: T }> => c.type === type);

/** A company as judged on 2026-06-30. */
export const company = (profile: CompanyProfile = {}): Company => companyFrom(profile, "2026-06-30");
