/**
 * A campaign with scored files, made through the real channels: import a PDF per file, assign it to
 * the panel's 评查组长, who marks the evidence, scores it and delivers the sheet. The campaign asks for two sheets per file, so each file
 * stays provisional (one delivered sheet; drafts never count) until `deliverSheets` lowers that to
 * one and the review service settles every file, or `agreeWithSheets` plugs the ResultsService's
 * final-answer source with each file's own sheet.
 */
import type { Backend } from '../../electron/services/backend.js';
import type { client } from './backend.js';
import { panelScorer, scoreLicencesWithTable, stage, submitPassingRest } from './backend.js';
import { dossierPdf } from './pdf-fixtures.js';

export interface FixtureProblem {
  itemId: string;
  comment: string;
  /** 1-based page of the dossier where the evidence mark goes. */
  page?: number;
}

export interface FixtureFile {
  caseNumber: string;
  title: string;
  unit: string;
  /** 当事人 (the 案件清单 import sets it; here it is written directly). */
  party?: string;
  problems: FixtureProblem[];
}

type Client = ReturnType<typeof client>;

export const SAMPLE_FILES: FixtureFile[] = [
  {
    caseNumber: '某市监许〔2025〕7号',
    title: '某某食品有限公司食品经营许可',
    unit: '某某县市场监督管理局',
    party: '某某食品有限公司（法定代表人：李四）',
    problems: [
      { itemId: 'xk-2', comment: '申请材料不全，未一次性告知申请人需要补正的全部内容', page: 2 },
      { itemId: 'xk-12.5', comment: '卷内材料未编页号', page: 3 },
    ],
  },
  {
    caseNumber: '某市监许〔2025〕12号',
    title: '张三个体工商户食品小作坊登记',
    unit: '某某县市场监督管理局',
    party: '张三',
    problems: [
      { itemId: 'xk-8', comment: '依法应当告知申请人享有听证权利而未告知；申请人张三联系电话13812345678未核实', page: 1 },
      { itemId: 'xk-11', comment: '送达回证无受送达人签名，送达日期无法确认', page: 3 },
      { itemId: 'xk-4', comment: '受理决定超过法定期限5日作出' },
    ],
  },
  {
    caseNumber: '某交许〔2025〕3号',
    title: '道路货物运输经营许可',
    unit: '某某县交通运输局',
    party: '王五',
    problems: [{ itemId: 'xk-12.3', comment: '卷内目录未填写文件页码', page: 1 }],
  },
  {
    caseNumber: '某自然资许〔2025〕21号',
    title: '建设用地规划许可',
    unit: '某某县自然资源局',
    party: '某某置业有限公司',
    problems: [
      { itemId: 'xk-2', comment: '补正通知未列明需补正的材料', page: 1 },
      { itemId: 'xk-5', comment: '未由一个部门统一受理并转告有关部门', page: 2 },
      { itemId: 'xk-8', comment: '未告知利害关系人陈述申辩和听证权利', page: 2 },
      { itemId: 'xk-9', comment: '收费未使用统一票据' },
      { itemId: 'xk-6', comment: '未指派两名以上工作人员进行核查', page: 3 },
    ],
  },
];

export async function scoredCampaign(
  backend: Backend,
  admin: Client,
  files: FixtureFile[] = SAMPLE_FILES,
  campaign = { name: '2025年度行政执法案卷评查', year: 2025, issuingBody: '某某县司法局' },
) {
  const { id: campaignId } = await admin.call('campaign:create', campaign);
  await scoreLicencesWithTable(admin, campaignId);
  const rules = await admin.call('review:rules', { campaignId });
  await admin.call('review:setRules', { campaignId, rules: { ...rules, requiredSheets: 2 } });
  const cases = new Map<string, string>();
  const pdf = await dossierPdf(3, '行政许可案卷');
  for (const f of files) {
    const sourceId = await stage(backend, admin, '01-行政许可决定书.pdf', pdf);
    const kase = await admin.call('dossier:importSingle', {
      campaignId,
      sourceId,
      caseNumber: f.caseNumber,
      caseTitle: f.title,
      unitName: f.unit,
      caseType: 'license',
    });
    cases.set(f.caseNumber, kase.id);
    if (f.party) backend.db.prepare('UPDATE cases SET party = ? WHERE id = ?').run(f.party, kase.id);
    const doc = kase.documents[0]!;
    // The organiser's 评查组长 scores each file, assigned it through the campaign's panel.
    const scorer = await panelScorer(backend, admin, kase.id);
    const view = await scorer.call('sheet:start', { caseId: kase.id });
    let revision = view.sheet.revision;
    for (const p of f.problems) {
      const evidence: string[] = [];
      if (p.page) {
        const annotationId = crypto.randomUUID();
        await scorer.call('annotation:save', {
          documentId: doc.id,
          upserts: [
            {
              id: annotationId,
              type: 'area',
              color: '#ff6666',
              pageIndex: p.page - 1,
              position: { rects: [[72, 700, 300, 730]] },
              comment: p.comment,
            },
          ],
          deletes: [],
        });
        evidence.push(annotationId);
      }
      const r = await scorer.call('sheet:answer', {
        sheetId: view.sheet.id,
        itemId: p.itemId,
        answer: { status: 'deduct', comment: p.comment, evidence },
        revision,
      });
      revision = r.revision;
    }
    await submitPassingRest(scorer, view.sheet.id, revision);
  }
  return { campaignId, cases };
}

/** Final results = each file's (single) sheet, through the ResultsService's final-answer seam. */
export function agreeWithSheets(backend: Backend): void {
  const db = backend.db;
  backend.services.results.setFinalAnswersSource((caseId) => {
    const sheet = db.prepare('SELECT id, standard_version_id FROM sheets WHERE case_id = ? ORDER BY created_at LIMIT 1').get(caseId) as
      { id: string; standard_version_id: string } | undefined;
    if (!sheet) return null;
    const rows = db.prepare('SELECT item_id, answer_json FROM sheet_answers WHERE sheet_id = ?').all(sheet.id) as Array<{
      item_id: string;
      answer_json: string;
    }>;
    return {
      standardVersionId: sheet.standard_version_id,
      answers: Object.fromEntries(rows.map((r) => [r.item_id, JSON.parse(r.answer_json)])),
    };
  });
}

/**
 * Final results the real way: one delivered sheet per file is enough from now on, and the
 * review service settles each single-sheet file without a veto as final.
 */
export async function deliverSheets(admin: Client, cases: Map<string, string>): Promise<void> {
  const { campaignId } = await admin.call('case:get', { caseId: [...cases.values()][0]! });
  const rules = await admin.call('review:rules', { campaignId });
  await admin.call('review:setRules', { campaignId, rules: { ...rules, requiredSheets: 1 } });
}
