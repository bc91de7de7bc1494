import type { CompanyProfile } from "../policies/profile.js";

/** A company a tenant saved (PUT /v1/companies/{externalId}), matched on every new policy. */
export type SavedCompany = {
  externalId: string;
  profile: CompanyProfile;
  chatUpdates: boolean;
  version: number;
  feedToken: string;
  createdAt: string;
  updatedAt: string;
};
export type ProfileVersion = { version: number; profile: CompanyProfile; source: "api" | "chat"; changedAt: string };
