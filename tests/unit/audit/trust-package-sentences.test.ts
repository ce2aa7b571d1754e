/**
 * The 留痕 sentences about keys, signatures and packages read as Chinese a person can follow: the
 * trusted key is the person's 签名公钥 (not “王组织的信任的公钥”), a fingerprint is shown as the
 * fingerprint (never as its holder's name), and a row copied from another workstation's package names
 * that workstation's person instead of calling them a deleted account here.
 */
import { describe, expect, it } from 'vitest';
import { describeAudit, type AuditFacts } from '../../../shared/audit/describe.js';

const FP = '9e850c098a96d3b2f1e0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcd';
const WANG = '4123f043-1111-4222-8333-944455556666';
const names = { [WANG]: '王组织', [FP]: '王组织' };
const row = (facts: Partial<AuditFacts>): AuditFacts => ({
  action: 'x',
  entity: 'x',
  entityId: null,
  actorId: WANG,
  actorName: '王组织',
  before: null,
  after: null,
  ...facts,
});

describe('trust, signature and package sentences', () => {
  it('says whose key was added to the trust list, once', () => {
    const said = describeAudit(row({ action: 'trust.addLocal', entity: 'trustedKey', entityId: FP }), names);
    expect(said.sentence).toBe('王组织 将本机王组织的签名公钥加入了信任列表');
    expect(describeAudit(row({ action: 'trust.accept', entity: 'trustedKey', entityId: FP }), names).sentence).toBe(
      '王组织 确认信任王组织的签名公钥',
    );
  });

  it('shows the signer’s fingerprint as a fingerprint, not as a name', () => {
    const said = describeAudit(
      row({
        action: 'package.import_campaign',
        entity: 'package',
        after: JSON.stringify({ author: '王组织', signer: { name: '王组织', fingerprint: FP, confirmedHere: true } }),
      }),
      names,
    );
    expect(said.sentence).toBe('王组织 导入了评查活动整体包');
    const signer = said.details.find((d) => d.startsWith('签名人'))!;
    expect(signer).toContain('密钥指纹 9e850c098a96…');
    expect(signer).not.toMatch(/密钥指纹 王组织/);
  });

  it('names the other workstation’s person on a row its package brought here', () => {
    const segment = 'ab12cd34-0000-4000-8000-000000000001';
    const copied = row({ action: 'package.export_campaign', entity: 'package', actorName: null, segment });
    expect(describeAudit(copied, names).sentence).toBe('来自其他工作站（编号 ab12cd34）的 王组织 导出了评查活动整体包');
    // Not known by name: still said to be that workstation's account, not a deleted one here.
    expect(describeAudit(copied, {}).sentence).toBe('来自其他工作站（编号 ab12cd34）的 账号（编号 4123f043） 导出了评查活动整体包');
    expect(describeAudit(row({ actorName: null, action: 'case.update', entity: 'case' }), {}).sentence).toMatch(/^已删除的账号/);
  });
});
