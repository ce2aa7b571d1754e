/**
 * 案卷随机抽取记录: what was drawn, from which pool, with which seed, by whom — enough for anyone to
 * recompute the draw. A pure function of its view model.
 */
import type { Document, Paragraph, Table } from 'docx';
import { CASE_TYPE_LABELS, CASE_TYPE_SHORT, type CaseType } from '../../../shared/campaigns/case-types.js';
import type { Draw } from '../../../shared/panel/panel.js';
import { DRAW_METHOD_LABEL, drawRuleText } from '../../../shared/panel/draw.js';
import { chineseDateTime } from '../../../shared/core/gbt9704.js';
import { loadGongwenDocx, type CellSpec } from '../letters/index.js';

// This module is itself loaded only when a draw record is exported, so docx is loaded then too.
const { blankLine, bodyParagraph, gongwenDocument, gongwenSection, gongwenTable, headingParagraph, rightParagraph, run, titleParagraph } =
  await loadGongwenDocx();

export interface DrawRecordViewModel {
  campaignName: string;
  issuingBody: string;
  draw: Draw;
  caseTypeLabels: string[];
  algorithmText: readonly string[];
  /** The canonical pool the draw ran on, as stored with it: every file that took part. */
  pool: ReadonlyArray<{ caseId: string; unitName: string; caseType: CaseType; caseNumber: string; title: string }>;
}

/** 序号 | 案号 | 案件类型 | 案件名称 | 抽取结果: at 小四 a 156 mm line holds about 36 characters; 案号 gets 12 of them. */
const POOL_WIDTHS = [0.08, 0.35, 0.16, 0.24, 0.17];

const POOL_NOTE =
  '下表按抽取算法的固定顺序逐组列出案卷池的全部案卷，“序号”即该案卷在组内的位置（洗牌从此顺序开始）；“抽中”后括号内的数字为抽出的先后。未导入案卷文件或已在以前评查活动中评查的案卷不参加抽取，列在其单位之后并注明原因。';

/**
 * The whole pool on paper, group by group in canonical order, so the draw can be recomputed from the
 * record alone; files left out are named under their unit with the reason.
 */
function poolRows(vm: DrawRecordViewModel): CellSpec[][] {
  const d = vm.draw;
  const byGroup = new Map<string, DrawRecordViewModel['pool'][number][]>();
  const key = (unitName: string, caseType: CaseType | null) => `${unitName}\n${caseType ?? ''}`;
  for (const f of vm.pool) {
    const k = key(f.unitName, d.grouping === 'unit' ? null : f.caseType);
    byGroup.set(k, [...(byGroup.get(k) ?? []), f]);
  }
  const rows: CellSpec[][] = [[head('序号'), head('案号'), head('案件类型'), head('案件名称'), head('抽取结果')]];
  const units = [...new Set([...d.groups.map((g) => g.unitName), ...d.excluded.map((e) => e.unitName)])];
  for (const unit of units) {
    for (const g of d.groups.filter((x) => x.unitName === unit)) {
      const order = new Map(g.drawn.map((f, i) => [f.caseId, i + 1]));
      rows.push([
        {
          text: `${unit} · ${g.caseType ? CASE_TYPE_LABELS[g.caseType] : '各类案件'}：${g.poolSize} 件，抽取 ${g.drawn.length} 件`,
          bold: true,
          span: 5,
        },
      ]);
      (byGroup.get(key(unit, g.caseType)) ?? []).forEach((f, i) => {
        const k = order.get(f.caseId);
        rows.push([
          { text: String(i + 1), align: 'center' },
          { text: f.caseNumber },
          { text: CASE_TYPE_SHORT[f.caseType] },
          { text: f.title || '—' },
          { text: k ? `抽中（${k}）` : '未抽中', align: 'center', bold: Boolean(k) },
        ]);
      });
    }
    const out = d.excluded.filter((e) => e.unitName === unit);
    if (out.length) {
      rows.push([{ text: `${unit} · 不参加抽取：${out.length} 件`, bold: true, span: 5 }]);
      for (const e of out)
        rows.push([{ text: '—', align: 'center' }, { text: e.caseNumber }, { text: '—' }, { text: `不参加抽取：${e.reason}`, span: 2 }]);
    }
  }
  return rows;
}

const label = (text: string): CellSpec => ({ text, bold: true, shade: true });
const head = (text: string): CellSpec => ({ text, bold: true, shade: true, align: 'center' });

export function drawRecordDocument(vm: DrawRecordViewModel): Document {
  const d = vm.draw;
  const reviewed = d.excluded.filter((e) => e.kind === 'reviewed').length;
  const withoutDocument = d.excluded.filter((e) => e.kind === 'noDocument').length;
  const info: CellSpec[][] = [
    [label('评查活动'), { text: vm.campaignName, span: 3 }],
    [label('评查机关'), { text: vm.issuingBody, span: 3 }],
    [
      label('抽取批次'),
      { text: `第 ${d.seq} 次${d.supersededAt ? `（已作废：${d.supersededReason ?? ''}）` : ''}` },
      label('抽取时间'),
      { text: chineseDateTime(d.drawnAt) },
    ],
    [label('抽取人'), { text: d.drawnBy }, label('见证人'), { text: d.witness || '—' }],
    [
      label('随机种子'),
      { text: d.seed },
      label('种子来源'),
      { text: d.seedSource === 'witness' ? '见证人现场输入' : '系统随机生成并当场公示' },
    ],
    [label('抽取规则'), { text: drawRuleText(d.grouping, d.perGroup), span: 3 }],
    [label('案件类型'), { text: vm.caseTypeLabels.join('、'), span: 3 }],
    [label('已评查案卷'), { text: d.excludeReviewed ? `排除以前评查活动中已评查的案卷（排除 ${reviewed} 件）` : '不排除', span: 3 }],
    [
      label('无案卷文件'),
      { text: withoutDocument ? `已登记但未导入案卷文件的 ${withoutDocument} 件不参加抽取（见“二、案卷池及抽取结果”）` : '无', span: 3 },
    ],
    [label('案卷池'), { text: `${d.poolSize} 件，涉及 ${d.unitCount} 个被评查单位；抽中 ${d.drawnCount} 件`, span: 3 }],
    [label('案卷池摘要（SM3）'), { text: d.poolDigest, span: 3 }],
    [label('抽取方法'), { text: `${DRAW_METHOD_LABEL}，详见“三、抽取方法”`, span: 3 }],
  ];

  const perUnit: CellSpec[][] = [
    [head('被评查单位'), head('案件类型'), head('总件数'), head('抽取数'), head('抽中案卷（案号）')],
    ...d.groups.map((g): CellSpec[] => [
      { text: g.unitName },
      { text: g.caseType ? CASE_TYPE_SHORT[g.caseType] : '各类' },
      { text: String(g.poolSize), align: 'center' },
      { text: String(g.drawn.length), align: 'center' },
      { text: g.drawn.map((f) => f.caseNumber).join('\n') },
    ]),
  ];

  const children: Array<Paragraph | Table> = [
    titleParagraph('案卷随机抽取记录'),
    gongwenTable([0.19, 0.33, 0.15, 0.33], info, 0),
    blankLine(),
    headingParagraph(1, '一、各单位抽取情况'),
    gongwenTable([0.26, 0.16, 0.105, 0.105, 0.37], perUnit, 1),
    blankLine(),
    headingParagraph(1, '二、案卷池及抽取结果'),
    bodyParagraph(POOL_NOTE, { keepNext: true }),
    gongwenTable(POOL_WIDTHS, poolRows(vm), 1),
    blankLine(),
    headingParagraph(1, '三、抽取方法'),
    // The last sentence (anyone can recompute) goes over the page with the signatures it introduces.
    ...vm.algorithmText.map((t, i) => bodyParagraph(t, i === vm.algorithmText.length - 1 ? { keepNext: true, keepLines: true } : {})),
    // The signatures are one block: a page break inside it would leave a signature without the record it signs.
    blankLine({ keepNext: true, keepLines: true }),
    bodyParagraph([run('抽取人（签名）：　　　　　　　　见证人（签名）：')], { keepNext: true, keepLines: true }),
    blankLine({ keepNext: true, keepLines: true }),
    bodyParagraph([run('监督人（签名）：')], { keepNext: true, keepLines: true }),
    blankLine({ keepNext: true, keepLines: true }),
    rightParagraph(chineseDateTime(d.drawnAt).split(' ')[0]!, undefined, { keepLines: true }),
  ];
  return gongwenDocument([gongwenSection(children)], { title: `案卷随机抽取记录 第${d.seq}次`, creator: vm.issuingBody });
}
