import { z } from "zod";
import { chinaDate, isRealIsoDate } from "../lib/china-time.js";

const wan = (what: string) => z.number().min(0, `${what}不能为负数`);
// A founding date as precise as the company gives it: a year, a month or a day.
const isoDay = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** A company as it describes itself; money in 万元, ratios as fractions. Unknown keys are kept. */
export const CompanyProfileSchema = z
  .object({
    name: z.string().max(200).optional().describe("Company name").meta({ example: "武汉光谷某某光电科技有限公司" }),
    region: z
      .object({
        province: z.string().max(50).optional().describe("Province of registration").meta({ example: "湖北省" }),
        city: z.string().max(50).optional().describe("City of registration").meta({ example: "武汉市" }),
        district: z.string().max(50).optional().describe("District (区/县)").meta({ example: "洪山区" }),
        park: z.string().max(100).optional().describe("Park or development zone").meta({ example: "东湖新技术开发区" }),
      })
      .passthrough()
      .optional()
      .describe("Where the company is registered; short forms are normalised (海淀 → 北京市海淀区)"),
    established: z
      .string()
      .regex(isoDay, "日期格式应为 YYYY-MM-DD、YYYY-MM 或 YYYY")
      .refine((d) => isRealIsoDate(d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d), "不是有效日期（该月没有这一天）")
      // A founding date after today (China's today: the company registered in China) is a typo.
      .refine((d) => d <= chinaDate(new Date()).slice(0, d.length), "成立日期不能晚于今天")
      .optional()
      .describe("Founding date, YYYY-MM-DD, YYYY-MM or YYYY")
      .meta({ example: "2019-06-18" }),
    employees: z.number().int().min(0, "从业人数不能为负数").optional().describe("Employees (从业人员)").meta({ example: 86 }),
    techStaff: z.number().int().min(0, "科技人员数不能为负数").optional().describe("R&D and technical staff (科技人员)").meta({ example: 31 }),
    revenue: wan("营业收入").optional().describe("Last year's revenue (营业收入), 万元").meta({ example: 5200 }),
    rdExpense: wan("研发费用").optional().describe("Last year's R&D expense (研发费用), 万元").meta({ example: 430 }),
    totalAssets: wan("资产总额").optional().describe("Total assets (资产总额), 万元").meta({ example: 8000 }),
    revenuePrevYear: wan("上上年营业收入").optional().describe("Revenue of the year before last, 万元 (for growth)").meta({ example: 4100 }),
    rdExpensePrevYear: wan("上上年研发费用").optional().describe("R&D expense of the year before last, 万元 (for 研发投入增量)").meta({ example: 360 }),
    rdRatio: z
      .number()
      .min(0, "研发投入占比不能为负数")
      .max(1, "研发投入占比是0到1之间的小数（5% 写作 0.05）")
      .optional()
      .describe("R&D expense / revenue as a fraction, when only the ratio is known")
      .meta({ example: 0.05 }),
    applicantType: z.enum(["企业", "事业单位", "高校", "科研院所", "社会组织", "个人"]).optional().describe("Kind of applicant").meta({ example: "企业" }),
    industries: z
      .array(z.string().max(100))
      .max(50)
      .optional()
      .describe("Industries or fields, in any words (体外诊断 counts as 医药健康)")
      .meta({ example: ["光电子", "激光"] }),
    qualifications: z
      .array(z.string().max(100))
      .max(50)
      .optional()
      .describe("Qualifications held; synonyms normalised (高企 → 高新技术企业, 小巨人 → 专精特新“小巨人”企业)")
      .meta({ example: ["高新技术企业", "科技型中小企业"] }),
    lacks: z
      .array(z.string().max(100))
      .max(50)
      .optional()
      .describe("Qualifications the company says it does not hold (还不是高企 → 高新技术企业)")
      .meta({ example: ["高新技术企业"] }),
    inventionPatents: z.number().int().min(0).optional().describe("Granted invention patents (发明专利)").meta({ example: 6 }),
    ipCount: z.number().int().min(0).optional().describe("All intellectual property items (知识产权), patents included").meta({ example: 24 }),
    listed: z.boolean().optional().describe("Listed on a stock exchange or 新三板").meta({ example: false }),
    facts: z
      .array(z.string().max(500))
      .max(50)
      .optional()
      .describe("Anything else, in the company's own words; numbers, places and qualifications are read from it")
      .meta({ example: ["上一会计年度研发费用520万元，前一年度为360万元", "尚未认定为专精特新企业"] }),
  })
  .passthrough();

export type CompanyProfile = z.infer<typeof CompanyProfileSchema>;
