/**
 * Administrative regions as paths: ["湖北省", "武汉市", "东湖新技术开发区"]. National
 * policies have an empty path. A policy applies to a company when every segment
 * of the policy's path is in the company's path (district ⊂ city ⊂ province).
 */
const MUNICIPALITIES = ["北京市", "上海市", "天津市", "重庆市"];

/** Province of the cities the product meets most; enough to complete a partial address. */
const CITY_PROVINCE: Record<string, string> = {
  武汉市: "湖北省",
  宜昌市: "湖北省",
  襄阳市: "湖北省",
  黄石市: "湖北省",
  十堰市: "湖北省",
  荆州市: "湖北省",
  孝感市: "湖北省",
  黄冈市: "湖北省",
  鄂州市: "湖北省",
  广州市: "广东省",
  深圳市: "广东省",
  佛山市: "广东省",
  东莞市: "广东省",
  珠海市: "广东省",
  惠州市: "广东省",
  中山市: "广东省",
  杭州市: "浙江省",
  宁波市: "浙江省",
  南京市: "江苏省",
  苏州市: "江苏省",
  无锡市: "江苏省",
  合肥市: "安徽省",
  成都市: "四川省",
  西安市: "陕西省",
  长沙市: "湖南省",
  郑州市: "河南省",
  济南市: "山东省",
  青岛市: "山东省",
  福州市: "福建省",
  厦门市: "福建省",
  沈阳市: "辽宁省",
  大连市: "辽宁省",
  哈尔滨市: "黑龙江省",
  长春市: "吉林省",
  石家庄市: "河北省",
  太原市: "山西省",
  南昌市: "江西省",
  昆明市: "云南省",
  贵阳市: "贵州省",
  南宁市: "广西壮族自治区",
  银川市: "宁夏回族自治区",
  兰州市: "甘肃省",
  乌鲁木齐市: "新疆维吾尔自治区",
  随州市: "湖北省",
  咸宁市: "湖北省",
  荆门市: "湖北省",
  汕头市: "广东省",
  江门市: "广东省",
  湛江市: "广东省",
  肇庆市: "广东省",
  清远市: "广东省",
  韶关市: "广东省",
  揭阳市: "广东省",
  茂名市: "广东省",
  梅州市: "广东省",
  汕尾市: "广东省",
  河源市: "广东省",
  阳江市: "广东省",
  潮州市: "广东省",
  云浮市: "广东省",
  温州市: "浙江省",
  嘉兴市: "浙江省",
  湖州市: "浙江省",
  绍兴市: "浙江省",
  金华市: "浙江省",
  台州市: "浙江省",
  舟山市: "浙江省",
  衢州市: "浙江省",
  丽水市: "浙江省",
  常州市: "江苏省",
  南通市: "江苏省",
  徐州市: "江苏省",
  扬州市: "江苏省",
  镇江市: "江苏省",
  泰州市: "江苏省",
  盐城市: "江苏省",
  淮安市: "江苏省",
  连云港市: "江苏省",
  宿迁市: "江苏省",
  芜湖市: "安徽省",
  蚌埠市: "安徽省",
  马鞍山市: "安徽省",
  安庆市: "安徽省",
  滁州市: "安徽省",
  阜阳市: "安徽省",
  泉州市: "福建省",
  漳州市: "福建省",
  莆田市: "福建省",
  赣州市: "江西省",
  九江市: "江西省",
  上饶市: "江西省",
  烟台市: "山东省",
  潍坊市: "山东省",
  淄博市: "山东省",
  威海市: "山东省",
  临沂市: "山东省",
  济宁市: "山东省",
  东营市: "山东省",
  洛阳市: "河南省",
  新乡市: "河南省",
  南阳市: "河南省",
  许昌市: "河南省",
  株洲市: "湖南省",
  湘潭市: "湖南省",
  衡阳市: "湖南省",
  岳阳市: "湖南省",
  常德市: "湖南省",
  廊坊市: "河北省",
  保定市: "河北省",
  唐山市: "河北省",
  邯郸市: "河北省",
  秦皇岛市: "河北省",
  沧州市: "河北省",
  邢台市: "河北省",
  张家口市: "河北省",
  承德市: "河北省",
  衡水市: "河北省",
  大同市: "山西省",
  长治市: "山西省",
  晋中市: "山西省",
  呼和浩特市: "内蒙古自治区",
  包头市: "内蒙古自治区",
  鄂尔多斯市: "内蒙古自治区",
  鞍山市: "辽宁省",
  抚顺市: "辽宁省",
  锦州市: "辽宁省",
  营口市: "辽宁省",
  吉林市: "吉林省",
  大庆市: "黑龙江省",
  齐齐哈尔市: "黑龙江省",
  柳州市: "广西壮族自治区",
  桂林市: "广西壮族自治区",
  北海市: "广西壮族自治区",
  海口市: "海南省",
  三亚市: "海南省",
  绵阳市: "四川省",
  德阳市: "四川省",
  宜宾市: "四川省",
  泸州市: "四川省",
  南充市: "四川省",
  乐山市: "四川省",
  遵义市: "贵州省",
  曲靖市: "云南省",
  玉溪市: "云南省",
  盘锦市: "辽宁省",
  本溪市: "辽宁省",
  丹东市: "辽宁省",
  辽阳市: "辽宁省",
  铁岭市: "辽宁省",
  葫芦岛市: "辽宁省",
  阜新市: "辽宁省",
  通化市: "吉林省",
  四平市: "吉林省",
  辽源市: "吉林省",
  白山市: "吉林省",
  松原市: "吉林省",
  白城市: "吉林省",
  牡丹江市: "黑龙江省",
  佳木斯市: "黑龙江省",
  鸡西市: "黑龙江省",
  双鸭山市: "黑龙江省",
  七台河市: "黑龙江省",
  鹤岗市: "黑龙江省",
  伊春市: "黑龙江省",
  黑河市: "黑龙江省",
  绥化市: "黑龙江省",
  黄山市: "安徽省",
  铜陵市: "安徽省",
  淮南市: "安徽省",
  淮北市: "安徽省",
  宣城市: "安徽省",
  六安市: "安徽省",
  池州市: "安徽省",
  亳州市: "安徽省",
  宿州市: "安徽省",
  三明市: "福建省",
  南平市: "福建省",
  龙岩市: "福建省",
  宁德市: "福建省",
  景德镇市: "江西省",
  萍乡市: "江西省",
  新余市: "江西省",
  鹰潭市: "江西省",
  吉安市: "江西省",
  宜春市: "江西省",
  抚州市: "江西省",
  枣庄市: "山东省",
  泰安市: "山东省",
  日照市: "山东省",
  德州市: "山东省",
  聊城市: "山东省",
  滨州市: "山东省",
  菏泽市: "山东省",
  开封市: "河南省",
  平顶山市: "河南省",
  安阳市: "河南省",
  鹤壁市: "河南省",
  焦作市: "河南省",
  濮阳市: "河南省",
  漯河市: "河南省",
  三门峡市: "河南省",
  商丘市: "河南省",
  信阳市: "河南省",
  周口市: "河南省",
  驻马店市: "河南省",
  邵阳市: "湖南省",
  益阳市: "湖南省",
  郴州市: "湖南省",
  永州市: "湖南省",
  怀化市: "湖南省",
  娄底市: "湖南省",
  张家界市: "湖南省",
  梧州市: "广西壮族自治区",
  玉林市: "广西壮族自治区",
  百色市: "广西壮族自治区",
  钦州市: "广西壮族自治区",
  防城港市: "广西壮族自治区",
  贵港市: "广西壮族自治区",
  河池市: "广西壮族自治区",
  来宾市: "广西壮族自治区",
  崇左市: "广西壮族自治区",
  贺州市: "广西壮族自治区",
  自贡市: "四川省",
  攀枝花市: "四川省",
  广元市: "四川省",
  遂宁市: "四川省",
  内江市: "四川省",
  眉山市: "四川省",
  广安市: "四川省",
  达州市: "四川省",
  雅安市: "四川省",
  资阳市: "四川省",
  六盘水市: "贵州省",
  安顺市: "贵州省",
  毕节市: "贵州省",
  铜仁市: "贵州省",
  大理市: "云南省",
  丽江市: "云南省",
  保山市: "云南省",
  昭通市: "云南省",
  铜川市: "陕西省",
  渭南市: "陕西省",
  延安市: "陕西省",
  汉中市: "陕西省",
  安康市: "陕西省",
  商洛市: "陕西省",
  嘉峪关市: "甘肃省",
  金昌市: "甘肃省",
  白银市: "甘肃省",
  酒泉市: "甘肃省",
  张掖市: "甘肃省",
  武威市: "甘肃省",
  定西市: "甘肃省",
  平凉市: "甘肃省",
  庆阳市: "甘肃省",
  石嘴山市: "宁夏回族自治区",
  吴忠市: "宁夏回族自治区",
  固原市: "宁夏回族自治区",
  中卫市: "宁夏回族自治区",
  海东市: "青海省",
  日喀则市: "西藏自治区",
  哈密市: "新疆维吾尔自治区",
  吐鲁番市: "新疆维吾尔自治区",
  乌海市: "内蒙古自治区",
  赤峰市: "内蒙古自治区",
  通辽市: "内蒙古自治区",
  呼伦贝尔市: "内蒙古自治区",
  巴彦淖尔市: "内蒙古自治区",
  乌兰察布市: "内蒙古自治区",
  阳泉市: "山西省",
  晋城市: "山西省",
  朔州市: "山西省",
  运城市: "山西省",
  忻州市: "山西省",
  临汾市: "山西省",
  吕梁市: "山西省",
  儋州市: "海南省",
  宝鸡市: "陕西省",
  咸阳市: "陕西省",
  榆林市: "陕西省",
  天水市: "甘肃省",
  西宁市: "青海省",
  拉萨市: "西藏自治区",
  克拉玛依市: "新疆维吾尔自治区",
};

/** Well-known districts, parks and zones, with the city they belong to. */
const PLACE_CITY: Record<string, string> = {
  东湖新技术开发区: "武汉市",
  东湖高新区: "武汉市",
  光谷: "武汉市",
  洪山区: "武汉市",
  江夏区: "武汉市",
  武昌区: "武汉市",
  江岸区: "武汉市",
  江汉区: "武汉市",
  硚口区: "武汉市",
  汉阳区: "武汉市",
  青山区: "武汉市",
  东西湖区: "武汉市",
  蔡甸区: "武汉市",
  黄陂区: "武汉市",
  新洲区: "武汉市",
  汉南区: "武汉市",
  武汉经济技术开发区: "武汉市",
  海淀区: "北京市",
  朝阳区: "北京市",
  东城区: "北京市",
  西城区: "北京市",
  丰台区: "北京市",
  石景山区: "北京市",
  通州区: "北京市",
  顺义区: "北京市",
  昌平区: "北京市",
  大兴区: "北京市",
  房山区: "北京市",
  门头沟区: "北京市",
  怀柔区: "北京市",
  平谷区: "北京市",
  密云区: "北京市",
  延庆区: "北京市",
  北京经济技术开发区: "北京市",
  亦庄: "北京市",
  中关村: "北京市",
  中关村科学城: "北京市",
  中关村示范区: "北京市",
  徐汇区: "上海市",
  浦东新区: "上海市",
  闵行区: "上海市",
  杨浦区: "上海市",
  张江: "上海市",
  临港新片区: "上海市",
  天河区: "广州市",
  黄埔区: "广州市",
  海珠区: "广州市",
  越秀区: "广州市",
  番禺区: "广州市",
  白云区: "广州市",
  南沙区: "广州市",
  南山区: "深圳市",
  福田区: "深圳市",
  宝安区: "深圳市",
  龙岗区: "深圳市",
  前海: "深圳市",
  顺德区: "佛山市",
  南海区: "佛山市",
  北京亦庄: "北京市",
  未来科学城: "北京市",
  怀柔科学城: "北京市",
  黄浦区: "上海市",
  静安区: "上海市",
  长宁区: "上海市",
  普陀区: "上海市",
  虹口区: "上海市",
  宝山区: "上海市",
  嘉定区: "上海市",
  金山区: "上海市",
  松江区: "上海市",
  青浦区: "上海市",
  奉贤区: "上海市",
  崇明区: "上海市",
  张江科学城: "上海市",
  张江高科技园区: "上海市",
  漕河泾: "上海市",
  模速空间: "上海市",
  紫竹高新区: "上海市",
  滨海新区: "天津市",
  和平区: "天津市",
  南开区: "天津市",
  红桥区: "天津市",
  东丽区: "天津市",
  西青区: "天津市",
  津南区: "天津市",
  武清区: "天津市",
  宝坻区: "天津市",
  渝中区: "重庆市",
  渝北区: "重庆市",
  沙坪坝区: "重庆市",
  九龙坡区: "重庆市",
  北碚区: "重庆市",
  两江新区: "重庆市",
  西部科学城: "重庆市",
  荔湾区: "广州市",
  花都区: "广州市",
  从化区: "广州市",
  增城区: "广州市",
  中新广州知识城: "广州市",
  广州科学城: "广州市",
  罗湖区: "深圳市",
  盐田区: "深圳市",
  龙华区: "深圳市",
  坪山区: "深圳市",
  光明区: "深圳市",
  河套: "深圳市",
  上城区: "杭州市",
  拱墅区: "杭州市",
  西湖区: "杭州市",
  滨江区: "杭州市",
  萧山区: "杭州市",
  余杭区: "杭州市",
  临平区: "杭州市",
  钱塘区: "杭州市",
  富阳区: "杭州市",
  临安区: "杭州市",
  未来科技城: "杭州市",
  秦淮区: "南京市",
  建邺区: "南京市",
  浦口区: "南京市",
  栖霞区: "南京市",
  雨花台区: "南京市",
  江宁区: "南京市",
  溧水区: "南京市",
  高淳区: "南京市",
  江北新区: "南京市",
  姑苏区: "苏州市",
  虎丘区: "苏州市",
  吴中区: "苏州市",
  相城区: "苏州市",
  吴江区: "苏州市",
  苏州工业园区: "苏州市",
  苏州高新区: "苏州市",
  梁溪区: "无锡市",
  新吴区: "无锡市",
  锡山区: "无锡市",
  惠山区: "无锡市",
  锦江区: "成都市",
  青羊区: "成都市",
  武侯区: "成都市",
  成华区: "成都市",
  龙泉驿区: "成都市",
  温江区: "成都市",
  双流区: "成都市",
  郫都区: "成都市",
  天府新区: "成都市",
  雁塔区: "西安市",
  碑林区: "西安市",
  莲湖区: "西安市",
  灞桥区: "西安市",
  西咸新区: "西安市",
  包河区: "合肥市",
  庐阳区: "合肥市",
  瑶海区: "合肥市",
  岳麓区: "长沙市",
  开福区: "长沙市",
  金水区: "郑州市",
  二七区: "郑州市",
  郑东新区: "郑州市",
  历下区: "济南市",
  崂山区: "青岛市",
  黄岛区: "青岛市",
  思明区: "厦门市",
  湖里区: "厦门市",
  集美区: "厦门市",
  海沧区: "厦门市",
  松山湖: "东莞市",
  禅城区: "佛山市",
  香洲区: "珠海市",
  横琴: "珠海市",
  鄞州区: "宁波市",
  海曙区: "宁波市",
  北仑区: "宁波市",
  浑南区: "沈阳市",
};

/**
 * Parks that lie inside one district, with that district: 张江 ⊂ 浦东新区. Parks spanning
 * districts (中关村, 光谷) or forming their own (苏州工业园区) have none.
 */
const PARK_DISTRICT: Record<string, string> = {
  张江: "浦东新区",
  前海: "南山区",
  模速空间: "徐汇区",
  中关村科学城: "海淀区",
  未来科学城: "昌平区",
  怀柔科学城: "怀柔区",
  紫竹高新区: "闵行区",
  未来科技城: "余杭区",
  河套: "福田区",
  中新广州知识城: "黄埔区",
  广州科学城: "黄埔区",
};

/** Districts whose names look like zones (X新区) but are administrative. */
const NEW_AREA_DISTRICTS = new Set(["浦东新区", "滨海新区"]);

const ALIASES: Record<string, string> = {
  北京: "北京市",
  上海: "上海市",
  天津: "天津市",
  重庆: "重庆市",
  武汉: "武汉市",
  广州: "广州市",
  深圳: "深圳市",
  湖北: "湖北省",
  广东: "广东省",
  海淀: "海淀区",
  朝阳: "朝阳区",
  徐汇: "徐汇区",
  天河: "天河区",
  南山: "南山区",
  洪山: "洪山区",
  江夏: "江夏区",
  东湖高新区: "东湖新技术开发区",
  光谷: "东湖新技术开发区",
  武汉东湖新技术开发区: "东湖新技术开发区",
  武汉东湖高新区: "东湖新技术开发区",
  中关村示范区: "中关村",
  中关村国家自主创新示范区: "中关村",
  北京城市副中心: "通州区",
  城市副中心: "通州区",
  亦庄: "北京经济技术开发区",
  北京亦庄: "北京经济技术开发区",
  北京经开区: "北京经济技术开发区",
  亦庄经开区: "北京经济技术开发区",
  张江科学城: "张江",
  张江高科技园区: "张江",
  张江高科: "张江",
  临港: "临港新片区",
  前海合作区: "前海",
  前海深港现代服务业合作区: "前海",
  苏州工业园: "苏州工业园区",
  苏州园区: "苏州工业园区",
  武汉高新区: "东湖新技术开发区",
  浦东: "浦东新区",
  两江: "两江新区",
  郑东: "郑东新区",
  中国光谷: "东湖新技术开发区",
  东湖开发区: "东湖新技术开发区",
  知识城: "中新广州知识城",
  横琴粤澳深度合作区: "横琴",
  Beijing: "北京市",
  Shanghai: "上海市",
  Tianjin: "天津市",
  Chongqing: "重庆市",
  Shenzhen: "深圳市",
  Guangzhou: "广州市",
  Wuhan: "武汉市",
  Hangzhou: "杭州市",
  Nanjing: "南京市",
  Suzhou: "苏州市",
  Chengdu: "成都市",
  "Xi'an": "西安市",
  Hefei: "合肥市",
  Haidian: "海淀区",
  Pudong: "浦东新区",
  Zhongguancun: "中关村",
  Zhangjiang: "张江",
  "Suzhou Industrial Park": "苏州工业园区",
  "Optics Valley": "东湖新技术开发区",
};

const NATIONAL = /^(全国|国家|中国|中华人民共和国|national)$/i;

/** A name's canonical form: an alias, or the short form of a province or city (山东 → 山东省, 郑州 → 郑州市). */
export function canonicalPlace(name: string): string {
  const n = name.trim();
  return ALIASES[n] ?? SHORT_NAMES.get(n) ?? n;
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
  "河北省",
  "山西省",
  "辽宁省",
  "吉林省",
  "黑龙江省",
  "江苏省",
  "浙江省",
  "安徽省",
  "福建省",
  "江西省",
  "山东省",
  "河南省",
  "湖北省",
  "湖南省",
  "广东省",
  "海南省",
  "四川省",
  "贵州省",
  "云南省",
  "陕西省",
  "甘肃省",
  "青海省",
  "台湾省",
  "内蒙古自治区",
  "广西壮族自治区",
  "西藏自治区",
  "宁夏回族自治区",
  "新疆维吾尔自治区",
  "香港特别行政区",
  "澳门特别行政区",
];

/**
 * Provinces and cities by their short names, as front matter and headings write them
 * (region: 山东). Only names that stand for one place: 吉林 is the province, not the city.
 */
const SHORT_NAMES: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>();
  for (const full of [...Object.keys(CITY_PROVINCE), ...MUNICIPALITIES, ...PROVINCES]) {
    const short = full.replace(/(壮族|回族|维吾尔)?(自治区|特别行政区|省|市)$/, "");
    if (short.length >= 2 && short !== full) names.set(short, full);
  }
  return names;
})();

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
  // Short forms that are everyday words or name several places (光明, 金山, 西湖) are read only in full.
  for (const notPlace of ["朝阳产业", "光谷", "大同", "光明", "金山", "西湖", "高明", "和平", "南开", "从化", "白银", "日照", "开封", "安康", "四平", "白山"])
    names.delete(notPlace);
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

export type PlaceLevel = "province" | "city" | "district" | "park";

/** The level of a canonical place: 湖北省 province, 武汉市 city, 洪山区 district, 东湖新技术开发区 park. */
export function placeLevel(canonical: string): PlaceLevel {
  if (PROVINCES.includes(canonical)) return "province";
  if (isMunicipality(canonical) || CITY_PROVINCE[canonical] || /市$/.test(canonical)) return "city";
  if (NEW_AREA_DISTRICTS.has(canonical)) return "district";
  if (/[区县旗]$/.test(canonical) && !/(开发区|高新区|园区|示范区|新区|片区|合作区|科学城)$/.test(canonical)) return "district";
  return "park";
}

/** The district a park lies in, when it lies in one (张江 → 浦东新区). */
export function districtOfPark(park: string): string | undefined {
  return PARK_DISTRICT[park];
}

export type PlaceMention = { name: string; canonical: string; start: number; end: number };

/** PLACE_NAMES by the first character of each name in lower case, with that lower-case form: what findPlaces compares at each position. */
const PLACES_BY_FIRST = (() => {
  const byFirst = new Map<string, Array<readonly [string, string, string]>>();
  for (const [name, canonical] of PLACE_NAMES) {
    const folded = name.toLowerCase();
    const list = byFirst.get(folded[0]);
    if (list) list.push([name, canonical, folded]);
    else byFirst.set(folded[0], [[name, canonical, folded]]);
  }
  return byFirst;
})();

/**
 * Every place a text names, in order, read left to right taking the longest name at each
 * point ("上海南京路" → 上海, 南京; "浦东张江" → 浦东新区, 张江). Latin names match in any case.
 */
export function findPlaces(text: string): PlaceMention[] {
  const lower = text.toLowerCase();
  const found: PlaceMention[] = [];
  for (let i = 0; i < text.length; ) {
    // Only the names starting with this character can start here; each list keeps PLACE_NAMES' longest-first order.
    const hit = PLACES_BY_FIRST.get(lower[i])?.find(
      ([name, , folded]) =>
        lower.startsWith(folded, i) && !(/^[a-z]/i.test(name) && (/[a-z]/i.test(text[i - 1] ?? "") || /[a-z]/i.test(text[i + name.length] ?? ""))),
    );
    if (!hit) {
      i++;
      continue;
    }
    found.push({ name: text.slice(i, i + hit[0].length), canonical: hit[1], start: i, end: i + hit[0].length });
    i += hit[0].length;
  }
  return found;
}

/** Every place name recognised in free text with its canonical form, longest first. */
export function placeNames(): ReadonlyArray<readonly [string, string]> {
  return PLACE_NAMES;
}
