import { useRef, useState } from 'react';
import { ROLE_LABELS } from '../../../../shared/people/roles';
import type { PackageImportResult } from '../../../../shared/packages/api';
import { PACKAGE_KIND_LABELS } from '../../../../shared/packages/package-kinds';
import { formatFingerprint } from '../../../../shared/signing/fingerprint';
import { ApiError, errorMessage, invoke, uploadFile } from '../../api/client';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { PackageJobBar, usePackageJob } from './PackageJob';
import './packages.css';
import '../signing/signing.css';
import { localMinuteOf } from '../../../../shared/core/dates';

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
 * check of the real import), compare the signer's key fingerprint with the holder when this
 * workstation does not know the key yet (as on the 签名与信任 screen), give the reviewer's local
 * password when it creates their account, then import. Both steps are jobs with progress and cancel.
 * A refusal is shown here, in Chinese, with nothing changed.
 */
export function ImportPackageDialog(props: {
  open: boolean;
  onClose: () => void;
  onImported: (result: PackageImportResult) => void;
  title?: string;
}) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [sourceId, setSourceId] = useState<string | null>(null);
  const [preview, setPreview] = useState<PackageImportResult | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const job = usePackageJob();

  function reset() {
    setSourceId(null);
    setPreview(null);
    setPassword('');
    setError(null);
    setPasswordError(null);
    setConfirmed(false);
    if (fileRef.current) fileRef.current.value = '';
  }

  async function pick(file: File | undefined) {
    if (!file) return;
    reset();
    setBusy('正在校验工作包…');
    try {
      const staged = await uploadFile(file);
      const result = await job.run('校验工作包', () => invoke('package:import', { sourceId: staged.sourceId, dryRun: true }));
      if (!result) return;
      setSourceId(staged.sourceId);
      setPreview(result.import);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  async function confirm() {
    if (!sourceId || !preview) return;
    const toConfirm = preview.signer.trust === 'confirm';
    if (toConfirm && !confirmed) {
      setError('请先与签名人核对密钥指纹，一致后勾选确认。');
      return;
    }
    if (preview.needsReviewerPassword && password.length < 8) {
      setPasswordError('请为评查人员设置至少 8 位的本机登录密码');
      return;
    }
    setBusy('正在导入…');
    setError(null);
    try {
      const result = await job.run('导入工作包', () =>
        invoke('package:import', {
          sourceId,
          dryRun: false,
          ...(preview.needsReviewerPassword ? { reviewerPassword: password } : {}),
          ...(toConfirm ? { trustSigner: preview.signer.fingerprint } : {}),
        }),
      );
      if (!result) return;
      reset();
      props.onImported(result.import!);
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

  // While a job runs, Esc and 取消 cancel it (nothing changes); otherwise they close the dialog.
  const close = () => {
    if (job.running) return void job.cancel();
    reset();
    props.onClose();
  };
  const signer = preview?.signer;

  return (
    <Dialog
      open={props.open}
      title={props.title ?? '导入工作包'}
      onClose={close}
      width={720}
      footer={
        <>
          <button className="btn" type="button" onClick={close}>
            取消 <kbd>Esc</kbd>
          </button>
          <button
            className="btn btn-primary"
            type="button"
            disabled={
              !preview ||
              preview.outcome === 'already' ||
              !sourceId ||
              !!busy ||
              (signer?.trust === 'confirm' && (!signer.mayConfirm || !confirmed))
            }
            onClick={confirm}
          >
            {busy === '正在导入…' ? busy : '确认导入'}
          </button>
        </>
      }
    >
      <div className="package-import">
        <Field label="工作包文件（.pcpkg.zip）" hint="从 U 盘选择评查组长或评查人员导出的工作包；导入前会逐项核对 SM3 摘要和签名。">
          <input
            ref={fileRef}
            className="input"
            type="file"
            accept=".zip,application/zip"
            autoFocus
            onChange={(e) => void pick(e.target.files?.[0])}
          />
        </Field>
        {busy && !job.running && (
          <p className="muted" role="status">
            <span className="spinner" /> {busy}
          </p>
        )}
        {job.running && <PackageJobBar job={job.running} onCancel={() => void job.cancel()} escape={false} />}
        {error && (
          <div className="notice notice-error" role="alert">
            <b>未导入：</b>
            {error}
          </div>
        )}
        {preview && (
          <section className="package-preview" aria-label="工作包内容">
            <h3>
              {PACKAGE_KIND_LABELS[preview.kind]} · {preview.campaignName}
            </h3>
            <dl className="package-facts">
              {preview.reviewerName && (
                <>
                  <dt>评查人员</dt>
                  <dd>{preview.reviewerName}</dd>
                </>
              )}
              <dt>制作人</dt>
              <dd>{preview.authorName}</dd>
              <dt>制作时间</dt>
              <dd>{localMinuteOf(preview.createdAt)}</dd>
              <dt>签名</dt>
              <dd>
                {signer!.name}（{signer!.unit || '单位未填'}）·{' '}
                {signer!.trust === 'trusted' ? 'SM2 签名有效，密钥已受本机信任' : 'SM2 签名有效，密钥尚未受本机信任'}
              </dd>
              <dt>{preview.outcome === 'already' ? '结果' : '将导入'}</dt>
              <dd>
                {preview.outcome === 'already'
                  ? '该工作包此前已导入，无需再次导入。'
                  : COUNT_LABELS.filter(([k]) => preview.counts[k])
                      .map(([k, label, unit]) => `${label} ${preview.counts[k]} ${unit}`)
                      .join('，') || '没有需要改动的内容'}
              </dd>
            </dl>
            {preview.warnings.map((w) => (
              <div key={w} className="notice notice-warn">
                {w}
              </div>
            ))}
            {signer!.trust === 'confirm' && (
              <section className="package-trust" aria-label="核对签名人密钥指纹">
                <p>
                  本机还不认识{' '}
                  <b>
                    {signer!.unit}
                    {signer!.name}
                  </b>
                  （{signer!.role ? ROLE_LABELS[signer!.role] : '签名人'}，登录名 {signer!.username}）的签名密钥。
                  {
                    '请与其本人当面或通过电话逐组核对下面的指纹，与其工作站“签名与信任”页显示的完全一致后再确认；确认后该密钥加入本机信任列表（记入审计日志）。'
                  }
                </p>
                <div className="fingerprint big" aria-label="完整指纹">
                  {formatFingerprint(signer!.fingerprint)}
                </div>
                {signer!.mayConfirm ? (
                  <label className="check">
                    <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> 我已与 {signer!.name}{' '}
                    核对，指纹一致，信任此密钥
                  </label>
                ) : (
                  <div className="notice notice-warn">
                    确认新的签名密钥需要组织者：请组织者登录后导入此包，或在“签名与信任”页导入其身份文件并确认。
                  </div>
                )}
              </section>
            )}
            {preview.needsReviewerPassword && (
              <Field
                label={`为评查人员“${preview.reviewerName}”设置本机登录密码（登录名 ${preview.reviewerUsername}）`}
                error={passwordError}
                hint="评查人员用此密码在本机登录、评分，之后导出回收包。"
              >
                <input
                  className="input"
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => {
                    setPassword(e.target.value);
                    setPasswordError(null);
                  }}
                  onKeyDown={(e) => e.key === 'Enter' && void confirm()}
                />
              </Field>
            )}
          </section>
        )}
      </div>
    </Dialog>
  );
}
