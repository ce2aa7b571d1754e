/**
 * Every action the workstation writes to the 留痕 today has a sentence and a Chinese name for the
 * filter: found by reading the services' source, so a new action without words fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActionKnown, describeAudit } from '../../../shared/audit/describe.js';
import { AUDIT_ACTION_LABELS } from '../../../shared/audit/labels.js';

const servicesDir = path.resolve(import.meta.dirname, '../../../electron/services');
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

/** Action names in the lines that write or pass an audit action. */
function writtenActions(): Set<string> {
  const found = new Set<string>();
  for (const file of files(servicesDir)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!/action[:\s=]|this\.change\(|, '[a-z]+\.[a-z_]+',/.test(line) || /SELECT|audit_log/.test(line)) continue;
      for (const m of line.matchAll(/'([a-z][a-zA-Z]*(?:\.[a-zA-Z_]+)+)'/g))
        if (!/\.(json|pdf|docx|xlsx|zip|png)$/.test(m[1]!) && !/^[a-z]\./.test(m[1]!)) found.add(m[1]!);
    }
  }
  // (Column names with a table alias, 'c.id', are SQL, not actions.)
  // Written with a variable part: package kinds, ledger statuses, failed password checks.
  for (const kind of ['out', 'return', 'transfer', 'report', 'reviewer']) found.add(`package.export_${kind}`).add(`package.import_${kind}`);
  for (const status of ['pending', 'in_progress', 'awaiting_check', 'closed']) found.add(`ledger.status.${status}`);
  for (const kind of ['cosign', 'key', 'change_password']) found.add(`user.${kind}_failed`);
  return found;
}

describe('words for every 留痕 action', () => {
  const actions = writtenActions();

  it('finds the actions the services write', () => {
    expect(actions.size).toBeGreaterThan(80);
    expect(actions).toContain('sheet.submit');
    expect(actions).toContain('user.update');
  });

  it('has a sentence and a filter label for each', () => {
    const noSentence = [...actions].filter((a) => !auditActionKnown(a));
    const noLabel = [...actions].filter((a) => !AUDIT_ACTION_LABELS[a]);
    expect(noSentence).toEqual([]);
    expect(noLabel).toEqual([]);
  });

  it('gives every action of the 全部操作 filter a name of its own', () => {
    const byLabel = new Map<string, string[]>();
    for (const [action, label] of Object.entries(AUDIT_ACTION_LABELS)) byLabel.set(label, [...(byLabel.get(label) ?? []), action]);
    expect([...byLabel].filter(([, a]) => a.length > 1)).toEqual([]);
  });

  it('tells a failed sign-in with the account as the subject, not "系统"', () => {
    const said = describeAudit(
      {
        action: 'user.login_failed',
        entity: 'user',
        entityId: 'u1',
        actorId: null,
        actorName: null,
        before: null,
        after: JSON.stringify({ source: 'web:U_BUtXZwbNVZsqdESxLF-Q', kind: 'login', lockouts: 0 }),
      },
      { u1: '李评查' },
    );
    expect(said.sentence).toBe('李评查登录时密码错误');
    // Where it came from in words; a lock count of zero says nothing.
    expect(said.details).toEqual(['来源：浏览器会话', '类别：登录']);
    const window = describeAudit(
      {
        action: 'user.locked',
        entity: 'user',
        entityId: 'u1',
        actorId: null,
        actorName: null,
        before: null,
        after: JSON.stringify({ source: 'wc:3', kind: 'login', lockouts: 2 }),
      },
      { u1: '李评查' },
    );
    expect(window.details).toEqual(['来源：本机程序', '类别：登录', '锁定次数：2']);
  });
});

const IDS = {
  c1: 'c0000000-0000-4000-8000-000000000001',
  c2: 'c0000000-0000-4000-8000-000000000002',
  c3: 'c0000000-0000-4000-8000-000000000003',
};
const NAMES = {
  [IDS.c1]: '清交罚〔2025〕26号',
  [IDS.c2]: '清交简罚〔2025〕19号',
  [IDS.c3]: '清农罚〔2025〕23号',
  r1: '李组长',
  r2: '张评查',
  r3: '陈评查',
  k: '王组织',
};
const row = (action: string, before: unknown, after: unknown) => ({
  action,
  entity: 'campaign',
  entityId: 'camp',
  actorId: 'k',
  actorName: '王组织',
  before: before === undefined ? null : JSON.stringify(before),
  after: JSON.stringify(after),
});

describe('details a reader can follow', () => {
  it('tells an assignment file by file, people after their file, and no batch id or 原无', () => {
    const said = describeAudit(
      row('assignment.apply', [], {
        runId: 'f9371b02-1111-4222-8333-444455556666',
        seed: '7206-3950-4753',
        perFile: 2,
        requireLegal: false,
        digest: 'ab'.repeat(32),
        assignments: [
          [IDS.c1, ['r1', 'r2']],
          [IDS.c2, ['r1', 'r3']],
          [IDS.c3, ['r2', 'r3']],
        ],
      }),
      NAMES,
    );
    expect(said.details).toEqual([
      '随机种子：7206-3950-4753',
      '每件案卷评查人数：2',
      '须有法律专业人员：否',
      '分配结果：清交罚〔2025〕26号：李组长、张评查；清交简罚〔2025〕19号：李组长、陈评查；清农罚〔2025〕23号：张评查、陈评查',
    ]);
    const again = describeAudit(
      row(
        'assignment.apply',
        [
          { case_id: IDS.c1, reviewer_id: 'r1' },
          { case_id: IDS.c1, reviewer_id: 'r3' },
        ],
        { seed: '1', perFile: 2, requireLegal: true, assignments: [[IDS.c1, ['r1', 'r2']]] },
      ),
      NAMES,
    );
    expect(again.details).toContain('原分配：清交罚〔2025〕26号：李组长、陈评查');
  });

  it('says a new panel without a first 原无 line', () => {
    const said = describeAudit(row('panel.members', [], ['r2', 'r1', 'r3']), NAMES);
    expect(said.details).toEqual(['张评查、李组长、陈评查']);
  });

  it('shows a draw in full: seed, rule, pool, every drawn 案号, and no draw id', () => {
    const said = describeAudit(
      row('draw.run', undefined, {
        drawId: 'eb565359-1111-4222-8333-444455556666',
        seq: 1,
        seed: '2025-1207-88',
        seedSource: 'witness',
        witness: '赵见证',
        perGroup: 1,
        grouping: 'unitType',
        caseTypes: ['penalty'],
        excludeReviewed: true,
        poolSize: 24,
        poolDigest: 'cd'.repeat(32),
        drawn: [IDS.c1, IDS.c2, IDS.c3, IDS.c1, IDS.c2, IDS.c3, IDS.c1],
        excluded: [{ caseId: IDS.c3, kind: 'reviewed' }],
      }),
      NAMES,
    );
    expect(said.sentence).toBe('王组织 进行了第 1 次随机抽取');
    expect(said.details[0]).toBe('随机种子：2025-1207-88（见证人提供，见证人 赵见证）');
    expect(said.details).toContain('抽取规则：每个被评查单位每类案件随机抽取 1 件，不足 1 件的全部抽取');
    expect(said.details).toContain('候选案卷数：24');
    expect(said.details).toContain(
      '抽中：7 件：清交罚〔2025〕26号、清交简罚〔2025〕19号、清农罚〔2025〕23号、清交罚〔2025〕26号、清交简罚〔2025〕19号、清农罚〔2025〕23号、清交罚〔2025〕26号',
    );
    expect(said.details).toContain('未列入候选：1 件：清农罚〔2025〕23号（已评查过）');
    expect(said.details.join('\n')).not.toMatch(/编号|eb565359|另有/);
  });

  it('names what an export was in Chinese', () => {
    const drawRecord = describeAudit(
      {
        ...row('export.create', undefined, { kind: 'drawRecord', fileName: '抽取记录-第1次.docx', sha256: 'ef'.repeat(32) }),
        entity: 'export',
      },
      NAMES,
    );
    expect(drawRecord.details[0]).toBe('类别：抽取记录');
    const trail = describeAudit(
      { ...row('export.create', undefined, { kind: 'audit', fileName: '留痕.xlsx', sha256: 'ef'.repeat(32) }), entity: 'export' },
      NAMES,
    );
    expect(trail.details[0]).toBe('类别：留痕');
  });

  it('gives an imported file its place in the submission, not a key or batch id', () => {
    const said = describeAudit(
      {
        ...row('document.import', undefined, {
          title: '立案审批表',
          sourcePath: '报送材料/清交罚26/立案审批表.pdf',
          batchId: 'aa000000-0000-4000-8000-000000000009',
        }),
        entity: 'document',
      },
      NAMES,
    );
    expect(said.details).toEqual(['标题：立案审批表', '原文件：报送材料/清交罚26/立案审批表.pdf']);
  });
});

describe('how a file was settled', () => {
  const settle = (after: Record<string, unknown>) =>
    describeAudit(
      { ...row('review.settle', undefined, { total: 96, grade: '优秀', vetoed: false, note: '', ...after }), entity: 'case' },
      NAMES,
    ).details;

  it('names the route a person settled it by', () => {
    expect(settle({ source: 'panel', route: 'confirm' })).toContain('来源：组长确认');
    expect(settle({ source: 'panel', route: 'recheck' })).toContain('来源：复核');
    expect(settle({ source: 'panel', route: 'panel' })).toContain('来源：集体评议');
  });

  it('never calls a settling without a recorded route 集体评议', () => {
    const said = settle({ source: 'panel' });
    expect(said).toContain('来源：评查组定分');
    expect(said.join('\n')).not.toContain('集体评议');
    expect(
      describeAudit({ ...row('review.settle_auto', undefined, { source: 'auto', total: 100, grade: '优秀' }), entity: 'case' }, NAMES)
        .details,
    ).toContain('来源：各评查表一致，自动定分');
  });
});
