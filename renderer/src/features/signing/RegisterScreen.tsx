import { chineseDate, chineseDateTime } from '../../../../shared/core/gbt9704';
import { LETTER_KIND_LABELS } from '../../../../shared/letters/document';
import { SIGNER_ROLE_LABELS } from '../../../../shared/signing/manifest';
import { useQuery } from '../../api/hooks';
import { useUser } from '../../app/session';
import { IssuedFiles } from './IssuedFiles';
import './signing.css';

/** 签发登记簿: every issued document, its frozen files and signing manifest. */
export function RegisterScreen() {
  const user = useUser();
  const list = useQuery('register:list', {});
  const canDownload = user.role !== 'reviewer';
  // Numbers letters already hold before signing: shown apart, so nobody gives the same 文号 twice.
  const reserved = useQuery('register:reserved', user.role === 'reviewer' ? null : {}, {
    refreshOn: (c) => c.entity === 'letter',
  });

  return (
    <div className="page signing">
      <div className="page-head">
        <div className="grow">
          <h1>签发登记簿</h1>
          <p>
            已签发的文书及其冻结的文件。文书签发后不能修改；更正须签发新文书，原文书保留并注明已被取代。“交付签章”为认证电子签章系统准备 PDF
            及盖章位置。
          </p>
        </div>
      </div>
      {list.error && <div className="notice notice-error">{list.error}</div>}
      {reserved.error && <div className="notice notice-error">{reserved.error}</div>}
      {reserved.data && reserved.data.length > 0 && (
        <section className="panel section reserved-numbers" aria-label="已编号，待签发">
          <div>
            <h2>已编号，待签发</h2>
            <p className="muted">这些文号已分配给尚未签发的文书，不能再用于其他文书；签发后移入下方的已签发文书。</p>
          </div>
          <table className="table">
            <thead>
              <tr>
                <th>文号</th>
                <th>文书</th>
                <th>主送</th>
                <th>评查活动</th>
                <th>成文日期</th>
                <th>状态</th>
              </tr>
            </thead>
            <tbody>
              {reserved.data.map((r) => (
                <tr key={r.letterId}>
                  <td>{r.documentNumber}</td>
                  <td>{LETTER_KIND_LABELS[r.kind]}</td>
                  <td>{r.unitName ?? '—'}</td>
                  <td>{r.campaignName}</td>
                  <td>{r.date ? chineseDate(r.date) : '未定稿'}</td>
                  <td>
                    <span className="badge badge-warn">已编号，待签发</span>
                    <div className="muted">{r.status === 'checked' ? '已核对定稿' : '草稿'}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section className="panel" aria-label="签发登记簿">
        {reserved.data && reserved.data.length > 0 && <h2 className="register-issued-head">已签发</h2>}
        {list.data && list.data.length === 0 ? (
          <div className="empty">
            <h3>还没有签发的文书</h3>
          </div>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>文号</th>
                <th>标题</th>
                <th>主送</th>
                <th>签发时间</th>
                <th>签名人</th>
                <th>核验码</th>
                {canDownload && <th>文件</th>}
              </tr>
            </thead>
            <tbody>
              {list.data?.map((e) => (
                <tr key={e.id}>
                  <td>{e.documentNumber ?? '—'}</td>
                  <td>
                    {e.title}
                    {e.supersededBy && (
                      <div>
                        <span className="badge badge-warn">已被更正文书取代</span>
                      </div>
                    )}
                    {e.supersedes && (
                      <div>
                        <span className="badge badge-primary">更正文书</span>
                      </div>
                    )}
                  </td>
                  <td>{e.unitName ?? '—'}</td>
                  <td>{chineseDateTime(e.issuedAt)}</td>
                  <td>{e.signers.map((s) => `${SIGNER_ROLE_LABELS[s.role]}${s.name}`).join('、')}</td>
                  <td className="fingerprint">{e.shortCode ?? '—'}</td>
                  {canDownload && (
                    <td>
                      <IssuedFiles entry={e} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
