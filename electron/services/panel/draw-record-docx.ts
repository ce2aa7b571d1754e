/**
 * 案卷随机抽取记录: what was drawn, from which pool, with which seed, by whom — enough for anyone to
 * recompute the draw. A pure function of its view model.
 */
import type { Document, Paragraph, Table } from 'docx';
import { CASE_TYPE_LABELS } from '../../../shared/campaigns/case-types.js';
import type { Draw } from '../../../shared/panel/panel.js';
import { DRAW_METHOD_LABEL, drawRuleText } from '../../../shared/panel/draw.js';
import { chineseDateTime } from '../../../shared/core/gbt9704.js';
import { blankLine, bodyParagraph, gongwenDocument, gongwenSection, gongwenTable, headingParagraph, rightParagraph, run, titleParagraph, type CellSpec } from '../letters/index.js';

export interface DrawRecordViewModel {
  campaignName: string;
  issuingBody: string;
  draw: Draw;
  caseTypeLabels: string[];
  algorithmText: readonly string[];
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
    [label('抽取批次'), { text: `第 ${d.seq} 次${d.supersededAt ? `（已作废：${d.supersededReason ?? ''}）` : ''}` }, label('抽取时间'), { text: chineseDateTime(d.drawnAt) }],
    [label('抽取人'), { text: d.drawnBy }, label('见证人'), { text: d.witness || '—' }],
    [label('随机种子'), { text: d.seed }, label('种子来源'), { text: d.seedSource === 'witness' ? '见证人现场输入' : '系统随机生成并当场公示' }],
    [label('抽取规则'), { text: drawRuleText(d.grouping, d.perGroup), span: 3 }],
    [label('案件类型'), { text: vm.caseTypeLabels.join('、'), span: 3 }],
    [label('已评查案卷'), { text: d.excludeReviewed ? `排除以前评查活动中已评查的案卷（排除 ${reviewed} 件）` : '不排除', span: 3 }],
    [label('无案卷文件'), { text: withoutDocument ? `已登记但未导入案卷文件的 ${withoutDocument} 件不参加抽取（见“四、排除的案卷”）` : '无', span: 3 }],
    [label('案卷池'), { text: `${d.poolSize} 件，涉及 ${d.unitCount} 个被评查单位；抽中 ${d.drawnCount} 件`, span: 3 }],
    [label('案卷池摘要（SM3）'), { text: d.poolDigest, span: 3 }],
    [label('抽取方法'), { text: `${DRAW_METHOD_LABEL}，详见“三、抽取方法”`, span: 3 }],
  ];

  const perUnit: CellSpec[][] = [
    [head('被评查单位'), head('案件类型'), head('总件数'), head('抽取数'), head('抽中案卷（案号）')],
    ...d.groups.map((g): CellSpec[] => [
      { text: g.unitName },
      { text: g.caseType ? CASE_TYPE_LABELS[g.caseType] : '各类' },
      { text: String(g.poolSize), align: 'center' },
      { text: String(g.drawn.length), align: 'center' },
      { text: g.drawn.map((f) => f.caseNumber).join('\n') },
    ]),
  ];

  let n = 0;
  const list: CellSpec[][] = [
    [head('序号'), head('被评查单位'), head('案件类型'), head('案号'), head('案件名称')],
    ...d.groups.flatMap((g) =>
      g.drawn.map((f): CellSpec[] => [
        { text: String(++n), align: 'center' },
        { text: g.unitName },
        { text: CASE_TYPE_LABELS[f.caseType] },
        { text: f.caseNumber },
        { text: f.title || '—' },
      ]),
    ),
  ];

  const children: Array<Paragraph | Table> = [
    titleParagraph('案卷随机抽取记录'),
    gongwenTable([0.2, 0.32, 0.16, 0.32], info, 0),
    blankLine(),
    headingParagraph(1, '一、各单位抽取情况'),
    gongwenTable([0.25, 0.2, 0.11, 0.11, 0.33], perUnit, 1),
    blankLine(),
    headingParagraph(1, '二、抽中案卷清单'),
    gongwenTable([0.08, 0.26, 0.18, 0.26, 0.22], list, 1),
    blankLine(),
    headingParagraph(1, '三、抽取方法'),
    ...vm.algorithmText.map((t) => bodyParagraph(t)),
  ];
  if (d.excluded.length) {
    children.push(
      blankLine(),
      headingParagraph(1, '四、排除的案卷'),
      gongwenTable([0.3, 0.35, 0.35], [[head('被评查单位'), head('案号'), head('排除原因')], ...d.excluded.map((e): CellSpec[] => [{ text: e.unitName }, { text: e.caseNumber }, { text: e.reason }])], 1),
    );
  }
  children.push(
    blankLine(),
    bodyParagraph([run('抽取人（签名）：　　　　　　　　见证人（签名）：')]),
    blankLine(),
    bodyParagraph([run('监督人（签名）：')]),
    blankLine(),
    rightParagraph(chineseDateTime(d.drawnAt).split(' ')[0]!),
  );
  return gongwenDocument([gongwenSection(children)], { title: `案卷随机抽取记录 第${d.seq}次`, creator: vm.issuingBody });
}
