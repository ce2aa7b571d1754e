import { useState, type FormEvent, type ReactNode } from 'react';
import { ROLE_LABELS } from '../../../../shared/people/roles';
import { KEY_ORIGIN_LABELS, TRUST_STATUS_LABELS, type TrustEntry, type TrustStatus } from '../../../../shared/signing/api';
import { formatFingerprint, shortFingerprint } from '../../../../shared/signing/fingerprint';
import { download, invoke, uploadFile } from '../../api/client';
import { useQuery, type QueryState } from '../../api/hooks';
import { useUser } from '../../app/session';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { useFormAction, useToastAction } from '../../ui/use-form-action';
import './signing.css';
import { localDayOf } from '../../../../shared/core/dates';

const day = (iso: string | null): string => (iso ? localDayOf(iso) : '—');
const TRUST_BADGE: Record<TrustStatus, string> = { trusted: 'badge-ok', pending: 'badge-warn', revoked: 'badge-danger' };

/** 签名与信任: my key, the trust list, the seal image. */
export function SigningScreen() {
  const user = useUser();
  const canSign = user.role !== 'observer';
  // One trust-list query for the page: making or replacing my key changes it too.
  const trust = useQuery('trust:list', {});
  return (
    <div className="page signing">
      <div className="page-head">
        <div className="grow">
          <h1>签名与信任</h1>
          <p>签发文书时，签发人和会签人用各自的 SM2 密钥签名；其他工作站凭身份文件确认信任后，即可离线核验。这不是电子印章。</p>
        </div>
      </div>
      {canSign && <MyKey onChanged={trust.reload} />}
      <TrustListPanel list={trust} />
      {(user.role === 'organiser' || user.role === 'lead') && <SealPanel />}
    </div>
  );
}

function PasswordDialog(props: {
  open: boolean;
  title: string;
  intro: ReactNode;
  confirm: string;
  onClose: () => void;
  onSubmit: (password: string) => Promise<void>;
}) {
  const [password, setPassword] = useState('');
  const { error, busy, run } = useFormAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      await props.onSubmit(password);
      setPassword('');
      props.onClose();
    });
  }
  return (
    <Dialog open={props.open} title={props.title} onClose={() => !busy && props.onClose()}>
      <form onSubmit={submit} className="stack">
        <div>{props.intro}</div>
        <Field label="登录密码" error={error}>
          <input
            className="input"
            type="password"
            autoFocus
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <div className="actions">
          <button className="btn" type="button" onClick={props.onClose} disabled={busy}>
            取消 <kbd>Esc</kbd>
          </button>
          <button className="btn btn-primary" type="submit" disabled={busy || !password}>
            {busy ? '请稍候…' : props.confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function MyKey({ onChanged }: { onChanged: () => void }) {
  const toast = useToast();
  const mine = useQuery('key:mine', {});
  const [dialog, setDialog] = useState<'create' | 'replace' | 'backup' | 'restore' | null>(null);
  const key = mine.data?.active ?? null;
  const exporting = useToastAction();

  async function exportIdentity() {
    await exporting.run(async () => {
      const out = await invoke('key:exportIdentity', {});
      download(out.url, out.fileName);
    }, '已导出身份文件。请拷贝给需要核验您签名的工作站。');
  }

  return (
    <section className="panel section" aria-labelledby="my-key">
      <h2 id="my-key">我的签名密钥</h2>
      {mine.error && <div className="notice notice-error">{mine.error}</div>}
      {mine.data && !key && (
        <div className="notice notice-info">您还没有签名密钥。生成后，私钥用您的登录密码加密保存在本机，只有输入密码时才能签名。</div>
      )}
      {key && (
        <dl className="facts" data-testid="my-key">
          <dt>密钥指纹（SM3）</dt>
          <dd className="fingerprint">{formatFingerprint(key.fingerprint)}</dd>
          <dt>有效期</dt>
          <dd>
            {day(key.validFrom)} 至 {day(key.validTo)}
          </dd>
          <dt>本机信任状态</dt>
          <dd>{key.trust ? <span className={`badge ${TRUST_BADGE[key.trust]}`}>{TRUST_STATUS_LABELS[key.trust]}</span> : '—'}</dd>
        </dl>
      )}
      <div className="actions left">
        {!key && mine.data && (
          <button className="btn btn-primary" type="button" onClick={() => setDialog('create')}>
            生成签名密钥
          </button>
        )}
        {key && (
          <button className="btn btn-primary" type="button" onClick={exportIdentity}>
            导出身份文件
          </button>
        )}
        {key && (
          <button className="btn" type="button" onClick={() => setDialog('backup')}>
            导出加密备份
          </button>
        )}
        {key && (
          <button className="btn" type="button" onClick={() => setDialog('replace')}>
            更换密钥…
          </button>
        )}
        <button className="btn btn-ghost" type="button" onClick={() => setDialog('restore')}>
          从备份恢复…
        </button>
      </div>
      {mine.data && mine.data.retired.length > 0 && (
        <p className="muted">
          已停用的旧密钥 {mine.data.retired.length} 把（仍可用于核验其签过的文书）：
          {mine.data.retired.map((k) => shortFingerprint(k.fingerprint)).join('；')}
        </p>
      )}
      <PasswordDialog
        open={dialog === 'create' || dialog === 'replace'}
        title={dialog === 'replace' ? '更换签名密钥' : '生成签名密钥'}
        intro={
          dialog === 'replace' ? (
            <div className="notice notice-warn">更换后旧密钥停用（保留以便核验旧文书），其他工作站需要重新导入您的身份文件。</div>
          ) : (
            <p>请输入您的登录密码。私钥将用它加密保存，签发文书时需再次输入。</p>
          )
        }
        confirm={dialog === 'replace' ? '更换密钥' : '生成密钥'}
        onClose={() => setDialog(null)}
        onSubmit={async (password) => {
          await invoke('key:create', { password, replace: dialog === 'replace' });
          mine.reload();
          onChanged();
          toast.show('签名密钥已生成。', 'ok');
        }}
      />
      <PasswordDialog
        open={dialog === 'backup'}
        title="导出加密备份"
        intro={<p>备份中的私钥仍由您的登录密码加密，恢复时需要当时的密码。请存放在安全的介质上。</p>}
        confirm="导出备份"
        onClose={() => setDialog(null)}
        onSubmit={async (password) => {
          const out = await invoke('key:exportBackup', { password });
          download(out.url, out.fileName);
          toast.show('已导出加密备份。', 'ok');
        }}
      />
      <RestoreDialog
        open={dialog === 'restore'}
        onClose={() => setDialog(null)}
        onDone={() => {
          mine.reload();
          onChanged();
        }}
      />
    </section>
  );
}

function RestoreDialog({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [backupPassword, setBackupPassword] = useState('');
  const [password, setPassword] = useState('');
  const { error, setError, busy, run } = useFormAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return setError('请选择备份文件。');
    await run(async () => {
      const source = await uploadFile(file);
      await invoke('key:restore', { sourceId: source.sourceId, backupPassword, password });
      toast.show('签名密钥已恢复。', 'ok');
      onDone();
      onClose();
    });
  }
  return (
    <Dialog open={open} title="从备份恢复签名密钥" onClose={() => !busy && onClose()}>
      <form onSubmit={submit} className="stack">
        <Field label="备份文件">
          <input className="input" type="file" accept=".json,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </Field>
        <Field label="备份时的登录密码">
          <input className="input" type="password" value={backupPassword} onChange={(e) => setBackupPassword(e.target.value)} />
        </Field>
        <Field label="当前登录密码">
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <div className="actions">
          <button className="btn" type="button" onClick={onClose} disabled={busy}>
            取消 <kbd>Esc</kbd>
          </button>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {busy ? '请稍候…' : '恢复'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function TrustListPanel({ list }: { list: QueryState<TrustEntry[]> }) {
  const user = useUser();
  const toast = useToast();
  const [accepting, setAccepting] = useState<TrustEntry | null>(null);
  const [revoking, setRevoking] = useState<TrustEntry | null>(null);
  const { busy, run } = useToastAction();
  const organiser = user.role === 'organiser';
  const canImport = organiser || user.role === 'lead';

  async function importFile(file: File | undefined) {
    if (!file) return;
    await run(async () => {
      const source = await uploadFile(file);
      const entry = await invoke('trust:import', { sourceId: source.sourceId });
      toast.show(`已导入${entry.name}的身份文件，待组织者核对指纹后确认信任。`, 'ok');
      list.reload();
    });
  }

  return (
    <section className="panel section" aria-labelledby="trust-list">
      <div className="section-head">
        <h2 id="trust-list">信任列表</h2>
        <p className="muted grow">本工作站接受哪些人的签名。其他工作站的身份文件导入后为“待确认”，须由组织者与持有人核对指纹后确认。</p>
        {canImport && (
          <label className="btn">
            {busy ? '正在导入…' : '导入身份文件…'}
            <input
              type="file"
              accept=".json,application/json"
              className="sr-only"
              aria-label="身份文件"
              disabled={busy}
              onChange={(e) => {
                void importFile(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
          </label>
        )}
      </div>
      {list.error && <div className="notice notice-error">{list.error}</div>}
      {list.data && list.data.length === 0 ? (
        <div className="empty">
          <p>信任列表是空的。本机用户生成密钥后会自动列入。</p>
        </div>
      ) : (
        <table className="table" aria-label="信任列表">
          <thead>
            <tr>
              <th>持有人</th>
              <th>单位</th>
              <th>角色</th>
              <th>指纹</th>
              <th>有效期至</th>
              <th>来源</th>
              <th>状态</th>
              {organiser && <th>操作</th>}
            </tr>
          </thead>
          <tbody>
            {list.data?.map((e) => (
              <tr key={e.fingerprint} data-fingerprint={e.fingerprint}>
                <td>{e.name}</td>
                <td>{e.unit || <span className="muted">—</span>}</td>
                <td>{ROLE_LABELS[e.role]}</td>
                <td className="fingerprint" title={formatFingerprint(e.fingerprint)}>
                  {shortFingerprint(e.fingerprint)}
                </td>
                <td>{day(e.validTo)}</td>
                <td>{KEY_ORIGIN_LABELS[e.origin]}</td>
                <td>
                  <span className={`badge ${TRUST_BADGE[e.status]}`}>{TRUST_STATUS_LABELS[e.status]}</span>
                  {e.status === 'revoked' && e.revokeReason && (
                    <div className="muted small">
                      {day(e.revokedAt)} {e.revokedBy}：{e.revokeReason}
                    </div>
                  )}
                </td>
                {organiser && (
                  <td className="row-actions">
                    {e.status === 'pending' && (
                      <button className="btn btn-sm btn-primary" type="button" onClick={() => setAccepting(e)}>
                        核对并信任
                      </button>
                    )}
                    {e.status !== 'revoked' && (
                      <button className="btn btn-sm btn-danger" type="button" onClick={() => setRevoking(e)}>
                        撤销
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AcceptDialog entry={accepting} onClose={() => setAccepting(null)} onDone={list.reload} />
      <RevokeDialog entry={revoking} onClose={() => setRevoking(null)} onDone={list.reload} />
    </section>
  );
}

function AcceptDialog({ entry, onClose, onDone }: { entry: TrustEntry | null; onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [checked, setChecked] = useState(false);
  const { error, run } = useFormAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!entry) return;
    await run(async () => {
      await invoke('trust:accept', { fingerprint: entry.fingerprint });
      toast.show(`已信任${entry.name}的密钥。`, 'ok');
      setChecked(false);
      onDone();
      onClose();
    });
  }
  return (
    <Dialog open={!!entry} title="核对指纹并确认信任" onClose={onClose}>
      {entry && (
        <form onSubmit={submit} className="stack">
          <p>
            请与{' '}
            <b>
              {entry.unit}
              {entry.name}
            </b>
            （{ROLE_LABELS[entry.role]}）当面或通过电话逐组核对下面的指纹，与其工作站“签名与信任”页显示的完全一致后再确认。
          </p>
          <div className="fingerprint big" aria-label="完整指纹">
            {formatFingerprint(entry.fingerprint)}
          </div>
          <label className="check">
            <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} /> 我已与持有人核对，指纹一致
          </label>
          {error && (
            <div className="notice notice-error" role="alert">
              {error}
            </div>
          )}
          <div className="actions">
            <button className="btn" type="button" onClick={onClose}>
              取消 <kbd>Esc</kbd>
            </button>
            <button className="btn btn-primary" type="submit" disabled={!checked}>
              确认信任
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function RevokeDialog({ entry, onClose, onDone }: { entry: TrustEntry | null; onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [reason, setReason] = useState('');
  const { error, run } = useFormAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!entry) return;
    await run(async () => {
      await invoke('trust:revoke', { fingerprint: entry.fingerprint, reason });
      toast.show(`已撤销${entry.name}的密钥。`, 'ok');
      setReason('');
      onDone();
      onClose();
    });
  }
  return (
    <Dialog open={!!entry} title="撤销密钥" onClose={onClose}>
      {entry && (
        <form onSubmit={submit} className="stack">
          <div className="notice notice-warn">
            撤销后，本工作站不再认可 {entry.name} 用这把密钥所做的任何签名（包括已签发的文书），且不能恢复。
          </div>
          <Field label="撤销原因" error={error}>
            <input
              className="input"
              autoFocus
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="如：人员调离、电脑遗失"
            />
          </Field>
          <div className="actions">
            <button className="btn" type="button" onClick={onClose}>
              取消 <kbd>Esc</kbd>
            </button>
            <button className="btn btn-danger" type="submit">
              撤销密钥
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function SealPanel() {
  const user = useUser();
  const seal = useQuery('seal:status', {});
  const organiser = user.role === 'organiser';
  const { run } = useToastAction();
  async function upload(file: File | undefined) {
    if (!file) return;
    await run(async () => {
      const source = await uploadFile(file);
      await invoke('seal:upload', { sourceId: source.sourceId });
      seal.reload();
    }, '印章图像已载入。签发时默认不使用，需签发人勾选。');
  }
  async function remove() {
    await run(async () => {
      await invoke('seal:remove', {});
      seal.reload();
    });
  }
  const s = seal.data;
  return (
    <section className="panel section" aria-labelledby="seal">
      <h2 id="seal">印章图像（打印版用）</h2>
      <p className="muted">
        可载入本单位印章的透明背景
        PNG，签发时由签发人选择是否盖在打印版（PDF）的署名和日期上；每次使用都记入审计日志。印章图像不是电子印章，使用时文书上会注明“本件为打印版本”。
      </p>
      {s?.present ? (
        <div className="seal-row">
          <img src={s.preview!} alt="印章图像预览" className="seal-preview" />
          <div>
            <div>
              {s.fileName}（{s.widthPx}×{s.heightPx} 像素）
            </div>
            <div className="muted">
              {s.uploadedBy} 于 {day(s.uploadedAt)} 载入 · 已使用 {s.useCount} 次
            </div>
          </div>
        </div>
      ) : (
        <p>{s ? `尚未载入印章图像。${s.useCount ? `（历史使用 ${s.useCount} 次）` : ''}` : ''}</p>
      )}
      {organiser && (
        <div className="actions left">
          <label className="btn">
            {s?.present ? '更换印章图像…' : '载入印章图像…'}
            <input
              type="file"
              accept="image/png,.png"
              className="sr-only"
              aria-label="印章图像文件"
              onChange={(e) => {
                void upload(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
          </label>
          {s?.present && (
            <button className="btn btn-danger" type="button" onClick={remove}>
              移除
            </button>
          )}
        </div>
      )}
    </section>
  );
}
