import { useEffect, useRef, useState, type FormEvent } from 'react';
import { caseNumbersIn } from '../../../../shared/dossiers/case-number';
import { guessCaseType, guessSentence, type CaseTypeGuess } from '../../../../shared/precheck/case-type';
import { documentOptions, pdfjsLib } from '../dossiers';
import { CASE_TYPES, CASE_TYPE_LABELS, type CaseType } from '../../../../shared/campaigns/case-types';
import { errorMessage, invoke, uploadFile } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { CampaignStandardsPanel, MissingStandardsNotice } from '../standards';
import { href } from '../../app/router';
import { useUser } from '../../app/session';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import { CampaignPageHead } from './CampaignSubnav';
import { OcrCampaignBar, useOcrStatus } from '../ocr';
import { MY_WORK_QUERY, MyWorkLine } from '../scoring';
import { CaseList } from './CaseList';
import { UnitsPanel } from './UnitsPanel';
import { PrecheckCampaignPanel } from '../precheck';

export function CampaignScreen({ campaignId }: { campaignId: string }) {
  const user = useUser();
  const campaign = useQuery('campaign:get', { campaignId }, { refreshOn: (c) => c.campaignId === campaignId });
  const [importing, setImporting] = useState(false);
  // A campaign that came in a work package is managed where it came from.
  const copy = useQuery('package:overview', { campaignId }).data?.replica ?? null;
  const canImport = (user.role === 'organiser' || user.role === 'lead') && !copy?.readOnly;
  const ocr = useOcrStatus(campaignId);
  // A reviewer reads their own workload, not the campaign's counts and the organiser's panels.
  const reviewer = user.role === 'reviewer';
  const board = useQuery('review:board', reviewer ? { campaignId, ...MY_WORK_QUERY } : null, {
    refreshOn: (c) => c.campaignId === campaignId && (c.entity === 'case' || c.entity === 'campaign'),
  });

  if (campaign.error)
    return (
      <div className="page">
        <div className="notice notice-error">{campaign.error}</div>
      </div>
    );
  const c = campaign.data;
  return (
    <div className="page">
      <CampaignPageHead
        campaignId={campaignId}
        current="cases"
        note={reviewer ? <MyWorkLine page={board.data} /> : c && `${c.issuingBody} · 被评查单位 ${c.unitCount} 个 · 案卷 ${c.caseCount} 件`}
        actions={
          // Reviewers have no tab for packages (blind review); on a laptop copy they export their return package here.
          user.role === 'reviewer' && copy?.kind === 'reviewer' ? (
            <a className="btn btn-primary" href={href.packages(campaignId)}>
              工作包（导出回收包）
            </a>
          ) : (
            canImport && (
              <>
                <button className="btn" type="button" onClick={() => setImporting(true)} title="导入一个 PDF 并手工填写案号、单位和类型">
                  ＋ 导入案卷
                </button>
                <a className="btn btn-primary" href={href.campaignImport(campaignId)} title="文件夹、压缩包和案件清单">
                  批量导入
                </a>
              </>
            )
          )
        }
      />

      {copy?.readOnly && (
        <div className="notice notice-info" role="note">
          {copy.kind === 'reviewer'
            ? `本活动是从评查工作包导入的只读副本（评查人员：${copy.reviewerName ?? ''}）：可以阅卷、批注和评分；案卷、标准和分配由评查组长在原工作站管理。评分完成后在“工作包”中导出回收包。`
            : '本活动是上报的只读结果，不能修改。'}
        </div>
      )}

      {c && !reviewer && <MissingStandardsNotice campaign={c} />}

      <OcrCampaignBar campaignId={campaignId} status={ocr.status} onStatus={ocr.set} canControl={canImport} />

      <section className="panel" aria-label="案卷列表">
        <CaseList
          campaignId={campaignId}
          ocrStatus={ocr.status}
          showReviewerFilter={user.role === 'organiser' || user.role === 'lead'}
          empty={
            <div className="empty">
              <h3>还没有案卷</h3>
              <p>
                {canImport
                  ? '点击“导入案卷”，选择案卷 PDF 并填写案号、单位和案件类型。'
                  : reviewer
                    ? '评查组长尚未给您分配案卷。'
                    : '请等待组织者导入案卷。'}
              </p>
            </div>
          }
        />
      </section>
      {!reviewer && <PrecheckCampaignPanel campaignId={campaignId} />}
      {c && !reviewer && <CampaignStandardsPanel campaign={c} canEdit={canImport} />}
      {!reviewer && <UnitsPanel campaignId={campaignId} canEdit={canImport} />}
      {canImport && <ImportCaseDialog campaignId={campaignId} open={importing} onClose={() => setImporting(false)} />}
    </div>
  );
}

function ImportCaseDialog({ campaignId, open, onClose }: { campaignId: string; open: boolean; onClose: () => void }) {
  const toast = useToast();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [caseNumber, setCaseNumber] = useState('');
  const [caseTitle, setCaseTitle] = useState('');
  const [unitName, setUnitName] = useState('');
  const [caseType, setCaseType] = useState<CaseType | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  // A late file comes without a case list: its 案号 and type are read off its name and first pages,
  // said as inferred, and stay the person's to change.
  const [guess, setGuess] = useState<CaseTypeGuess | null>(null);
  useEffect(() => {
    if (!file) return setGuess(null);
    let live = true;
    const fromName = caseNumbersIn(file.name.replace(/\.pdf$/i, '')).at(-1) ?? '';
    if (fromName) setCaseNumber((n) => n || fromName);
    void firstPageTexts(file)
      .catch(() => [] as string[])
      .then((texts) => {
        if (!live) return;
        const g = guessCaseType(texts, fromName);
        setGuess(g);
        if (g) setCaseType((t) => t || g.caseType);
        if (!fromName) {
          const inPages = texts.flatMap((t) => caseNumbersIn(t))[0];
          if (inPages) setCaseNumber((n) => n || inPages);
        }
      });
    return () => {
      live = false;
    };
  }, [file]);

  function reset() {
    setFile(null);
    setCaseNumber('');
    setCaseTitle('');
    setCaseType('');
    setGuess(null);
    setError(null);
    if (fileInput.current) fileInput.current.value = '';
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!file) return setError('请选择要导入的 PDF 文件。');
    if (!caseType) return setError('请选择案件类型。');
    try {
      setBusy('正在上传文件…');
      const source = await uploadFile(file);
      setBusy('正在检查 PDF 并导入…');
      const detail = await invoke('dossier:importSingle', {
        campaignId,
        sourceId: source.sourceId,
        caseNumber,
        caseTitle,
        unitName,
        caseType,
      });
      toast.show(`已导入 ${detail.caseNumber}（${detail.pageCount} 页）`, 'ok');
      reset();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Dialog open={open} title="导入案卷" onClose={() => !busy && onClose()} width={720}>
      <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 14 }} aria-label="导入案卷">
        <div
          className={`dropzone ${over ? 'over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            const f = e.dataTransfer.files[0];
            if (f) setFile(f);
          }}
        >
          <p>
            {file ? (
              <>
                已选择：<b>{file.name}</b>（{(file.size / 1024 / 1024).toFixed(1)} MB）
              </>
            ) : (
              '把案卷 PDF 拖到这里，或'
            )}
          </p>
          <label className="btn btn-sm" style={{ marginTop: 8 }}>
            选择 PDF 文件…
            <input
              ref={fileInput}
              type="file"
              accept="application/pdf,.pdf"
              className="sr-only"
              aria-label="案卷 PDF 文件"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </label>
        </div>
        <div className="form-grid">
          <Field label="案号">
            <input
              className="input"
              value={caseNumber}
              onChange={(e) => setCaseNumber(e.target.value)}
              placeholder="如：某市监处罚〔2025〕12号"
            />
          </Field>
          <Field label="案件类型">
            <select className="input" value={caseType} onChange={(e) => setCaseType(e.target.value as CaseType)} aria-label="案件类型">
              <option value="">请选择…</option>
              {CASE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {CASE_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="被评查单位">
            <input
              className="input"
              value={unitName}
              onChange={(e) => setUnitName(e.target.value)}
              placeholder="如：某某县市场监督管理局"
            />
          </Field>
          <Field label="案件名称（可选）">
            <input className="input" value={caseTitle} onChange={(e) => setCaseTitle(e.target.value)} />
          </Field>
        </div>
        {guess && caseType === guess.caseType && (
          <div className="notice notice-info" role="status" data-testid="type-guess">
            {guessSentence(guess)}
          </div>
        )}
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <p className="muted">
          一次导入一个单位的全部案卷？请用 <a href={href.campaignImport(campaignId)}>批量导入</a>（文件夹、压缩包和案件清单）。
        </p>
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 10, alignItems: 'center' }}>
          {busy && (
            <span className="muted">
              <span className="spinner" /> {busy}
            </span>
          )}
          <button className="btn" type="button" onClick={onClose} disabled={!!busy}>
            取消
          </button>
          <button className="btn btn-primary" type="submit" disabled={!!busy}>
            导入
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The text of a PDF's first pages (what an import reads to tell its 案号 and type), in the browser. */
async function firstPageTexts(file: File, pages = 3): Promise<string[]> {
  const { url: _url, ...options } = documentOptions('');
  const pdf = await pdfjsLib.getDocument({ ...options, data: new Uint8Array(await file.arrayBuffer()) }).promise;
  try {
    const out: string[] = [];
    for (let i = 1; i <= Math.min(pages, pdf.numPages); i++) {
      const content = await (await pdf.getPage(i)).getTextContent();
      out.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join(''));
    }
    return out;
  } finally {
    void pdf.destroy();
  }
}
