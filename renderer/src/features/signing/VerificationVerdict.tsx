import { chineseDate, chineseDateTime } from '../../../../shared/core/gbt9704';
import { TRUST_STATUS_LABELS, VERIFY_STATUS_LABELS, fileRoleLabel, type VerificationReport } from '../../../../shared/signing/api';
import { shortFingerprint } from '../../../../shared/signing/fingerprint';
import { SIGNER_ROLE_LABELS } from '../../../../shared/signing/manifest';

const tone = (r: VerificationReport): 'ok' | 'bad' | 'unknown' =>
  r.status === 'valid' ? 'ok' : r.status === 'altered' || r.status === 'bad_signature' || r.status === 'revoked' ? 'bad' : 'unknown';

const SCOPE_LABELS: Record<VerificationReport['scope'], string> = {
  file: '文件逐字节核验',
  statement: '二维码核验',
  register: '核验码查询登记簿',
};

/** The outcome of a check, said plainly: valid / altered / not registered / untrusted, and why. */
export function VerificationVerdict({ report }: { report: VerificationReport }) {
  const t = tone(report);
  const d = report.document;
  return (
    <section className={`verdict ${t}`} aria-live="polite" data-testid="verdict" data-status={report.status}>
      <h2>
        <span className="mark" aria-hidden="true">
          {t === 'ok' ? '✔' : t === 'bad' ? '✘' : '？'}
        </span>
        {VERIFY_STATUS_LABELS[report.status]}
        <span className="badge">{SCOPE_LABELS[report.scope]}</span>
      </h2>
      <p className="headline">{report.headline}</p>
      {report.reasons.length > 0 && (
        <ul>
          {report.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {d && (
        <dl className="facts">
          <dt>文书</dt>
          <dd>
            {d.title}
            {d.documentNumber ? `（${d.documentNumber}）` : ''}
          </dd>
          {d.unitName && (
            <>
              <dt>主送</dt>
              <dd>{d.unitName}</dd>
            </>
          )}
          <dt>成文日期</dt>
          <dd>{d.date ? chineseDate(d.date) : chineseDateTime(d.issuedAt)}</dd>
          {d.shortCode && (
            <>
              <dt>核验码</dt>
              <dd className="fingerprint">{d.shortCode}</dd>
            </>
          )}
          <dt>登记簿</dt>
          <dd>{d.inRegister ? '本工作站登记簿中有此文书' : '不在本工作站登记簿中'}</dd>
        </dl>
      )}
      {report.file && (
        <dl className="facts">
          <dt>所核验的文件</dt>
          <dd>
            {report.file.name}（{report.file.bytes.toLocaleString('zh-CN')} 字节）
          </dd>
          <dt>SM3 摘要</dt>
          <dd className="digest">{report.file.sm3}</dd>
          {report.file.expected.map((e) => (
            <div key={e.role} style={{ display: 'contents' }}>
              <dt>签发时的{fileRoleLabel(e.role)}</dt>
              <dd className="digest">
                {e.sm3}
                {e.sm3 === report.file!.sm3 ? ' ✔ 一致' : ''}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {report.signatures.length > 0 && (
        <table className="table" aria-label="签名">
          <thead>
            <tr>
              <th>角色</th>
              <th>签名人</th>
              <th>密钥指纹</th>
              <th>签名</th>
              <th>本机信任</th>
            </tr>
          </thead>
          <tbody>
            {report.signatures.map((s) => (
              <tr key={`${s.role}-${s.fingerprint}`}>
                <td>{SIGNER_ROLE_LABELS[s.role]}</td>
                <td>
                  {s.unit}
                  {s.name}
                </td>
                <td className="fingerprint">{shortFingerprint(s.fingerprint)}</td>
                <td>{s.valid ? <span className="badge badge-ok">有效</span> : <span className="badge badge-danger">无效</span>}</td>
                <td>
                  {s.trust ? TRUST_STATUS_LABELS[s.trust] : '不在信任列表'}
                  {s.problem && <div className="small">{s.problem}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
