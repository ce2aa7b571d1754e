import { useEffect, useState, type FormEvent } from 'react';
import { chineseDate, chineseDateTime } from '../../../../shared/core/gbt9704';
import type { LetterKind } from '../../../../shared/letters/document';
import { ROLE_LABELS } from '../../../../shared/people/roles';
import { SIGNER_ROLE_LABELS } from '../../../../shared/signing/manifest';
import { invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { useUser } from '../../app/session';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { useFormAction, useToastAction } from '../../ui/use-form-action';
import { IssuedFiles } from './IssuedFiles';
import './signing.css';

const time = (iso: string | null): string => (iso ? chineseDateTime(iso) : '—');

/**
 * 签发 of the letter on screen: 核对定稿 (the content is frozen as previewed), 退回修改, 签发 with the
 * issuer's and co-signers' passwords, and the letters issued so far with their frozen files.
 */
export function IssuePanel(props: { campaignId: string; kind: LetterKind; unitId: string | null; date: string; onChanged: () => void }) {
  const user = useUser();
  const toast = useToast();
  const canWrite = user.role === 'organiser' || user.role === 'lead';
  const input = { campaignId: props.campaignId, kind: props.kind, ...(props.unitId ? { unitId: props.unitId } : {}) };
  const state = useQuery('letter:issueState', input, { refreshOn: (c) => c.entity === 'letter' && c.campaignId === props.campaignId });
  const [issuing, setIssuing] = useState(false);
  const { busy, run } = useToastAction();
  // The 文号 from the bureau's sequence, shown and editable until 核对定稿 freezes it with the content.
  const numbering = useQuery('letter:numbering', canWrite ? { ...input, date: props.date } : null, {
    refreshOn: (c) => c.entity === 'letter',
  });
  const [number, setNumber] = useState('');
  useEffect(() => setNumber(numbering.data?.proposed ?? ''), [numbering.data?.proposed]);

  async function act(action: () => Promise<unknown>, done: string) {
    await run(async () => {
      await action();
      state.reload();
      props.onChanged();
    }, done);
  }

  const s = state.data;
  const open = s?.open ?? null;
  const current = s?.issued.find((e) => !e.supersededBy) ?? null;
  return (
    <section className="panel section issue" aria-label="签发" data-testid="issue-panel">
      <div className="section-head">
        <h2>签发</h2>
        <p className="muted grow">
          核对定稿后内容即冻结；签发需签发人和会签人各自输入密码，以 SM2 签名。签发后的文书不能修改，更正须另行签发。
        </p>
      </div>
      {state.error && <div className="notice notice-error">{state.error}</div>}
      {s && (
        <div className="issue-state" data-testid="issue-state">
          {open?.status === 'checked' ? (
            <p>
              <span className="badge badge-primary">已核对定稿</span> {open.checkedBy} 于 {time(open.checkedAt)} 核对
              {open.documentNumber ? `，文号 ${open.documentNumber}` : ''}
              {open.date ? `，成文日期 ${chineseDate(open.date)}` : ''}。预览与导出均为核对时的内容。
            </p>
          ) : open ? (
            <p>
              <span className="badge">草稿</span>
              {open.documentNumber ? ` 文号 ${open.documentNumber}` : ''}。内容随评分和模板变化，核对定稿后冻结。
            </p>
          ) : current ? (
            <p className="muted">
              已签发（下方预览为尚未签发的更正稿，已签发的文书请下载 PDF
              查看）。如需更正：修改评分或模板后重新“核对定稿”并签发，新文书将取代原文书（两者都保留）。
            </p>
          ) : (
            <p className="muted">尚未核对定稿。</p>
          )}
          {canWrite && (
            <div className="actions left">
              {open?.status !== 'checked' && (
                <label className="check">
                  发文字号
                  <input
                    className="input"
                    aria-label="发文字号"
                    style={{ width: 220 }}
                    value={number}
                    placeholder={numbering.data?.prefix ? undefined : '如：清司监〔2026〕3号'}
                    onChange={(e) => setNumber(e.target.value)}
                  />
                </label>
              )}
              {open?.status !== 'checked' && (
                <button
                  className="btn"
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    act(
                      () =>
                        invoke('letter:check', { ...input, date: props.date, ...(number.trim() ? { documentNumber: number.trim() } : {}) }),
                      '已核对定稿，内容已冻结。',
                    )
                  }
                >
                  {current ? '核对定稿（更正）' : '核对定稿'}
                </button>
              )}
              {open?.status === 'checked' && (
                <>
                  <button
                    className="btn"
                    type="button"
                    disabled={busy}
                    onClick={() => act(() => invoke('letter:reopen', { letterId: open.id }), '已退回修改。')}
                  >
                    退回修改
                  </button>
                  <button className="btn btn-primary" type="button" disabled={busy} onClick={() => setIssuing(true)}>
                    签发…
                  </button>
                </>
              )}
            </div>
          )}
          {s.issued.length > 0 && (
            <table className="table" aria-label="已签发">
              <thead>
                <tr>
                  <th>文号</th>
                  <th>签发</th>
                  <th>签名人</th>
                  <th>核验码</th>
                  <th>文件</th>
                </tr>
              </thead>
              <tbody>
                {s.issued.map((e) => (
                  <tr key={e.id}>
                    <td>
                      {e.documentNumber ?? '—'}
                      {e.supersededBy && (
                        <div>
                          <span className="badge badge-warn">已被更正文书取代</span>
                        </div>
                      )}
                    </td>
                    <td>{time(e.issuedAt)}</td>
                    <td>{e.signers.map((x) => `${SIGNER_ROLE_LABELS[x.role]}${x.name}`).join('、')}</td>
                    <td className="fingerprint">{e.shortCode}</td>
                    <td>{user.role !== 'reviewer' && <IssuedFiles entry={e} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {open?.status === 'checked' && (
        <IssueDialog
          open={issuing}
          letterId={open.id}
          documentNumber={open.documentNumber}
          correcting={current?.documentNumber ?? (current ? '（无文号）' : null)}
          onClose={() => setIssuing(false)}
          onIssued={(text) => {
            setIssuing(false);
            state.reload();
            props.onChanged();
            toast.show(text, 'ok');
          }}
        />
      )}
    </section>
  );
}

function IssueDialog(props: {
  open: boolean;
  letterId: string;
  documentNumber: string | null;
  correcting: string | null;
  onClose: () => void;
  onIssued: (text: string) => void;
}) {
  const user = useUser();
  const holders = useQuery('key:holders', props.open ? {} : null);
  const seal = useQuery('seal:status', props.open ? {} : null);
  const [password, setPassword] = useState('');
  const [cosigners, setCosigners] = useState<Record<string, string>>({});
  const [useSeal, setUseSeal] = useState(false);
  const [note, setNote] = useState('');
  const { error, busy, run } = useFormAction();
  const others = holders.data?.filter((h) => h.userId !== user.id) ?? [];
  const meHasKey = holders.data?.some((h) => h.userId === user.id);

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const state = await invoke('letter:issue', {
        letterId: props.letterId,
        password,
        cosigners: Object.entries(cosigners).map(([userId, pw]) => ({ userId, password: pw })),
        useSeal,
        ...(props.correcting ? { correctionNote: note } : {}),
      });
      const issued = state.issued[0];
      setPassword('');
      setCosigners({});
      props.onIssued(`已签发${issued?.documentNumber ? ` ${issued.documentNumber}` : ''}，核验码 ${issued?.shortCode ?? ''}`);
    });
  }

  return (
    <Dialog open={props.open} title="签发文书" onClose={() => !busy && props.onClose()} width={640}>
      <form onSubmit={submit} className="stack" aria-label="签发文书">
        <p>签发{props.documentNumber ? ` ${props.documentNumber}` : ''}：内容、DOCX 和打印版 PDF 将冻结并登记，签发后不能修改。</p>
        {holders.data && !meHasKey && <div className="notice notice-warn">您还没有可用的签名密钥，请先在“签名与信任”页生成。</div>}
        {props.correcting && (
          <>
            <div className="notice notice-warn">
              本单位已签发 {props.correcting}。本次签发为更正，将取代原文书（原文书保留，核验时注明已被取代）。
            </div>
            <Field label="更正说明">
              <input className="input" value={note} onChange={(e) => setNote(e.target.value)} placeholder="如：更正第二部分的扣分依据" />
            </Field>
          </>
        )}
        <Field label={`签发人（${user.displayName}）的登录密码`}>
          <input
            className="input"
            type="password"
            autoFocus
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        {others.length > 0 && (
          <fieldset className="cosigners">
            <legend>会签人（请本人在场输入密码）</legend>
            {others.map((h) => (
              <div key={h.userId} className="cosigner">
                <label className="check">
                  <input
                    type="checkbox"
                    checked={h.userId in cosigners}
                    onChange={(e) =>
                      setCosigners((c) => {
                        const next = { ...c };
                        if (e.target.checked) next[h.userId] = '';
                        else delete next[h.userId];
                        return next;
                      })
                    }
                  />
                  {h.name}（{ROLE_LABELS[h.role]}）
                </label>
                {h.userId in cosigners && (
                  <input
                    className="input"
                    type="password"
                    aria-label={`${h.name}的登录密码`}
                    placeholder={`${h.name}的登录密码`}
                    value={cosigners[h.userId]}
                    onChange={(e) => setCosigners((c) => ({ ...c, [h.userId]: e.target.value }))}
                  />
                )}
              </div>
            ))}
          </fieldset>
        )}
        {seal.data?.present && (
          <label className="check">
            <input type="checkbox" checked={useSeal} onChange={(e) => setUseSeal(e.target.checked)} />
            在打印版上放置印章图像（不是电子印章，文书上会注明“本件为打印版本”；使用将记入审计日志）
          </label>
        )}
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <div className="actions">
          <button className="btn" type="button" onClick={props.onClose} disabled={busy}>
            取消 <kbd>Esc</kbd>
          </button>
          <button className="btn btn-primary" type="submit" disabled={busy || !password}>
            {busy ? '正在签名、生成并登记…' : '签发'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
