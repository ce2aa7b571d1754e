/**
 * The facts of the 清溪县 campaign: six bureaus, 24 cases (mostly 一般程序 penalties, a few 简易程序,
 * 许可 and 强制措施) and one listed case whose PDF never arrived. Which defects each case carries is
 * fixed by the catalogue below; the seed varies names, numbers and dates only, so tests can rely on
 * "the 11th case has no 听证告知书" whatever the seed.
 */
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import { addDays, addWorkingDays, isWorkingDay, onWorkingDay } from './calendar.js';
import { Random } from './random.js';

export const DEFECT_CODES = [
  'prior_notice_missing',
  'decision_over_time_limit',
  'service_over_time_limit',
  'single_officer',
  'filing_after_investigation',
  'legal_basis_missing',
  'legal_basis_mismatch',
  'page_numbers_missing',
  'service_receipt_unsigned',
  'hearing_not_offered',
  'legal_review_missing',
  'amount_inconsistent',
] as const;
/**
 * A 卷内目录 that disagrees with the file (a row one page off, or a 文书 left off the list): planted only
 * in held-out sets (heldOutFacts), so the campaign's own catalogue stays as the tests know it.
 */
export const HELD_OUT_DEFECT_CODES = ['catalogue_mismatch'] as const;
export type DefectCode = (typeof DEFECT_CODES)[number];
/** Every defect a generated file may carry: the campaign's, and those of held-out sets. */
export type PlantedCode = DefectCode | (typeof HELD_OUT_DEFECT_CODES)[number];

/** Lawful cases placed exactly at a limit, for rules that must stay silent there. */
export const EDGE_CODES = ['decision_at_time_limit', 'service_at_time_limit'] as const;
export type EdgeCode = (typeof EDGE_CODES)[number];

/** 行政处罚法 art. 60: the decision within 90 days of 立案 (the filing day itself not counted). */
export const DECISION_LIMIT_DAYS = 90;
/** 行政处罚法 arts. 61 and 85: served within 七日, counted as working days. */
export const SERVICE_LIMIT_WORKING_DAYS = 7;
/** 较大数额罚款 in the fictional 江州 rules (行政处罚法 art. 63 leaves the figure to the province). */
export const HEARING_THRESHOLD = { person: 10_000, company: 100_000 } as const;

export type UnitKey = 'market' | 'transport' | 'land' | 'environment' | 'urban' | 'agriculture';

export interface Unit {
  key: UnitKey;
  name: string;
  /** The name on its letterhead and seal when it differs (a branch of the city bureau). */
  sealName: string;
  /** How some rows of a county's list shorten it. */
  shortName: string;
  field: string;
  address: string;
}

export const UNITS: Record<UnitKey, Unit> = {
  market: {
    key: 'market',
    name: '清溪县市场监督管理局',
    sealName: '清溪县市场监督管理局',
    shortName: '县市场监管局',
    field: '市场监管',
    address: '清溪县城关镇清风路18号',
  },
  transport: {
    key: 'transport',
    name: '清溪县交通运输局',
    sealName: '清溪县交通运输局',
    shortName: '县交通运输局',
    field: '交通运输',
    address: '清溪县城关镇通达路6号',
  },
  land: {
    key: 'land',
    name: '清溪县自然资源局',
    sealName: '清溪县自然资源局',
    shortName: '县自然资源局',
    field: '自然资源',
    address: '清溪县城关镇人民路102号',
  },
  environment: {
    key: 'environment',
    name: '清溪县生态环境分局',
    sealName: '江州市生态环境局清溪分局',
    shortName: '县生态环境分局',
    field: '生态环境',
    address: '清溪县城关镇滨河路33号',
  },
  urban: {
    key: 'urban',
    name: '清溪县城市管理局',
    sealName: '清溪县城市管理局',
    shortName: '县城管局',
    field: '城市管理',
    address: '清溪县城关镇府前街9号',
  },
  agriculture: {
    key: 'agriculture',
    name: '清溪县农业农村局',
    sealName: '清溪县农业农村局',
    shortName: '县农业农村局',
    field: '农业农村',
    address: '清溪县城关镇丰收路21号',
  },
};

export interface Officer {
  name: string;
  /** 行政执法证号 */
  certificate: string;
}

export interface Party {
  kind: 'person' | 'company';
  name: string;
  /** 统一社会信用代码 (companies). */
  creditCode: string | null;
  /** The person questioned or the legal representative. */
  representative: string;
  /** Masked as a county masks it in what it hands over: 362330********1234. */
  idNumber: string;
  phone: string;
  address: string;
}

export interface LegalBasis {
  /** The provision the party broke. */
  violated: string;
  /** The provision the penalty rests on, as the decision should cite it. */
  penalty: string;
}

export interface CaseDates {
  inspection: string;
  filed: string;
  inquiries: string[];
  report: string;
  legalReview: string | null;
  discussion: string | null;
  priorNotice: string | null;
  hearingNotice: string | null;
  statement: string | null;
  decision: string;
  service: string;
  payment: string | null;
  closed: string;
  /** 强制措施 only: when the seizure was lifted. */
  release: string | null;
}

export interface CaseFacts {
  /** Stable id within the campaign: QX-01 … QX-25. */
  id: string;
  unit: Unit;
  caseNumber: string;
  title: string;
  cause: string;
  caseType: CaseType;
  party: Party;
  /** Two officers with 执法证 (one when single_officer is planted). */
  officers: Officer[];
  fine: number;
  confiscated: number;
  /** What the decision decides, in words (警告 has no amount). */
  decisionText: string;
  /** The amount the 事先告知书 names (differs from `fine` when amount_inconsistent is planted). */
  noticeFine: number;
  legalBasis: LegalBasis;
  /** The penalty provision as the decision actually cites it (a defect can change it). */
  citedBasis: string;
  hearingDue: boolean;
  /** 重大执法决定: 法制审核 (行政处罚法 art. 58) and 集体讨论 (art. 57) are due. */
  major: boolean;
  dates: CaseDates;
  defects: PlantedCode[];
  edges: EdgeCode[];
  /** What happened, for the 笔录 and reports. */
  story: Story;
  /**
   * Held-out sets bind some 文书 in another order that archive practice also allows: 证据材料 right
   * after the 现场检查笔录 (before the 询问笔录), or the 听证告知书 ahead of the 事先告知书.
   */
  binding?: 'evidence_first' | 'hearing_first';
}

export interface Story {
  place: string;
  scene: string;
  qa: Array<[string, string]>;
  photos: string[];
  goods: string;
}

interface Template {
  unit: UnitKey;
  prefix: string;
  caseType: CaseType;
  partyKind: 'person' | 'company';
  business: string;
  /** 案件名称 after the party's name. */
  titleTail: string;
  cause: string;
  basis: LegalBasis;
  fine: number;
  confiscated?: number;
  decision?: string;
  defects?: PlantedCode[];
  edges?: EdgeCode[];
  story: (party: string, place: string) => Omit<Story, 'place'>;
}

const FOOD_QA = (p: string): Array<[string, string]> => [
  ['货架上这些食品是谁进的货？', `是我们${p}自己从江州市的批发市场进的货，有进货单。`],
  ['这些食品的保质期到什么时候？', '我看了一下，有6个品种已经过了保质期，最早的是今年1月份到期的。'],
  ['你们平时有没有检查临期和过期食品的制度？', '有制度，但是最近店里人手不够，没有按时检查，是我们的疏忽。'],
  ['这些过期食品一共有多少，销售了多少？', '现场一共有32件，卖出去的大概有8件，收入320元左右。'],
];

/** The catalogue: order is the campaign's order (QX-01 …); defects and edges are fixed here. */
const TEMPLATES: Template[] = [
  {
    unit: 'market',
    prefix: '清市监处罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '商贸有限公司',
    titleTail: '销售超过保质期食品案',
    cause: '销售超过保质期的食品',
    basis: {
      violated: '《中华人民共和国食品安全法》第三十四条第（十）项',
      penalty: '《中华人民共和国食品安全法》第一百二十四条第一款第（五）项',
    },
    fine: 50_000,
    confiscated: 320,
    story: (p) => ({
      scene: '货架上陈列的袋装饼干、盒装牛奶等6个品种共32件食品已超过标注的保质期，仍标价待售。',
      qa: FOOD_QA(p),
      photos: ['超市外景及店招', '货架上陈列的过期食品', '过期饼干的生产日期和保质期标注', '收银系统销售记录截屏'],
      goods: '过期食品32件',
    }),
  },
  {
    unit: 'market',
    prefix: '清市监处罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '健康科技有限公司',
    titleTail: '虚假宣传案',
    cause: '对商品的功能作虚假的商业宣传',
    edges: ['decision_at_time_limit'],
    basis: { violated: '《中华人民共和国反不正当竞争法》第八条第一款', penalty: '《中华人民共和国反不正当竞争法》第二十条第一款' },
    fine: 200_000,
    story: () => ({
      scene: '店内展板和宣传单页称其销售的“草本舒眠枕”能“治疗失眠、降血压”，现场查见宣传单页1200余份。',
      qa: [
        ['宣传单上说这个枕头能治疗失眠、降血压，有什么依据？', '没有检测报告，是厂家给的宣传资料上这么写的，我们就照着印了。'],
        ['宣传单一共印了多少，发出去多少？', '一共印了2000份，发出去大概800份。'],
        ['这款枕头卖了多少个？', '从去年12月开始卖，一共卖了146个，每个398元。'],
      ],
      photos: ['店内宣传展板', '宣传单页正面', '宣传单页背面“治疗失眠”字样', '库存宣传单页'],
      goods: '宣传单页1200余份',
    }),
  },
  {
    unit: 'market',
    prefix: '清市监处罚',
    caseType: 'penalty_general',
    partyKind: 'person',
    business: '',
    titleTail: '无照经营案',
    cause: '未取得营业执照从事经营活动',
    basis: { violated: '《无证无照经营查处办法》第二条', penalty: '《无证无照经营查处办法》第十三条' },
    fine: 5_000,
    story: () => ({
      scene: '当事人在城关镇农贸市场东侧门面经营副食品零售，现场未能出示营业执照。',
      qa: [
        ['你在这里经营多长时间了？', '从去年10月份开始，有五个多月了。'],
        ['你办理营业执照了吗？', '没有办，我以为小本生意不用办。'],
        ['经营期间一共卖了多少钱？', '每个月营业额大概一万元，赚不了多少。'],
      ],
      photos: ['经营门面外景', '店内陈列的副食品', '当事人身份证复印件（已遮挡）'],
      goods: '',
    }),
  },
  {
    unit: 'market',
    prefix: '清市监处罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '餐饮管理有限公司',
    titleTail: '未明码标价案',
    cause: '未按照规定明码标价',
    edges: ['service_at_time_limit'],
    basis: { violated: '《明码标价和禁止价格欺诈规定》第五条', penalty: '《价格违法行为行政处罚规定》第十三条第一项' },
    fine: 2_000,
    story: () => ({
      scene: '当事人店内菜单未标示菜品价格，收银台未公示收费标准。',
      qa: [
        ['你们的菜单为什么没有标价？', '菜价经常变，我们就没印价格，客人问了再说。'],
        ['收费是按什么标准？', '按厨房报的价收，没有书面的价目表。'],
      ],
      photos: ['店内菜单', '收银台', '消费小票'],
      goods: '',
    }),
  },
  {
    unit: 'market',
    prefix: '清市监许',
    caseType: 'license',
    partyKind: 'company',
    business: '餐饮店',
    titleTail: '食品经营许可',
    cause: '食品经营许可（新办）',
    basis: { violated: '', penalty: '《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》第二十四条' },
    fine: 0,
    decision: '准予行政许可',
    story: () => ({
      scene: '经营场所面积86平方米，设有粗加工、烹饪、餐用具清洗消毒区，布局符合要求。',
      qa: [],
      photos: ['经营场所外景', '后厨烹饪区', '餐具清洗消毒区'],
      goods: '',
    }),
  },
  {
    unit: 'market',
    prefix: '清市监处罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '建材有限公司',
    titleTail: '销售不合格电线电缆案',
    cause: '销售不合格产品',
    defects: ['amount_inconsistent'],
    basis: { violated: '《中华人民共和国产品质量法》第三十九条', penalty: '《中华人民共和国产品质量法》第五十条' },
    fine: 15_000,
    story: () => ({
      scene: '当事人仓库存放的BV2.5平方毫米电线经监督抽查判定为不合格，导体电阻项目不符合国家标准。',
      qa: [
        ['这批电线是从哪里进的货？', '从江州市一家电线厂进的，有送货单。'],
        ['抽检不合格的这批电线你们卖了多少？', '进了60卷，卖了22卷，每卷135元。'],
      ],
      photos: ['仓库存放的电线', '电线标签', '抽样单'],
      goods: '不合格电线38卷',
    }),
  },
  {
    unit: 'transport',
    prefix: '清交罚',
    caseType: 'penalty_general',
    partyKind: 'person',
    business: '',
    titleTail: '未取得道路运输经营许可擅自从事道路货物运输案',
    cause: '未取得道路运输经营许可擅自从事道路普通货物运输经营',
    basis: { violated: '《中华人民共和国道路运输条例》第二十四条', penalty: '《中华人民共和国道路运输条例》第六十三条' },
    fine: 5_000,
    story: () => ({
      scene: '当事人驾驶的重型厢式货车装载建材，收取运费，未能出示道路运输证和经营许可证。',
      qa: [
        ['这车货是谁的，运费多少？', '是县城一家建材店的，运到清河镇，运费800元。'],
        ['你有道路运输经营许可证吗？', '没有，车是我自己买的，平时帮人拉货。'],
      ],
      photos: ['被检查车辆正面', '车辆装载货物', '驾驶证行驶证复印件'],
      goods: '',
    }),
  },
  {
    unit: 'transport',
    prefix: '清交罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '物流有限公司',
    titleTail: '违法超限运输案',
    cause: '车辆违法超限运输',
    defects: ['service_over_time_limit'],
    basis: { violated: '《公路安全保护条例》第三十三条', penalty: '《公路安全保护条例》第六十四条' },
    fine: 20_000,
    story: () => ({
      scene: '当事人所属六轴货车经清溪超限检测站称重，车货总重62.4吨，超过限定标准13.4吨。',
      qa: [
        ['这辆车是你们公司的吗？', '是的，驾驶员是我们公司聘用的。'],
        ['车上装的是什么货物？', '钢材，从江州运到邻县工地。'],
      ],
      photos: ['称重检测单', '车辆侧面', '车辆装载情况'],
      goods: '',
    }),
  },
  {
    unit: 'transport',
    prefix: '清交简罚',
    caseType: 'penalty_simple',
    partyKind: 'person',
    business: '',
    titleTail: '未随车携带道路运输证案',
    cause: '未随车携带道路运输证',
    basis: { violated: '《中华人民共和国道路运输条例》第三十四条', penalty: '《中华人民共和国道路运输条例》第六十八条' },
    fine: 200,
    story: () => ({
      scene: '当事人驾驶的货车在国道G320清溪段接受检查，未能出示随车道路运输证。',
      qa: [['道路运输证在哪里？', '忘在家里了，有办证的。']],
      photos: ['被检查车辆', '驾驶证复印件'],
      goods: '',
    }),
  },
  {
    unit: 'transport',
    prefix: '清交运许',
    caseType: 'license',
    partyKind: 'person',
    business: '',
    titleTail: '道路普通货物运输经营许可',
    cause: '道路普通货物运输经营许可（个体）',
    basis: { violated: '', penalty: '《中华人民共和国道路运输条例》第二十一条、第二十四条' },
    fine: 0,
    decision: '准予行政许可',
    story: () => ({
      scene: '申请人车辆技术等级评定为一级，驾驶员持有相应从业资格证。',
      qa: [],
      photos: ['车辆照片', '从业资格证复印件'],
      goods: '',
    }),
  },
  {
    unit: 'land',
    prefix: '清自然资罚',
    caseType: 'penalty_general',
    partyKind: 'person',
    business: '',
    titleTail: '非法占用土地建房案',
    cause: '未经批准非法占用土地建住宅',
    defects: ['hearing_not_offered'],
    basis: {
      violated: '《中华人民共和国土地管理法》第四十四条',
      penalty: '《中华人民共和国土地管理法》第七十七条第一款、《中华人民共和国土地管理法实施条例》第五十七条',
    },
    fine: 38_000,
    story: () => ({
      scene: '当事人在清河镇石桥村三组未经批准占用土地190平方米建设两层住宅，已完成主体结构。',
      qa: [
        ['这栋房子是谁建的？', '是我建的，给儿子结婚用。'],
        ['建房前办理了用地审批手续吗？', '去镇里问过，说要等指标，我就先建了。'],
        ['占地面积有多大？', '大概190个平方，是村里分给我家的责任田。'],
      ],
      photos: ['违法建筑全景', '测量现场', '勘测定界图'],
      goods: '',
    }),
  },
  {
    unit: 'land',
    prefix: '清自然资罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '砂石有限公司',
    titleTail: '非法采矿案',
    cause: '未取得采矿许可证擅自采矿',
    defects: ['legal_basis_mismatch'],
    basis: { violated: '《中华人民共和国矿产资源法》第三条第三款', penalty: '《中华人民共和国矿产资源法》第三十九条第一款' },
    fine: 80_000,
    confiscated: 12_600,
    story: () => ({
      scene: '当事人在清溪河河滩使用挖掘机开采河砂，现场堆放河砂约1800立方米，未能出示采矿许可证。',
      qa: [
        ['河砂是谁在挖？', '是我们公司，挖了卖给附近的搅拌站。'],
        ['你们有采矿许可证吗？', '还在办，没有批下来。'],
        ['一共挖了多少，卖了多少钱？', '挖了大概2500方，卖了700方，一方18元。'],
      ],
      photos: ['采砂现场', '挖掘机作业', '河砂堆放点'],
      goods: '河砂约1800立方米',
    }),
  },
  {
    unit: 'land',
    prefix: '清自然资罚',
    caseType: 'penalty_general',
    partyKind: 'person',
    business: '',
    titleTail: '非法占用耕地挖塘案',
    cause: '非法占用耕地挖塘养鱼',
    basis: {
      violated: '《中华人民共和国土地管理法》第三十七条',
      penalty: '《中华人民共和国土地管理法》第七十五条、《中华人民共和国土地管理法实施条例》第五十五条',
    },
    fine: 8_600,
    story: () => ({
      scene: '当事人在城关镇河口村占用耕地4.3亩挖塘养鱼，塘深约2米，耕作层已被破坏。',
      qa: [
        ['鱼塘是什么时候挖的？', '去年冬天挖的。'],
        ['占的是什么地？', '是我承包的水田。'],
      ],
      photos: ['鱼塘全景', '测量现场'],
      goods: '',
    }),
  },
  {
    unit: 'environment',
    prefix: '江清环罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '新材料有限公司',
    titleTail: '未批先建案',
    cause: '建设项目环境影响报告表未经批准擅自开工建设',
    defects: ['legal_review_missing'],
    basis: { violated: '《中华人民共和国环境影响评价法》第二十五条', penalty: '《中华人民共和国环境影响评价法》第三十一条第一款' },
    fine: 150_000,
    story: () => ({
      scene: '当事人年产5000吨塑料颗粒项目已建成厂房和两条生产线，环境影响报告表尚未报批。',
      qa: [
        ['项目总投资多少？', '总投资大概900万元。'],
        ['环评手续办了没有？', '环评公司在做，还没有报上来批。'],
      ],
      photos: ['厂区全景', '生产线', '项目备案证明'],
      goods: '',
    }),
  },
  {
    unit: 'environment',
    prefix: '江清环罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '陶瓷有限公司',
    titleTail: '超标排放大气污染物案',
    cause: '超过大气污染物排放标准排放大气污染物',
    basis: { violated: '《中华人民共和国大气污染防治法》第十八条', penalty: '《中华人民共和国大气污染防治法》第九十九条第（二）项' },
    fine: 100_000,
    story: () => ({
      scene: '监测人员对当事人窑炉废气排放口采样，颗粒物浓度为每立方米48毫克，超过排放标准0.6倍。',
      qa: [
        ['窑炉的除尘设施在运行吗？', '在运行，可能是布袋该换了。'],
        ['对监测结果有没有异议？', '没有异议。'],
      ],
      photos: ['窑炉排放口', '采样现场', '监测报告首页'],
      goods: '',
    }),
  },
  {
    unit: 'environment',
    prefix: '江清环强',
    caseType: 'coercive_measure',
    partyKind: 'company',
    business: '化工有限公司',
    titleTail: '查封案',
    cause: '通过暗管排放水污染物，实施查封',
    basis: {
      violated: '《中华人民共和国水污染防治法》第三十九条',
      penalty: '《中华人民共和国环境保护法》第二十五条、《环境保护主管部门实施查封、扣押办法》第四条',
    },
    fine: 0,
    decision: '查封生产设施',
    story: () => ({
      scene: '当事人厂区西侧围墙下设有暗管，正在向清溪河排放生产废水。',
      qa: [['围墙下的这根管子是做什么用的？', '是以前的雨水管，后来车间的水也从这里走了。']],
      photos: ['暗管出口', '排放口水样', '被查封的设备'],
      goods: '反应釜2台、污水泵1台',
    }),
  },
  {
    unit: 'environment',
    prefix: '江清环罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '汽车维修有限公司',
    titleTail: '未按规定贮存危险废物案',
    cause: '未按照国家环境保护标准贮存危险废物',
    defects: ['decision_over_time_limit'],
    basis: {
      violated: '《中华人民共和国固体废物污染环境防治法》第八十一条第一款',
      penalty: '《中华人民共和国固体废物污染环境防治法》第一百一十二条第一款第（六）项',
    },
    fine: 120_000,
    story: () => ({
      scene: '当事人将废机油、废滤芯等危险废物露天堆放于厂区后院，未设置危险废物识别标志。',
      qa: [['这些废机油为什么放在外面？', '危废间满了，就先放外面，准备下个月处理。']],
      photos: ['露天堆放的废机油桶', '废滤芯', '危废间'],
      goods: '',
    }),
  },
  {
    unit: 'urban',
    prefix: '清城管罚',
    caseType: 'penalty_general',
    partyKind: 'person',
    business: '',
    titleTail: '擅自占用城市道路案',
    cause: '未经批准擅自占用城市道路',
    defects: ['page_numbers_missing', 'single_officer'],
    basis: { violated: '《城市道路管理条例》第二十七条第（七）项', penalty: '《城市道路管理条例》第四十二条' },
    fine: 1_000,
    story: () => ({
      scene: '当事人在府前街人行道上堆放建筑材料，占用道路约30平方米。',
      qa: [['这些建材是谁的？', '是我装修用的，临时放几天。']],
      photos: ['占道堆放现场', '测量'],
      goods: '',
    }),
  },
  {
    unit: 'urban',
    prefix: '清城管罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '广告传媒有限公司',
    titleTail: '未经批准设置户外广告案',
    cause: '未经批准擅自设置大型户外广告',
    basis: { violated: '《城市市容和环境卫生管理条例》第十一条', penalty: '《城市市容和环境卫生管理条例》第三十六条第（一）项' },
    fine: 3_000,
    story: () => ({
      scene: '当事人在人民路与府前街交叉口楼顶设置户外广告牌一块，面积约48平方米，未办理审批手续。',
      qa: [['广告牌是什么时候装的？', '上个月装的，是给客户做的楼盘广告。']],
      photos: ['楼顶广告牌', '广告牌背面结构'],
      goods: '',
    }),
  },
  {
    unit: 'urban',
    prefix: '清城管简罚',
    caseType: 'penalty_simple',
    partyKind: 'person',
    business: '',
    titleTail: '店外经营案',
    cause: '擅自在店外摆摊经营',
    decision: '警告',
    basis: { violated: '《清溪县城市市容和环境卫生管理办法》第十二条', penalty: '《城市市容和环境卫生管理条例》第三十四条第（四）项' },
    fine: 0,
    story: () => ({
      scene: '当事人在门店外人行道摆放水果摊位，影响行人通行。',
      qa: [['摊位为什么摆到店外？', '店里放不下，以后不会了。']],
      photos: ['店外摆摊现场'],
      goods: '',
    }),
  },
  {
    unit: 'urban',
    prefix: '清城管罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '建设工程有限公司',
    titleTail: '未经核准处置建筑垃圾案',
    cause: '未经核准擅自处置建筑垃圾',
    defects: ['service_receipt_unsigned', 'filing_after_investigation'],
    basis: { violated: '《城市建筑垃圾管理规定》第七条', penalty: '《城市建筑垃圾管理规定》第二十五条' },
    fine: 10_000,
    story: () => ({
      scene: '当事人承建的清溪一中改扩建工地将建筑垃圾运至城东空地倾倒，未办理处置核准。',
      qa: [
        ['建筑垃圾运到哪里了？', '运到城东那块空地上了，大概40车。'],
        ['有没有办理处置核准？', '没有办，以为是临时堆放。'],
      ],
      photos: ['倾倒现场', '运输车辆', '工地出入口'],
      goods: '',
    }),
  },
  {
    unit: 'agriculture',
    prefix: '清农罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '农资有限公司',
    titleTail: '经营假农药案',
    cause: '经营假农药',
    basis: { violated: '《农药管理条例》第二十八条', penalty: '《农药管理条例》第五十五条第一款' },
    fine: 10_000,
    confiscated: 120,
    story: () => ({
      scene: '当事人店内销售的“吡虫啉”可湿性粉剂经检验未检出标注的有效成分。',
      qa: [
        ['这种农药进了多少，卖了多少？', '进了50袋，卖了12袋，每袋10元。'],
        ['有进货票据吗？', '有，是供货商开的送货单。'],
      ],
      photos: ['店内陈列的农药', '农药标签', '抽样单'],
      goods: '假农药38袋',
    }),
  },
  {
    unit: 'agriculture',
    prefix: '清农罚',
    caseType: 'penalty_general',
    partyKind: 'person',
    business: '',
    titleTail: '禁渔期捕捞案',
    cause: '在禁渔期内进行捕捞',
    defects: ['prior_notice_missing', 'legal_basis_missing'],
    basis: { violated: '《中华人民共和国渔业法》第三十条', penalty: '《中华人民共和国渔业法》第三十八条第一款' },
    fine: 2_000,
    story: () => ({
      scene: '当事人在清溪河禁渔区段使用地笼网捕捞，现场查获渔获物约6公斤。',
      qa: [['你知道现在是禁渔期吗？', '知道，想着捞点自己吃。']],
      photos: ['地笼网', '渔获物'],
      goods: '地笼网3条',
    }),
  },
  {
    unit: 'agriculture',
    prefix: '清农罚',
    caseType: 'penalty_general',
    partyKind: 'company',
    business: '饲料有限公司',
    titleTail: '经营无产品标签饲料案',
    cause: '经营无产品标签的饲料',
    basis: { violated: '《饲料和饲料添加剂管理条例》第二十一条', penalty: '《饲料和饲料添加剂管理条例》第四十三条' },
    fine: 30_000,
    story: () => ({
      scene: '当事人仓库存放的散装猪饲料共80袋，无产品标签。',
      qa: [['这些饲料为什么没有标签？', '是厂家直接送来的散装料，没贴标签。']],
      photos: ['仓库内饲料', '无标签饲料袋'],
      goods: '饲料80袋',
    }),
  },
];

/** The row a county lists whose PDF never arrived. */
const LISTED_WITHOUT_FILE: Template = {
  unit: 'agriculture',
  prefix: '清农罚',
  caseType: 'penalty_general',
  partyKind: 'person',
  business: '',
  titleTail: '销售不合格种子案',
  cause: '销售不合格种子',
  basis: { violated: '《中华人民共和国种子法》第四十九条', penalty: '《中华人民共和国种子法》第七十五条' },
  fine: 4_000,
  story: () => ({ scene: '', qa: [], photos: [], goods: '' }),
};

export const CATALOGUE_SIZE = TEMPLATES.length;

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
  '梁',
  '宋',
  '郑',
  '谢',
  '韩',
  '唐',
  '冯',
  '于',
  '董',
  '萧',
  '程',
  '曹',
  '袁',
  '邓',
  '许',
  '傅',
  '沈',
  '曾',
  '彭',
  '吕',
];
const GIVEN = [
  '建国',
  '志强',
  '海涛',
  '晓燕',
  '丽华',
  '文斌',
  '春梅',
  '国平',
  '红霞',
  '永胜',
  '秀英',
  '立新',
  '明辉',
  '桂芳',
  '俊杰',
  '雪梅',
  '德胜',
  '玉兰',
  '子豪',
  '思远',
  '金龙',
  '美玲',
  '长青',
  '伟',
  '敏',
  '静',
  '磊',
  '洋',
  '勇',
  '艳',
];
const FIRM_WORDS = [
  '清源',
  '恒达',
  '鑫隆',
  '华盛',
  '润丰',
  '金桥',
  '宏远',
  '佳美',
  '永兴',
  '瑞祥',
  '兴旺',
  '汇通',
  '顺发',
  '天成',
  '绿野',
  '嘉禾',
];
const TOWNS = ['城关镇', '清河镇', '石桥镇', '白沙乡', '龙潭镇', '河口乡'];
const ROADS = ['人民路', '解放路', '滨河路', '建设路', '新华街', '府前街', '清风路', '工业园大道'];

function personName(r: Random): string {
  return r.pick(SURNAMES) + r.pick(GIVEN);
}

/** 18-character 统一社会信用代码: 91 + 6-digit region code + 10 characters (the check character is not computed). */
function creditCode(r: Random): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let tail = '';
  for (let i = 0; i < 10; i++) tail += chars[r.int(0, chars.length - 1)];
  return `91362330${tail}`;
}

function party(r: Random, t: Template): Party {
  const rep = personName(r);
  const town = r.pick(TOWNS);
  const address = `江州市清溪县${town}${r.pick(ROADS)}${r.int(1, 188)}号`;
  const idNumber = `362330********${r.digits(3)}${r.pick(['X', String(r.int(0, 9))])}`;
  const phone = `1${r.pick(['38', '39', '58', '77', '86', '35'])}****${r.digits(4)}`;
  if (t.partyKind === 'person') return { kind: 'person', name: rep, creditCode: null, representative: rep, idNumber, phone, address };
  const word = r.pick(FIRM_WORDS);
  const name = t.business.endsWith('店') ? `清溪县${word}${t.business}` : `江州${word}${t.business}`;
  return { kind: 'company', name, creditCode: creditCode(r), representative: rep, idNumber, phone, address };
}

/** Two officers per unit, each with a 行政执法证号 (province 36, county 2330, five digits). */
function officersOf(r: Random): Officer[] {
  const people: Officer[] = [];
  while (people.length < 4) {
    const name = personName(r);
    if (!people.some((p) => p.name === name)) people.push({ name, certificate: `362330${r.digits(5)}` });
  }
  return people;
}

function amountWords(fine: number, confiscated: number): string {
  const parts: string[] = [];
  if (fine) parts.push(`罚款人民币${fine.toLocaleString('en-US').replace(/,/g, '')}元`);
  if (confiscated) parts.push(`没收违法所得人民币${confiscated}元`);
  return parts.join('，');
}

/** A decision date inside the 90 days, then a service date inside the 7 working days, unless a defect or an edge says otherwise. */
function datesFor(r: Random, t: Template, filedAround: string, hearingDue: boolean, major: boolean): CaseDates {
  const defects = t.defects ?? [];
  const edges = t.edges ?? [];
  const none = { legalReview: null, discussion: null, priorNotice: null, hearingNotice: null, statement: null, release: null };
  for (let shift = 0; ; shift += 1) {
    if (shift > 366) throw new Error(`no dates fit ${t.titleTail} around ${filedAround}`);
    const filed = onWorkingDay(addDays(filedAround, shift));
    const inspection = onWorkingDay(addDays(filed, -r.int(1, 3)));
    if (t.caseType === 'penalty_simple') {
      // 当场处罚 (行政处罚法 art. 51): inspected, decided, handed over and paid the same day.
      const payment = t.fine ? addWorkingDays(filed, r.int(0, 2)) : null;
      return {
        ...none,
        inspection: filed,
        filed,
        inquiries: [filed],
        report: filed,
        decision: filed,
        service: filed,
        payment,
        closed: addWorkingDays(payment ?? filed, r.int(1, 4)),
      };
    }
    if (t.caseType === 'license') {
      // 行政许可法 art. 42: decided within 20 working days of 受理.
      const site = addWorkingDays(filed, r.int(2, 4));
      const decision = addWorkingDays(site, r.int(3, 10));
      const service = addWorkingDays(decision, r.int(0, 2));
      return {
        ...none,
        inspection: onWorkingDay(addDays(filed, -r.int(0, 2))),
        filed,
        inquiries: [site],
        report: addWorkingDays(site, 1),
        decision,
        service,
        payment: null,
        closed: addWorkingDays(service, r.int(1, 5)),
      };
    }
    if (t.caseType === 'coercive_measure') {
      // 行政强制法 art. 25: a seizure lasts at most 30 days.
      const inquiry = addWorkingDays(filed, r.int(1, 3));
      let release = addDays(filed, 30);
      while (!isWorkingDay(release)) release = addDays(release, -1);
      const report = onWorkingDay(addDays(release, -5));
      return {
        ...none,
        inspection: filed,
        filed,
        inquiries: [inquiry],
        report,
        decision: filed,
        service: filed,
        payment: null,
        release,
        closed: addWorkingDays(release, r.int(2, 5)),
      };
    }
    const lateFiling = defects.includes('filing_after_investigation');
    const inquiryStart = lateFiling ? addWorkingDays(inspection, 1) : addWorkingDays(filed, r.int(2, 5));
    const inquiries = [inquiryStart, addWorkingDays(inquiryStart, r.int(1, 4))];
    const actualFiled = lateFiling ? addWorkingDays(inquiries[1]!, 3) : filed;
    let decision: string;
    if (defects.includes('decision_over_time_limit')) decision = addDays(actualFiled, 121);
    else if (edges.includes('decision_at_time_limit')) decision = addDays(actualFiled, DECISION_LIMIT_DAYS);
    else decision = onWorkingDay(addDays(actualFiled, r.int(40, 70)));
    if (!isWorkingDay(decision)) continue;
    const priorNotice = onWorkingDay(addDays(decision, -(hearingDue ? 14 : 8) - r.int(0, 3)));
    const report = onWorkingDay(addDays(priorNotice, -(major ? 9 : 4)));
    const legalReview = major ? addWorkingDays(report, 2) : null;
    const discussion = major ? addWorkingDays(legalReview!, 2) : null;
    const statement = addWorkingDays(priorNotice, r.int(1, 3));
    let service: string;
    if (defects.includes('service_over_time_limit')) service = addWorkingDays(decision, 9);
    else if (edges.includes('service_at_time_limit')) {
      service = addWorkingDays(decision, SERVICE_LIMIT_WORKING_DAYS);
      // At the edge both ways of counting (weekends only, or with 法定节假日) must agree.
      if (service !== addWorkingDays(decision, SERVICE_LIMIT_WORKING_DAYS, { holidays: false })) continue;
    } else service = addWorkingDays(decision, r.int(0, 3));
    const payment = t.fine || t.confiscated ? addWorkingDays(service, r.int(2, 9)) : null;
    const closed = addWorkingDays(payment ?? service, r.int(2, 6));
    if (report <= inquiries[1]! || (discussion && discussion >= priorNotice)) continue;
    return {
      inspection,
      filed: actualFiled,
      inquiries,
      report,
      legalReview,
      discussion,
      priorNotice,
      hearingNotice: hearingDue ? priorNotice : null,
      statement,
      decision,
      service,
      payment,
      closed,
      release: null,
    };
  }
}

/** The facts of one catalogue case; `index` is 0-based; `serial` its number within its unit's year. */
function caseFacts(seed: number, t: Template, index: number, serial: number, unitOfficers: Officer[]): CaseFacts {
  const r = new Random(seed).fork(`case-${index}`);
  const p = party(r, t);
  const defects = [...DEFECT_CODES, ...HELD_OUT_DEFECT_CODES].filter((c) => t.defects?.includes(c));
  const edges = [...(t.edges ?? [])];
  const threshold = p.kind === 'person' ? HEARING_THRESHOLD.person : HEARING_THRESHOLD.company;
  const hearingDue = t.caseType === 'penalty_general' && t.fine >= threshold;
  const major = hearingDue;
  const filedAround = addDays('2025-02-17', index * 9 + r.int(0, 4));
  const planned = datesFor(r, t, filedAround, hearingDue, major);
  // A 文书 left out has no date: no 事先告知书 means no 陈述申辩 either.
  const noNotice = defects.includes('prior_notice_missing');
  const dates: CaseDates = {
    ...planned,
    priorNotice: noNotice ? null : planned.priorNotice,
    statement: noNotice ? null : planned.statement,
    hearingNotice: noNotice || defects.includes('hearing_not_offered') ? null : planned.hearingNotice,
    legalReview: defects.includes('legal_review_missing') ? null : planned.legalReview,
  };
  const pair = r.sample(unitOfficers, 2);
  const officers = defects.includes('single_officer') ? pair.slice(0, 1) : pair;
  const noticeFine = defects.includes('amount_inconsistent') ? Math.round(t.fine * 0.8) : t.fine;
  const unit = UNITS[t.unit];
  let cited = t.basis.penalty;
  if (defects.includes('legal_basis_missing')) cited = '相关法律法规';
  if (defects.includes('legal_basis_mismatch')) cited = '《中华人民共和国土地管理法》第七十七条第一款';
  const place = p.address.replace('江州市', '');
  const decisionText = t.decision ?? amountWords(t.fine, t.confiscated ?? 0);
  return {
    id: `QX-${String(index + 1).padStart(2, '0')}`,
    unit,
    caseNumber: `${t.prefix}〔2025〕${serial}号`,
    title: `${p.name}${t.titleTail}`,
    cause: t.cause,
    caseType: t.caseType,
    party: p,
    officers,
    fine: t.fine,
    confiscated: t.confiscated ?? 0,
    decisionText,
    noticeFine,
    legalBasis: t.basis,
    citedBasis: cited,
    hearingDue,
    major,
    dates,
    defects,
    edges,
    story: { place, ...t.story(p.name, place) },
  };
}

/** Every case of the campaign in catalogue order, plus the listed case without a file (last). */
export function campaignFacts(seed: number): { cases: CaseFacts[]; listedWithoutFile: CaseFacts } {
  const r = new Random(seed).fork('units');
  const officers = Object.fromEntries(Object.keys(UNITS).map((k) => [k, officersOf(r)])) as Record<UnitKey, Officer[]>;
  // Serial numbers grow through the year within each 文号 prefix, with the gaps a real register has.
  const next = new Map<string, number>();
  const serialOf = (prefix: string): number => {
    const n = (next.get(prefix) ?? r.int(2, 9)) + r.int(1, 11);
    next.set(prefix, n);
    return n;
  };
  const cases = TEMPLATES.map((t, i) => caseFacts(seed, t, i, serialOf(t.prefix), officers[t.unit]));
  const listedWithoutFile = caseFacts(
    seed,
    LISTED_WITHOUT_FILE,
    TEMPLATES.length,
    serialOf(LISTED_WITHOUT_FILE.prefix),
    officers.agriculture,
  );
  return { cases, listedWithoutFile };
}

/** The first catalogue template of a case type, for building a single dossier with chosen defects. */
export function factsOfType(seed: number, caseType: CaseType, overrides: { defects?: DefectCode[]; edges?: EdgeCode[] } = {}): CaseFacts {
  const index = TEMPLATES.findIndex((t) => t.caseType === caseType);
  if (index < 0) throw new Error(`no catalogue case of type ${caseType}`);
  const base = TEMPLATES[index]!;
  const template: Template = { ...base, defects: overrides.defects ?? base.defects, edges: overrides.edges ?? base.edges };
  const r = new Random(seed).fork('units');
  const officers = officersOf(r);
  return caseFacts(seed, template, index, 10 + index, officers);
}

/** Another county for a held-out set: its bureaus, 文号 and addresses say 云岭县, not 清溪县. */
const HELD_OUT_COUNTY = { name: '云岭县', initial: '云' };

/**
 * A held-out set the pre-check was not tuned on, through the same generator: each catalogue case gets
 * defects drawn afresh (0–2 of those the catalogue plants on its case type, plus a 卷内目录 mismatch),
 * so defects land in other cases and other 文书; no edge cases; another county's bureaus and 文号,
 * other parties and officers (the seed), and some files bound in another usual order.
 */
export function heldOutFacts(seed: number): CaseFacts[] {
  const r = new Random(seed).fork('held-out');
  const officers = Object.fromEntries(Object.keys(UNITS).map((k) => [k, officersOf(r)])) as Record<UnitKey, Officer[]>;
  const byType = new Map<CaseType, Set<PlantedCode>>();
  for (const t of TEMPLATES) for (const d of t.defects ?? []) byType.set(t.caseType, (byType.get(t.caseType) ?? new Set()).add(d));
  const next = new Map<string, number>();
  return TEMPLATES.map((base, i) => {
    const threshold = base.partyKind === 'person' ? HEARING_THRESHOLD.person : HEARING_THRESHOLD.company;
    const hearingDue = base.caseType === 'penalty_general' && base.fine >= threshold;
    const pool = [...(byType.get(base.caseType) ?? []), ...HELD_OUT_DEFECT_CODES].filter(
      (d) =>
        // What the file's facts allow: a hearing and a 法制审核 are due only on large fines; a basis
        // "mismatch" citing the land law would be right on a land case.
        ((d !== 'hearing_not_offered' && d !== 'legal_review_missing') || hearingDue) &&
        (d !== 'legal_basis_mismatch' || !/土地管理法/.test(base.basis.violated)),
    );
    const drawn: PlantedCode[] = [];
    for (const d of r.sample(pool, r.int(0, 2))) {
      const clash =
        (d === 'prior_notice_missing' && drawn.some((x) => x === 'hearing_not_offered' || x === 'amount_inconsistent')) ||
        ((d === 'hearing_not_offered' || d === 'amount_inconsistent') && drawn.includes('prior_notice_missing')) ||
        (d.startsWith('legal_basis_') && drawn.some((x) => x.startsWith('legal_basis_')));
      if (!clash) drawn.push(d);
    }
    const prefix = base.prefix.replace(/^清/, HELD_OUT_COUNTY.initial);
    const serial = (next.get(prefix) ?? r.int(20, 40)) + r.int(1, 7);
    next.set(prefix, serial);
    const facts = caseFacts(seed, { ...base, prefix, defects: drawn, edges: [] }, i, serial, officers[base.unit]);
    const moved = JSON.parse(JSON.stringify(facts).replaceAll('清溪县', HELD_OUT_COUNTY.name)) as CaseFacts;
    const binding = r.pick([undefined, 'evidence_first', 'hearing_first'] as const);
    return { ...moved, id: `HO-${String(i + 1).padStart(2, '0')}`, ...(binding ? { binding } : {}) };
  });
}
