/**
 * Administrative regions as paths: ["湖北省", "武汉市", "东湖新技术开发区"]. National
 * policies have an empty path. A policy applies to a company when every segment
 * of the policy's path is in the company's path (district ⊂ city ⊂ province).
 */
const MUNICIPALITIES = ["北京市", "上海市", "天津市", "重庆市"];

/** Province of the cities the product meets most; enough to complete a partial address. */
const CITY_PROVINCE: Record<string, string> = {
  武汉市: "湖北省", 宜昌市: "湖北省", 襄阳市: "湖北省", 黄石市: "湖北省", 十堰市: "湖北省", 荆州市: "湖北省", 孝感市: "湖北省", 黄冈市: "湖北省", 鄂州市: "湖北省",
  广州市: "广东省", 深圳市: "广东省", 佛山市: "广东省", 东莞市: "广东省", 珠海市: "广东省", 惠州市: "广东省", 中山市: "广东省",
  杭州市: "浙江省", 宁波市: "浙江省", 南京市: "江苏省", 苏州市: "江苏省", 无锡市: "江苏省", 合肥市: "安徽省", 成都市: "四川省",
  西安市: "陕西省", 长沙市: "湖南省", 郑州市: "河南省", 济南市: "山东省", 青岛市: "山东省", 福州市: "福建省", 厦门市: "福建省",
  沈阳市: "辽宁省", 大连市: "辽宁省", 哈尔滨市: "黑龙江省", 长春市: "吉林省", 石家庄市: "河北省", 太原市: "山西省", 南昌市: "江西省",
  昆明市: "云南省", 贵阳市: "贵州省", 南宁市: "广西壮族自治区", 银川市: "宁夏回族自治区", 兰州市: "甘肃省", 乌鲁木齐市: "新疆维吾尔自治区",
};

/** Well-known districts, parks and zones, with the city they belong to. */
const PLACE_CITY: Record<string, string> = {
  东湖新技术开发区: "武汉市", 东湖高新区: "武汉市", 光谷: "武汉市", 洪山区: "武汉市", 江夏区: "武汉市", 武昌区: "武汉市", 江岸区: "武汉市", 江汉区: "武汉市",
  硚口区: "武汉市", 汉阳区: "武汉市", 青山区: "武汉市", 东西湖区: "武汉市", 蔡甸区: "武汉市", 黄陂区: "武汉市", 新洲区: "武汉市", 汉南区: "武汉市", 武汉经济技术开发区: "武汉市",
  海淀区: "北京市", 朝阳区: "北京市", 东城区: "北京市", 西城区: "北京市", 丰台区: "北京市", 石景山区: "北京市", 通州区: "北京市", 顺义区: "北京市", 昌平区: "北京市",
  大兴区: "北京市", 房山区: "北京市", 门头沟区: "北京市", 怀柔区: "北京市", 平谷区: "北京市", 密云区: "北京市", 延庆区: "北京市", 北京经济技术开发区: "北京市", 亦庄: "北京市",
  中关村: "北京市", 中关村科学城: "北京市", 中关村示范区: "北京市",
  徐汇区: "上海市", 浦东新区: "上海市", 闵行区: "上海市", 杨浦区: "上海市", 张江: "上海市", 临港新片区: "上海市",
  天河区: "广州市", 黄埔区: "广州市", 海珠区: "广州市", 越秀区: "广州市", 番禺区: "广州市", 白云区: "广州市", 南沙区: "广州市",
  南山区: "深圳市", 福田区: "深圳市", 宝安区: "深圳市", 龙岗区: "深圳市", 前海: "深圳市", 顺德区: "佛山市", 南海区: "佛山市",
};

const ALIASES: Record<string, string> = {
  北京: "北京市", 上海: "上海市", 天津: "天津市", 重庆: "重庆市", 武汉: "武汉市", 广州: "广州市", 深圳: "深圳市", 湖北: "湖北省", 广东: "广东省",
  海淀: "海淀区", 朝阳: "朝阳区", 徐汇: "徐汇区", 天河: "天河区", 南山: "南山区", 洪山: "洪山区", 江夏: "江夏区", 东湖高新区: "东湖新技术开发区",
  光谷: "东湖新技术开发区", 武汉东湖新技术开发区: "东湖新技术开发区", 武汉东湖高新区: "东湖新技术开发区", 中关村示范区: "中关村", 中关村国家自主创新示范区: "中关村",
};

const NATIONAL = /^(全国|国家|中国|中华人民共和国|national)$/i;

export function canonicalPlace(name: string): string {
  const n = name.trim();
  return ALIASES[n] ?? n;
}

/** "湖北省武汉市东湖新技术开发区" → ["湖北省","武汉市","东湖新技术开发区"]; "全国" → []. */
export function parseRegion(text: string | null | undefined): string[] {
  if (!text) return [];
  const t = text.replace(/\s+/g, "");
  if (!t || NATIONAL.test(t)) return [];
  const parts: string[] = [];
  const re = /(.+?(?:自治区|特别行政区|省))|(.+?市)|(.+?(?:新技术开发区|经济技术开发区|开发区|高新区|新区|自治县|县|区|示范区|园区|科学城))/gy;
  let rest = t;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while ((m = re.exec(t))) {
    parts.push(canonicalPlace(m[0]));
    rest = t.slice(re.lastIndex);
  }
  if (rest) parts.push(canonicalPlace(rest));
  return completePath(parts);
}

/** Adds the province and city a path implies: ["海淀区"] → ["北京市","海淀区"]. */
export function completePath(parts: string[]): string[] {
  const out = parts.map(canonicalPlace).filter((p) => p && !NATIONAL.test(p));
  const first = out[0];
  if (first && PLACE_CITY[first]) out.unshift(PLACE_CITY[first]);
  const head = out[0];
  if (head && CITY_PROVINCE[head]) out.unshift(CITY_PROVINCE[head]);
  return [...new Set(out)];
}

export type ProfileRegion = { province?: string; city?: string; district?: string; park?: string };

export function profileRegionPath(region: ProfileRegion | undefined): string[] {
  if (!region) return [];
  const parts = [region.province, region.city, region.district, region.park].filter((p): p is string => !!p);
  const path = completePath(parts.flatMap((p) => parseRegion(p)));
  // Zones inside a district (a park) imply their city: 中关村 ⊂ 北京市.
  for (const p of [...path]) if (PLACE_CITY[p] && !path.includes(PLACE_CITY[p])) path.unshift(PLACE_CITY[p]);
  return [...new Set(path)];
}

export function isMunicipality(name: string): boolean {
  return MUNICIPALITIES.includes(name);
}

/** Does a policy for `policyPath` cover a company located at `companyPath`? */
export function regionCovers(policyPath: string[], companyPath: string[]): boolean {
  return policyPath.every((p) => companyPath.includes(p));
}

export type PolicyLevel = "national" | "provincial" | "municipal" | "district";

export function levelOf(path: string[]): PolicyLevel {
  if (path.length === 0) return "national";
  const last = path[path.length - 1];
  if (path.length === 1) return isMunicipality(last) ? "municipal" : /省|自治区/.test(last) ? "provincial" : "municipal";
  if (/市$/.test(last) && !isMunicipality(last)) return "municipal";
  return "district";
}

const PROVINCES = [
  "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
  "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
  "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
];

/** Every place name we can recognise in free text, longest first, with its canonical form. */
const PLACE_NAMES: Array<[string, string]> = (() => {
  const names = new Map<string, string>();
  const add = (full: string) => {
    names.set(full, full);
    const short = full.replace(/(壮族|回族|维吾尔)?(自治区|特别行政区|省|市|区)$/, "");
    if (short.length >= 2 && !names.has(short)) names.set(short, full);
  };
  [...PROVINCES, ...MUNICIPALITIES, ...Object.keys(CITY_PROVINCE), ...Object.keys(PLACE_CITY)].forEach(add);
  for (const [alias, canonical] of Object.entries(ALIASES)) names.set(alias, canonical);
  // Words that contain a place name but are not places.
  for (const notPlace of ["朝阳产业", "光谷"]) names.delete(notPlace);
  names.set("光谷", "东湖新技术开发区");
  return [...names].sort((a, b) => b[0].length - a[0].length);
})();

/**
 * The one administrative path the places named in a text lie on ("成都高新区的…" →
 * ["四川省","成都市"]), or null when it names none or places on different branches.
 */
export function placePathIn(text: string): string[] | null {
  const found: string[] = [];
  let rest = text;
  for (const [name, canonical] of PLACE_NAMES) {
    if (rest.includes(name)) {
      found.push(canonical);
      rest = rest.split(name).join("\u0000");
    }
  }
  if (found.length === 0) return null;
  const paths = found.map((p) => completePath([p]));
  const longest = paths.reduce((a, b) => (b.length > a.length ? b : a));
  return paths.every((p) => p.every((seg) => longest.includes(seg))) ? longest : null;
}

/** Same branch of the administrative tree: one path lies within the other. */
export function regionCompatible(a: string[], b: string[]): boolean {
  return a.every((p) => b.includes(p)) || b.every((p) => a.includes(p));
}
