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
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

/** Action names in the lines that write or pass an audit action. */
function writtenActions(): Set<string> {
  const found = new Set<string>();
  for (const file of files(servicesDir)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!/action[:\s=]|this\.change\(|, '[a-z]+\.[a-z_]+',/.test(line) || /SELECT|audit_log/.test(line)) continue;
      for (const m of line.matchAll(/'([a-z][a-zA-Z]*(?:\.[a-zA-Z_]+)+)'/g)) if (!/\.(json|pdf|docx|xlsx|zip|png)$/.test(m[1]!)) found.add(m[1]!);
    }
  }
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

  it('tells a failed sign-in with the account as the subject, not "系统"', () => {
    const said = describeAudit({ action: 'user.login_failed', entity: 'user', entityId: 'u1', actorId: null, actorName: null, before: null, after: JSON.stringify({ kind: 'login', lockouts: 0 }) }, { u1: '李评查' });
    expect(said.sentence).toBe('李评查登录时密码错误');
    expect(said.details).toEqual(['类别：登录', '锁定次数：0']);
  });
});
