/**
 * The 文书 of a dossier, in the order a 案卷 is bound, written from the case's facts. Planted defects
 * change what is written or leave a 文书 out; everything else is what a careful bureau produces.
 */
import { cnDate } from './calendar.js';
import type { CaseFacts } from './campaign.js';
import type { Block } from './layout.js';
import type { Random } from './random.js';

export const DOCUMENT_TITLES = {
  cover: '案卷封面',
  contents: '卷内目录',
  filing_approval: '立案审批表',
  coercive_approval: '行政强制措施审批表',
  license_application: '行政许可申请书',
  acceptance_notice: '行政许可受理通知书',
  site_verification: '现场核查记录',
  license_review: '行政许可审查意见表',
  license_decision: '准予行政许可决定书',
  inspection_record: '现场检查笔录',
  inquiry_record: '询问笔录',
  evidence: '证据材料',
  investigation_report: '案件调查终结报告',
  legal_review: '法制审核意见书',
  collective_discussion: '重大案件集体讨论记录',
  prior_notice: '行政处罚事先告知书',
  hearing_notice: '行政处罚听证告知书',
  statement_record: '陈述申辩笔录',
  statement_waiver: '放弃陈述申辩权利书',
  decision: '行政处罚决定书',
  simple_decision: '当场行政处罚决定书',
  seizure_decision: '查封决定书',
  seizure_list: '查封清单',
  release_decision: '解除查封决定书',
  service_receipt: '送达回证',
  payment_voucher: '罚没款缴纳凭证',
  closing_approval: '结案审批表',
  archive_note: '卷内备考表',
} as const;
export type DocumentType = keyof typeof DOCUMENT_TITLES;

export interface DraftDocument {
  type: DocumentType;
  date: string;
  blocks: Block[];
  /** Officers named as taking part in this record (行政处罚法 art. 42 asks for two). */
  officers?: string[];
  /** "第1页 共3页" and the signature line every page of a 笔录 carries. */
  footer?: (page: number, count: number) => string;
  /** Pages that extend a 证据材料 section until the dossier is as thick as a real one. */
  extendable?: boolean;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';

/** 50320 → 伍万零叁佰贰拾元整 (the 大写 amount of a receipt). */
export function yuanInWords(amount: number): string {
  const n = Math.round(amount);
  if (n === 0) return '零元整';
  const units = ['', '拾', '佰', '仟'];
  const section = (v: number): string => {
    let s = '';
    let zero = false;
    for (let i = 3; i >= 0; i--) {
      const d = Math.floor(v / 10 ** i) % 10;
      if (d === 0) zero = s.length > 0;
      else {
        if (zero) s += '零';
        s += DIGITS[d] + units[i]!;
        zero = false;
      }
    }
    return s;
  };
  const wan = Math.floor(n / 10_000);
  const rest = n % 10_000;
  let out = wan ? `${section(wan)}万` : '';
  if (rest) out += (wan && rest < 1000 ? '零' : '') + section(rest);
  return `${out}元整`;
}

export const yuan = (n: number): string => `${n}元`;

const you = (f: CaseFacts): string => (f.party.kind === 'company' ? '你单位' : '你');

function partyRows(f: CaseFacts): Array<[string, string]> {
  const p = f.party;
  return p.kind === 'company'
    ? [
        ['当事人', p.name],
        ['统一社会信用代码', p.creditCode!],
        ['法定代表人', p.representative],
        ['住所', p.address],
        ['联系电话', p.phone],
      ]
    : [
        ['当事人', p.name],
        ['身份证号码', p.idNumber],
        ['住址', p.address],
        ['联系电话', p.phone],
      ];
}

const partyParas = (f: CaseFacts): Block[] => partyRows(f).map(([k, v]) => ({ kind: 'para', text: `${k}：${v}`, indent: false }));

const officerList = (f: CaseFacts): string => f.officers.map((o) => `${o.name}（执法证号：${o.certificate}）`).join('、');
const officerNames = (f: CaseFacts): string => f.officers.map((o) => o.name).join('、');

const letterhead = (f: CaseFacts, title: string, number?: string): Block[] => [
  { kind: 'line', text: f.unit.sealName, align: 'center', size: 16, bold: true },
  { kind: 'heading', text: title, size: 22 },
  ...(number ? [{ kind: 'line', text: number, align: 'center' } as Block] : []),
  { kind: 'gap', height: 6 },
];

const numbered = (f: CaseFacts, marker: string): string => f.caseNumber.replace(/^(.*?)(罚|许|强)/, `$1$2${marker}`);

const sign = (f: CaseFacts, date: string): Block => ({ kind: 'signature', lines: [f.unit.sealName, cnDate(date)], seal: true });

const facts = (f: CaseFacts): string =>
  `${f.story.scene}${f.story.goods && !f.story.scene.includes(f.story.goods) ? `现场查见${f.story.goods}。` : ''}`;

const GENERIC_QA: Array<[string, string]> = [
  ['你（单位）的经营范围是什么，经营多长时间了？', '主要就是做这一块，已经经营三年多了。'],
  ['你对我们今天的检查有没有异议？', '没有异议，检查的时候我在现场。'],
  ['执法人员现场拍摄的照片你看过了吗，是否属实？', '看过了，照片拍的都是实际情况。'],
  ['你们有没有建立相关的台账记录？', '有台账，但是记得不全，有些是手写的。'],
  ['你（单位）之前有没有因为同样的问题被处理过？', '没有，这是第一次。'],
  ['你对自己的行为怎么认识？', '我知道错了，以后一定按规定来，请求从轻处理。'],
  ['违法行为是否已经改正？', '已经改正了，检查当天就按要求整改了。'],
  ['你能否提供相关的票据和合同？', '能提供，我下午就送过来。'],
  ['当时现场还有其他人吗？', '还有店里的一个员工，他可以作证。'],
  ['你（单位）的年营业额大概是多少？', '一年大概四五十万元，利润不高。'],
  ['以上问题你有没有要补充的？', '没有了。'],
];

function inquiry(f: CaseFacts, r: Random, targetPages: number, layoutPages: (blocks: Block[]) => number): DraftDocument {
  const date = f.dates.inquiries[0]!;
  const head: Block[] = [
    { kind: 'heading', text: '询问笔录', size: 22 },
    {
      kind: 'para',
      text: `询问时间：${cnDate(date)}${r.int(8, 10)}时${r.int(10, 50)}分至${r.int(11, 12)}时${r.int(0, 50)}分`,
      indent: false,
    },
    { kind: 'para', text: `询问地点：${f.unit.sealName}执法办案室`, indent: false },
    {
      kind: 'para',
      text: `询问人：${f.officers.map((o) => o.name).join('、')}  记录人：${f.officers[f.officers.length - 1]!.name}`,
      indent: false,
    },
    {
      kind: 'para',
      text: `被询问人：${f.party.representative}  性别：${r.pick(['男', '女'])}  身份证号码：${f.party.idNumber}`,
      indent: false,
    },
    {
      kind: 'para',
      text: `工作单位及职务：${f.party.kind === 'company' ? `${f.party.name} 法定代表人` : '个体'}  联系电话：${f.party.phone}`,
      indent: false,
    },
    { kind: 'para', text: `住址：${f.party.address}`, indent: false },
  ];
  const qa: Array<[string, string]> = [
    [
      `我们是${f.unit.sealName}的执法人员${officerList(f)}，这是我们的执法证件，请过目。现依法就你（单位）${f.cause}一事进行询问调查，你应当如实回答，不得隐瞒或提供虚假材料，否则将承担相应的法律责任。你听清楚了吗？`,
      '听清楚了。',
    ],
    ['根据法律规定，执法人员少于两人或者与本案有直接利害关系的，你有权申请回避，你是否申请回避？', '不申请回避。'],
    [
      '请介绍一下你的基本情况。',
      `我叫${f.party.representative}，身份证号码是${f.party.idNumber}，住在${f.party.address.replace('江州市清溪县', '')}。`,
    ],
    ...f.story.qa,
  ];
  const closing: Array<[string, string]> = [['以上记录请你核对，如记录有误，你可以补充更正。', '以上笔录我看过，和我说的一样。']];
  const build = (extra: number): Block[] => [
    ...head,
    ...[...qa, ...GENERIC_QA.slice(0, extra), ...closing].flatMap(([q, a]): Block[] => [
      { kind: 'para', text: `问：${q}`, indent: false },
      { kind: 'para', text: `答：${a}`, indent: false },
    ]),
    { kind: 'gap', height: 8 },
    { kind: 'para', text: `被询问人签名：${f.party.representative}    ${cnDate(date)}`, indent: false },
  ];
  let extra = 0;
  while (extra < GENERIC_QA.length && layoutPages(build(extra)) < targetPages) extra++;
  return {
    type: 'inquiry_record',
    date,
    blocks: build(extra),
    officers: f.officers.map((o) => o.name),
    footer: (page, count) => `被询问人：${f.party.representative}（签名）   第${page}页 共${count}页`,
  };
}

function inspection(f: CaseFacts, r: Random): DraftDocument {
  const date = f.dates.inspection;
  const start = r.int(8, 15);
  return {
    type: 'inspection_record',
    date,
    officers: f.officers.map((o) => o.name),
    footer: (page, count) => `被检查人：${f.party.representative}（签名）   第${page}页 共${count}页`,
    blocks: [
      { kind: 'heading', text: '现场检查笔录', size: 22 },
      { kind: 'para', text: `检查时间：${cnDate(date)}${start}时${r.int(0, 5)}0分至${start + 1}时${r.int(0, 5)}5分`, indent: false },
      { kind: 'para', text: `检查地点：${f.story.place}`, indent: false },
      { kind: 'para', text: `被检查人：${f.party.name}`, indent: false },
      {
        kind: 'para',
        text: `${f.party.kind === 'company' ? '法定代表人（负责人）' : '身份证号码'}：${f.party.kind === 'company' ? f.party.representative : f.party.idNumber}  联系电话：${f.party.phone}`,
        indent: false,
      },
      { kind: 'para', text: `执法人员：${officerList(f)}`, indent: false },
      { kind: 'para', text: `记录人：${f.officers[f.officers.length - 1]!.name}`, indent: false },
      {
        kind: 'para',
        text: `执法人员向被检查人出示了执法证件，告知其依法享有陈述、申辩和申请回避的权利，以及应当如实提供有关资料、配合检查的义务。被检查人表示不申请回避。`,
      },
      { kind: 'para', text: `现场检查情况：${facts(f)}` },
      { kind: 'para', text: '执法人员对现场情况进行了拍照取证，照片共计若干张，经被检查人确认属实。' },
      { kind: 'para', text: '以上笔录已交被检查人核对，确认无误。' },
      { kind: 'gap', height: 10 },
      { kind: 'para', text: `被检查人签名：${f.party.representative}    执法人员签名：${officerNames(f)}`, indent: false },
      { kind: 'para', text: cnDate(date), indent: false },
    ],
  };
}

function evidence(f: CaseFacts): DraftDocument {
  const p = f.party;
  const card: Block =
    p.kind === 'company'
      ? {
          kind: 'card',
          title: '营业执照（副本）复印件',
          lines: [
            `统一社会信用代码：${p.creditCode}`,
            `名称：${p.name}`,
            `类型：有限责任公司（自然人投资或控股）`,
            `法定代表人：${p.representative}`,
            `住所：${p.address}`,
            '登记机关：清溪县市场监督管理局',
            '（本复印件与原件一致，当事人签字确认）',
          ],
        }
      : {
          kind: 'card',
          title: '居民身份证复印件',
          lines: [
            `姓名：${p.name}`,
            `公民身份号码：${p.idNumber}`,
            `住址：${p.address}`,
            '签发机关：清溪县公安局',
            '（本复印件与原件一致，当事人签字确认）',
          ],
        };
  const photos: Block[] = f.story.photos.map((c, i) => ({
    kind: 'photo',
    caption: `图${i + 1}：${c}（拍摄时间：${cnDate(f.dates.inspection)}，拍摄人：${f.officers[0]!.name}）`,
    height: 220,
  }));
  return {
    type: 'evidence',
    date: f.dates.inquiries[f.dates.inquiries.length - 1]!,
    extendable: true,
    blocks: [
      { kind: 'heading', text: '证据材料', size: 20 },
      { kind: 'line', text: '（现场照片、证照复印件）', align: 'center' },
      card,
      ...photos,
    ],
  };
}

/**
 * More pages for a 证据材料 section, one at a time in the order a bureau files them: photos (two a
 * page, numbered after the ones already there), a 证据提取单, a copied delivery note or ledger.
 */
export function moreEvidence(f: CaseFacts, r: Random, firstPhoto: number, pages: number): Block[] {
  const blocks: Block[] = [];
  const subjects = ['现场全景', '现场局部', '物品标签特写', '相关票据', '整改情况复查', '现场测量'];
  const taken = f.dates.inquiries[f.dates.inquiries.length - 1]!;
  const photographer = f.officers[f.officers.length - 1]!.name;
  let photo = firstPhoto;
  for (let i = 0; i < pages; i++) {
    blocks.push({ kind: 'pageBreak' });
    const kind = i % 4;
    if (kind === 1) {
      blocks.push(
        { kind: 'heading', text: '证据提取单', size: 20 },
        {
          kind: 'form',
          minHeight: 40,
          rows: [
            ['证据名称', r.pick(['进货单据', '销售记录', '检测报告', '合同', '台账'])],
            ['证据形式', r.pick(['复印件', '照片', '电子数据打印件'])],
            ['提取时间', cnDate(taken)],
            ['提取地点', f.story.place],
            ['证明对象', `当事人${f.cause}的事实`],
            ['提取人', f.officers.map((o) => o.name).join('、')],
            ['证据持有人意见', `以上材料与原件一致。\n${f.party.representative}  ${cnDate(taken)}`],
          ],
        },
      );
    } else if (kind === 3) {
      const items = Array.from({ length: r.int(3, 6) }, (_, n) => [
        String(n + 1),
        r.pick(['货物', '材料', '配件', '产品']) + String.fromCharCode(65 + n),
        `${r.int(2, 60)}`,
        `${r.int(8, 300)}.00`,
      ]);
      blocks.push(
        { kind: 'heading', text: r.pick(['送货单（复印件）', '进销货台账（复印件）']), size: 18 },
        { kind: 'line', text: `单据编号：${r.digits(8)}  日期：${cnDate(f.dates.inspection)}`, align: 'center' },
        { kind: 'grid', widths: [1, 4, 2, 2], header: ['序号', '品名', '数量', '单价（元）'], rows: items },
        { kind: 'line', text: `当事人确认：以上复印件与原件一致。${f.party.representative}`, align: 'left' },
      );
    } else {
      for (let k = 0; k < 2; k++, photo++)
        blocks.push({
          kind: 'photo',
          caption: `图${photo}：${subjects[(photo - 1) % subjects.length]}（拍摄时间：${cnDate(taken)}，拍摄人：${photographer}）`,
          height: 220,
        });
    }
  }
  return blocks;
}

function filingApproval(f: CaseFacts, r: Random): DraftDocument {
  const boss = r.pick(['陈', '刘', '黄']) + r.pick(['志远', '国栋', '建华']);
  return {
    type: 'filing_approval',
    date: f.dates.filed,
    blocks: [
      { kind: 'line', text: f.unit.sealName, align: 'center', size: 16, bold: true },
      { kind: 'heading', text: '立案审批表', size: 22 },
      { kind: 'line', text: `编号：${numbered(f, '立')}`, align: 'right' },
      {
        kind: 'form',
        rows: [
          ['案件来源', r.pick(['日常监督检查', '投诉举报', '上级交办', '其他部门移送'])],
          ['案由', f.cause],
          ...partyRows(f),
          ['简要案情', `${cnDate(f.dates.inspection)}，执法人员在检查中发现：${facts(f)}当事人涉嫌${f.cause}。`],
          [
            '承办人意见',
            `当事人涉嫌违反${f.legalBasis.violated}的规定，建议立案调查。\n承办人：${officerNames(f)}  ${cnDate(f.dates.filed)}`,
          ],
          [
            '承办机构负责人意见',
            `同意立案。\n${r.pick(['周', '吴', '郑'])}${r.pick(['文', '立'])}${r.pick(['军', '华'])}  ${cnDate(f.dates.filed)}`,
          ],
          ['负责人审批意见', `同意立案，由${officerNames(f)}承办。\n${boss}  ${cnDate(f.dates.filed)}`],
        ],
        minHeight: 40,
      },
    ],
  };
}

function report(f: CaseFacts): DraftDocument {
  return {
    type: 'investigation_report',
    date: f.dates.report,
    blocks: [
      { kind: 'heading', text: '案件调查终结报告', size: 22 },
      { kind: 'para', text: `案由：${f.cause}`, indent: false },
      { kind: 'para', text: `当事人：${f.party.name}`, indent: false },
      {
        kind: 'para',
        text: `一、案件来源及调查经过。${cnDate(f.dates.inspection)}，执法人员${officerNames(f)}在检查中发现当事人涉嫌${f.cause}，经批准于${cnDate(f.dates.filed)}立案调查。执法人员依法进行了现场检查，制作了现场检查笔录，对当事人进行了询问，调取了相关证据材料。`,
      },
      { kind: 'para', text: `二、违法事实。经查，${facts(f)}` },
      { kind: 'para', text: '三、证据。现场检查笔录、询问笔录、现场照片、当事人主体资格证明材料等，上述证据相互印证，足以认定案件事实。' },
      {
        kind: 'para',
        text: `四、案件性质及处理意见。当事人的行为违反了${f.legalBasis.violated}的规定，构成${f.cause}的违法行为。依据${f.legalBasis.penalty}的规定，结合当事人积极配合调查、及时整改的情节，建议对当事人作出如下行政处罚：${f.decisionText.replace(String(f.fine), String(f.noticeFine))}。`,
      },
      { kind: 'para', text: '以上意见妥否，请审核。' },
      { kind: 'signature', lines: [`承办人：${officerNames(f)}`, cnDate(f.dates.report)] },
    ],
  };
}

function legalReview(f: CaseFacts): DraftDocument {
  const d = f.dates.legalReview!;
  return {
    type: 'legal_review',
    date: d,
    blocks: [
      ...letterhead(f, '法制审核意见书', numbered(f, '审')),
      {
        kind: 'para',
        text: `${f.party.name}${f.cause}一案，承办机构于${cnDate(f.dates.report)}提交法制审核。经审核，意见如下：`,
        indent: false,
      },
      {
        kind: 'para',
        text: '一、执法主体合法，执法人员具备执法资格；二、案件事实清楚，证据确实充分；三、定性准确；四、适用法律依据正确；五、程序合法；六、拟作出的处罚决定在法定幅度内，符合本单位行政处罚裁量基准。',
      },
      { kind: 'para', text: `审核结论：同意承办机构提出的处罚建议，即${f.decisionText}。` },
      { kind: 'signature', lines: ['法制审核人员：郑丽', cnDate(d)] },
    ],
  };
}

function discussion(f: CaseFacts, r: Random): DraftDocument {
  const d = f.dates.discussion!;
  const chair = r.pick(['局长 陈志远', '局长 刘国栋', '分局长 黄建华']);
  return {
    type: 'collective_discussion',
    date: d,
    blocks: [
      { kind: 'heading', text: '重大案件集体讨论记录', size: 22 },
      { kind: 'para', text: `时间：${cnDate(d)}15时00分`, indent: false },
      { kind: 'para', text: `地点：${f.unit.sealName}三楼会议室`, indent: false },
      { kind: 'para', text: `主持人：${chair}`, indent: false },
      { kind: 'para', text: '参加人员：副局长 周文军、副局长 吴立华、法制股股长 郑丽、纪检组长 许红霞', indent: false },
      { kind: 'para', text: `列席人员：${officerNames(f)}（承办人）  记录人：郑丽`, indent: false },
      { kind: 'para', text: `讨论案件：${f.title}`, indent: false },
      { kind: 'para', text: `承办人汇报：${facts(f)}承办人建议依据${f.legalBasis.penalty}的规定，对当事人${f.decisionText}。` },
      { kind: 'para', text: '周文军：案件事实清楚，证据充分，同意承办人意见。' },
      { kind: 'para', text: '吴立华：当事人配合调查，及时整改，处罚幅度适当，同意。' },
      { kind: 'para', text: '郑丽：法制审核认为程序合法，适用依据正确，同意。' },
      { kind: 'para', text: `讨论结论：经集体讨论，一致同意对当事人${f.decisionText}。` },
      { kind: 'para', text: `参加人员签名：${chair.split(' ')[1]}、周文军、吴立华、郑丽、许红霞`, indent: false },
    ],
  };
}

function priorNotice(f: CaseFacts): DraftDocument {
  const d = f.dates.priorNotice!;
  const proposed = f.decisionText.replace(String(f.fine), String(f.noticeFine));
  return {
    type: 'prior_notice',
    date: d,
    blocks: [
      ...letterhead(f, '行政处罚事先告知书', numbered(f, '告')),
      { kind: 'para', text: `${f.party.name}：`, indent: false },
      { kind: 'para', text: `${you(f)}${f.cause}一案，经本机关调查，现已查明：${facts(f)}` },
      {
        kind: 'para',
        text: `${you(f)}的上述行为违反了${f.legalBasis.violated}的规定。依据${f.citedBasis}的规定，本机关拟对${you(f)}作出如下行政处罚：${proposed}。`,
      },
      {
        kind: 'para',
        text: `根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，${you(f)}可在收到本告知书之日起五日内向本机关进行陈述和申辩。逾期未提出的，视为放弃上述权利。`,
      },
      { kind: 'para', text: `联系人：${f.officers[0]!.name}  联系地址：${f.unit.address}`, indent: false },
      sign(f, d),
    ],
  };
}

function hearingNotice(f: CaseFacts): DraftDocument {
  const d = f.dates.hearingNotice!;
  return {
    type: 'hearing_notice',
    date: d,
    blocks: [
      ...letterhead(f, '行政处罚听证告知书', numbered(f, '听告')),
      { kind: 'para', text: `${f.party.name}：`, indent: false },
      {
        kind: 'para',
        text: `本机关拟对${you(f)}作出${f.decisionText.replace(String(f.fine), String(f.noticeFine))}的行政处罚。根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，${you(f)}有权要求听证。如要求听证，应当在收到本告知书之日起五日内向本机关提出，逾期视为放弃听证权利。`,
      },
      sign(f, d),
    ],
  };
}

function statement(f: CaseFacts, r: Random): DraftDocument {
  const d = f.dates.statement!;
  if (f.party.kind === 'person' || r.next() < 0.4)
    return {
      type: 'statement_waiver',
      date: d,
      blocks: [
        { kind: 'heading', text: '放弃陈述申辩权利书', size: 22 },
        { kind: 'para', text: `${f.unit.sealName}：`, indent: false },
        {
          kind: 'para',
          text: `本人（单位）已收到贵机关送达的《行政处罚事先告知书》（${numbered(f, '告')}），知悉拟作出行政处罚的事实、理由、依据及享有的陈述、申辩${f.hearingDue ? '、听证' : ''}权利。经考虑，本人（单位）对拟作出的行政处罚无异议，自愿放弃陈述、申辩${f.hearingDue ? '和听证' : ''}的权利。`,
        },
        { kind: 'signature', lines: [`当事人（签名）：${f.party.representative}`, cnDate(d)] },
      ],
    };
  return {
    type: 'statement_record',
    date: d,
    officers: f.officers.map((o) => o.name),
    blocks: [
      { kind: 'heading', text: '陈述申辩笔录', size: 22 },
      { kind: 'para', text: `时间：${cnDate(d)}14时30分  地点：${f.unit.sealName}执法办案室`, indent: false },
      { kind: 'para', text: `陈述申辩人：${f.party.representative}（${f.party.name}）`, indent: false },
      { kind: 'para', text: `承办人：${officerNames(f)}`, indent: false },
      {
        kind: 'para',
        text: '陈述申辩内容：我们对违法事实没有异议，但是我们是初次违法，发现问题后马上进行了整改，没有造成严重后果，请求从轻处罚。',
      },
      { kind: 'para', text: '复核意见：当事人提出的理由已在拟处罚幅度中予以考虑，不再减轻。' },
      {
        kind: 'para',
        text: `陈述申辩人签名：${f.party.representative}   记录人签名：${f.officers[f.officers.length - 1]!.name}`,
        indent: false,
      },
    ],
  };
}

function decision(f: CaseFacts): DraftDocument {
  const d = f.dates.decision;
  const notified = f.dates.priorNotice
    ? [
        {
          kind: 'para',
          text: `本机关于${cnDate(f.dates.priorNotice)}向当事人送达了《行政处罚事先告知书》${f.dates.hearingNotice ? '和《行政处罚听证告知书》' : ''}，告知当事人拟作出行政处罚的事实、理由、依据及依法享有的陈述、申辩${f.dates.hearingNotice ? '、要求听证' : ''}等权利。当事人在法定期限内提出的意见已经本机关复核。`,
        } as Block,
      ]
    : [];
  const basis = f.citedBasis === '相关法律法规' ? '依据相关法律法规的规定' : `依据${f.citedBasis}的规定`;
  return {
    type: 'decision',
    date: d,
    blocks: [
      ...letterhead(f, '行政处罚决定书', f.caseNumber),
      ...partyParas(f),
      { kind: 'para', text: `当事人${f.cause}一案，本机关于${cnDate(f.dates.filed)}立案调查。经查明：${facts(f)}` },
      { kind: 'para', text: '上述事实，有现场检查笔录、询问笔录、现场照片、当事人主体资格证明等证据证实。' },
      { kind: 'para', text: `本机关认为，当事人的上述行为违反了${f.legalBasis.violated}的规定，构成${f.cause}的违法行为。` },
      ...notified,
      { kind: 'para', text: `${basis}，本机关决定对当事人作出如下行政处罚：${f.decisionText}。` },
      {
        kind: 'para',
        text: '当事人应当自收到本决定书之日起十五日内，持本决定书到清溪县农村商业银行各营业网点缴纳罚没款。到期不缴纳罚款的，本机关可以每日按罚款数额的百分之三加处罚款。',
      },
      {
        kind: 'para',
        text: '当事人如不服本处罚决定，可以在收到本决定书之日起六十日内向清溪县人民政府申请行政复议，也可以在六个月内依法向清溪县人民法院提起行政诉讼。',
      },
      sign(f, d),
    ],
  };
}

function simpleDecision(f: CaseFacts): DraftDocument {
  const d = f.dates.decision;
  return {
    type: 'simple_decision',
    date: d,
    officers: f.officers.map((o) => o.name),
    blocks: [
      ...letterhead(f, '当场行政处罚决定书', f.caseNumber),
      ...partyParas(f),
      { kind: 'para', text: `违法事实：${facts(f)}` },
      {
        kind: 'para',
        text: `当事人的上述行为违反了${f.legalBasis.violated}的规定。执法人员当场告知了当事人拟作出行政处罚的事实、理由和依据以及依法享有的陈述、申辩权利，当事人未提出陈述、申辩。`,
      },
      { kind: 'para', text: `依据${f.citedBasis}的规定，决定给予当事人${f.decisionText}的行政处罚。` },
      ...(f.fine ? [{ kind: 'para', text: '罚款缴纳方式：当场收缴。' } as Block] : []),
      {
        kind: 'para',
        text: '当事人如不服本处罚决定，可以在收到本决定书之日起六十日内向清溪县人民政府申请行政复议，也可以在六个月内依法向清溪县人民法院提起行政诉讼。',
      },
      { kind: 'para', text: `执法人员：${officerList(f)}`, indent: false },
      { kind: 'para', text: `当事人签收：${f.party.representative}  ${cnDate(d)}`, indent: false },
      sign(f, d),
    ],
  };
}

function serviceReceipt(f: CaseFacts, what: string): DraftDocument {
  const d = f.dates.service;
  const signed = !f.defects.includes('service_receipt_unsigned');
  return {
    type: 'service_receipt',
    date: d,
    blocks: [
      { kind: 'line', text: f.unit.sealName, align: 'center', size: 16, bold: true },
      { kind: 'heading', text: '送达回证', size: 22 },
      {
        kind: 'form',
        labelWidth: 130,
        minHeight: 44,
        rows: [
          ['送达文书名称及文号', what],
          ['受送达人', f.party.name],
          ['送达地点', f.party.address],
          ['送达方式', '直接送达'],
          ['送达人', officerNames(f)],
          ['送达时间', cnDate(d)],
          ['受送达人签名或盖章', signed ? `${f.party.representative}  ${cnDate(d)}` : ''],
          ['代收人及代收理由', ''],
          ['见证人', ''],
          ['备注', ''],
        ],
      },
    ],
  };
}

function paymentVoucher(f: CaseFacts, r: Random): DraftDocument {
  const d = f.dates.payment!;
  const total = f.fine + f.confiscated;
  return {
    type: 'payment_voucher',
    date: d,
    blocks: [
      { kind: 'heading', text: '江州省非税收入一般缴款书', size: 20 },
      { kind: 'line', text: `票据号码：${r.digits(10)}  填制日期：${cnDate(d)}`, align: 'center' },
      {
        kind: 'form',
        labelWidth: 120,
        rows: [
          ['缴款人全称', f.party.name],
          ['执收单位', f.unit.sealName],
          ['项目名称', f.confiscated ? '罚没收入（罚款、没收违法所得）' : '罚没收入（罚款）'],
          ['决定书文号', f.caseNumber],
          ['金额（大写）', yuanInWords(total)],
          ['金额（小写）', `￥${total.toFixed(2)}`],
          ['收款银行', '清溪县农村商业银行城关支行'],
        ],
      },
      { kind: 'line', text: '（银行收讫章）', align: 'right' },
    ],
  };
}

function closingApproval(f: CaseFacts): DraftDocument {
  const d = f.dates.closed;
  const done = f.dates.payment
    ? `当事人已于${cnDate(f.dates.payment)}缴纳罚没款${f.fine + f.confiscated}元。`
    : f.dates.release
      ? `查封已于${cnDate(f.dates.release)}解除。`
      : '当事人已履行处罚决定。';
  return {
    type: 'closing_approval',
    date: d,
    blocks: [
      { kind: 'line', text: f.unit.sealName, align: 'center', size: 16, bold: true },
      { kind: 'heading', text: '结案审批表', size: 22 },
      {
        kind: 'form',
        minHeight: 40,
        rows: [
          ['案号', f.caseNumber],
          ['案件名称', f.title],
          ['当事人', f.party.name],
          ['处理决定', f.decisionText],
          ['执行情况', done],
          ['承办人意见', `案件已执行完毕，建议结案。\n${officerNames(f)}  ${cnDate(d)}`],
          ['负责人审批意见', `同意结案。\n${cnDate(d)}`],
        ],
      },
    ],
  };
}

function archiveNote(f: CaseFacts, pages: number, photos: number): DraftDocument {
  const d = f.dates.closed;
  return {
    type: 'archive_note',
    date: d,
    blocks: [
      { kind: 'heading', text: '卷内备考表', size: 22 },
      { kind: 'para', text: `本卷共有文件材料${pages}页，其中照片${photos}张。` },
      { kind: 'para', text: '说明：本卷材料齐全，已按规定排列、编号、装订。' },
      { kind: 'gap', height: 40 },
      {
        kind: 'signature',
        lines: [`立卷人：${f.officers[f.officers.length - 1]!.name}`, `检查人：${f.officers[0]!.name}`, `立卷时间：${cnDate(d)}`],
      },
    ],
  };
}

function licenseDocuments(f: CaseFacts, r: Random): DraftDocument[] {
  const d = f.dates;
  return [
    {
      type: 'license_application',
      date: d.inspection,
      blocks: [
        { kind: 'heading', text: '行政许可申请书', size: 22 },
        {
          kind: 'form',
          minHeight: 36,
          rows: [
            ...partyRows(f).map(([k, v]): [string, string] => [k === '当事人' ? '申请人' : k, v]),
            ['申请事项', f.cause],
            ['申请材料', '申请书、主体资格证明、场所平面图、设备清单、管理制度等'],
            ['申请人签名', `${f.party.representative}  ${cnDate(d.inspection)}`],
          ],
        },
      ],
    },
    {
      type: 'acceptance_notice',
      date: d.filed,
      blocks: [
        ...letterhead(f, '行政许可受理通知书', numbered(f, '受')),
        { kind: 'para', text: `${f.party.name}：`, indent: false },
        {
          kind: 'para',
          text: `你（单位）于${cnDate(d.inspection)}提出的${f.cause}申请，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，本机关决定予以受理。`,
        },
        sign(f, d.filed),
      ],
    },
    {
      type: 'site_verification',
      date: d.inquiries[0]!,
      officers: f.officers.map((o) => o.name),
      blocks: [
        { kind: 'heading', text: '现场核查记录', size: 22 },
        {
          kind: 'form',
          minHeight: 36,
          rows: [
            ['申请人', f.party.name],
            ['核查地点', f.story.place],
            ['核查时间', cnDate(d.inquiries[0]!)],
            ['核查人员', officerList(f)],
            ['核查情况', f.story.scene],
            ['核查结论', '符合许可条件'],
            ['申请人签名', f.party.representative],
          ],
        },
      ],
    },
    {
      type: 'license_review',
      date: d.report,
      blocks: [
        { kind: 'heading', text: '行政许可审查意见表', size: 22 },
        {
          kind: 'form',
          minHeight: 44,
          rows: [
            ['申请人', f.party.name],
            ['申请事项', f.cause],
            ['承办人意见', `材料齐全，现场核查符合条件，建议准予许可。\n${officerNames(f)}  ${cnDate(d.report)}`],
            ['审核意见', `同意。\n${cnDate(d.report)}`],
            ['审批意见', `准予许可。\n${cnDate(d.decision)}`],
          ],
        },
      ],
    },
    {
      type: 'license_decision',
      date: d.decision,
      blocks: [
        ...letterhead(f, '准予行政许可决定书', f.caseNumber),
        { kind: 'para', text: `${f.party.name}：`, indent: false },
        {
          kind: 'para',
          text: `你（单位）于${cnDate(d.inspection)}提出的${f.cause}申请，经审查，符合法定条件和标准。依据${f.citedBasis}的规定，本机关决定准予行政许可，许可证编号：JY${r.digits(14)}，有效期五年。`,
        },
        sign(f, d.decision),
      ],
    },
  ];
}

function coerciveDocuments(f: CaseFacts, r: Random): DraftDocument[] {
  const d = f.dates;
  return [
    {
      type: 'seizure_decision',
      date: d.decision,
      blocks: [
        ...letterhead(f, '查封决定书', f.caseNumber),
        ...partyParas(f),
        {
          kind: 'para',
          text: `经查，${facts(f)}你单位的行为涉嫌违反${f.legalBasis.violated}的规定。依据${f.citedBasis}的规定，本机关决定对你单位的相关设施、设备实施查封，查封期限为三十日，自${cnDate(d.decision)}起至${cnDate(d.release!)}止。查封的设施、设备详见《查封清单》。`,
        },
        {
          kind: 'para',
          text: '在查封期间，你单位不得擅自启封、转移、损毁被查封的设施、设备。如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内提起行政诉讼。',
        },
        sign(f, d.decision),
      ],
    },
    {
      type: 'seizure_list',
      date: d.decision,
      blocks: [
        { kind: 'heading', text: '查封清单', size: 22 },
        {
          kind: 'grid',
          widths: [1.4, 4, 3, 2, 4],
          header: ['序号', '名称', '规格型号', '数量', '存放地点'],
          rows: [
            ['1', '反应釜', `FY-${r.int(1000, 3000)}`, '2台', '一号车间'],
            ['2', '污水泵', `QW${r.int(50, 150)}-30`, '1台', '厂区西侧'],
          ],
        },
        { kind: 'para', text: `当事人签名：${f.party.representative}    执法人员签名：${officerNames(f)}`, indent: false },
      ],
    },
  ];
}

function releaseDecision(f: CaseFacts): DraftDocument {
  const d = f.dates.release!;
  return {
    type: 'release_decision',
    date: d,
    blocks: [
      ...letterhead(f, '解除查封决定书', numbered(f, '解')),
      { kind: 'para', text: `${f.party.name}：`, indent: false },
      {
        kind: 'para',
        text: `本机关于${cnDate(f.dates.decision)}作出查封决定（${f.caseNumber}）。经查，你单位已拆除暗管并完成整改，依据《中华人民共和国行政强制法》第二十八条的规定，本机关决定自${cnDate(d)}起解除查封。`,
      },
      sign(f, d),
    ],
  };
}

function coerciveApproval(f: CaseFacts): DraftDocument {
  return {
    type: 'coercive_approval',
    date: f.dates.filed,
    blocks: [
      { kind: 'line', text: f.unit.sealName, align: 'center', size: 16, bold: true },
      { kind: 'heading', text: '行政强制措施审批表', size: 22 },
      {
        kind: 'form',
        minHeight: 40,
        rows: [
          ...partyRows(f),
          ['案由', f.cause],
          ['拟采取措施', `查封${f.story.goods}`],
          ['理由及依据', `${facts(f)}依据${f.citedBasis}`],
          ['承办人意见', `建议实施查封。\n${officerNames(f)}  ${cnDate(f.dates.filed)}`],
          ['负责人审批意见', `同意。\n${cnDate(f.dates.filed)}`],
        ],
      },
    ],
  };
}

/**
 * The dossier's 文书 between its 卷内目录 and 卷内备考表 (those two depend on the page count and are
 * added when the dossier is bound).
 */
export function draftDocuments(f: CaseFacts, r: Random, layoutPages: (blocks: Block[]) => number): DraftDocument[] {
  const has = (code: CaseFacts['defects'][number]): boolean => f.defects.includes(code);
  const inquiryPages = r.int(2, 4);
  switch (f.caseType) {
    case 'penalty_simple':
      return [
        inspection(f, r),
        inquiry(f, r, 2, layoutPages),
        evidence(f),
        simpleDecision(f),
        ...(f.dates.payment ? [paymentVoucher(f, r)] : []),
      ];
    case 'license':
      return [
        ...licenseDocuments(f, r).slice(0, 2),
        evidence(f),
        ...licenseDocuments(f, r).slice(2),
        serviceReceipt(f, `准予行政许可决定书（${f.caseNumber}）`),
      ];
    case 'coercive_measure': {
      const [seizure, list] = coerciveDocuments(f, r);
      return [
        coerciveApproval(f),
        inspection(f, r),
        inquiry(f, r, inquiryPages, layoutPages),
        evidence(f),
        seizure!,
        list!,
        serviceReceipt(f, `查封决定书（${f.caseNumber}）`),
        releaseDecision(f),
        closingApproval(f),
      ];
    }
    default: {
      const docs: DraftDocument[] = [filingApproval(f, r), inspection(f, r)];
      const questioned = inquiry(f, r, inquiryPages, layoutPages);
      if (f.binding === 'evidence_first') docs.push(evidence(f), questioned, report(f));
      else docs.push(questioned, evidence(f), report(f));
      if (f.major && !has('legal_review_missing')) docs.push(legalReview(f));
      if (f.major) docs.push(discussion(f, r));
      if (!has('prior_notice_missing')) {
        const hearing = f.hearingDue && !has('hearing_not_offered') ? [hearingNotice(f)] : [];
        if (f.binding === 'hearing_first') docs.push(...hearing, priorNotice(f));
        else docs.push(priorNotice(f), ...hearing);
        docs.push(statement(f, r));
      }
      docs.push(decision(f), serviceReceipt(f, `行政处罚决定书（${f.caseNumber}）`));
      if (f.dates.payment) docs.push(paymentVoucher(f, r));
      docs.push(closingApproval(f));
      return docs;
    }
  }
}

export { archiveNote };
