/**
 * 文书: per campaign, the 监督意见书 and 整改通知书 of each unit and the campaign's 通报 — pick a unit,
 * see the letter on A4 exactly as it will be exported, edit the bureau's template with a live
 * preview, check this PC's fonts, export DOCX (one, or all units as a ZIP).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { chineseDate } from '../../../../shared/core/gbt9704';
import { fmt } from '../../../../shared/standards/tree';
import { LETTER_KIND_LABELS, LETTER_KINDS, type GongwenDoc, type LetterKind } from '../../../../shared/letters/document';
import type { FontStatusView, LetterReadiness } from '../../../../shared/letters/api';
import { pendingLabel, unreasonedLabel } from '../../../../shared/letters/facts';
import { defaultTemplate, type LetterTemplate } from '../../../../shared/letters/template';
import { download, errorMessage, invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { useUser } from '../../app/session';
import { GongwenPreview } from './GongwenPreview';
import { TemplateEditor } from './TemplateEditor';
import { useToast } from '../../ui/toast';
import { useFormAction } from '../../ui/use-form-action';
import { CampaignPageHead } from '../campaigns';
import { IssuePanel } from '../signing';
import './letters.css';
import { DateField } from '../../ui/date-field';
import { href } from '../../app/router';

const today = (): string => {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};

export function LettersScreen({ campaignId }: { campaignId: string }) {
  const user = useUser();
  const toast = useToast();
  const canWrite = user.role === 'organiser' || user.role === 'lead';
  const list = useQuery('letter:list', { campaignId }, { refreshOn: (c) => c.campaignId === campaignId || c.entity === 'sheet' });
  const [kind, setKind] = useState<LetterKind>('opinion');
  const [unitId, setUnitId] = useState<string | null>(null);
  const [date, setDate] = useState(today);
  const [includeProvisional, setIncludeProvisional] = useState(false);
  const [zoom, setZoom] = useState(0.6);
  const saved = useQuery('letter:template', { kind }, { refreshOn: (c) => c.entity === 'letter' });
  const [draft, setDraft] = useState<LetterTemplate | null>(null);
  const { busy: saving, error: templateError, run: runSave } = useFormAction();
  const [preview, setPreview] = useState<{ doc: GongwenDoc; fonts: FontStatusView[]; readiness: LetterReadiness } | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);

  const units = useMemo(() => list.data?.units.filter((u) => u.fileCount > 0) ?? [], [list.data]);
  const scored = units.filter((u) => u.finalCount + u.provisionalCount > 0);
  const perUnit = kind !== 'bulletin';
  useEffect(() => {
    if (perUnit && !unitId && scored[0]) setUnitId(scored[0].unitId);
  }, [perUnit, unitId, scored]);
  useEffect(() => setDraft(null), [kind]);

  // Preview: the saved template, or the one being edited (debounced while typing).
  useEffect(() => {
    if (perUnit && !unitId) return;
    let live = true;
    const timer = setTimeout(
      () => {
        invoke('letter:preview', {
          campaignId,
          kind,
          ...(perUnit && unitId ? { unitId } : {}),
          date,
          includeProvisional,
          ...(draft ? { template: draft } : {}),
        })
          .then((p) => {
            if (!live) return;
            setPreview(p);
            setPreviewError(null);
          })
          .catch((err) => {
            if (!live) return;
            // Never leave another unit's letter on screen under this one's name.
            setPreview(null);
            setPreviewError(errorMessage(err));
          });
      },
      draft ? 350 : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // list.data: a template saved or a letter issued elsewhere changes what the preview shows.
  }, [campaignId, kind, perUnit, unitId, date, draft, list.data, includeProvisional]);

  const provisional = units.reduce((n, u) => n + u.provisionalCount, 0);
  const unscored = units.reduce((n, u) => n + u.unscoredCount, 0);
  const current = units.find((u) => u.unitId === unitId);
  // A unit without problems gets no 整改通知书: the screen says so instead of a letter.
  const skipReason = kind === 'notice' ? (current?.noticeSkipReason ?? null) : null;
  const letterRecord = list.data?.letters.find((l) => l.kind === kind && l.unitId === (perUnit ? unitId : null));

  async function exportOne() {
    setBusy('正在生成…');
    try {
      const out = await invoke('letter:export', { campaignId, kind, ...(perUnit && unitId ? { unitId } : {}), includeProvisional, date });
      download(out.url, out.fileName);
      toast.show(`已导出：${out.fileName}`, 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    } finally {
      setBusy(null);
    }
  }

  async function exportAll() {
    if (kind === 'bulletin') return;
    setBusy('正在批量生成…');
    try {
      const out = await invoke('letter:exportAll', { campaignId, kind, includeProvisional, date });
      download(out.url, out.fileName);
      toast.show(
        `已导出 ${out.count} 份：${out.fileName}${out.skipped.length ? `。${out.skipped.map((u) => u.reason).join('')}` : ''}`,
        'ok',
      );
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    } finally {
      setBusy(null);
    }
  }

  async function saveTemplate() {
    if (!draft) return;
    await runSave(async () => {
      await invoke('letter:saveTemplate', { kind, template: draft });
      toast.show('模板已保存', 'ok');
      setDraft(null);
      saved.reload();
    });
  }

  const missingFonts = preview?.fonts.filter((f) => !f.installed) ?? [];

  return (
    <div className="page" style={{ maxWidth: 1680 }}>
      <CampaignPageHead campaignId={campaignId} title="文书出具" current="letters" />

      <div className="tabs" role="tablist" aria-label="文书种类">
        {LETTER_KINDS.map((k, i) => (
          <button
            key={k}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            role="tab"
            type="button"
            aria-selected={kind === k}
            tabIndex={kind === k ? 0 : -1}
            onClick={() => setKind(k)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
              const next = (i + (e.key === 'ArrowRight' ? 1 : LETTER_KINDS.length - 1)) % LETTER_KINDS.length;
              setKind(LETTER_KINDS[next]!);
              tabs.current[next]?.focus();
            }}
          >
            {LETTER_KIND_LABELS[k]}
          </button>
        ))}
      </div>

      {(provisional > 0 || unscored > 0) && (
        <div className="notice notice-warn" role="status">
          {provisional > 0 && (
            <>
              有 {provisional}{' '}
              件案卷已评分但评查人结论不一，尚待合议，合议定分后文书才能正式出具（下方“出具前检查”逐件列出，可直接进入合议）。
              如需先行导出，可勾选“包含暂定结果”，文书中这些案卷逐项标注“暂定”。
            </>
          )}
          {unscored > 0 && <> 另有 {unscored} 件案卷尚在评分（评查人未全部提交），不计入、不列入文书。</>}
        </div>
      )}

      <div className={draft ? 'letters-layout editing' : perUnit ? 'letters-layout' : ''}>
        {draft && (
          <section className="panel template-panel" aria-label="模板">
            <TemplateEditor
              kind={kind}
              value={draft}
              onChange={setDraft}
              onSave={saveTemplate}
              onReset={() => setDraft(defaultTemplate(kind))}
              onClose={() => setDraft(null)}
              busy={saving}
              error={templateError}
              canSave={canWrite}
              numbering={{ campaignId, date, savedPrefix: saved.data?.template.numberPrefix ?? '' }}
            />
          </section>
        )}
        {perUnit && !draft && (
          <section className="panel" aria-label="被评查单位">
            {scored.length === 0 ? (
              <div className="empty">
                <p>还没有已评分的案卷。</p>
              </div>
            ) : (
              <ul
                className="unit-list"
                onKeyDown={(e) => {
                  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
                  e.preventDefault();
                  const i = scored.findIndex((u) => u.unitId === unitId);
                  const next = scored[Math.min(scored.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)))]!;
                  setUnitId(next.unitId);
                  (e.currentTarget.querySelector(`[data-unit="${next.unitId}"]`) as HTMLButtonElement | null)?.focus();
                }}
              >
                {scored.map((u) => {
                  const rec = list.data?.letters.find((l) => l.kind === kind && l.unitId === u.unitId);
                  return (
                    <li key={u.unitId}>
                      <button type="button" data-unit={u.unitId} aria-current={u.unitId === unitId} onClick={() => setUnitId(u.unitId)}>
                        <b>{u.unitName}</b>
                        <span className="meta">
                          <span>
                            已评 {u.finalCount + u.provisionalCount}/{u.fileCount} 件
                          </span>
                          {u.average !== null && (
                            <span>
                              平均 {fmt(u.average)} 分 · {u.grade}
                            </span>
                          )}
                          <span>问题 {u.problemCount} 项</span>
                          {/* The case list's words: a file nobody scored is 未评分, one scored but not settled 未定分. */}
                          {u.pendingUnscored > 0 && (
                            <span className="badge" data-testid="unit-unscored" title={`尚未定分：${u.pendingFiles.join('、')}`}>
                              未评分 {u.pendingUnscored}
                            </span>
                          )}
                          {u.pendingFiles.length > u.pendingUnscored && (
                            <span
                              className="badge badge-warn"
                              data-testid="unit-unsettled"
                              title={`尚未定分：${u.pendingFiles.join('、')}`}
                            >
                              未定分 {u.pendingFiles.length - u.pendingUnscored}
                            </span>
                          )}
                          {rec?.documentNumber && <span className="badge badge-primary">{rec.documentNumber}</span>}
                          {kind === 'notice' && u.noticeSkipReason && (
                            <span className="badge" title={u.noticeSkipReason}>
                              未发现问题，不生成
                            </span>
                          )}
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
            <p className="muted" style={{ padding: '0 12px 10px', fontSize: 'var(--fs-sm)' }}>
              <kbd>↑</kbd>
              <kbd>↓</kbd> 切换单位
            </p>
          </section>
        )}

        <div style={{ display: 'flex', flexDirection: 'column', gap: 12, minWidth: 0 }}>
          <section className="panel toolbar" aria-label="导出">
            <label className="check">
              成文日期{' '}
              <DateField value={date} onChange={(v) => setDate(v || today())} style={{ width: 180 }} aria-label="成文日期" required />
              <span className="muted">{chineseDate(date)}</span>
            </label>
            {canWrite && (
              <label className="check">
                <input type="checkbox" checked={includeProvisional} onChange={(e) => setIncludeProvisional(e.target.checked)} />
                <span title="尚待合议的案卷按暂定结果列入文书，逐项标注“暂定”；正式出具（核对定稿）仍须合议定分">包含暂定结果</span>
              </label>
            )}
            <label className="check">
              缩放
              <select
                className="input"
                style={{ width: 96 }}
                value={zoom}
                onChange={(e) => setZoom(Number(e.target.value))}
                aria-label="预览缩放"
              >
                {[0.5, 0.6, 0.75, 1].map((z) => (
                  <option key={z} value={z}>
                    {Math.round(z * 100)}%
                  </option>
                ))}
              </select>
            </label>
            <span className="spacer" />
            {letterRecord?.documentNumber && <span className="muted">文号 {letterRecord.documentNumber}</span>}
            <button
              className="btn"
              type="button"
              onClick={() => setDraft(draft ?? saved.data?.template ?? defaultTemplate(kind))}
              aria-expanded={!!draft}
            >
              编辑模板
            </button>
            {canWrite && perUnit && (
              <button className="btn" type="button" onClick={exportAll} disabled={!!busy || scored.length === 0}>
                全部单位导出（ZIP）
              </button>
            )}
            {canWrite && (
              <button
                className="btn btn-primary"
                type="button"
                onClick={exportOne}
                disabled={!!busy || (perUnit && !current) || !!skipReason}
              >
                {busy ?? '导出 DOCX'}
              </button>
            )}
          </section>

          {preview && (
            <section className="panel readiness" aria-label="出具前检查">
              <h2 className="readiness-title">出具前检查</h2>
              {preview.readiness.pending.length > 0 && (
                <div className="notice notice-error" role="alert">
                  <b>
                    {perUnit ? '本单位' : '本次评查'}尚有 {preview.readiness.pending.length} 件抽取的案卷未形成最终结果，不能核对定稿：
                  </b>
                  <ul className="readiness-list">
                    {preview.readiness.pending.map((p) => (
                      <li key={p.caseId}>
                        {p.state === 'provisional' ? (
                          // Scored by everyone, not settled: what to do is the panel's 合议, one click away.
                          <>
                            {p.caseNumber}（尚待合议）<a href={href.reconcile(p.caseId)}>去合议</a>
                          </>
                        ) : (
                          <>
                            {pendingLabel(p)} <a href={href.case(p.caseId)}>查看案卷</a>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                  <span>
                    {preview.readiness.pending.some((p) => p.state === 'provisional') && '尚待合议的案卷合议定分后即可正式出具。'}
                    {preview.readiness.pending.some((p) => p.state === 'unscored') &&
                      '尚在评分的案卷须等分配的评查人全部提交评查表；文书中的件数只计已评查的案卷。'}
                  </span>
                </div>
              )}
              {preview.readiness.unreasoned.length > 0 && (
                <div className="notice notice-error" role="alert">
                  <b>以下扣分没有填写评查意见（扣分理由），不能写入文书：</b>
                  <ul className="readiness-list">
                    {preview.readiness.unreasoned.map((d) => (
                      <li key={`${d.caseId}-${d.itemCode}`}>{unreasonedLabel(d)}</li>
                    ))}
                  </ul>
                  <span>请评查人补填理由，或在合议时写明理由后定分。</span>
                </div>
              )}
              {preview.readiness.pending.length === 0 && preview.readiness.unreasoned.length === 0 && (
                <p className="readiness-ok">✓ 引用的评查结果均已定分，扣分均有理由。</p>
              )}
              <div className="font-check">
                <b>所需字体</b>
                <ul className="font-list">
                  {preview.fonts.map((f) => (
                    <li key={f.family} className={f.installed ? 'ok' : 'missing'}>
                      <span aria-hidden="true">{f.installed ? '✓' : '✗'}</span> <b>{f.family}</b>
                      {f.role && <span className="muted">（{f.role}）</span>}{' '}
                      {f.installed ? '已安装' : <span>{f.advice.split('。')[0]}</span>}
                    </li>
                  ))}
                </ul>
                {missingFonts.length > 0 && (
                  <p className="muted">
                    缺少字体时文档仍可打开，但字形和每页行数都会改变。请向单位信息化部门索取上列字体文件并安装（或在装有这些字体的电脑上出具），然后点“重新检查字体”。
                  </p>
                )}
                <button
                  className="btn btn-sm"
                  type="button"
                  onClick={async () => {
                    try {
                      await invoke('font:check', { refresh: true });
                      list.reload();
                      toast.show('已重新检查本机字体', 'ok');
                    } catch (err) {
                      toast.show(errorMessage(err), 'error');
                    }
                  }}
                >
                  重新检查字体
                </button>
              </div>
            </section>
          )}

          {(!perUnit || current) && !skipReason && (
            <IssuePanel campaignId={campaignId} kind={kind} unitId={perUnit ? unitId : null} date={date} onChanged={list.reload} />
          )}
          {previewError && !skipReason && (
            <div className="notice notice-error" role="alert">
              {previewError}
            </div>
          )}
          {preview && preview.doc.notes.provisionalFiles.length > 0 && (
            <div className="notice notice-warn" data-testid="letter-provisional">
              {preview.doc.notes.provisionalFiles.length} 件尚待合议，文书中按暂定结果列出：
              {preview.doc.notes.provisionalFiles.map((n, i) => {
                const file = preview.readiness.pending.find((p) => p.caseNumber === n);
                return (
                  <span key={n}>
                    {i > 0 && '、'}
                    {file ? <a href={href.reconcile(file.caseId)}>{n}</a> : n}
                  </span>
                );
              })}
              。合议定分后可正式出具。
            </div>
          )}
          <section className="preview-wrap" aria-label="版面预览" data-testid="letter-preview">
            {preview ? (
              <>
                <p className="preview-note">版面预览按国家标准近似排版，不标页码；页数和页码以导出的 DOCX 为准。</p>
                <GongwenPreview doc={preview.doc} zoom={zoom} />
              </>
            ) : (
              <div className="empty" style={{ color: '#fff' }}>
                {perUnit && !unitId ? (
                  '还没有可出具的文书：被评查单位有案卷定分（或暂定）后，这里显示文书的版面。'
                ) : skipReason ? (
                  <span role="status">{skipReason}</span>
                ) : previewError ? (
                  '预览未能生成。'
                ) : (
                  <>
                    <span className="spinner" /> 正在生成预览…
                  </>
                )}
              </div>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
