import type { CompanyProfile } from "../policies/profile.js";

const PLACES: Array<CompanyProfile["region"]> = [
  { city: "武汉市", district: "洪山区" },
  { city: "武汉市", park: "东湖新技术开发区" },
  { city: "武汉市", district: "江夏区" },
  { province: "湖北省", city: "宜昌市" },
  { city: "北京市", district: "海淀区" },
  { city: "北京市", district: "朝阳区" },
  { city: "上海市", district: "徐汇区" },
  { province: "广东省", city: "广州市", district: "天河区" },
  { province: "广东省", city: "深圳市", district: "南山区" },
  { province: "浙江省", city: "杭州市" },
  { province: "江苏省", city: "苏州市" },
  { province: "宁夏回族自治区", city: "银川市" },
];
const QUALIFICATIONS = ["高新技术企业", "科技型中小企业", "专精特新中小企业", "专精特新“小巨人”企业", "瞪羚企业"];
const INDUSTRIES = ["光电子", "集成电路", "生物医药", "人工智能", "新能源汽车", "软件和信息服务", "高端装备", "新材料", "体外诊断", "节能环保"];

/** A small deterministic generator, so every run judges the same companies. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** `n` plausible companies: places across the corpus's regions, sizes from start-up to mid-size, some qualifications. */
export function generateCompanies(n: number, seed = 20261130): Array<{ id: string; profile: CompanyProfile }> {
  const random = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  return Array.from({ length: n }, (_, i) => {
    const revenue = Math.round(50 + random() ** 2 * 40_000);
    const year = 2005 + Math.floor(random() * 20);
    const qualifications = QUALIFICATIONS.filter(() => random() < 0.25);
    return {
      id: `company-${String(i + 1).padStart(5, "0")}`,
      profile: {
        name: `测试企业${i + 1}`,
        region: pick(PLACES),
        established: `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-15`,
        employees: Math.round(5 + random() ** 2 * 1500),
        revenue,
        rdExpense: Math.round(revenue * (0.01 + random() * 0.12)),
        industries: [pick(INDUSTRIES)],
        qualifications,
        inventionPatents: Math.floor(random() * 15),
      },
    };
  });
}
