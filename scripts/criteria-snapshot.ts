/**
 * Criteria of every policy document, and what they say of a fixed set of
 * companies, as one JSON file with a stable key order: run it before and
 * after a change to criteria extraction or eligibility and `cmp` the two.
 *   npx tsx scripts/criteria-snapshot.ts <out.json> <folders or files…>
 *   npx tsx scripts/criteria-snapshot.ts /tmp/criteria-before.json ../shared/corpus data/policies
 * Per document: the criteria exactly as ingest extracts them; for each check,
 * whether `supported` would accept it as a model's proposal for the text of
 * each criterion of the document («1» yes, «0» no); and each company's
 * judgement, with the result of every single check (left out with
 * `{ checks: false }`, as test/unit/criteria-snapshot.test.ts does).
 */
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { collectFiles, policyIdFor } from "../src/ingest/ingest.js";
import { loadDocument } from "../src/ingest/loaders.js";
import { extractMetadata } from "../src/ingest/metadata.js";
import { companyFrom } from "../src/policies/company.js";
import { type Check, type Criterion, extractCriteria } from "../src/policies/criteria.js";
import { supported } from "../src/policies/criteria-refine.js";
import { judgeCheck, judgeCompany } from "../src/policies/eligibility.js";
import type { CompanyProfile } from "../src/policies/profile.js";

/** The day every company is judged on: ages and years since graduation are counted to it. */
export const AS_OF = "2026-06-30";

/** Companies of different places, sizes and stories, so that each kind of check meets met, unmet and unknown. */
export const SNAPSHOT_COMPANIES: Record<string, CompanyProfile> = {
  empty: {},
  "haidian-ai": {
    region: { province: "北京市", city: "北京市", district: "海淀区", park: "中关村科技园区" },
    established: "2019-06-01",
    employees: 120,
    techStaff: 45,
    revenue: 8000,
    rdExpense: 640,
    totalAssets: 12000,
    industries: ["人工智能", "软件和信息技术服务"],
    qualifications: ["高新技术企业", "专精特新中小企业", "科技型中小企业"],
    inventionPatents: 6,
    ipCount: 18,
    listed: false,
    facts: ["无失信记录，未被列入经营异常名录", "拟申领人工智能算力券", "拥有核心技术和自主知识产权"],
  },
  "chaoyang-startup": {
    region: { province: "北京市", city: "北京市", district: "朝阳区" },
    established: "2025-03",
    employees: 8,
    techStaff: 5,
    revenue: 90,
    rdExpense: 60,
    industries: ["文化创意"],
    qualifications: [],
    facts: ["法定代表人为女性，32岁", "2022届普通高校本科毕业生", "已连续5个月为员工缴纳社会保险费", "想申请首都科技创新券"],
  },
  "wuhan-optics": {
    region: { province: "湖北省", city: "武汉市", district: "东湖新技术开发区", park: "光谷" },
    established: "2012-09-18",
    employees: 650,
    techStaff: 210,
    revenue: 52000,
    rdExpense: 3100,
    totalAssets: 90000,
    revenuePrevYear: 46000,
    rdExpensePrevYear: 2600,
    industries: ["光电子", "激光"],
    qualifications: ["高新技术企业", "专精特新“小巨人”企业"],
    inventionPatents: 40,
    ipCount: 120,
    listed: true,
  },
  "wuhan-small": {
    region: { city: "武汉市" },
    established: "2023",
    employees: 25,
    revenue: 1500,
    rdRatio: 0.08,
    industries: ["医药健康", "体外诊断"],
    lacks: ["高新技术企业"],
    facts: ["还不是高新技术企业", "上一会计年度研发费用120万元，前一年度为80万元", "有2项实用新型专利"],
  },
  "shanghai-xuhui": {
    region: { province: "上海市", city: "上海市", district: "徐汇区" },
    established: "2016-11-11",
    employees: 300,
    techStaff: 90,
    revenue: 20000,
    rdExpense: 1800,
    industries: ["集成电路"],
    qualifications: ["高新技术企业"],
    inventionPatents: 12,
    facts: ["依法在徐汇区经营", "已获得市级财政资金支持", "存在经营异常记录"],
  },
  "guangzhou-bio": {
    region: { province: "广东省", city: "广州市", district: "黄埔区" },
    established: "2020-01-15",
    employees: 60,
    techStaff: 30,
    revenue: 3000,
    rdExpense: 900,
    industries: ["生物医药"],
    qualifications: ["科技型中小企业"],
    inventionPatents: 0,
    ipCount: 0,
    facts: ["法定代表人，男，62岁", "属于房地产企业的关联公司"],
  },
  "shenzhen-branch": {
    region: { province: "广东省", city: "深圳市", district: "南山区" },
    established: "2008-05-20",
    employees: 1500,
    revenue: 300000,
    totalAssets: 500000,
    industries: ["新一代信息技术", "金融"],
    qualifications: ["高新技术企业"],
    facts: ["为分公司，未设立独立法人", "科创板上市公司", "研发投入同比增长了800万"],
  },
  "beijing-province-only": {
    region: { province: "北京市" },
    established: "2021-07-01",
    employees: 40,
    techStaff: 12,
    revenue: 600,
    facts: ["没有发明专利", "信用记录良好"],
  },
  "facts-only": {
    facts: ["公司注册在天津市滨海新区", "上年度营收3000万元", "职工50人，其中研发人员20人", "成立两年", "拥有发明专利3件", "未上市"],
  },
};

export type SnapshotDocument = { file: string; bytes: Uint8Array };

/** The snapshot of some documents, as the text to write (see stableJson), with a final newline. */
export async function criteriaSnapshot(docs: SnapshotDocument[], options: { checks?: boolean } = {}): Promise<string> {
  const companies = Object.entries(SNAPSHOT_COMPANIES).map(([name, profile]) => ({ name, company: companyFrom(profile, AS_OF) }));
  const out: Record<string, unknown> = {};
  for (const { file, bytes } of docs) {
    const id = policyIdFor(file);
    const doc = await loadDocument(file, bytes);
    const meta = extractMetadata(doc.text, doc.meta, { title: doc.title, fileName: id });
    const criteria = extractCriteria(doc.text, { policyRegionPath: meta.regionPath, title: meta.title });
    const all = [...criteria.common, ...criteria.programmes.flatMap((p) => p.criteria)];
    const checks = all.flatMap(checksIn);
    const texts = all.map((c) => c.text);
    out[id] = {
      regionPath: meta.regionPath,
      criteria,
      supported: checks.map((k) => texts.map((t) => (supported(k, t) ? "1" : "0")).join("")),
      judgements: Object.fromEntries(
        companies.map(({ name, company }) => [
          name,
          {
            judgement: judgeCompany(criteria, company),
            ...(options.checks === false
              ? {}
              : { checks: all.map((c) => [...(c.when ? [c.when] : []), ...c.checks].map((k) => judgeCheck(k, c.text, company))) }),
          },
        ]),
      ),
    };
  }
  return `${stableJson(out)}\n`;
}

/** Every check of a criterion, those inside a compound one included. */
function checksIn(c: Criterion): Check[] {
  const top = [...(c.when ? [c.when] : []), ...c.checks];
  return top.flatMap((k) => (k.type === "both" ? [k, ...k.checks] : [k]));
}

/**
 * JSON with keys sorted. A record of plain values (a check, a checklist line)
 * takes one line, so that a change shows in a diff as the lines it changes.
 */
function stableJson(value: unknown, indent = ""): string {
  if (!value || typeof value !== "object") return JSON.stringify(value);
  const entries: Array<[string | null, unknown]> = Array.isArray(value)
    ? value.map((v) => [null, v ?? null])
    : Object.keys(value)
        .sort()
        .flatMap((k) => ((value as Record<string, unknown>)[k] === undefined ? [] : [[k, (value as Record<string, unknown>)[k]]]));
  const plain = (v: unknown) => !v || typeof v !== "object" || (Array.isArray(v) && v.every((x) => !x || typeof x !== "object"));
  const open = Array.isArray(value) ? "[" : "{";
  const close = Array.isArray(value) ? "]" : "}";
  if (entries.length === 0) return `${open}${close}`;
  const item = (k: string | null, v: unknown, inner: string) => `${k === null ? "" : `${JSON.stringify(k)}: `}${stableJson(v, inner)}`;
  if (entries.every(([, v]) => plain(v))) return `${open}${entries.map(([k, v]) => item(k, v, "")).join(", ")}${close}`;
  const inner = `${indent}  `;
  return `${open}\n${entries.map(([k, v]) => `${inner}${item(k, v, inner)}`).join(",\n")}\n${indent}${close}`;
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? "")).href) {
  const [outFile, ...paths] = process.argv.slice(2);
  if (!outFile || paths.length === 0) {
    console.error("usage: npx tsx scripts/criteria-snapshot.ts <out.json> <folder or files…>");
    process.exit(2);
  }
  const { files } = await collectFiles(paths);
  const docs = await Promise.all(files.map(async (file) => ({ file, bytes: new Uint8Array(await readFile(file)) })));
  await writeFile(outFile, await criteriaSnapshot(docs));
  console.log(`${outFile}: ${files.length} documents, ${Object.keys(SNAPSHOT_COMPANIES).length} companies`);
}
