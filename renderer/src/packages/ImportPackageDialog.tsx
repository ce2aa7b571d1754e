import { useRef, useState } from 'react';
import type { PackageImportResult } from '../../../shared/packages/api';
import { PACKAGE_KIND_LABELS } from '../../../shared/packages/format';
import { ApiError, errorMessage, invoke, uploadFile } from '../api/client';
import { Dialog } from '../ui/dialog';
import { Field } from '../ui/field';

const COUNT_LABELS: Array<[keyof PackageImportResult['counts'], string, string]> = [
  ['cases', '案卷', '件'],
  ['documents', '文件', '个'],
  ['sheets', '评查表', '份'],
  ['annotations', '批注', '条'],
  ['auditEntries', '操作日志', '条'],
  ['conflicts', '冲突', '处'],
];

/**
 * Import a work package: pick the file, see what it is and what it would change (a dry run: every
 * check of the real import), give the reviewer's local password when it creates their account, then
 * import. A refusal is shown here, in Chinese, with nothing changed.
 */
export function ImportPackageDialog(props: { open: boolean; onClose: () => void; onImported: (result: PackageImportResult) => void; title?: string }) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [sourceId, setSourceId] = useState<string | null>(null);
  const [preview, setPreview] = useState<PackageImportResult | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  function reset() {
    setSourceId(null);
    setPreview(null);
    setPassword('');
    setError(null);
    setPasswordError(null);
    if (fileRef.current) fileRef.current.value = '';
  }

  async function pick(file: File | undefined) {
    if (!file) return;
    reset();
    setBusy('正在校验工作包…');
    try {
      const staged = await uploadFile(file);
      const result = await invoke('package:import', { sourceId: staged.sourceId, dryRun: true });
      setSourceId(staged.sourceId);
      setPreview(result);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  async function confirm() {
    if (!sourceId || !preview) return;
    if (preview.needsReviewerPassword && password.length < 8) {
      setPasswordError('请为评查人员设置至少 8 位的本机登录密码');
      return;
    }
    setBusy('正在导入…');
    setError(null);
    try {
      const result = await invoke('package:import', { sourceId, dryRun: false, ...(preview.needsReviewerPassword ? { reviewerPassword: password } : {}) });
      reset();
      props.onImported(result);
    } catch (err) {
      if (err instanceof ApiError && err.details?.path === 'reviewerPassword') setPasswordError(err.message);
      else {
        setError(errorMessage(err));
        setSourceId(null);
      }
    } finally {
      setBusy(null);
    }
  }

  const close = () => {
    reset();
    props.onClose();
  };

  return (
    <Dialog
      open={props.open}
      title={props.title ?? '导入工作包'}
      onClose={close}
      width={720}
      footer={
        <>
          <button className="btn" type="button" onClick={close}>取消 <kbd>Esc</kbd></button>
          <button className="btn btn-primary" type="button" disabled={!preview || preview.outcome === 'already' || !sourceId || !!busy} onClick={confirm}>
            {busy === '正在导入…' ? busy : '确认导入'}
          </button>
        </>
      }
    >
      <div className="package-import">
        <Field label="工作包文件（.pcpkg.zip）" hint="从 U 盘选择评查组长或评查人员导出的工作包；导入前会逐项核对 SM3 摘要和签名。">
          <input ref={fileRef} className="input" type="file" accept=".zip,application/zip" autoFocus onChange={(e) => void pick(e.target.files?.[0])} />
        </Field>
        {busy && <p className="muted" role="status"><span className="spinner" /> {busy}</p>}
        {error && <div className="notice notice-error" role="alert"><b>未导入：</b>{error}</div>}
        {preview && (
          <section className="package-preview" aria-label="工作包内容">
            <h3>{PACKAGE_KIND_LABELS[preview.kind]} · {preview.campaignName}</h3>
            <dl className="package-facts">
              {preview.reviewerName && (<><dt>评查人员</dt><dd>{preview.reviewerName}</dd></>)}
              <dt>制作人</dt><dd>{preview.authorName}</dd>
              <dt>制作时间</dt><dd>{new Date(preview.createdAt).toLocaleString('zh-CN', { hour12: false })}</dd>
              <dt>签名</dt>
              <dd>{preview.signers.length ? preview.signers.map((s) => `${s.name}（${s.trust === 'trusted' ? '已信任，签名有效' : '签名有效，未核对信任'}）`).join('；') : '未签名（仅核对 SM3 摘要）'}</dd>
              <dt>{preview.outcome === 'already' ? '结果' : '将导入'}</dt>
              <dd>
                {preview.outcome === 'already'
                  ? '该工作包此前已导入，无需再次导入。'
                  : COUNT_LABELS.filter(([k]) => preview.counts[k]).map(([k, label, unit]) => `${label} ${preview.counts[k]} ${unit}`).join('，') || '没有需要改动的内容'}
              </dd>
            </dl>
            {preview.warnings.map((w) => <div key={w} className="notice notice-warn">{w}</div>)}
            {preview.needsReviewerPassword && (
              <Field label={`为评查人员“${preview.reviewerName}”设置本机登录密码（登录名 ${preview.reviewerUsername}）`} error={passwordError} hint="评查人员用此密码在本机登录、评分，之后导出回收包。">
                <input className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void confirm()} />
              </Field>
            )}
          </section>
        )}
      </div>
    </Dialog>
  );
}
