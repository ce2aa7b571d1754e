/**
 * The built-in 行政处罚 reference standards can record the defects a review exists to find. A real
 * run scored a file with no 事先告知书 96 分 · 优秀 because the default standard's whole 审查决定 /
 * 送达执行 / 归档 stage was one placeholder nobody could deduct against. Here every such defect is
 * mapped, by item id, to an item of the default standard a new campaign gets (through the real back
 * end), and a sheet that records it is scored by the one scoring function.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Packer } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseSheetDocument, type CaseSheetRow } from '../../electron/services/scoring/case-sheet-docx.js';
import { StandardsService } from '../../electron/services/standards/standards-service.js';
import type { CaseType } from '../../shared/campaigns/case-types.js';
import { allItems, findItem, type ItemNode, type StandardDefinition } from '../../shared/standards/model.js';
import { scoreSheet, type Answer, type Answers } from '../../shared/scoring/scoring.js';
import { foreignText } from '../../shared/standards/validate.js';
import { openTestBackend, openWithCampaign, stage, type TestBackend } from '../support/backend.js';
import { convertWithLibreOffice, pdfFacts } from '../support/office.js';
import { docxParts } from '../support/docx-xml.js';
import { outputDir, tempDir } from '../support/temp.js';

let t: TestBackend;
let admin: Awaited<ReturnType<typeof openWithCampaign>>['admin'];
const defaults = new Map<CaseType, { name: string; definition: StandardDefinition }>();

beforeAll(async () => {
  const opened = await openWithCampaign();
  t = opened.t;
  admin = opened.admin;
  const campaign = await opened.admin.call('campaign:get', { campaignId: opened.campaignId });
  for (const caseType of ['penalty_general', 'penalty_simple'] as const) {
    const chosen = campaign.standards.find((s) => s.caseType === caseType);
    expect(chosen, caseType).toBeDefined();
    const { summary, definition } = await opened.admin.call('standard:get', { versionId: chosen!.standardVersionId });
    defaults.set(caseType, { name: summary.name, definition });
  }
});
afterAll(() => t.close());

const general = (): StandardDefinition => defaults.get('penalty_general')!.definition;
const simple = (): StandardDefinition => defaults.get('penalty_simple')!.definition;

/** Every item 符合 (not applicable where the item allows it and says the file does not involve it). */
const allPass = (def: StandardDefinition): Answers =>
  Object.fromEntries(allItems(def).map((i) => [i.id, { status: 'pass' } satisfies Answer]));

/** The answer that records the defect once, as a reviewer enters it: one occurrence, the widest range value. */
function deductOnce(item: ItemNode): Answer {
  if (item.rule.kind === 'veto') return { status: 'veto', comment: '见案卷' };
  if (item.rule.kind === 'perOccurrence') return { status: 'deduct', occurrences: 1, comment: '见案卷' };
  if (item.rule.kind === 'range')
    return { status: 'deduct', deduction: Math.min(item.rule.max, item.points ?? item.rule.max), comment: '见案卷' };
  return { status: 'deduct', comment: '见案卷' };
}

/** Defect → the item of the default 一般程序 standard that records it. */
const GENERAL_DEFECTS: Array<[defect: string, itemId: string, article: RegExp]> = [
  ['先调查取证后立案', 'cfyb-4.1', /第五十四条/],
  ['立案之日起超过九十日作出决定（121 日）', 'cfyb-0.10', /第六十条/],
  ['决定书未在七个工作日内送达', 'cfyb-4.7', /第六十一条.*第八十五条/],
  ['询问笔录仅一名执法人员制作', 'cfyb-1.2', /第四十二条/],
  ['无事先告知书', 'cfyb-0.6', /第四十四条/],
  ['未听取陈述申辩', 'cfyb-0.7', /第四十五条/],
  ['应告知听证权利而未告知', 'cfyb-0.8', /第六十三条.*第六十四条/],
  ['重大决定未经法制审核', 'cfyb-0.9', /第五十八条/],
  ['无法律依据或适用依据错误', 'cfyb-0.5', /第四条/],
  ['引用条款不准确、不完整', 'cfyb-3.1', /第五十九条/],
  ['卷内文件未编页码', 'cfyb-7.3', /第四十七条/],
  ['送达回证无受送达人签名', 'cfyb-6.3', /第六十一条/],
  // The veto items of a provincial standard's gate (BRIEF §3).
  ['主体不适格或越权', 'cfyb-0.1', /第十七条/],
  ['执法人员无执法证或不足两人', 'cfyb-0.2', /第四十二条/],
  ['当事人认定错误', 'cfyb-0.3', /第四十条/],
  ['事实不清、主要证据不足', 'cfyb-0.4', /第四十条/],
  ['应移送司法机关而未移送', 'cfyb-0.11', /第二十七条/],
  ['处罚畸轻畸重', 'cfyb-0.12', /第五条/],
];

describe('the default 行政处罚（一般程序） standard', () => {
  it('is the reference built from the statutes, complete, cited and in Chinese', () => {
    const def = general();
    expect(defaults.get('penalty_general')!.name).toBe('行政处罚案卷评查参考标准（一般程序）');
    expect(def.source).toMatch(/^参考标准：依据《中华人民共和国行政处罚法》/);
    expect(def.notes?.[0]).toContain('不是任何省（市）发布的正式评查标准');
    expect(def.blocks.map((b) => [b.title, b.points])).toEqual([
      ['执法主体', 10],
      ['事实证据', 20],
      ['法律适用', 15],
      ['执法程序', 30],
      ['裁量基准适用', 5],
      ['文书制作', 10],
      ['案卷管理（归档）', 10],
    ]);
    for (const item of allItems(def)) {
      expect(item.basis, item.code).toMatch(/^《中华人民共和国(行政处罚法|档案法)》第/);
      expect(item.provenance?.kind, item.code).not.toBe('placeholder');
      if (item.rule.kind !== 'veto') expect(item.points, item.code).toBeGreaterThan(0);
      for (const text of [item.text, item.ruleText, item.basis, item.note, item.category])
        expect(foreignText(text), `${item.code}: ${text}`).toBeNull();
    }
  });

  it('scores a file with every item 符合 100 · 优秀', () => {
    expect(scoreSheet(general(), allPass(general()))).toMatchObject({
      total: 100,
      grade: '优秀',
      vetoed: false,
      unanswered: [],
      unscorable: [],
    });
  });

  for (const [defect, itemId, article] of GENERAL_DEFECTS) {
    it(`records “${defect}” (${itemId}) and the score drops`, () => {
      const def = general();
      const item = findItem(def, itemId);
      expect(item, `${defect}: item ${itemId} is gone`).toBeDefined();
      expect(item!.basis).toMatch(article);
      const result = scoreSheet(def, { ...allPass(def), [itemId]: deductOnce(item!) });
      if (item!.rule.kind === 'veto') {
        expect(result).toMatchObject({ vetoed: true, total: 0, grade: '不合格' });
        expect(result.vetoes.map((v) => v.itemId)).toEqual([itemId]);
      } else {
        expect(result.total).toBeLessThan(100);
        expect(result.problems.map((p) => [p.itemId, p.deduction])).toEqual([[itemId, 100 - result.total]]);
      }
    });
  }

  it('does not let a file without 事先告知书 end 优秀, nor the real run’s other defects pass as 优秀', () => {
    const def = general();
    const noNotice = scoreSheet(def, { ...allPass(def), 'cfyb-0.6': deductOnce(findItem(def, 'cfyb-0.6')!) });
    expect(noNotice.grade).not.toBe('优秀');
    expect(noNotice).toMatchObject({ grade: '不合格', total: 0 });
    // Late service, an unsigned 送达回证, imprecise legal basis, unnumbered pages, investigation
    // before 立案 and a one-officer record, none a veto on its own: together no longer 优秀.
    const minor = ['cfyb-4.7', 'cfyb-6.3', 'cfyb-3.1', 'cfyb-7.3', 'cfyb-4.1', 'cfyb-1.2'];
    const answers: Answers = allPass(def);
    for (const id of minor) answers[id] = deductOnce(findItem(def, id)!);
    const result = scoreSheet(def, answers);
    expect(result.total).toBe(100 - 4 - 1 - 2 - 2 - 5 - 2);
    expect(result.grade).toBe('良好');
  });
});

/** Defect → the item of the default 简易程序 standard that records it. */
const SIMPLE_DEFECTS: Array<[defect: string, itemId: string, article: RegExp]> = [
  ['超出简易程序适用条件当场处罚', 'cfjy-0.3', /第五十一条/],
  ['未出示执法证件', 'cfjy-1.1', /第五十二条/],
  ['决定书未当场交付', 'cfjy-4.1', /第五十二条/],
  ['未报所属行政机关备案', 'cfjy-4.2', /第五十二条第三款/],
  ['未告知或未听取陈述申辩', 'cfjy-0.6', /第四十四条.*第四十五条/],
  ['未使用预定格式、编有号码的决定书', 'cfjy-6.1', /第五十二条/],
  ['卷内文件未编页码', 'cfjy-7.2', /第四十七条/],
  ['主体不适格或越权', 'cfjy-0.1', /第十七条/],
  ['执法人员无执法证或不足两人', 'cfjy-0.2', /第四十二条/],
  ['无法律依据或适用依据错误', 'cfjy-0.5', /第四条/],
];

describe('the default 行政处罚（简易程序） standard', () => {
  it('is the reference built from the statutes, complete and cited', () => {
    const def = simple();
    expect(defaults.get('penalty_simple')!.name).toBe('行政处罚案卷评查参考标准（简易程序）');
    expect(def.caseTypes).toEqual(['penalty_simple']);
    expect(def.blocks.reduce((s, b) => s + b.points, 0)).toBe(100);
    for (const item of allItems(def)) expect(item.basis, item.code).toMatch(/^《中华人民共和国(行政处罚法|档案法)》第/);
    expect(scoreSheet(def, allPass(def))).toMatchObject({ total: 100, grade: '优秀', unscorable: [] });
  });

  for (const [defect, itemId, article] of SIMPLE_DEFECTS) {
    it(`records “${defect}” (${itemId}) and the score drops`, () => {
      const def = simple();
      const item = findItem(def, itemId);
      expect(item, `${defect}: item ${itemId} is gone`).toBeDefined();
      expect(item!.basis).toMatch(article);
      const result = scoreSheet(def, { ...allPass(def), [itemId]: deductOnce(item!) });
      if (item!.rule.kind === 'veto') expect(result).toMatchObject({ vetoed: true, total: 0, grade: '不合格' });
      else expect(result.total).toBeLessThan(100);
    });
  }
});

describe('the printed 案卷评查表', () => {
  it('prints the 依据 of each item after its text', async () => {
    const def = general();
    const item = findItem(def, 'cfyb-4.7')!;
    const row = (i: ItemNode, deduction: string): CaseSheetRow => ({
      kind: 'item',
      depth: 1,
      code: i.code,
      text: i.text,
      basis: i.basis ?? '',
      points: String(i.points),
      scores: [deduction ? String(Number(i.points) - Number(deduction)) : String(i.points)],
      reason: deduction ? `扣${deduction}分：决定书于作出后第12个工作日送达` : '',
      evidence: '',
    });
    const doc = caseSheetDocument({
      campaignName: '2025年度行政执法案卷评查',
      issuingBody: '某某县司法局',
      unitName: '某某县市场监督管理局',
      caseNumber: '某市监罚〔2025〕3号',
      caseTitle: '某某公司销售过期食品案',
      caseTypeLabel: '行政处罚（一般程序）',
      standardName: def.name,
      standardVersion: def.version,
      columns: [{ label: '王组长', title: '王组长（已提交）', total: 96, grade: '优秀' }],
      scoreColumns: ['得分'],
      rows: [
        { kind: 'block', depth: 0, code: '四', text: '执法程序', basis: '', points: '30', scores: ['26'], reason: '', evidence: '' },
        row(item, '4'),
        row(findItem(def, 'cfyb-7.3')!, ''),
      ],
      vetoes: [],
      result: { total: 96, max: 100, grade: '优秀', label: '总分' },
      settlement: null,
      reviewerNames: ['王组长'],
      date: '2025-11-20',
      dateText: '2025年11月20日',
    });
    const dir = outputDir('penalty-standards');
    const docxPath = path.join(dir, 'case-sheet-basis.docx');
    const bytes = await Packer.toBuffer(doc);
    fs.writeFileSync(docxPath, bytes);
    // The item's cell as the DOCX holds it (the PDF's text runs the neighbouring columns into it)…
    const cells = (await docxParts(bytes)).runs.map((r) => r.text);
    // …where a form cites 《中华人民共和国行政处罚法》 by its short name.
    expect(cells.some((c) => c.endsWith('（依据：《行政处罚法》第六十一条第一款、第八十五条）'))).toBe(true);
    expect(cells.filter((c) => c.includes('（依据：《行政处罚法》'))).toHaveLength(2);
    expect(cells.some((c) => c.includes('《档案法》第十四条'))).toBe(true);
    // …and printed: LibreOffice sets both provisions.
    const text = pdfFacts(convertWithLibreOffice(docxPath, dir)).text.replace(/\s+/g, '');
    expect(text).toContain('第八十五条');
    expect(text).toContain('《档案法》第十四');
  });
});

/** The 一般程序 reference with its whole 审查决定 stage replaced by one placeholder, as the old default had it. */
function withPlaceholderStage(): StandardDefinition {
  const def = structuredClone(general());
  def.standardId = 'xzcf-old-default';
  def.name = '行政处罚案卷评查标准（审查决定部分未取得）';
  const stage = def.blocks[3]!;
  stage.children = [
    {
      kind: 'item',
      id: 'old-P*',
      code: 'P*',
      text: '审查决定、送达执行阶段（原文未取得）',
      points: 30,
      rule: { kind: 'full' },
      ruleText: '',
      provenance: { kind: 'placeholder' },
    },
  ];
  return def;
}

describe('a standard that cannot score every item', () => {
  it('is refused on import, naming the item', async () => {
    const sourceId = await stage(t.backend, admin, '旧标准.json', Buffer.from(JSON.stringify(withPlaceholderStage())));
    const refused = await admin.fail('standard:import', { sourceId });
    expect(refused).toMatchObject({
      code: 'invalid_input',
      message:
        '“旧标准.json”：编号“P*”（类别“执法程序”）：这是原文未取得部分的占位（30 分），无法据此评分。请写明评查内容、分值和扣分方式后再使用。',
    });
  });

  it('is not seeded as a built-in', () => {
    // A workstation of its own: seeding another folder of built-ins must not touch the shared library.
    const dir = tempDir('pingcha-builtins-');
    const other = openTestBackend();
    try {
      fs.writeFileSync(path.join(dir.dir, 'old.json'), JSON.stringify(withPlaceholderStage()));
      const logged: string[] = [];
      const standards = new StandardsService(other.backend.db, { info: () => undefined, error: (m) => logged.push(m) });
      expect(standards.seedBuiltins(dir.dir)).toBe(0);
      expect(other.backend.db.prepare("SELECT count(*) AS n FROM standards WHERE id = 'xzcf-old-default'").get()).toEqual({ n: 0 });
      expect(logged).toEqual([expect.stringContaining('built-in standard old.json is not usable')]);
    } finally {
      other.close();
      dir.cleanup();
    }
  });

  it('stored by an earlier version of the app, is never a default, cannot be chosen for a campaign nor copied', async () => {
    // A database seeded before such standards were refused still holds one.
    const standards = new StandardsService(t.backend.db, { info: () => undefined, error: () => undefined });
    const oldId = standards.insertVersion(withPlaceholderStage(), { actorId: null, builtin: false, basedOn: null, changeNote: '' });
    const listed = (await admin.call('standard:list', {})).find((s) => s.versionId === oldId)!;
    expect(listed.errorCount).toBe(1);
    // The library's own standards come before the built-ins, but not one that cannot be scored.
    expect(standards.defaultFor('penalty_general')?.standard_id).toBe('xzcf-cankao-yiban');
    const campaign = await admin.call('campaign:create', { name: '2026年度评查', year: 2026, issuingBody: '某某县司法局' });
    expect(campaign.standards.find((s) => s.caseType === 'penalty_general')?.standardName).toBe('行政处罚案卷评查参考标准（一般程序）');
    const chosen = await admin.fail('campaign:setStandard', { campaignId: campaign.id, caseType: 'penalty_general', versionId: oldId });
    expect(chosen).toMatchObject({
      code: 'invalid_input',
      message: '“行政处罚案卷评查标准（审查决定部分未取得）”（参考版 1）还有 1 处错误，请先在评查标准中修正。',
    });
    const copied = await admin.fail('standard:clone', { versionId: oldId, version: '2026版' });
    expect(copied.message).toMatch(
      /^“行政处罚案卷评查标准（审查决定部分未取得）”（参考版 1）不能复制：编号“P\*”（类别“执法程序”）：这是原文未取得部分的占位/,
    );
  });
});
