import { createHash } from "node:crypto";
import { z } from "zod";
import * as quantity from "../quantity.js";
import * as place from "../region.js";
import * as vocabulary from "../vocabulary.js";
import * as age from "./age.js";
import * as applicant from "./applicant.js";
import * as applicantKind from "./applicant-kind.js";
import * as both from "./both.js";
import * as clause from "./clause.js";
import * as credit from "./credit.js";
import * as dated from "./dated.js";
import * as industry from "./industry.js";
import * as ip from "./ip.js";
import * as kind from "./kind.js";
import * as legalEntity from "./legal-entity.js";
import * as personAge from "./person-age.js";
import * as qualification from "./qualification.js";
import * as recognised from "./recognised.js";
import * as record from "./record.js";
import * as region from "./region.js";
import * as site from "./site.js";
import * as size from "./size.js";
import * as text from "./text.js";
import * as threshold from "./threshold.js";
import * as unfunded from "./unfunded.js";

/** The modules whose code reads and judges conditions: every function, pattern and table they export. */
const RULE_MODULES: Record<string, unknown> = {
  vocabulary,
  quantity,
  place,
  age,
  applicant,
  applicantKind,
  both,
  clause,
  credit,
  dated,
  industry,
  ip,
  kind,
  legalEntity,
  personAge,
  qualification,
  recognised,
  record,
  region,
  site,
  size,
  text,
  threshold,
  unfunded,
};

/**
 * The rules' source as one string: functions by their code, patterns by
 * their source, tables by their entries, in a fixed order. Schemas are left
 * out: they describe the stored form, they do not read it.
 */
function serialise(value: unknown, seen: Set<unknown>): string {
  if (typeof value === "function") return `f:${value.toString()}`;
  if (value instanceof RegExp) return `r:${String(value)}`;
  if (value === null || typeof value !== "object") return `v:${String(value)}`;
  if (value instanceof z.ZodType || seen.has(value)) return "";
  seen.add(value);
  if (value instanceof Map) return `m:[${[...value].map((e) => serialise(e, seen)).join(",")}]`;
  if (value instanceof Set || Array.isArray(value)) return `a:[${[...value].map((e) => serialise(e, seen)).join(",")}]`;
  // A kind is an object literal: its read, judge, question and verify are its own keys.
  return `o:{${Object.keys(value)
    .sort()
    .map((k) => `${k}=${serialise((value as Record<string, unknown>)[k], seen)}`)
    .join(",")}}`;
}

/**
 * Conditions of every kind, for the rules to read when the fingerprint is
 * taken: what the readers make of them changes the fingerprint even when only
 * a helper no module exports has changed (a unit word, a place name).
 */
export const PROBE = [
  "一、申报条件",
  "申报单位须同时满足以下条件：",
  "（一）在武汉市东湖新技术开发区注册登记、具有独立法人资格的企业；",
  "（二）注册成立不超过 5 年（含），其中生物医药领域企业注册成立不超过 7 年（含）；",
  "（三）上一会计年度营业收入 2000 万元（含）以下，研发费用占营业收入比例不低于 5%；",
  "（四）从业人员不少于 10 人，且研发人员占职工总数比例不低于 30%；",
  "（五）已认定为国家高新技术企业或科技型中小企业，非上市企业；",
  "（六）拥有发明专利 2 件以上或其他知识产权 5 件以上；",
  "（七）法定代表人为女性不超过 55 周岁、男性不超过 60 周岁；",
  "（八）属于集成电路、人工智能、新能源汽车等重点产业领域；",
  "（九）未被列入严重失信主体名单，近三年无重大安全生产事故；",
  "（十）资产总额不低于 2 亿美元，年度技术合同成交额达到 300 万元以上。",
  "二、申报对象",
  "在本市注册的科技型小微企业、高等学校和科研机构。",
  "三、有下列情形之一的不予支持：",
  "已享受同类市级财政资金支持的。",
].join("\n");

/**
 * A SHA-256 over the source of the condition rules (every kind's read,
 * judge, question and verify, the helpers and patterns the condition modules
 * export) and of `local`: the reader's own functions and patterns, and what
 * it reads in PROBE. Computed once at module load from
 * `Function.prototype.toString()`, so it needs no file system and changes by
 * itself whenever the code does.
 */
export function rulesFingerprint(local: unknown[]): string {
  const seen = new Set<unknown>();
  const hash = createHash("sha256");
  for (const name of Object.keys(RULE_MODULES).sort()) hash.update(`${name}\0${serialise(RULE_MODULES[name], seen)}\0`);
  hash.update(serialise(local, seen));
  return hash.digest("hex").slice(0, 16);
}
