import { z } from "zod";
import { AgeSchema } from "./age.js";
import { ApplicantSchema } from "./applicant.js";
import { ApplicantKindSchema } from "./applicant-kind.js";
import { CreditSchema } from "./credit.js";
import { DatedSchema } from "./dated.js";
import { IndustrySchema } from "./industry.js";
import { IpSchema } from "./ip.js";
import { LegalEntitySchema } from "./legal-entity.js";
import { PersonAgeSchema } from "./person-age.js";
import { QualificationSchema } from "./qualification.js";
import { RecognisedSchema } from "./recognised.js";
import { RecordSchema } from "./record.js";
import { RegionSchema } from "./region.js";
import { SiteSchema } from "./site.js";
import { SizeSchema } from "./size.js";
import { TextSchema } from "./text.js";
import { ThresholdSchema } from "./threshold.js";
import { UnfundedSchema } from "./unfunded.js";

/** A check of one kind. Members in the order the API document lists them (the reading order is CONDITION_KINDS'). */
export const LeafCheckSchema = z.discriminatedUnion("type", [
  RegionSchema,
  SiteSchema,
  SizeSchema,
  ApplicantSchema,
  AgeSchema,
  DatedSchema,
  ThresholdSchema,
  QualificationSchema,
  RecognisedSchema,
  PersonAgeSchema,
  IndustrySchema,
  IpSchema,
  CreditSchema,
  UnfundedSchema,
  RecordSchema,
  LegalEntitySchema,
  ApplicantKindSchema,
  TextSchema,
]);
export type LeafCheck = z.infer<typeof LeafCheckSchema>;
