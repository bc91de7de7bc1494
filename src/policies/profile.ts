import { z } from "zod";

const wan = (what: string) => z.number().min(0, `${what}不能为负数`);

/** A company as it describes itself; money in 万元, ratios as fractions. Unknown keys are kept. */
export const CompanyProfileSchema = z
  .object({
    name: z.string().max(200).optional(),
    region: z
      .object({
        province: z.string().max(50).optional(),
        city: z.string().max(50).optional(),
        district: z.string().max(50).optional(),
        park: z.string().max(100).optional(),
      })
      .optional(),
    established: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "日期格式应为 YYYY-MM-DD").optional(),
    employees: z.number().int().min(0).optional(),
    techStaff: z.number().int().min(0).optional(),
    revenue: wan("营业收入").optional(),
    rdExpense: wan("研发费用").optional(),
    totalAssets: wan("资产总额").optional(),
    industries: z.array(z.string().max(100)).max(50).optional(),
    qualifications: z.array(z.string().max(100)).max(50).optional(),
    inventionPatents: z.number().int().min(0).optional(),
    ipCount: z.number().int().min(0).optional(),
    listed: z.boolean().optional(),
    facts: z.array(z.string().max(500)).max(50).optional(),
  })
  .passthrough();

export type CompanyProfile = z.infer<typeof CompanyProfileSchema>;
