import { useEffect, useRef, useState } from 'react';
import type { PackageConflict, PackageExport } from '../../../../shared/packages/api';
import { PACKAGE_KIND_LABELS } from '../../../../shared/packages/package-kinds';
import type { CampaignPurpose } from '../../../../shared/packages/format';
import { SHEET_STATUS_LABELS } from '../../../../shared/scoring/sheet-status';
import { fmt } from '../../../../shared/standards/tree';
import { ANSWER_STATUS_LABELS, type Answer } from '../../../../shared/scoring/scoring';
import { ApiError, desktopShell, download, errorMessage, invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { useUser } from '../../app/session';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { CampaignPageHead } from '../campaigns';
import { ImportPackageDialog } from './ImportPackageDialog';
import { PackageJobBar, usePackageJob } from './PackageJob';
import './packages.css';
import { localMinuteOf } from '../../../../shared/core/dates';

const when = (iso: string | null | undefined): string => (iso ? localMinuteOf(iso) : '—');
const size = (bytes: number): string =>
  bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export function answerText(a: Answer | null): string {
  if (!a) return '（未评定）';
  const parts = [ANSWER_STATUS_LABELS[a.status]];
  if (a.deduction !== undefined) parts.push(`扣 ${fmt(a.deduction)} 分`);
  if (a.occurrences !== undefined) parts.push(`${a.occurrences} 处`);
  if (a.comment) parts.push(a.comment);
  return parts.join(' · ');
}

/**
 * Work packages of a campaign. On the lead's PC: one package per reviewer out, return
 * packages in, conflicts decided side by side, the campaign as a whole out. On a reviewer's laptop
 * (a read-only copy): the return package back.
 */
export function PackagesScreen({ campaignId }: { campaignId: string }) {
  const user = useUser();
  const toast = useToast();
  const refresh = { refreshOn: (c: { campaignId?: string }) => c.campaignId === campaignId };
  const overview = useQuery('package:overview', { campaignId }, refresh);
  const manager = user.role === 'organiser' || user.role === 'lead';
  const conflicts = useQuery('package:conflicts', manager ? { campaignId } : null, refresh);
  const [importing, setImporting] = useState(false);
  const [password, setPassword] = useState('');
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [exported, setExported] = useState<{ label: string; file: PackageExport } | null>(null);
  const job = usePackageJob();
  const passwordRef = useRef<HTMLInputElement>(null);
  const myKey = useQuery('key:mine', {});
  const o = overview.data;

  /** Exports run as jobs; the key opens with the person's password first (made now if they have none). */
  async function run(key: string, start: (password: string) => Promise<{ jobId: string }>, label: string) {
    if (!password) {
      setPasswordError('请输入您的登录密码（用于解开签名密钥）');
      passwordRef.current?.focus();
      return;
    }
    setBusy(key);
    setPasswordError(null);
    try {
      if (myKey.data && !myKey.data.active) {
        await invoke('key:create', { password, replace: false });
        myKey.reload();
        toast.show('已为您生成签名密钥（用登录密码加密保存）', 'ok');
      }
      const result = await job.run(label, () => start(password));
      if (!result) toast.show(`已取消：${label}`, 'info');
      else if (result.export) {
        download(result.export.url, result.export.fileName);
        setExported({ label, file: result.export });
      }
      overview.reload();
    } catch (err) {
      if (err instanceof ApiError && err.details?.path === 'password') {
        setPasswordError(err.message);
        passwordRef.current?.focus();
      } else toast.show(errorMessage(err), 'error');
    } finally {
      setBusy(null);
    }
  }

  const head = (
    <CampaignPageHead
      campaignId={campaignId}
      current="packages"
      title="工作包（离线评查）"
      note="评查人员的电脑不联网：用 U 盘带出评查工作包，评分后带回回收包，由评查组长合并。每个包由制作人的 SM2 密钥签名，逐项列出 SM3 摘要；导入前全部核对，不符即整包拒绝。"
    />
  );
  if (overview.error)
    return (
      <div className="page">
        {head}
        <div className="notice notice-error">{overview.error}</div>
      </div>
    );
  if (!o)
    return (
      <div className="page">
        {head}
        <p className="muted">
          <span className="spinner" /> 正在读取…
        </p>
      </div>
    );

  const exportReturn = () => run('return', (pw) => invoke('package:exportReturn', { campaignId, password: pw }), '导出回收包');

  const signingNote = (
    <div className="package-signing">
      <Field
        label="您的登录密码（解开签名密钥）"
        error={passwordError}
        hint="导出的包用您的 SM2 签名密钥签名，接收方据此核对制作人和每个字节。"
      >
        <input
          ref={passwordRef}
          className="input"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setPasswordError(null);
          }}
          // On a laptop copy there is one thing to export: Enter does it.
          onKeyDown={(e) => e.key === 'Enter' && o?.replica?.kind === 'reviewer' && !busy && void exportReturn()}
        />
      </Field>
      {myKey.data && !myKey.data.active && (
        <div className="notice notice-info">您还没有签名密钥：第一次导出时将用上面的登录密码为您生成（也可以先在“签名与信任”页生成）。</div>
      )}
      {job.running && <PackageJobBar job={job.running} onCancel={() => void job.cancel()} />}
    </div>
  );

  return (
    <div className="page packages-page">
      {head}
      {exported && <ExportedNotice label={exported.label} file={exported.file} onClose={() => setExported(null)} />}
      {o.replica ? (
        <section className="panel package-section" aria-label="本机副本">
          <h2>
            {o.replica.kind === 'reviewer'
              ? `只读评查副本 · 评查人员 ${o.replica.reviewerName ?? ''}`
              : o.replica.kind === 'report'
                ? '上报的只读结果'
                : '由其他机关移交的评查活动'}
          </h2>
          <p>
            导入于 {when(o.replica.importedAt)}。
            {o.replica.kind === 'reviewer' &&
              '活动设置、案卷和分配由评查组长在原工作站管理；这里只能阅卷、批注和评分。完成后导出回收包，用 U 盘交给评查组长。'}
          </p>
          {o.replica.kind === 'reviewer' && user.id === o.replica.reviewerId && (
            <div className="package-actions package-replica-actions">
              {signingNote}
              <button className="btn btn-primary btn-lg" type="button" disabled={!!busy} onClick={() => void exportReturn()}>
                {busy === 'return' ? '正在导出…' : `导出回收包（第 ${o.replica.returnsMade + 1} 次）`}
              </button>
            </div>
          )}
        </section>
      ) : (
        manager && (
          <>
            <section className="panel package-section" aria-label="按评查人员导出工作包">
              <div className="section-head">
                <h2>评查工作包</h2>
                <button className="btn btn-primary" type="button" onClick={() => setImporting(true)}>
                  导入回收包…
                </button>
              </div>
              {signingNote}
              <table className="table">
                <thead>
                  <tr>
                    <th>评查人员</th>
                    <th className="num">分配案卷</th>
                    <th>最近导出工作包</th>
                    <th>最近导入回收包</th>
                    <th aria-label="操作" />
                  </tr>
                </thead>
                <tbody>
                  {o.reviewers.map((r) => (
                    <tr key={r.id}>
                      <td>{r.name}</td>
                      <td className="num">{r.assignedCount}</td>
                      <td>{when(r.lastOutAt)}</td>
                      <td>{r.lastReturn ? `第 ${r.lastReturn.sequence} 次 · ${when(r.lastReturn.at)}` : '—'}</td>
                      <td>
                        <button
                          className="btn btn-sm"
                          type="button"
                          disabled={!!busy}
                          onClick={() =>
                            void run(
                              r.id,
                              (pw) => invoke('package:exportOut', { campaignId, reviewerId: r.id, password: pw }),
                              `导出${r.name}的工作包`,
                            )
                          }
                        >
                          {busy === r.id ? '正在导出…' : '导出工作包'}
                        </button>
                      </td>
                    </tr>
                  ))}
                  {o.reviewers.length === 0 && (
                    <tr>
                      <td colSpan={5} className="muted">
                        还没有分配评查人员：请先在“评查组与分配”中分配案卷。
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </section>

            <ConflictsSection
              conflicts={conflicts.data ?? []}
              onChanged={() => {
                conflicts.reload();
                overview.reload();
              }}
            />

            <section className="panel package-section" aria-label="整体导出">
              <h2>整个评查活动</h2>
              <p>把本活动的全部案卷、评查表、批注和定分结果打成一个包：移交给其他机关继续评查，或上报组织单位（对方只读）。</p>
              <div className="package-actions">
                {(['transfer', 'report'] as CampaignPurpose[]).map((purpose) => (
                  <button
                    key={purpose}
                    className="btn"
                    type="button"
                    disabled={!!busy}
                    onClick={() =>
                      void run(
                        purpose,
                        (pw) => invoke('package:exportCampaign', { campaignId, purpose, password: pw }),
                        purpose === 'transfer' ? '导出移交包' : '导出上报包',
                      )
                    }
                  >
                    {busy === purpose ? '正在导出…' : purpose === 'transfer' ? '导出移交包' : '导出上报包（只读）'}
                  </button>
                ))}
              </div>
            </section>
          </>
        )
      )}

      <section className="panel package-section" aria-label="工作包记录">
        <h2>工作包记录</h2>
        {o.log.length === 0 ? (
          <p className="muted">还没有导出或导入过工作包。</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>时间</th>
                <th>方向</th>
                <th>类型</th>
                <th>评查人员</th>
                <th>内容</th>
                <th className="num">大小</th>
                <th>签名</th>
              </tr>
            </thead>
            <tbody>
              {o.log.map((l) => (
                <tr key={`${l.packageId}-${l.direction}`}>
                  <td>{when(l.at)}</td>
                  <td>
                    <span className={`badge ${l.direction === 'imported' ? 'badge-primary' : ''}`}>
                      {l.direction === 'imported' ? '导入' : '导出'}
                    </span>
                  </td>
                  <td>
                    {PACKAGE_KIND_LABELS[l.kind]}
                    {l.kind === 'return' ? `（第 ${l.sequence} 次）` : ''}
                  </td>
                  <td>{l.reviewerName ?? '—'}</td>
                  <td>{l.summary}</td>
                  <td className="num">{size(l.bytes)}</td>
                  <td>{l.signed ? 'SM2 签名' : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <ImportPackageDialog
        open={importing}
        title="导入回收包"
        onClose={() => setImporting(false)}
        onImported={(result) => {
          setImporting(false);
          toast.show(
            result.counts.conflicts ? `已合并，有 ${result.counts.conflicts} 处冲突待处理` : `已合并${result.reviewerName ?? ''}的回收包`,
            result.counts.conflicts ? 'info' : 'ok',
          );
          overview.reload();
          conflicts.reload();
          if (result.campaignId !== campaignId) navigate(href.campaign(result.campaignId));
        }}
      />
    </div>
  );
}

function ConflictsSection({ conflicts, onChanged }: { conflicts: PackageConflict[]; onChanged: () => void }) {
  const toast = useToast();
  const open = conflicts.filter((c) => c.status === 'open');
  const [busy, setBusy] = useState<string | null>(null);
  if (!conflicts.length) return null;

  async function resolve(c: PackageConflict, choice: 'local' | 'incoming') {
    setBusy(c.id);
    try {
      await invoke('package:resolve', { conflictId: c.id, choice });
      toast.show(`${c.caseNumber}：已${choice === 'local' ? '保留本机的评查表' : '采用回收包中的评查表'}`, 'ok');
      onChanged();
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel package-section" aria-label="待处理的冲突">
      <h2>
        冲突{' '}
        {open.length ? (
          <span className="badge badge-danger">{open.length} 处待处理</span>
        ) : (
          <span className="badge badge-ok">已全部处理</span>
        )}
      </h2>
      <p>同一份评查表在本机和评查人员的电脑上都被修改过。系统不会自动覆盖任何一方，请逐份比较后选择保留哪一方（操作记入审计日志）。</p>
      {conflicts.map((c) => (
        <article key={c.id} className={`conflict ${c.status}`} aria-label={`冲突：${c.caseNumber} ${c.reviewerName}`}>
          <header>
            <h3>
              {c.caseNumber} · {c.caseTitle || '（未填写案件名称）'} · 评查人员 {c.reviewerName}
            </h3>
            {c.status === 'resolved' && (
              <span className="badge">
                已处理：{c.resolution === 'local' ? '保留本机' : '采用回收包'}（{c.resolvedByName}）
              </span>
            )}
          </header>
          <table className="table conflict-table">
            <thead>
              <tr>
                <th>评查项目</th>
                <th>本机（组长电脑）</th>
                <th>回收包（评查人员电脑）</th>
              </tr>
            </thead>
            <tbody>
              <tr className="conflict-total">
                <td>状态与得分</td>
                <td>
                  {SHEET_STATUS_LABELS[c.local.status]} · {fmt(c.local.summary.total)} 分 {c.local.summary.grade}
                </td>
                <td>
                  {SHEET_STATUS_LABELS[c.incoming.status]} · {fmt(c.incoming.summary.total)} 分 {c.incoming.summary.grade}
                </td>
              </tr>
              {c.items.map((i) => (
                <tr key={i.itemId}>
                  <td>
                    <b>{i.code}</b> {i.text}
                  </td>
                  <td>{answerText(i.local)}</td>
                  <td>{answerText(i.incoming)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {c.status === 'open' && (
            <div className="package-actions">
              <button className="btn" type="button" disabled={!!busy} onClick={() => void resolve(c, 'local')}>
                保留本机
              </button>
              <button className="btn btn-primary" type="button" disabled={!!busy} onClick={() => void resolve(c, 'incoming')}>
                采用回收包
              </button>
            </div>
          )}
        </article>
      ))}
    </section>
  );
}

/**
 * Where an exported package went: a toast with the file name left people asking. The desktop program
 * asks where to save it (a USB stick); the browser puts it in its download folder. Either way the
 * workstation keeps its own copy, whose path is shown so it can be found again.
 */
function ExportedNotice({ label, file, onClose }: { label: string; file: PackageExport; onClose: () => void }) {
  const shell = desktopShell();
  const desktop = shell !== null;
  const box = useRef<HTMLDivElement>(null);
  // The export buttons sit low on the page at 1366×768: bring the notice into view.
  useEffect(() => box.current?.scrollIntoView({ block: 'nearest' }), [file.packageId]);
  return (
    <div className="notice notice-info package-exported" role="status" data-testid="package-exported" ref={box}>
      <div>
        <strong>{label}完成</strong>：{file.fileName}（{size(file.bytes)}）
      </div>
      <div>
        {desktop
          ? '请在弹出的“保存”窗口中选择保存位置（如 U 盘）。'
          : '已交给浏览器下载，保存在浏览器的“下载”文件夹中（按 Ctrl+J 可查看下载位置并打开所在文件夹）。'}
      </div>
      <div>
        本工作站另存一份：<code className="package-kept">{file.keptAt}</code>
      </div>
      <div className="package-actions">
        {shell && (
          <button className="btn btn-sm" type="button" onClick={() => void shell.showItemInFolder(file.keptAt)}>
            打开所在文件夹
          </button>
        )}
        <button className="btn btn-sm" type="button" onClick={() => download(file.url, file.fileName)}>
          再次下载
        </button>
        <button className="btn btn-sm" type="button" onClick={onClose}>
          知道了
        </button>
      </div>
    </div>
  );
}
