/**
 * 脱敏 of 当事人's personal data in documents meant for circulation (通报, published results): a
 * person's name keeps the surname (张三 → 张某, 欧阳明华 → 欧阳某某), an ID number keeps its region code
 * and last four characters, a phone number its last four digits. Organisations are not personal data
 * and stay as they are.
 */

const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '钟离',
  '端木',
  '西门',
  '南宫',
  '独孤',
  '呼延',
  '赫连',
  '澹台',
  '公羊',
  '太史',
  '申屠',
  '万俟',
  '闻人',
  '濮阳',
  '百里',
  '东郭',
  '左丘',
  '拓跋',
  '第五',
];

const ORGANISATION_RE =
  /(公司|厂|店|部|中心|合作社|医院|诊所|药房|学校|幼儿园|协会|委员会|局|所|馆|站|社|行|场|队|院|会|处|室|酒店|宾馆|超市|门市|集团|银行|村|组|摊|铺|坊|庄|园|吧|城|苑|号|户)$/;

/** Words that stand beside a name in a party field but are not names. */
const ROLE_WORDS = new Set([
  '法定代表人',
  '负责人',
  '经营者',
  '业主',
  '委托代理人',
  '代理人',
  '当事人',
  '申请人',
  '被申请人',
  '个体工商户',
  '户主',
  '投资人',
]);

const CJK_NAME_RE = /^[\u4e00-\u9fa5·]{2,5}$/;

/**
 * Whether a short string reads as a person's name: 2–5 Han characters, not a role word, not already
 * masked. Two- and three-character strings count as names whatever they end with (李国城 is a person);
 * longer ones only when they do not end like an organisation (小吃店, 王家村).
 */
export function looksLikePersonName(text: string): boolean {
  const s = text.trim();
  if (!CJK_NAME_RE.test(s) || ROLE_WORDS.has(s) || /某/.test(s)) return false;
  return s.length <= 3 || !ORGANISATION_RE.test(s);
}

/** 张三 → 张某, 张三丰 → 张某某, 欧阳明华 → 欧阳某某; anything that is not a person's name is returned unchanged. */
export function maskPersonName(name: string): string {
  const s = name.trim();
  if (!looksLikePersonName(s)) return name;
  const surname = COMPOUND_SURNAMES.find((c) => s.startsWith(c) && s.length > c.length) ?? s.slice(0, 1);
  return surname + '某'.repeat(Math.min(2, Math.max(1, s.length - surname.length)));
}

/** 430623199001011234 → 430623********1234 (region code and last four kept); 15-digit numbers likewise. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (!/^(\d{17}[\dXx]|\d{15})$/.test(s)) return id;
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
}

/** 13812345678 → 138****5678; 0730-1234567 → 0730-***4567. Other strings unchanged. */
export function maskPhone(phone: string): string {
  const s = phone.trim();
  if (/^1[3-9]\d{9}$/.test(s)) return `${s.slice(0, 3)}****${s.slice(-4)}`;
  const land = /^(0\d{2,3})([-\s]?)(\d{7,8})$/.exec(s);
  if (land) return `${land[1]}${land[2]}${'*'.repeat(land[3]!.length - 4)}${land[3]!.slice(-4)}`;
  return phone;
}

/**
 * The people named in a party (当事人) field: "某某餐饮有限公司（法定代表人：李四）" → ["李四"],
 * "张三、王五" → ["张三", "王五"]; organisations are not returned.
 */
export function personNamesIn(party: string): string[] {
  return [
    ...new Set(
      party
        .split(/[、，,；;（）()：:\s/]+/)
        .map((s) => s.trim())
        .filter(looksLikePersonName),
    ),
  ];
}

const ID_IN_TEXT = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const MOBILE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const LANDLINE_IN_TEXT = /(?<![\d-])0\d{2,3}-\d{7,8}(?!\d)/g;

/**
 * Masks personal data in free text: the given people's names wherever they occur, and every ID
 * number and phone number.
 */
export function maskText(text: string, names: readonly string[] = []): string {
  let out = text
    .replace(ID_IN_TEXT, (m) => maskIdNumber(m))
    .replace(MOBILE_IN_TEXT, (m) => maskPhone(m))
    .replace(LANDLINE_IN_TEXT, (m) => maskPhone(m));
  const people = [...new Set(names.filter(looksLikePersonName))].sort((a, b) => b.length - a.length);
  for (const name of people) out = out.split(name).join(maskPersonName(name));
  return out;
}
