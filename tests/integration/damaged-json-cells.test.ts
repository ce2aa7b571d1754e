/**
 * JSON kept in the database by the standards library, the bulk import and the letter templates is
 * read back through its schema: a cell damaged on disk (a faulty copy, a hand edit) gives
 * corrupt_data in Chinese naming the record — the standard and its version, the unit whose remembered
 * list columns are damaged, the letter template — instead of a crash or a refusal that blames the
 * person's input.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, client, openTestBackend, setupAdmin, stage, type TestBackend } from '../support/backend.js';
import { tempDir } from '../support/temp.js';

const data = tempDir('pingcha-damaged-json-');
let t: TestBackend;
let admin: ReturnType<typeof client>;
let standard: { versionId: string; name: string; version: string };

beforeAll(async () => {
  t = openTestBackend(data.dir);
  admin = await setupAdmin(t.backend, 'admin');
  const first = (await admin.call('standard:list', {}))[0]!;
  standard = { versionId: first.versionId, name: first.name, version: first.version };
  t.backend.close();
  // Damage as a faulty copy leaves it: a definition cut short, a remembered mapping of the wrong shape.
  const raw = new Database(path.join(data.dir, 'pingcha.db'));
  raw.prepare('UPDATE standard_versions SET definition_json = substr(definition_json, 1, 40) WHERE id = ?').run(standard.versionId);
  raw
    .prepare("INSERT INTO list_mappings (unit_key, unit_name, mapping_json, updated_at) VALUES (?, ?, ?, '2025-01-01T00:00:00.000Z')")
    .run('某某县交通运输局', '某某县交通运输局', '{"caseNumber":7}');
  // A 监督意见书 template whose title became a number; a 整改通知书 template saved by an older version
  // (fewer fields, one since retired), which must still read with today's defaults filling the gaps.
  const template = raw.prepare("INSERT INTO letter_templates (kind, settings_json, updated_at) VALUES (?, ?, '2025-01-01T00:00:00.000Z')");
  template.run('opinion', '{"title":7}');
  template.run('notice', '{"title":"关于整改执法案卷问题的通知","retiredField":true}');
  raw.close();
  t = openTestBackend(data.dir);
  admin = client(t.backend, 'admin');
  await admin.call('auth:login', { username: ADMIN.username, password: ADMIN.password });
}, 60_000);

afterAll(() => {
  t.backend.close();
  data.cleanup();
});

describe('a damaged JSON cell of the standards library or the import', () => {
  it('names the standard and its version when its definition is damaged', async () => {
    const err = await admin.fail('standard:get', { versionId: standard.versionId });
    expect(err.code).toBe('corrupt_data');
    expect(err.message).toContain(`评查标准“${standard.name}”（${standard.version}）`);
    expect(err.message).toContain('不是有效的 JSON');
  });

  it('names the unit whose remembered list columns are damaged, and reads nothing half', async () => {
    const csv = [
      '序号,案号,案件名称,当事人,案件类型,被评查单位',
      '1,某交罚〔2025〕8号,某某物流公司超限运输案,某某物流公司,行政处罚,某某县交通运输局',
    ].join('\r\n');
    const listId = await stage(t.backend, admin, '交通局案件清单.csv', new TextEncoder().encode(`\ufeff${csv}`));
    const err = await admin.fail('import:readList', { sourceId: listId });
    expect(err.code).toBe('corrupt_data');
    expect(err.message).toContain('单位“某某县交通运输局”保存的清单列对应关系');
    expect(err.message).toContain('字段 caseNumber 不符合要求');
  });

  it('names the letter template whose saved settings are damaged', async () => {
    const err = await admin.fail('letter:template', { kind: 'opinion' });
    expect(err.code).toBe('corrupt_data');
    expect(err.message).toContain('行政执法监督意见书的文书模板');
    expect(err.message).toContain('字段 title 不符合要求');
  });

  it('reads a template saved by an older version, with the defaults for the fields it lacks', async () => {
    const { template } = await admin.call('letter:template', { kind: 'notice' });
    expect(template.title).toBe('关于整改执法案卷问题的通知');
    expect(template.deadlineDays).toBe(30);
    expect(template).not.toHaveProperty('retiredField');
  });
});
