/**
 * One identity per 被评查单位, however its name is written. A county's case list says 县市场监管局, a
 * reviewer's account says 清溪县市场监督管理局, an old campaign says 市场监管局: within a 清溪县 campaign
 * these are one unit. A name is read as [place][agency][sub-unit]:
 * - place: the campaign's region (清溪县), its level alone (县), or nothing all mean "this region";
 *   another level (市市场监管局 in a county campaign) or another place (桃源县…) is another unit;
 * - agency: common names of the same bureau are one agency (AGENCY_ALIASES, data below);
 * - sub-unit: what follows the agency (公安局交警大队) makes a separate unit, which only 回避
 *   treats as part of its bureau (a brigade's officer does not review the bureau's files).
 * Pure: the services pass the campaign's region and the names they know.
 */
import { toHalfWidth } from '../dossiers/case-number.js';

/** Names of the same agency; the first is the identity's canonical form. */
export const AGENCY_ALIASES: ReadonlyArray<readonly string[]> = [
  ['市场监督管理局', '市场监管局', '市场监督局', '市监局'],
  ['交通运输局', '交通局'],
  ['自然资源局', '自然资源和规划局', '自然资源规划局', '国土资源局', '国土局'],
  ['综合行政执法局', '城市管理局', '城管局', '城市管理综合行政执法局', '城市管理和综合执法局', '城市管理行政执法局', '城管执法局'],
  ['卫生健康局', '卫生健康委员会', '卫生和健康委员会', '卫健委', '卫健局'],
  ['农业农村局', '农业局'],
  ['文化和旅游局', '文化广电旅游局', '文化广电和旅游局', '文化旅游局', '文旅局', '文广旅局', '文化广电体育和旅游局'],
  ['应急管理局', '应急局', '安全生产监督管理局', '安监局'],
  ['生态环境局', '生态环境分局', '环境保护局', '环保局'],
  ['公安局'],
  ['林业局', '林业和草原局', '林草局'],
  ['水利局', '水务局'],
  ['住房和城乡建设局', '住房城乡建设局', '住建局'],
  ['人力资源和社会保障局', '人力资源社会保障局', '人社局'],
  ['医疗保障局', '医保局'],
  ['发展和改革局', '发展改革局', '发展和改革委员会', '发改局', '发改委'],
  ['教育局', '教育体育局', '教体局'],
  ['退役军人事务局', '退役军人局'],
  ['司法局'],
  ['民政局'],
  ['财政局'],
  ['商务局'],
  ['统计局'],
  ['审计局'],
  ['气象局'],
  ['消防救援大队'],
];

const CANONICAL = new Map<string, string>(AGENCY_ALIASES.flatMap((group) => group.map((name) => [name, group[0]!] as const)));
/** Longest first, so 教育体育局 is read before 教育局 could be. */
const VARIANTS = [...CANONICAL.keys()].sort((a, b) => b.length - a.length);

const LEVELS = '省市州盟县区旗';
/** Another place written before the agency: 桃源县, 某某市, 某自治县 (a few characters and a level). */
const PLACE = /^(\p{Script=Han}{1,6}?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗))/u;
const ISSUER = /^(\p{Script=Han}+?[省市州盟县区旗])(?:人民政府)?(?:司法局|司法厅|行政执法监督局|法制办公室|法制办|办公室)/u;

/** NFKC, half-width, no spaces of any width, every bracket as （）, no trailing punctuation. */
export function normaliseUnitName(name: string): string {
  return toHalfWidth(name.normalize('NFKC'))
    .replace(/\s+/g, '')
    .replace(/[([【〔［]/g, '（')
    .replace(/[)\]】〕］]/g, '）')
    .replace(/[，。、,.;；:：]+$/, '');
}

/** The campaign's region: "清溪县" for 清溪县司法局's campaign. */
export interface UnitNameContext {
  region: string;
}

/** The place of a bureau such as 清溪县司法局 ("" when the name says none). */
export function regionOfIssuingBody(issuingBody: string): string {
  return ISSUER.exec(normaliseUnitName(issuingBody))?.[1] ?? '';
}

function agencyAt(body: string): { variant: string; canonical: string } | null {
  for (const v of VARIANTS) if (body.startsWith(v)) return { variant: v, canonical: CANONICAL.get(v)! };
  return null;
}

/**
 * The region a set of names speaks of: the place most of them put before a known agency. A city's
 * 司法局 reviewing one county's bureaus works in that county's region.
 */
export function inferRegion(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const raw of names) {
    const n = normaliseUnitName(raw);
    const m = PLACE.exec(n);
    if (m && m[1]!.length >= 2 && agencyAt(n.slice(m[1]!.length))) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  let best = '';
  let most = 0;
  for (const [place, n] of counts) if (n > most || (n === most && place < best)) [best, most] = [place, n];
  return best;
}

/** The campaign's region from its issuing body when that is a county-level bureau, else from its units' names. */
export function unitContext(issuingBody: string, names: readonly string[]): UnitNameContext {
  const issuer = regionOfIssuingBody(issuingBody);
  if (/[县区旗]$/.test(issuer)) return { region: issuer };
  return { region: inferRegion(names) || issuer };
}

export interface UnitIdentity {
  /** '' for the campaign's own region; otherwise the level or place written (市, 桃源县). */
  place: string;
  /** The agency in its canonical form, then the sub-unit as written (公安局交警大队). */
  body: string;
  /** The body as written (before aliases), to tell an alias from a mere shortening. */
  written: string;
  /** Whether the agency is one of AGENCY_ALIASES. */
  known: boolean;
}

/** The identity of a name in a campaign's region; null for an empty name. */
export function unitIdentity(name: string, ctx: UnitNameContext): UnitIdentity | null {
  let n = normaliseUnitName(name);
  if (!n) return null;
  const region = normaliseUnitName(ctx.region);
  const level = region && LEVELS.includes(region[region.length - 1]!) ? region[region.length - 1]! : '';
  const stem = level ? region.slice(0, -1) : region;
  // After the reform a county's environment bureau is the city's branch: 某市生态环境局清溪分局.
  if (stem) n = n.replace(new RegExp(`^(?:\\p{Script=Han}{0,6}?[市州])?生态环境局${stem}分局`, 'u'), `${region}生态环境分局`);
  const make = (place: string, body: string): UnitIdentity => {
    const agency = agencyAt(body);
    return {
      place: place === region || place === level ? '' : place,
      body: agency ? agency.canonical + body.slice(agency.variant.length) : body,
      written: body,
      known: !!agency,
    };
  };
  if (region) {
    const at = n.indexOf(region);
    if (at === 0 || (at > 0 && at <= 10 && PLACE.exec(n.slice(0, at))?.[1] === n.slice(0, at)))
      return make('', n.slice(at + region.length) || n);
  }
  if (agencyAt(n)) return make('', n);
  if (LEVELS.includes(n[0]!) && agencyAt(n.slice(1))) return make(n[0]!, n.slice(1));
  const place = PLACE.exec(n)?.[1];
  if (place && agencyAt(n.slice(place.length))) return make(place, n.slice(place.length));
  // An agency not in the list: only the region (or its level) is taken off.
  if (level && n.startsWith(level) && n.length > 3) return make('', n.slice(1));
  return make('', n);
}

/** A stable key for an identity (what two names of one unit share). */
export function unitIdentityKey(name: string, ctx: UnitNameContext): string {
  const id = unitIdentity(name, ctx);
  return id ? `${id.place}|${id.body}` : '';
}

export function sameUnit(a: string, b: string, ctx: UnitNameContext): boolean {
  const ka = unitIdentityKey(a, ctx);
  return ka !== '' && ka === unitIdentityKey(b, ctx);
}

/** Shortest body that may stand for a bureau when one name is a sub-unit of another ("公安" is too little). */
const MIN_BODY = 3;

/**
 * 回避: whether someone working at `affiliation` belongs to the unit named `unitName` — the same unit,
 * or a sub-unit of it (公安局交警大队 of 公安局), or the unit is a sub-unit of theirs.
 */
export function belongsToUnit(affiliation: string, unitName: string, ctx: UnitNameContext): boolean {
  const a = unitIdentity(affiliation, ctx);
  const u = unitIdentity(unitName, ctx);
  if (!a || !u || a.place !== u.place) return false;
  if (a.body === u.body) return true;
  const [shorter, longer] = a.body.length <= u.body.length ? [a.body, u.body] : [u.body, a.body];
  return shorter.length >= MIN_BODY && longer.startsWith(shorter);
}

export type UnitMatchHow = 'same' | 'written' | 'region' | 'alias' | 'remembered';

export const UNIT_MATCH_LABELS: Record<UnitMatchHow, string> = {
  same: '名称相同',
  written: '写法不同',
  region: '省略地名',
  alias: '别名',
  remembered: '已确认的别名',
};

/** How a list name was matched, as the start of 「按别名归入…」. */
const MATCH_BY: Record<UnitMatchHow, string> = {
  same: '按相同名称',
  written: '按名称的另一种写法',
  region: '按省略地名的写法',
  alias: '按别名',
  remembered: '按已确认的别名',
};

/**
 * What the import does with one unit name of the list, in one phrase: the rows go under a unit the
 * campaign has (「按别名归入已登记的 X」), or the unit is registered now (「新登记单位 X（首次出现）」).
 */
export function unitMatchText(m: { imported: string; unitName: string; how: UnitMatchHow; existing: boolean; kept: boolean }): string {
  if (m.kept) return `新登记单位 ${m.imported}（首次出现，不与已知单位合并）`;
  if (m.existing) return `${MATCH_BY[m.how]}归入已登记的 ${m.unitName}`;
  // The list's own spelling stands beside it in the review; the phrase says only what will happen.
  return `新登记单位 ${m.unitName}（首次出现）`;
}

export interface NamedUnit {
  name: string;
  shortName?: string | undefined;
}

/** How `name` matches a unit, or null. */
export function howUnitMatches(name: string, unit: NamedUnit, ctx: UnitNameContext): UnitMatchHow | null {
  if (name === unit.name) return 'same';
  const n = normaliseUnitName(name);
  if (!n) return null;
  if (n === normaliseUnitName(unit.name)) return 'written';
  let best: UnitMatchHow | null = null;
  for (const other of [unit.name, unit.shortName ?? '']) {
    const a = unitIdentity(name, ctx);
    const b = unitIdentity(other, ctx);
    if (!a || !b || a.place !== b.place || a.body !== b.body) continue;
    if (a.written === b.written || unit.shortName === name) return 'region';
    best = 'alias';
  }
  return best;
}

/**
 * The unit `name` stands for among `units`, strongest match first; several units of one identity
 * (a campaign not yet merged) give the one with the fullest name.
 */
export function matchUnitName<T extends NamedUnit>(
  name: string,
  units: readonly T[],
  ctx: UnitNameContext,
): { unit: T; how: UnitMatchHow } | null {
  const order: UnitMatchHow[] = ['same', 'written', 'region', 'alias'];
  let found: { unit: T; how: UnitMatchHow } | null = null;
  for (const unit of units) {
    const how = howUnitMatches(name, unit, ctx);
    if (!how) continue;
    if (!found || order.indexOf(how) < order.indexOf(found.how) || (how === found.how && fullerName(unit.name, found.unit.name)))
      found = { unit, how };
  }
  return found;
}

/** Which of two names of one unit to show: the one with the place written out, then the longer. */
export function fullerName(a: string, b: string): boolean {
  const la = normaliseUnitName(a).length;
  const lb = normaliseUnitName(b).length;
  return la > lb || (la === lb && a < b);
}

/**
 * Units grouped by identity: unit id → the name the group is known by (its fullest name). A campaign
 * whose units are one each maps every unit to its own name; the draw and the assignment preview
 * group by this, so split units of one bureau are one group until they are merged.
 */
export function unitGroupNames(units: ReadonlyArray<{ id: string; name: string }>, ctx: UnitNameContext): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const u of units) {
    const key = unitIdentityKey(u.name, ctx) || u.name;
    const current = byKey.get(key);
    if (current === undefined || fullerName(u.name, current)) byKey.set(key, u.name);
  }
  return new Map(units.map((u) => [u.id, byKey.get(unitIdentityKey(u.name, ctx) || u.name)!]));
}

/** The key remembered aliases are stored under (how the name is written, spacing and width aside). */
export const unitAliasKey = normaliseUnitName;
