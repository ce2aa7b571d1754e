/**
 * The 参考评查标准 for 行政许可, 行政强制措施, 行政强制执行 and 行政检查, built from the statutes
 * (../shared/domain/law) in the common shape of provincial standards: a gate of veto items, then
 * scored categories (主体、事实证据、法律适用、程序、文书、归档) adding up to 100, each deducted within
 * itself down to 0. Every item names the article it rests on (`basis`), so a reviewer can point the
 * unit at the law, not at the table.
 *
 * Written as code so that ids, codes and totals follow one pattern; electron/scripts/reference-standards.ts
 * writes them to resources/standards.
 */
import type { CaseType } from '../../shared/campaigns/case-types.js';
import type { BlockNode, DeductionRule, ItemNode, NotApplicableEffect, StandardDefinition } from '../../shared/standards/model.js';
import { canonicalDefinition } from '../../shared/standards/validate.js';

const XK = '《中华人民共和国行政许可法》';
const QZ = '《中华人民共和国行政强制法》';
const CF = '《中华人民共和国行政处罚法》';
const DA = '《中华人民共和国档案法》';

const FULL: DeductionRule = { kind: 'full' };
const each = (amount: number, cap?: number): DeductionRule =>
  cap === undefined ? { kind: 'perOccurrence', amount } : { kind: 'perOccurrence', amount, cap };
const range = (min: number, max: number, step = 0.5): DeductionRule => ({ kind: 'range', min, max, step });

/** What a rule means in words, as a printed table would say it. */
function ruleTextOf(rule: DeductionRule): string {
  switch (rule.kind) {
    case 'full':
      return '不符合的，扣该项全部分值';
    case 'fixed':
      return `不符合的，扣${rule.amount}分`;
    case 'perOccurrence':
      return `每发现一处扣${rule.amount}分，扣完为止`;
    case 'range':
      return `视情况扣${rule.min}–${rule.max}分`;
    case 'veto':
      return '存在该情形的，案卷评为不合格';
  }
}

interface ItemSpec {
  code: string;
  text: string;
  points: number;
  rule: DeductionRule;
  basis: string;
  /** Why the item may not apply (e.g. 未发生延期的). */
  notApplicable?: string;
}
interface VetoSpec {
  code: string;
  text: string;
  basis: string;
  category: string;
}
interface BlockSpec {
  code: string;
  title: string;
  /** Problem category for statistics. */
  category: string;
  items: ItemSpec[];
}
interface ReferenceSpec {
  standardId: string;
  caseType: CaseType;
  /** e.g. 行政许可 */
  label: string;
  /** The statutes it rests on, for the description. */
  laws: string;
  /** Item id prefix. */
  prefix: string;
  vetoes: VetoSpec[];
  blocks: BlockSpec[];
}

function item(prefix: string, category: string, s: ItemSpec): ItemNode {
  const na: NotApplicableEffect | undefined = s.notApplicable ? 'award' : undefined;
  return {
    kind: 'item',
    id: `${prefix}-${s.code}`,
    code: s.code,
    text: s.text,
    points: s.points,
    rule: s.rule,
    ruleText: ruleTextOf(s.rule),
    notApplicable: na,
    category,
    basis: s.basis,
    note: s.notApplicable ? `${s.notApplicable}，选“不适用”，不扣分` : undefined,
  };
}

function reference(spec: ReferenceSpec): StandardDefinition {
  const blocks: BlockNode[] = spec.blocks.map((b) => ({
    kind: 'block',
    id: `${spec.prefix}-b${b.code}`,
    code: b.code,
    title: b.title,
    points: b.items.reduce((s, i) => s + i.points, 0),
    floor: true,
    normalise: false,
    children: b.items.map((i) => item(spec.prefix, b.category, i)),
  }));
  return canonicalDefinition({
    format: 'pingcha-standard/1',
    standardId: spec.standardId,
    name: `${spec.label}案卷评查参考标准`,
    version: '参考版 1',
    caseTypes: [spec.caseType],
    issuer: '内置参考标准',
    source: `参考标准：依据${spec.laws}编制，不是某省（市）发布的正式评查标准`,
    completeness: '完整：每一项均可评分，均注明依据条款',
    notes: [
      `本标准是工作站内置的参考标准，依据${spec.laws}的条文和各地评查标准的通行结构编制，不是任何省（市）的正式文本。本省（市）有正式评查标准的，请导入后使用。`,
      '结构：先审查否决项，任一否决项成立的，案卷得 0 分，评为不合格；再按类别扣分，各类别扣完为止，不计负分。',
      '每一项均注明所依据的法律条款；案卷中未发生相应情形的项目（如未延期、未听证）选“不适用”，不扣分。',
    ],
    total: 100,
    mode: 'deductWithinBlocks',
    modeText: '否决项 + 各类别分项扣分，扣完为止，不计负分',
    gate: {
      title: '否决项',
      points: 0,
      items: spec.vetoes.map((v) => ({
        kind: 'item',
        id: `${spec.prefix}-${v.code}`,
        code: v.code,
        text: v.text,
        points: 0,
        rule: { kind: 'veto' },
        ruleText: ruleTextOf({ kind: 'veto' }),
        category: v.category,
        basis: v.basis,
      })),
    },
    veto: { effect: 'zeroAndFail' },
    blocks,
    bands: [
      { grade: '优秀', min: 90 },
      { grade: '良好', min: 80 },
      { grade: '合格', min: 60 },
      { grade: '不合格', min: 0 },
    ],
    failGrade: '不合格',
  });
}

// ── 行政许可 ────────────────────────────────────────────────────────────────────────────────────

export const LICENSE_REFERENCE = reference({
  standardId: 'cankao-xingzheng-xuke',
  caseType: 'license',
  label: '行政许可',
  laws: XK,
  prefix: 'ckxk',
  vetoes: [
    {
      code: 'F1',
      text: '实施机关不具有该项行政许可权，或者超越法定职权实施行政许可',
      basis: `${XK}第二十二条、第二十三条`,
      category: '执法主体',
    },
    {
      code: 'F2',
      text: '实施的行政许可事项没有法律、法规、省级政府规章依据，或者依据未经公布',
      basis: `${XK}第四条、第五条第二款、第十二条至第十五条`,
      category: '适用法律',
    },
    {
      code: 'F3',
      text: '对不符合法定条件、标准的申请人准予行政许可，或者对符合法定条件、标准的申请人不予行政许可',
      basis: `${XK}第三十八条、第六十九条`,
      category: '事实证据',
    },
    { code: 'F4', text: '依法应当举行听证的许可事项未举行听证即作出决定', basis: `${XK}第四十六条、第四十七条`, category: '执法程序' },
    {
      code: 'F5',
      text: '超过法定期限（受理之日起二十日，经负责人批准延长十日）作出许可决定，且无法律、法规另行规定的期限依据',
      basis: `${XK}第四十二条`,
      category: '执法程序',
    },
    { code: 'F6', text: '实施行政许可收取法律、行政法规规定以外的费用', basis: `${XK}第五十八条、第五十九条`, category: '执法程序' },
  ],
  blocks: [
    {
      code: '一',
      title: '许可主体与受理',
      category: '执法主体',
      items: [
        {
          code: '1.1',
          text: '受理机关与许可事项的管辖一致；委托实施的，有委托书，受委托机关以委托机关名义实施',
          points: 4,
          rule: FULL,
          basis: `${XK}第二十二条、第二十四条`,
        },
        {
          code: '1.2',
          text: '申请书及申请材料齐全、符合法定形式，由申请人签字或者盖章',
          points: 4,
          rule: each(1),
          basis: `${XK}第二十九条、第三十一条`,
        },
        {
          code: '1.3',
          text: '申请材料不齐全或者不符合法定形式的，当场或者在五日内一次告知申请人需要补正的全部内容',
          points: 4,
          rule: FULL,
          basis: `${XK}第三十二条第一款第（四）项`,
          notApplicable: '申请材料无需补正的',
        },
        {
          code: '1.4',
          text: '受理或者不予受理均出具加盖本机关专用印章并注明日期的书面凭证',
          points: 3,
          rule: FULL,
          basis: `${XK}第三十二条第二款`,
        },
      ],
    },
    {
      code: '二',
      title: '审查与事实证据',
      category: '事实证据',
      items: [
        {
          code: '2.1',
          text: '对申请材料进行了审查，审查意见明确，有审查人签名和日期',
          points: 6,
          rule: range(1, 6),
          basis: `${XK}第三十四条第一款`,
        },
        {
          code: '2.2',
          text: '需要对申请材料实质内容进行核实的，指派两名以上工作人员核查，有核查笔录和核查人签名',
          points: 6,
          rule: FULL,
          basis: `${XK}第三十四条第三款`,
          notApplicable: '无需核实实质内容的',
        },
        {
          code: '2.3',
          text: '申请人符合法定条件、标准的证明材料在卷（资格证明、场所设施证明、技术文件等）',
          points: 7,
          rule: each(2),
          basis: `${XK}第三十一条、第三十八条第一款`,
        },
        {
          code: '2.4',
          text: '依法需要检验、检测、检疫、鉴定或者专家评审的，结论在卷，所需时间书面告知申请人',
          points: 6,
          rule: range(1, 6),
          basis: `${XK}第四十五条、第五十五条`,
          notApplicable: '无需检验、检测、检疫、鉴定或者专家评审的',
        },
      ],
    },
    {
      code: '三',
      title: '法律适用',
      category: '适用法律',
      items: [
        {
          code: '3.1',
          text: '许可决定引用的法律、法规、规章名称及条款准确、完整',
          points: 8,
          rule: each(2),
          basis: `${XK}第四条、第三十八条`,
        },
        {
          code: '3.2',
          text: '按照已公布的法定条件、标准和数量限制作出决定；有数量限制的，按受理先后或者招标、拍卖等法定方式确定',
          points: 7,
          rule: range(1, 7),
          basis: `${XK}第五条、第三十条、第五十七条`,
        },
      ],
    },
    {
      code: '四',
      title: '许可程序',
      category: '执法程序',
      items: [
        {
          code: '4.1',
          text: '许可事项直接关系他人重大利益的，告知利害关系人，并听取申请人、利害关系人的陈述和申辩',
          points: 5,
          rule: FULL,
          basis: `${XK}第三十六条`,
          notApplicable: '不涉及他人重大利益的',
        },
        {
          code: '4.2',
          text: '直接涉及重大利益关系的，决定前告知听证权利；申请人、利害关系人五日内申请的，二十日内组织听证，听证程序合法并制作听证笔录',
          points: 6,
          rule: each(2),
          basis: `${XK}第四十七条、第四十八条`,
          notApplicable: '不涉及重大利益关系、无需告知听证权利的',
        },
        {
          code: '4.3',
          text: '二十日内不能作出决定的，经本机关负责人批准延长，并将延长理由告知申请人',
          points: 4,
          rule: FULL,
          basis: `${XK}第四十二条第一款`,
          notApplicable: '在二十日内作出决定、未延长期限的',
        },
        { code: '4.4', text: '准予许可的，自作出决定之日起十日内颁发、送达许可证件', points: 5, rule: FULL, basis: `${XK}第四十四条` },
        { code: '4.5', text: '准予行政许可的决定依法予以公开', points: 5, rule: FULL, basis: `${XK}第四十条` },
      ],
    },
    {
      code: '五',
      title: '文书制作',
      category: '文书制作',
      items: [
        {
          code: '5.1',
          text: '准予（不予）行政许可决定以书面形式作出，载明事项完整，加盖本机关印章并注明日期；许可证件要素齐全',
          points: 4,
          rule: each(1),
          basis: `${XK}第三十八条、第三十九条`,
        },
        {
          code: '5.2',
          text: '不予行政许可的，说明理由，并告知申请人依法申请行政复议或者提起行政诉讼的权利',
          points: 3,
          rule: FULL,
          basis: `${XK}第三十八条第二款`,
          notApplicable: '准予行政许可的',
        },
        { code: '5.3', text: '文书使用规范，填写完整，用语准确，无错别字和涂改', points: 3, rule: each(0.5), basis: `${XK}第三十八条` },
      ],
    },
    {
      code: '六',
      title: '案卷归档',
      category: '案卷管理',
      items: [
        { code: '6.1', text: '一案一卷，卷内文书按办理顺序排列，有卷内目录，页码连续', points: 4, rule: each(1), basis: `${DA}第十四条` },
        { code: '6.2', text: '从申请到送达的全过程材料齐全，按期归档', points: 4, rule: each(1), basis: `${DA}第十三条、第十四条` },
        { code: '6.3', text: '卷皮（封面）填写完整，有立卷人、检查人签名', points: 2, rule: each(0.5), basis: `${DA}第十四条` },
      ],
    },
  ],
});

// ── 行政强制措施 ──────────────────────────────────────────────────────────────────────────────

export const COERCIVE_MEASURE_REFERENCE = reference({
  standardId: 'cankao-xingzheng-qiangzhi-cuoshi',
  caseType: 'coercive_measure',
  label: '行政强制措施',
  laws: QZ,
  prefix: 'ckqc',
  vetoes: [
    {
      code: 'F1',
      text: '实施机关不具有法律、法规规定的行政强制措施权，或者超越职权，或者将行政强制措施权委托实施',
      basis: `${QZ}第十七条第一款、第二十二条`,
      category: '执法主体',
    },
    {
      code: 'F2',
      text: '由不具备资格的人员实施行政强制措施，或者实施人员少于两人',
      basis: `${QZ}第十七条第三款、第十八条第（二）项`,
      category: '执法主体',
    },
    {
      code: 'F3',
      text: '采取的行政强制措施没有法律、法规依据，或者超出法定的种类、对象、条件',
      basis: `${QZ}第四条、第十条、第十一条`,
      category: '适用法律',
    },
    {
      code: 'F4',
      text: '查封、扣押与违法行为无关的场所、设施或者财物，或者查封、扣押公民个人及其所扶养家属的生活必需品',
      basis: `${QZ}第二十三条第一款`,
      category: '事实证据',
    },
    {
      code: 'F5',
      text: '查封、扣押超过三十日（依法延长的不超过三十日）仍未作出处理决定，且无法律、行政法规另行规定的期限依据',
      basis: `${QZ}第二十五条第一款、第二十七条`,
      category: '执法程序',
    },
    {
      code: 'F6',
      text: '违法行为涉嫌犯罪应当移送司法机关而未移送，或者未将查封、扣押、冻结的财物一并移送',
      basis: `${QZ}第二十一条`,
      category: '执法程序',
    },
  ],
  blocks: [
    {
      code: '一',
      title: '执法主体',
      category: '执法主体',
      items: [
        {
          code: '1.1',
          text: '执法人员姓名、执法证件号码在现场笔录等文书中载明，证件在有效期内',
          points: 5,
          rule: each(2.5),
          basis: `${QZ}第十七条第三款`,
        },
        { code: '1.2', text: '实施时出示执法身份证件，并在现场笔录中记载', points: 5, rule: FULL, basis: `${QZ}第十八条第（三）项` },
      ],
    },
    {
      code: '二',
      title: '事实证据',
      category: '事实证据',
      items: [
        {
          code: '2.1',
          text: '采取强制措施的事实清楚，有现场笔录、照片、视听资料等证据证明违法行为或者危害情形',
          points: 8,
          rule: range(1, 8),
          basis: `${QZ}第十六条、第十八条第（七）项`,
        },
        {
          code: '2.2',
          text: '查封、扣押清单载明场所、设施、财物的名称、数量、规格、状况等，与实物一致，一式二份',
          points: 6,
          rule: each(1),
          basis: `${QZ}第二十四条`,
        },
        {
          code: '2.3',
          text: '需要检测、检验、检疫或者技术鉴定的，期间明确并书面告知当事人，结论在卷',
          points: 6,
          rule: FULL,
          basis: `${QZ}第二十五条第三款`,
          notApplicable: '无需检测、检验、检疫或者技术鉴定的',
        },
      ],
    },
    {
      code: '三',
      title: '法律适用',
      category: '适用法律',
      items: [
        {
          code: '3.1',
          text: '查封、扣押决定书引用的法律、法规名称及条款准确、完整',
          points: 8,
          rule: each(2),
          basis: `${QZ}第二十四条第二款第（二）项`,
        },
        {
          code: '3.2',
          text: '强制措施的种类、对象与法定依据一致；采用非强制手段可以达到目的的，未实施强制',
          points: 7,
          rule: range(1, 7),
          basis: `${QZ}第五条、第十一条`,
        },
      ],
    },
    {
      code: '四',
      title: '执法程序',
      category: '执法程序',
      items: [
        {
          code: '4.1',
          text: '实施前向行政机关负责人报告并经批准；情况紧急当场实施的，二十四小时内报告并补办批准手续',
          points: 6,
          rule: FULL,
          basis: `${QZ}第十八条第（一）项、第十九条`,
        },
        {
          code: '4.2',
          text: '通知当事人到场；当事人不到场的，邀请见证人到场',
          points: 4,
          rule: FULL,
          basis: `${QZ}第十八条第（四）项、第（九）项`,
        },
        {
          code: '4.3',
          text: '当场告知当事人采取强制措施的理由、依据以及依法享有的权利、救济途径',
          points: 5,
          rule: FULL,
          basis: `${QZ}第十八条第（五）项`,
        },
        { code: '4.4', text: '听取当事人的陈述和申辩，并予记录', points: 4, rule: FULL, basis: `${QZ}第八条、第十八条第（六）项` },
        {
          code: '4.5',
          text: '制作现场笔录，由当事人和执法人员签名或者盖章；当事人拒绝的在笔录中注明；当事人不到场的由见证人签名或者盖章',
          points: 5,
          rule: each(1),
          basis: `${QZ}第十八条第（七）项至第（九）项`,
        },
        { code: '4.6', text: '制作并当场交付查封、扣押决定书和清单', points: 5, rule: FULL, basis: `${QZ}第二十四条第一款` },
        {
          code: '4.7',
          text: '延长查封、扣押期限的，经行政机关负责人批准，及时书面告知当事人并说明理由',
          points: 3,
          rule: FULL,
          basis: `${QZ}第二十五条第一款、第二款`,
          notApplicable: '未延长期限的',
        },
        {
          code: '4.8',
          text: '在法定期限内作出没收、销毁或者解除查封、扣押的处理决定；解除的，及时退还财物',
          points: 3,
          rule: FULL,
          basis: `${QZ}第二十七条、第二十八条`,
        },
      ],
    },
    {
      code: '五',
      title: '文书制作',
      category: '文书制作',
      items: [
        {
          code: '5.1',
          text: '查封、扣押决定书载明当事人姓名或者名称、地址，理由、依据和期限，财物名称、数量，复议、诉讼的途径和期限，机关名称、印章和日期',
          points: 6,
          rule: each(1),
          basis: `${QZ}第二十四条第二款`,
        },
        { code: '5.2', text: '文书填写完整规范，无涂改，签名、盖章齐全', points: 4, rule: each(0.5), basis: `${QZ}第十八条第（八）项` },
      ],
    },
    {
      code: '六',
      title: '财物保管与案卷归档',
      category: '案卷管理',
      items: [
        {
          code: '6.1',
          text: '查封、扣押的财物妥善保管，未使用或者损毁；委托第三人保管的，有委托手续',
          points: 4,
          rule: range(1, 4),
          basis: `${QZ}第二十六条`,
        },
        {
          code: '6.2',
          text: '一案一卷，材料齐全，按办理顺序排列，有卷内目录，页码连续',
          points: 6,
          rule: each(1),
          basis: `${DA}第十三条、第十四条`,
        },
      ],
    },
  ],
});

// ── 行政强制执行 ──────────────────────────────────────────────────────────────────────────────

export const COERCIVE_ENFORCEMENT_REFERENCE = reference({
  standardId: 'cankao-xingzheng-qiangzhi-zhixing',
  caseType: 'coercive_enforcement',
  label: '行政强制执行',
  laws: QZ,
  prefix: 'ckqz',
  vetoes: [
    { code: 'F1', text: '行政机关没有法律规定的行政强制执行权而自行强制执行', basis: `${QZ}第十三条、第三十四条`, category: '执法主体' },
    {
      code: 'F2',
      text: '据以执行的行政决定尚未生效，或者当事人履行义务的期限尚未届满即强制执行',
      basis: `${QZ}第三十四条`,
      category: '事实证据',
    },
    { code: 'F3', text: '作出强制执行决定前未书面催告当事人履行义务', basis: `${QZ}第三十五条`, category: '执法程序' },
    {
      code: 'F4',
      text: '未作出书面强制执行决定即实施强制执行（催告期间依法作出立即强制执行决定的除外）',
      basis: `${QZ}第三十七条`,
      category: '执法程序',
    },
    { code: 'F5', text: '在夜间或者法定节假日实施强制执行，且无紧急情况', basis: `${QZ}第四十三条第一款`, category: '执法程序' },
    {
      code: 'F6',
      text: '对居民生活采取停止供水、供电、供热、供燃气等方式迫使当事人履行',
      basis: `${QZ}第四十三条第二款`,
      category: '执法程序',
    },
  ],
  blocks: [
    {
      code: '一',
      title: '执法主体',
      category: '执法主体',
      items: [
        {
          code: '1.1',
          text: '执行机关与据以执行的行政决定的作出机关一致，执行人员身份和执法证件在执行文书中载明',
          points: 5,
          rule: each(2.5),
          basis: `${QZ}第四条、第三十四条`,
        },
        {
          code: '1.2',
          text: '代履行委托没有利害关系的第三人的，有委托手续；代履行时作出决定的行政机关派员到场监督',
          points: 5,
          rule: range(1, 5),
          basis: `${QZ}第五十条、第五十一条第一款第（三）项`,
          notApplicable: '未采取代履行的',
        },
      ],
    },
    {
      code: '二',
      title: '事实证据',
      category: '事实证据',
      items: [
        { code: '2.1', text: '据以执行的行政决定书及其送达凭证在卷', points: 6, rule: FULL, basis: `${QZ}第三十四条` },
        {
          code: '2.2',
          text: '当事人逾期不履行且无正当理由的事实清楚，有履行期限届满未履行的证明材料',
          points: 6,
          rule: range(1, 6),
          basis: `${QZ}第三十四条、第三十七条第一款`,
        },
        {
          code: '2.3',
          text: '对当事人提出的事实、理由和证据进行了记录、复核；成立的予以采纳',
          points: 5,
          rule: FULL,
          basis: `${QZ}第三十六条`,
        },
        {
          code: '2.4',
          text: '中止执行、终结执行或者恢复执行的，情形和理由有书面记载',
          points: 3,
          rule: FULL,
          basis: `${QZ}第三十九条、第四十条`,
          notApplicable: '未发生中止、终结执行的',
        },
      ],
    },
    {
      code: '三',
      title: '法律适用',
      category: '适用法律',
      items: [
        {
          code: '3.1',
          text: '催告书、强制执行决定书引用的法律、法规名称及条款准确、完整',
          points: 8,
          rule: each(2),
          basis: `${QZ}第三十五条、第三十七条第二款第（二）项`,
        },
        {
          code: '3.2',
          text: '执行方式符合法律规定；加处罚款或者滞纳金的标准已告知当事人，数额不超出金钱给付义务的数额',
          points: 7,
          rule: range(1, 7),
          basis: `${QZ}第十二条、第四十五条`,
        },
      ],
    },
    {
      code: '四',
      title: '执行程序',
      category: '执法程序',
      items: [
        {
          code: '4.1',
          text: '催告书载明履行义务的期限、方式，涉及金钱给付的金额和给付方式，以及当事人的陈述权和申辩权',
          points: 7,
          rule: each(2),
          basis: `${QZ}第三十五条`,
        },
        { code: '4.2', text: '充分听取当事人的陈述和申辩', points: 5, rule: FULL, basis: `${QZ}第三十六条` },
        {
          code: '4.3',
          text: '催告书、强制执行决定书直接送达当事人；拒绝接收或者无法直接送达的，依照民事诉讼法的规定送达，送达凭证完整',
          points: 6,
          rule: each(2),
          basis: `${QZ}第三十八条`,
        },
        {
          code: '4.4',
          text: '加处罚款或者滞纳金超过三十日，经催告当事人仍不履行的，方才强制执行',
          points: 4,
          rule: FULL,
          basis: `${QZ}第四十六条第一款`,
          notApplicable: '不涉及加处罚款或者滞纳金的',
        },
        {
          code: '4.5',
          text: '强制拆除违法建筑物、构筑物、设施的，予以公告并限期当事人自行拆除；当事人在法定期限内不申请复议、不起诉又不拆除的，方才强制拆除',
          points: 5,
          rule: FULL,
          basis: `${QZ}第四十四条`,
          notApplicable: '不涉及强制拆除的',
        },
        {
          code: '4.6',
          text: '代履行前送达代履行决定书，代履行三日前催告当事人履行；代履行完毕，有关人员在执行文书上签名或者盖章',
          points: 4,
          rule: each(1),
          basis: `${QZ}第五十一条`,
          notApplicable: '未采取代履行的',
        },
        {
          code: '4.7',
          text: '申请人民法院强制执行的，申请前催告，催告书送达十日后当事人仍未履行的方才申请，并在法定期限内提供法定材料',
          points: 4,
          rule: each(1),
          basis: `${QZ}第五十三条至第五十五条`,
          notApplicable: '未申请人民法院强制执行的',
        },
      ],
    },
    {
      code: '五',
      title: '文书制作',
      category: '文书制作',
      items: [
        {
          code: '5.1',
          text: '强制执行决定书载明当事人姓名或者名称、地址，理由和依据，方式和时间，复议、诉讼的途径和期限，机关名称、印章和日期',
          points: 6,
          rule: each(1),
          basis: `${QZ}第三十七条第二款`,
        },
        {
          code: '5.2',
          text: '文书格式规范，填写完整，签名、盖章齐全，无涂改',
          points: 4,
          rule: each(0.5),
          basis: `${QZ}第三十五条、第三十七条`,
        },
      ],
    },
    {
      code: '六',
      title: '执行款物与案卷归档',
      category: '案卷管理',
      items: [
        {
          code: '6.1',
          text: '划拨的存款、汇款及拍卖和依法处理所得的款项上缴国库或者划入财政专户，有凭证在卷',
          points: 4,
          rule: FULL,
          basis: `${QZ}第四十九条`,
          notApplicable: '不涉及划拨、拍卖或者依法处理财物的',
        },
        {
          code: '6.2',
          text: '一案一卷，材料齐全，按办理顺序排列，有卷内目录，页码连续',
          points: 6,
          rule: each(1),
          basis: `${DA}第十三条、第十四条`,
        },
      ],
    },
  ],
});

// ── 行政检查 ────────────────────────────────────────────────────────────────────────────────────

export const INSPECTION_REFERENCE = reference({
  standardId: 'cankao-xingzheng-jiancha',
  caseType: 'inspection',
  label: '行政检查',
  laws: `${CF}、${XK}`,
  prefix: 'ckjc',
  vetoes: [
    { code: 'F1', text: '检查机关对检查事项没有法定职权，或者超越法定职权实施检查', basis: `${CF}第十七条`, category: '执法主体' },
    { code: 'F2', text: '检查由不具有行政执法资格的人员实施，或者执法人员少于两人', basis: `${CF}第四十二条`, category: '执法主体' },
    { code: 'F3', text: '执法人员未出示执法证件即实施检查', basis: `${CF}第五十五条第一款`, category: '执法程序' },
    { code: 'F4', text: '检查中索取或者收受被检查人财物，或者谋取其他利益', basis: `${XK}第六十三条`, category: '执法程序' },
  ],
  blocks: [
    {
      code: '一',
      title: '执法主体',
      category: '执法主体',
      items: [
        {
          code: '1.1',
          text: '检查人员姓名、执法证件号码在检查记录中载明',
          points: 5,
          rule: each(2.5),
          basis: `${CF}第四十二条、第五十五条第一款`,
        },
        {
          code: '1.2',
          text: '与检查事项有直接利害关系或者其他可能影响公正执法关系的执法人员回避',
          points: 5,
          rule: FULL,
          basis: `${CF}第四十三条`,
        },
      ],
    },
    {
      code: '二',
      title: '事实证据',
      category: '事实证据',
      items: [
        { code: '2.1', text: '检查对象、时间、地点、事项和内容记载清楚', points: 6, rule: each(2), basis: `${CF}第五十五条第二款` },
        {
          code: '2.2',
          text: '检查发现的问题事实清楚，有照片、视听资料、书证等证据印证',
          points: 8,
          rule: range(1, 8),
          basis: `${CF}第五十四条第一款`,
        },
        {
          code: '2.3',
          text: '抽样取证的，有抽样记录和样品清单，由当事人签名或者盖章',
          points: 5,
          rule: each(1),
          basis: `${CF}第五十六条`,
          notApplicable: '未抽样取证的',
        },
        {
          code: '2.4',
          text: '证据可能灭失或者以后难以取得的，经行政机关负责人批准先行登记保存，并在七日内作出处理决定',
          points: 6,
          rule: FULL,
          basis: `${CF}第五十六条`,
          notApplicable: '未先行登记保存证据的',
        },
      ],
    },
    {
      code: '三',
      title: '法律适用',
      category: '适用法律',
      items: [
        {
          code: '3.1',
          text: '检查所依据的法律、法规、规章明确，检查事项在法定检查范围内',
          points: 8,
          rule: range(1, 8),
          basis: `${CF}第四条、${XK}第六十一条、第六十二条`,
        },
        {
          code: '3.2',
          text: '对检查发现的违法行为依法处理（责令改正、立案查处或者移送），引用条款准确',
          points: 7,
          rule: range(1, 7),
          basis: `${CF}第二十七条、第二十八条、第五十四条第二款`,
          notApplicable: '检查未发现违法行为的',
        },
      ],
    },
    {
      code: '四',
      title: '检查程序',
      category: '执法程序',
      items: [
        { code: '4.1', text: '执法人员主动出示执法证件，检查记录中记载出示情况', points: 6, rule: FULL, basis: `${CF}第五十五条第一款` },
        {
          code: '4.2',
          text: '告知被检查人检查事由、依据及其依法享有的权利（要求出示证件、申请回避、陈述和申辩等）',
          points: 6,
          rule: FULL,
          basis: `${CF}第四十三条第二款、第五十五条第一款`,
        },
        {
          code: '4.3',
          text: '制作检查笔录（现场检查记录），交被检查人核对，由被检查人和执法人员签名或者盖章；拒绝签名的予以注明',
          points: 8,
          rule: each(2),
          basis: `${CF}第五十五条第二款`,
        },
        {
          code: '4.4',
          text: '检查过程以文字、音像等形式记录，音像资料在卷或者可调阅',
          points: 5,
          rule: range(1, 5),
          basis: `${CF}第四十七条`,
        },
        {
          code: '4.5',
          text: '检查情况和处理结果予以记录，由检查人员签字后归档；检查未妨碍被检查人正常的生产经营活动',
          points: 5,
          rule: each(1),
          basis: `${XK}第六十一条第二款、第六十三条`,
        },
      ],
    },
    {
      code: '五',
      title: '文书制作',
      category: '文书制作',
      items: [
        { code: '5.1', text: '检查笔录使用规范文书，要素齐全，用语准确，无涂改', points: 6, rule: each(1), basis: `${CF}第五十五条第二款` },
        {
          code: '5.2',
          text: '责令改正通知书等处理文书载明存在的问题、依据和改正期限',
          points: 4,
          rule: each(1),
          basis: `${CF}第二十八条第一款`,
          notApplicable: '未作出责令改正等处理的',
        },
      ],
    },
    {
      code: '六',
      title: '案卷归档',
      category: '案卷管理',
      items: [
        {
          code: '6.1',
          text: '检查材料及时归档，按检查事项或者批次立卷，有卷内目录，页码连续',
          points: 6,
          rule: each(1),
          basis: `${DA}第十三条、第十四条`,
        },
        { code: '6.2', text: '音像记录等电子材料来源可靠、要素完整，按规定保存', points: 4, rule: each(1), basis: `${DA}第三十七条` },
      ],
    },
  ],
});

/** The four statute-based references, each with the file it ships as. */
export const STATUTE_REFERENCES: ReadonlyArray<{ output: string; definition: StandardDefinition }> = [
  { output: 'cankao-xingzheng-xuke.json', definition: LICENSE_REFERENCE },
  { output: 'cankao-xingzheng-qiangzhi-cuoshi.json', definition: COERCIVE_MEASURE_REFERENCE },
  { output: 'cankao-xingzheng-qiangzhi-zhixing.json', definition: COERCIVE_ENFORCEMENT_REFERENCE },
  { output: 'cankao-xingzheng-jiancha.json', definition: INSPECTION_REFERENCE },
];
