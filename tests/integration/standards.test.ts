/**
 * The standards library through the real back end (real SQLite in a temp folder, real files):
 * versions frozen by use, edits that become new versions, clones, retirement, imports that are all
 * or nothing, exports, and the campaign's choice of standard per case type.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandardDefinition } from '../../shared/standards/model.js';
import { standardToXlsx } from '../../electron/services/standards/standard-xlsx.js';
import { ADMIN, client, panelScorer, openTestBackend, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { tempDir } from '../support/temp.js';
import { storedForm } from '../../electron/services/standards/standards-service.js';
import { dossierPdf } from '../support/pdf-fixtures.js';
import { allBuiltins, builtin } from '../support/standards.js';

let t: TestBackend;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let reviewer: ReturnType<typeof client>;

const count = (sql: string): number => (t.backend.db.prepare(sql).get() as { n: number }).n;
const versionCount = (): number => count('SELECT count(*) AS n FROM standard_versions');
const byName = async (name: string) => (await admin.call('standard:list', {})).find((s) => s.name === name && !s.retired)!;
async function download(url: string): Promise<Buffer> {
  const res = await t.backend.handleBytes(new Request(`http://127.0.0.1${url}`));
  expect(res!.status).toBe(200);
  return Buffer.from(await res!.arrayBuffer());
}

beforeAll(async () => {
  t = openTestBackend();
  admin = await setupAdmin(t.backend);
  await admin.call('user:create', {
    username: 'li',
    displayName: '李评查',
    role: 'reviewer',
    affiliation: '某县公安局',
    password: 'Review3r!',
  });
  reviewer = client(t.backend, 'reviewer-window');
  await reviewer.call('auth:login', { username: 'li', password: 'Review3r!' });
});
afterAll(() => t.close());

describe('standards library', () => {
  it('holds every built-in standard, none with errors or warnings', async () => {
    const list = await reviewer.call('standard:list', {});
    expect(list).toHaveLength(allBuiltins().length);
    expect(
      list.every((s) => s.builtin && !s.frozen && !s.retired && s.errorCount === 0 && s.warningCount === 0 && s.version === '参考版 1'),
    ).toBe(true);
    const measure = list.find((s) => s.standardId === 'cankao-xingzheng-qiangzhi-cuoshi')!;
    expect(measure).toMatchObject({
      name: '行政强制措施案卷评查参考标准',
      mode: 'deductWithinBlocks',
      total: 100,
      itemCount: 25,
      caseTypes: ['coercive_measure'],
    });
    const got = await reviewer.call('standard:get', { versionId: measure.versionId });
    expect(got.definition).toEqual(builtin('cankao-xingzheng-qiangzhi-cuoshi'));
  });

  it('lets only organisers and leads change the library', async () => {
    const xk = await byName('行政许可案卷评分表');
    const err = await reviewer.fail('standard:clone', { versionId: xk.versionId });
    expect(err.code).toBe('forbidden');
    expect((await reviewer.fail('standard:retire', { versionId: xk.versionId, retired: true })).code).toBe('forbidden');
  });

  it('edits a draft in place, refuses stale and invalid edits, and keeps built-ins untouched', async () => {
    const xk = await byName('行政许可案卷评分表');
    // A built-in version is never changed: an edit makes a new version.
    const def: StandardDefinition = builtin('xingzheng-xuke-anjuan-pingfenbiao');
    const item1 = def.blocks[0]!.children[0]!;
    if (item1.kind === 'item') item1.text = '对符合法定条件的申请依法受理（修订）';
    const first = await admin.call('standard:update', {
      versionId: xk.versionId,
      definition: def,
      expectedSha256: xk.contentSha256,
      changeNote: '改写第1项',
    });
    expect(first).toMatchObject({
      created: true,
      unchanged: false,
      summary: { version: '参考版 1（修订1）', builtin: false, basedOnVersionId: xk.versionId, changeNote: '改写第1项' },
    });
    expect((await admin.call('standard:get', { versionId: xk.versionId })).definition).toEqual(
      builtin('xingzheng-xuke-anjuan-pingfenbiao'),
    );

    // The new version is a draft: edited in place.
    const draft = first.summary;
    const d2 = (await admin.call('standard:get', { versionId: draft.versionId })).definition;
    d2.bands = [
      { grade: '优秀', min: 90 },
      { grade: '良好', min: 80 },
      { grade: '合格', min: 70 },
      { grade: '不合格', min: 0 },
    ];
    const second = await admin.call('standard:update', {
      versionId: draft.versionId,
      definition: d2,
      expectedSha256: draft.contentSha256,
      changeNote: '',
    });
    expect(second).toMatchObject({ created: false, unchanged: false, summary: { versionId: draft.versionId } });
    expect(second.summary.contentSha256).not.toBe(draft.contentSha256);

    // Saving on top of content someone else has since changed is refused.
    const stale = await admin.fail('standard:update', { versionId: draft.versionId, definition: d2, expectedSha256: draft.contentSha256 });
    expect(stale).toMatchObject({ code: 'conflict', message: '该版本已被其他人修改，请重新打开后再编辑。' });
    // Unchanged content writes nothing.
    expect(
      await admin.call('standard:update', { versionId: draft.versionId, definition: d2, expectedSha256: second.summary.contentSha256 }),
    ).toMatchObject({ unchanged: true });

    // Invalid content: every problem named, nothing stored.
    const before = second.summary.contentSha256;
    const bad = structuredClone(d2);
    const firstItem = bad.blocks[0]!.children[0]!;
    if (firstItem.kind === 'item') firstItem.rule = { kind: 'range', min: 1, max: 9, step: 0.5 };
    bad.blocks[1]!.points = 50;
    const refused = await admin.fail('standard:update', { versionId: draft.versionId, definition: bad, expectedSha256: before });
    expect(refused.code).toBe('invalid_input');
    expect(refused.message).toBe('编号“1”（类别“受理”）：扣分区间最多扣 9 分，超过了该项分值 5 分。（共 3 处问题）');
    expect(refused.details?.issues).toEqual([
      '编号“1”（类别“受理”）：扣分区间最多扣 9 分，超过了该项分值 5 分。',
      '类别“审查与决定”：各项分值合计 46 分，少于类别分值 50 分。',
      '总分：各类别分值合计 104 分，与总分 100 分不一致。',
    ]);
    expect((await admin.call('standard:get', { versionId: draft.versionId })).summary.contentSha256).toBe(before);
    const notADefinition = await admin.fail('standard:update', {
      versionId: draft.versionId,
      definition: { format: 'x' },
      expectedSha256: before,
    });
    expect(notADefinition.message).toMatch(/^格式标记：格式标记必须是“pingcha-standard\/1”/);
    const renamedId = await admin.fail('standard:update', {
      versionId: draft.versionId,
      definition: { ...d2, standardId: 'other' },
      expectedSha256: before,
    });
    expect(renamedId.message).toContain('标准ID不能修改');
  });

  it('freezes a version on first use: later edits make a new version and old scores never change', async () => {
    const campaign = await admin.call('campaign:create', { name: '2025年度评查', year: 2025, issuingBody: '某某县司法局' });
    const draft = (await admin.call('standard:list', {})).find((s) => s.version === '参考版 1（修订1）')!;
    // The library's own version is preferred to the built-in reference for a new campaign; choosing it again changes nothing.
    expect(campaign.standards.find((s) => s.caseType === 'license')?.standardVersionId).toBe(draft.versionId);
    await admin.call('campaign:setStandard', { campaignId: campaign.id, caseType: 'license', versionId: draft.versionId });
    const sourceId = await stage(t.backend, admin, '许可案卷.pdf', await dossierPdf(2, '行政许可案卷'));
    const kase = await admin.call('dossier:importSingle', {
      campaignId: campaign.id,
      sourceId,
      caseNumber: '某许〔2025〕1号',
      unitName: '某局',
      caseType: 'license',
    });
    const scorer = await panelScorer(t.backend, admin, kase.id);
    const view = await scorer.call('sheet:start', { caseId: kase.id });
    expect(view.standard).toMatchObject({ versionId: draft.versionId, frozen: true });
    const answered = await scorer.call('sheet:answer', {
      sheetId: view.sheet.id,
      itemId: 'xk-2',
      answer: { status: 'deduct' },
      revision: view.sheet.revision,
    });
    expect(answered.summary).toMatchObject({ total: 90, grade: '优秀' }); // bands of this version: 90/80/70

    // Editing the frozen version makes a new version; the sheet keeps its rules and its score.
    const frozen = (await admin.call('standard:get', { versionId: draft.versionId })).definition;
    const edited = structuredClone(frozen);
    edited.bands[0]!.min = 95;
    const saved = await admin.call('standard:update', {
      versionId: draft.versionId,
      definition: edited,
      expectedSha256: (await admin.call('standard:get', { versionId: draft.versionId })).summary.contentSha256,
    });
    expect(saved).toMatchObject({
      created: true,
      summary: { version: '参考版 1（修订2）', frozen: false, basedOnVersionId: draft.versionId },
    });
    expect((await admin.call('standard:get', { versionId: draft.versionId })).definition).toEqual(frozen);
    const reopened = await scorer.call('sheet:open', { caseId: kase.id });
    expect(reopened.summary).toMatchObject({ total: 90, grade: '优秀' });
    expect(reopened.definition).toEqual(frozen);

    // The campaign cannot switch licence files to another version any more.
    const refused = await admin.fail('campaign:setStandard', {
      campaignId: campaign.id,
      caseType: 'license',
      versionId: saved.summary.versionId,
    });
    expect(refused).toMatchObject({
      code: 'conflict',
      message: '本活动已有 1 份行政许可案卷的评查表按当前标准评分，不能再更换该类案卷的评查标准。',
    });
    // Other case types are still free; a standard for another case type is refused.
    const library = await admin.call('standard:list', {});
    const measure = library.find((s) => s.standardId === 'cankao-xingzheng-qiangzhi-cuoshi')!;
    // The default for 强制措施 files is the built-in reference standard.
    expect(campaign.standards.find((s) => s.caseType === 'coercive_measure')?.standardVersionId).toBe(measure.versionId);
    const cleared = await admin.call('campaign:setStandard', { campaignId: campaign.id, caseType: 'coercive_measure', versionId: null });
    expect(cleared.standards.find((s) => s.caseType === 'coercive_measure')).toBeUndefined();
    const wrongType = await admin.fail('campaign:setStandard', {
      campaignId: campaign.id,
      caseType: 'inspection',
      versionId: measure.versionId,
    });
    expect(wrongType).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('不适用于行政检查案卷') });
    const set = await admin.call('campaign:setStandard', {
      campaignId: campaign.id,
      caseType: 'coercive_measure',
      versionId: measure.versionId,
    });
    expect(set.standards.find((s) => s.caseType === 'coercive_measure')).toMatchObject({ standardVersionId: measure.versionId });
    const audit = t.backend.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'campaign.standard.set'").get() as { n: number };
    expect(audit.n).toBe(2);
  });

  it('clones as a new version or as a new standard, and retires versions from use', async () => {
    const jiancha = (await admin.call('standard:list', {})).find((s) => s.standardId === 'cankao-xingzheng-jiancha')!;
    const asVersion = await admin.call('standard:clone', { versionId: jiancha.versionId, version: '2026版' });
    expect(asVersion.summary).toMatchObject({
      standardId: 'cankao-xingzheng-jiancha',
      version: '2026版',
      builtin: false,
      basedOnVersionId: jiancha.versionId,
    });
    expect((await admin.fail('standard:clone', { versionId: jiancha.versionId, version: '2026版' })).message).toBe(
      '版本“2026版”已存在，请换一个版本名称。',
    );
    const asStandard = await admin.call('standard:clone', { versionId: jiancha.versionId, name: '某市行政检查案卷评查标准' });
    expect(asStandard.summary).toMatchObject({ name: '某市行政检查案卷评查标准', version: '1', builtin: false });
    expect(asStandard.summary.standardId).not.toBe('cankao-xingzheng-jiancha');

    const retired = await admin.call('standard:retire', { versionId: asVersion.summary.versionId, retired: true });
    expect(retired.retired).toBe(true);
    const campaign = await admin.call('campaign:create', { name: '2026年度评查', year: 2026, issuingBody: '某某县司法局' });
    const refused = await admin.fail('campaign:setStandard', {
      campaignId: campaign.id,
      caseType: 'inspection',
      versionId: asVersion.summary.versionId,
    });
    expect(refused).toMatchObject({ code: 'conflict', message: '“行政检查案卷评查参考标准”（2026版）已停用，不能再用于评查活动。' });
    expect((await admin.call('standard:retire', { versionId: asVersion.summary.versionId, retired: false })).retired).toBe(false);
    const actions = (
      t.backend.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'standard.%' ORDER BY id").all() as Array<{ action: string }>
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['standard.version.create', 'standard.version.edit', 'standard.version.retire', 'standard.version.restore']),
    );
  });

  it('exports JSON and XLSX downloads that import back as a new version', async () => {
    const st = (await admin.call('standard:list', {})).find((s) => s.standardId === 'cankao-xingzheng-qiangzhi-cuoshi')!;
    const json = await reviewer.call('standard:export', { versionId: st.versionId, format: 'json' });
    expect(json.fileName).toBe('评查标准-行政强制措施案卷评查参考标准-参考版 1.json');
    const jsonBytes = await download(json.url);
    expect(JSON.parse(jsonBytes.toString('utf8'))).toEqual(builtin('cankao-xingzheng-qiangzhi-cuoshi'));
    const xlsx = await reviewer.call('standard:export', { versionId: st.versionId, format: 'xlsx' });
    const xlsxBytes = await download(xlsx.url);
    expect(xlsxBytes.subarray(0, 2).toString()).toBe('PK');

    // The same content again is recognised, not stored twice.
    const same = await admin.fail('standard:import', { sourceId: await stage(t.backend, admin, 'same.xlsx', xlsxBytes) });
    expect(same).toMatchObject({ code: 'conflict', message: expect.stringContaining('内容完全相同') });

    // Edited in Excel: a point moved between two items of 文书制作. A dry run describes it; the import stores it.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsxBytes as unknown as ArrayBuffer);
    book.getWorksheet('评查项目')!.eachRow((row) => {
      if (row.getCell(2).value === '5.1') row.getCell(4).value = 5;
      if (row.getCell(2).value === '5.2') {
        row.getCell(4).value = 5;
        row.getCell(6).value = '视情况扣0.5–5分（步长0.5）';
      }
    });
    const editedBytes = Buffer.from(await book.xlsx.writeBuffer());
    const sourceId = await stage(t.backend, admin, '强制措施（修改）.xlsx', editedBytes);
    const before = versionCount();
    const dry = await admin.call('standard:import', { sourceId, dryRun: true });
    expect(dry).toMatchObject({
      saved: null,
      preview: { target: 'newVersion', version: '参考版 1（修订1）', renamedFrom: '参考版 1', itemCount: 25 },
    });
    expect(versionCount()).toBe(before);
    const done = await admin.call('standard:import', { sourceId });
    expect(done.saved?.summary).toMatchObject({
      standardId: 'cankao-xingzheng-qiangzhi-cuoshi',
      version: '参考版 1（修订1）',
      changeNote: '导入自“强制措施（修改）.xlsx”',
    });
    expect(versionCount()).toBe(before + 1);
    const stored = (await admin.call('standard:get', { versionId: done.saved!.summary.versionId })).definition;
    const documents = stored.blocks[4]!;
    expect(documents.children.map((c) => c.kind === 'item' && [c.code, c.points, c.basis])).toEqual([
      ['5.1', 5, '《中华人民共和国行政强制法》第二十四条第二款'],
      ['5.2', 5, '《中华人民共和国行政强制法》第十八条第（八）项'],
    ]);
    // The staged upload is used once.
    expect((await admin.fail('standard:import', { sourceId })).code).toBe('not_found');
  });

  it('refuses bad files with the problem named, and stores nothing', async () => {
    const before = versionCount();
    const audits = count('SELECT count(*) AS n FROM audit_log');
    const refuse = async (name: string, bytes: Uint8Array) =>
      admin.fail('standard:import', { sourceId: await stage(t.backend, admin, name, bytes) });

    expect(await refuse('标准.docx', Buffer.from('x'))).toMatchObject({
      code: 'unsupported_file',
      message: '“标准.docx”不是评查标准文件，请选择 .json 或 .xlsx（Excel）文件。',
    });
    expect(await refuse('标准.json', Buffer.from('{"format": "x",\n "name": "a" "b"}'))).toMatchObject({
      code: 'damaged_file',
      message: '“标准.json”不是有效的 JSON 文件（第 2 行第 14 列附近有语法错误），无法导入。',
    });
    expect(await refuse('标准.xlsx', Buffer.from('PK\u0003\u0004 broken'))).toMatchObject({ code: 'damaged_file' });

    const negative = builtin('xzcf-cankao-yiban') as unknown as { blocks: Array<{ children: Array<{ points: number }> }> };
    negative.blocks[1]!.children[2]!.points = -10;
    const e1 = await refuse('处罚标准.json', Buffer.from(JSON.stringify(negative)));
    expect(e1).toMatchObject({
      code: 'invalid_input',
      message: '“处罚标准.json”：评分类别 › 类别“事实证据” › 编号“2.3” › 分值：分值不能为负数',
    });

    const dupCodes = builtin('xzcf-cankao-yiban');
    const item = dupCodes.blocks[1]!.children[1]!;
    if (item.kind === 'item') item.code = '2.1';
    const e2 = await refuse('处罚标准.json', Buffer.from(JSON.stringify({ ...dupCodes, standardId: 'brand-new' })));
    expect(e2.message).toBe('“处罚标准.json”：编号“2.1”出现了 2 次，同一标准内编号必须唯一。');

    // A workbook with three bad rows: all three named, nothing stored.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await standardToXlsx({ ...builtin('xzcf-cankao-yiban'), standardId: 'new-one' })) as unknown as ArrayBuffer);
    book.getWorksheet('评查项目')!.eachRow((row) => {
      if (row.getCell(2).value === '1.1') row.getCell(4).value = -1;
      if (row.getCell(2).value === '2.5') row.getCell(6).value = '视情况扣1–3分';
      if (row.getCell(2).value === '1.2') row.getCell(4).value = 5;
    });
    const e3 = await refuse('记分表.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    expect(e3.code).toBe('invalid_input');
    expect(e3.details?.issues).toEqual(['“评查项目”第 16 行：评分类别 › 类别“执法主体” › 编号“1.1” › 分值：分值不能为负数']);
    book.getWorksheet('评查项目')!.eachRow((row) => {
      if (row.getCell(2).value === '1.1') row.getCell(4).value = 3;
    });
    const e4 = await refuse('记分表.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    expect(e4.details?.issues).toEqual([
      '“评查项目”第 24 行：编号“2.5”（类别“事实证据”）：扣分区间最多扣 3 分，超过了该项分值 2 分。',
      '“评查项目”第 15 行：类别“执法主体”：各项分值合计 11 分，超过了类别分值 10 分。',
    ]);
    expect(e4.message).toBe(
      '“记分表.xlsx”：“评查项目”第 24 行：编号“2.5”（类别“事实证据”）：扣分区间最多扣 3 分，超过了该项分值 2 分。（共 2 处问题）',
    );

    // An item nobody can score, or English left by a conversion, is refused like any other error.
    const leftover = builtin('xzcf-cankao-yiban');
    const first = leftover.blocks[0]!.children[0]!;
    if (first.kind === 'item') Object.assign(first, { points: null, note: 'points unknown (inferred)' });
    const e5 = await refuse('残缺标准.json', Buffer.from(JSON.stringify({ ...leftover, standardId: 'leftover' })));
    expect(e5.details?.issues).toEqual([
      '编号“1.1”（类别“执法主体”）：没有分值，无法扣分。请填写该项分值。',
      '编号“1.1”的备注含有英文“unknown”，请改为中文说明。',
    ]);

    expect(versionCount()).toBe(before);
    expect(count('SELECT count(*) AS n FROM audit_log')).toBe(audits);
    expect(fs.readdirSync(path.join(t.dir, 'staging'))).toEqual([]);
  });

  it('imports a new standard from JSON, which a new campaign then prefers to the built-ins', async () => {
    const own = { ...builtin('xzcf-cankao-yiban'), standardId: 'moushi-2025', name: '某市行政处罚案卷评查标准', version: '2025版' };
    const r = await admin.call('standard:import', {
      sourceId: await stage(t.backend, admin, '某市标准.json', Buffer.from(`\uFEFF${JSON.stringify(own)}`)),
    });
    expect(r.preview).toMatchObject({ target: 'newStandard', renamedFrom: null, version: '2025版' });
    expect(r.warnings).toEqual([]);
    const campaign = await admin.call('campaign:create', { name: '2027年度评查', year: 2027, issuingBody: '某某县司法局' });
    expect(campaign.standards.find((s) => s.caseType === 'penalty_general')).toMatchObject({
      standardName: '某市行政处罚案卷评查标准',
      version: '2025版',
    });
    expect(campaign.standards.find((s) => s.caseType === 'license')?.standardName).toBe('行政许可案卷评分表');
  });
});

describe('a workstation upgraded from a release that shipped the partial reconstructions', () => {
  it('retires the built-ins no longer shipped and brings an unused built-in up to date, keeping what was scored', async () => {
    const folder = tempDir();
    try {
      // The earlier release's library: the 测绘 and 一般程序 reconstructions (placeholders, English
      // source), the 一般程序 one already used by a sheet, and the 行政许可 table with its web address.
      const before = openTestBackend(folder.dir);
      await setupAdmin(before.backend);
      const db = before.backend.db;
      const now = new Date().toISOString();
      const store = (def: StandardDefinition, frozen: boolean): string => {
        const id = `old-${def.standardId}`;
        const { json, sha256 } = storedForm(def);
        db.prepare('INSERT INTO standards (id, name, builtin, created_at) VALUES (?, ?, 1, ?)').run(def.standardId, def.name, now);
        db.prepare(
          `INSERT INTO standard_versions (id, standard_id, version, definition_json, content_sha256, builtin, frozen_at, created_at, change_note, updated_at)
           VALUES (?, ?, ?, ?, ?, 1, ?, ?, '', ?)`,
        ).run(id, def.standardId, def.version, json, sha256, frozen ? now : null, now, now);
        return id;
      };
      const cehui = store({ ...builtin('cehui-xzcf-anjuan-pingcha'), source: 'https://m.wenke99.com/d-274835.html' }, false);
      const yiban = store(builtin('yibanchengxu-xzcf-wenshu-jifenbiao'), true);
      const oldTable = {
        ...builtin('xingzheng-xuke-anjuan-pingfenbiao'),
        source: 'https://m.777doc.com/doc-6346404.html (user-uploaded copy)',
      };
      const stale = storedForm(oldTable);
      db.prepare(
        "UPDATE standard_versions SET definition_json = ?, content_sha256 = ? WHERE standard_id = 'xingzheng-xuke-anjuan-pingfenbiao'",
      ).run(stale.json, stale.sha256);
      before.close();

      const after = openTestBackend(folder.dir);
      try {
        const organiser = client(after.backend, 'upgraded');
        await organiser.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
        const library = await organiser.call('standard:list', {});
        const byId = (id: string) => library.find((s) => s.versionId === id)!;
        expect([byId(cehui).retired, byId(yiban).retired]).toEqual([true, true]);
        expect(library.filter((s) => !s.retired).every((s) => s.builtin && s.errorCount === 0 && s.warningCount === 0)).toBe(true);
        // What was scored under a withdrawn version is still there, unchanged.
        expect((await organiser.call('standard:get', { versionId: yiban })).definition).toEqual(
          builtin('yibanchengxu-xzcf-wenshu-jifenbiao'),
        );
        // The unused 行政许可 table now reads as shipped: no web address.
        const table = library.find((s) => s.standardId === 'xingzheng-xuke-anjuan-pingfenbiao')!;
        expect((await organiser.call('standard:get', { versionId: table.versionId })).definition).toEqual(
          builtin('xingzheng-xuke-anjuan-pingfenbiao'),
        );
        // A new campaign is never given a withdrawn version.
        const campaign = await organiser.call('campaign:create', { name: '2026年度评查', year: 2026, issuingBody: '某某县司法局' });
        expect(campaign.standards.map((s) => s.standardVersionId)).not.toContain(cehui);
        expect(campaign.standards.map((s) => s.standardVersionId)).not.toContain(yiban);
      } finally {
        after.close();
      }
    } finally {
      folder.cleanup();
    }
  });
});
