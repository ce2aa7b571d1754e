/**
 * The import wizard: choose a folder / zips / PDFs and the 案件清单 → check the column mapping →
 * review how files were matched to cases (assign the rest) → watch the import (cancel any time) →
 * read the summary and export it. Files go up through upload tickets keeping their folder paths;
 * every decision is made by the back end, this screen only shows it and sends corrections.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { CASE_TYPES, CASE_TYPE_LABELS, CASE_TYPE_SHORT, type CaseType } from '../../../../shared/campaigns/case-types';
import type { ImportPreview, ImportSummary, JobView, ListLayout, PreviewFile, PreviewRow, UnitMatch } from '../../../../shared/import/api';
import { LIST_FIELD_LABELS, LIST_FIELDS } from '../../../../shared/import/fields';
import { isCombinedAmountHeader, previewValue } from '../../../../shared/import/rows';
import { MATCH_HOW_LABELS, mismatchText } from '../../../../shared/import/match';
import { IDENTICAL_FILE_MESSAGE, MISSING_DOSSIER_MESSAGE } from '../../../../shared/import/outcomes';
import { isIdenticalFile, reviewSummary } from '../../../../shared/import/review-summary';
import { unitMatchText } from '../../../../shared/import/unit-names';
import { download, errorMessage, invoke, onEvent, uploadFile } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';
import './import.css';
import { CampaignPageHead } from '../campaigns';

type Step = 'choose' | 'mapping' | 'review' | 'running' | 'done';
const STEPS: Array<[Step, string]> = [
  ['choose', '选择材料'],
  ['mapping', '核对列对应'],
  ['review', '核对匹配'],
  ['running', '导入'],
  ['done', '完成'],
];

interface Picked {
  file: File;
  /** Path inside the chosen folder, or the file name. */
  path: string;
}

type Mapping = ListLayout['mapping'];

const LIST_RE = /\.(xlsx|xlsm|csv)$/i;
const UPLOAD_PARALLEL = 3;
const SHOWN = 400;

const mb = (bytes: number): string =>
  bytes < 1024 ** 2 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0)} MB`;
const byPath = new Intl.Collator('zh-CN', { numeric: true });
const FILES_SHOWN = 6;
const columnLetter = (i: number): string => (i >= 26 ? columnLetter(Math.floor(i / 26) - 1) : '') + String.fromCharCode(65 + (i % 26));
function duration(seconds: number | null): string {
  if (seconds === null) return '正在估算';
  if (seconds < 60) return `约 ${Math.max(1, Math.round(seconds))} 秒`;
  const m = Math.floor(seconds / 60);
  return m >= 60 ? `约 ${Math.floor(m / 60)} 小时 ${m % 60} 分` : `约 ${m} 分 ${Math.round(seconds % 60)} 秒`;
}

export function ImportScreen({ campaignId }: { campaignId: string }) {
  const toast = useToast();
  const units = useQuery('unit:list', { campaignId });
  const [step, setStep] = useState<Step>('choose');
  const [picked, setPicked] = useState<Picked[]>([]);
  const [listFile, setListFile] = useState<Picked | null>(null);
  const [listNote, setListNote] = useState<string | null>(null);
  const [unitName, setUnitName] = useState('');
  const [caseType, setCaseType] = useState<CaseType | ''>('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<{ sourceIds: string[]; listId: string | null } | null>(null);
  const [layout, setLayout] = useState<ListLayout | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [saveMapping, setSaveMapping] = useState(true);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [assignments, setAssignments] = useState<Record<string, string | null>>({});
  const [registerEmpty, setRegisterEmpty] = useState(true);
  const [keepUnits, setKeepUnits] = useState<string[]>([]);
  const [job, setJob] = useState<JobView | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const pendingIds = useRef<string[]>([]);
  const stepRef = useRef<HTMLDivElement>(null);

  // Keyboard and screen-reader users land on the new step, not at the top of the page.
  useEffect(() => {
    stepRef.current?.focus();
  }, [step]);

  // Uploads not imported are dropped when the user leaves the wizard.
  useEffect(
    () => () => {
      if (pendingIds.current.length) void invoke('import:discard', { sourceIds: pendingIds.current }).catch(() => undefined);
    },
    [],
  );

  const defaults = useMemo(
    () => ({ ...(unitName.trim() ? { unitName: unitName.trim() } : {}), ...(caseType ? { caseType } : {}) }),
    [unitName, caseType],
  );

  function addPicked(files: FileList | null, keepFolders: boolean) {
    if (!files?.length) return;
    const next = [...files].map((file) => ({ file, path: (keepFolders && file.webkitRelativePath) || file.name }));
    // A folder often carries its own 案件清单: use it when no list was chosen.
    const lists = next.filter((p) => LIST_RE.test(p.path) && !/(^|\/)~\$/.test(p.path));
    let material = next;
    if (!listFile && lists.length === 1) {
      setListFile(lists[0]!);
      setListNote(`已自动选用文件夹中的“${lists[0]!.path}”作为案件清单，可以更换。`);
      material = next.filter((p) => p !== lists[0]);
    }
    setPicked((prev) => {
      const seen = new Set(prev.map((p) => p.path));
      return [...prev, ...material.filter((p) => !seen.has(p.path))];
    });
    resetUploads();
  }

  function resetUploads() {
    if (uploaded) {
      void invoke('import:discard', { sourceIds: [...uploaded.sourceIds, ...(uploaded.listId ? [uploaded.listId] : [])] }).catch(
        () => undefined,
      );
      pendingIds.current = [];
    }
    setUploaded(null);
    setLayout(null);
    setPreview(null);
    setAssignments({});
  }

  async function uploadAll(): Promise<{ sourceIds: string[]; listId: string | null }> {
    if (uploaded) return uploaded;
    const all = [...picked, ...(listFile ? [listFile] : [])];
    const total = all.reduce((n, p) => n + p.file.size, 0);
    let sentBytes = 0;
    let sentFiles = 0;
    const ids = new Map<Picked, string>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < all.length) {
        const p = all[next++]!;
        const staged = await uploadFile(p.file, undefined, p.path);
        ids.set(p, staged.sourceId);
        pendingIds.current.push(staged.sourceId);
        sentBytes += p.file.size;
        sentFiles++;
        setBusy(`正在上传 ${sentFiles} / ${all.length} 个文件（${mb(sentBytes)} / ${mb(total)}）…`);
      }
    };
    setBusy(`正在上传 0 / ${all.length} 个文件…`);
    await Promise.all(Array.from({ length: Math.min(UPLOAD_PARALLEL, all.length) }, worker));
    const result = { sourceIds: picked.map((p) => ids.get(p)!), listId: listFile ? ids.get(listFile)! : null };
    setUploaded(result);
    return result;
  }

  const request = useCallback(
    (up: { sourceIds: string[]; listId: string | null }, l: ListLayout | null, m: Mapping, keepUnitNames: string[] = []) => ({
      campaignId,
      sourceIds: up.sourceIds,
      keepUnitNames,
      ...(up.listId && l ? { list: { sourceId: up.listId, sheetName: l.sheetName, headerRow: l.headerRow, mapping: m } } : {}),
      defaults,
    }),
    [campaignId, defaults],
  );

  async function run<T>(label: string, work: () => Promise<T>): Promise<T | undefined> {
    setError(null);
    setBusy(label);
    try {
      return await work();
    } catch (err) {
      setError(errorMessage(err));
      return undefined;
    } finally {
      setBusy(null);
    }
  }

  /** A large list takes seconds to read (in its own thread on the back end): the seconds are shown so the wait is visibly progressing. */
  async function readingList<T>(work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    setBusy('正在读取案件清单…');
    const timer = window.setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      setBusy(`正在读取案件清单…已用 ${seconds} 秒（清单最多 50,000 行，较大的清单需要稍候）`);
    }, 1000);
    try {
      return await work();
    } finally {
      window.clearInterval(timer);
    }
  }

  async function toNext(e: FormEvent) {
    e.preventDefault();
    if (!picked.length && !listFile) return setError('请先选择案卷文件夹、压缩包或 PDF 文件。');
    if (!picked.length) return setError('只选择了案件清单，还需要选择案卷 PDF（文件夹、压缩包或 PDF 文件）。');
    await run('正在上传…', async () => {
      const up = await uploadAll();
      if (up.listId) {
        const listId = up.listId;
        const l = await readingList(() =>
          invoke('import:readList', { sourceId: listId, ...(unitName.trim() ? { unitName: unitName.trim() } : {}) }),
        );
        setLayout(l);
        setMapping(l.mapping);
        setStep('mapping');
      } else {
        setBusy('正在匹配案卷…');
        setPreview(await invoke('import:preview', request(up, null, {})));
        setStep('review');
      }
    });
  }

  async function reloadLayout(change: { sheetName?: string; headerRow?: number }) {
    if (!uploaded?.listId || !layout) return;
    await run('正在读取案件清单…', async () => {
      const l = await readingList(() =>
        invoke('import:readList', {
          sourceId: uploaded.listId!,
          sheetName: change.sheetName ?? layout.sheetName,
          ...(change.headerRow !== undefined ? { headerRow: change.headerRow } : {}),
          ...(unitName.trim() ? { unitName: unitName.trim() } : {}),
        }),
      );
      setLayout(l);
      setMapping(l.mapping);
    });
  }

  async function toReview(e: FormEvent) {
    e.preventDefault();
    if (mapping.caseNumber == null) return setError('请指定清单中哪一列是“案号”。');
    await run('正在匹配案卷…', async () => {
      setKeepUnits([]);
      setPreview(await invoke('import:preview', request(uploaded!, layout, mapping)));
      setAssignments({});
      setStep('review');
    });
  }

  async function start(e: FormEvent) {
    e.preventDefault();
    if (!uploaded || !preview) return;
    await run('正在开始导入…', async () => {
      const started = await invoke('import:start', {
        ...request(uploaded, layout, mapping, keepUnits),
        assignments,
        registerRowsWithoutFiles: registerEmpty,
        ...(layout && saveMapping && unitName.trim() ? { saveMappingFor: unitName.trim() } : {}),
      });
      pendingIds.current = [];
      setJob(await invoke('job:get', { jobId: started.jobId }));
      setStep('running');
    });
  }

  // Progress: pushed events, with a slow poll in case an event is missed.
  const jobId = job?.jobId;
  useEffect(() => {
    if (!jobId || step !== 'running') return;
    let live = true;
    const finish = async (view: JobView) => {
      if (!live) return;
      setJob(view);
      if (view.status === 'running') return;
      live = false;
      try {
        setSummary(await invoke('import:result', { batchId: view.resultId! }));
        setStep('done');
        if (view.status === 'failed') toast.show(view.error?.message ?? '导入未能完成。', 'error');
      } catch (err) {
        setError(errorMessage(err));
      }
    };
    const off = onEvent('job:progress', (p) => {
      if (p.jobId !== jobId || !live) return;
      if (p.finished) void invoke('job:get', { jobId }).then(finish);
      else
        setJob(
          (prev) =>
            prev && {
              ...prev,
              done: p.done,
              total: p.total,
              message: p.message,
              pages: p.pages ?? prev.pages,
              bytesDone: p.bytesDone ?? prev.bytesDone,
              bytesTotal: p.bytesTotal ?? prev.bytesTotal,
              etaSeconds: p.etaSeconds ?? null,
            },
        );
    });
    const timer = setInterval(
      () =>
        void invoke('job:get', { jobId })
          .then(finish)
          .catch(() => undefined),
      2000,
    );
    return () => {
      live = false;
      off();
      clearInterval(timer);
    };
  }, [jobId, step, toast]);

  async function cancel() {
    if (!job) return;
    try {
      setJob(await invoke('job:cancel', { jobId: job.jobId }));
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }

  useEffect(() => {
    if (step !== 'running') return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') void cancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  async function exportSummary() {
    if (!summary) return;
    try {
      const out = await invoke('import:exportSummary', { batchId: summary.batchId });
      download(out.url, out.fileName);
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }

  function restart() {
    setKeepUnits([]);
    setStep('choose');
    setPicked([]);
    setListFile(null);
    setListNote(null);
    setUploaded(null);
    setLayout(null);
    setPreview(null);
    setAssignments({});
    setJob(null);
    setSummary(null);
  }

  return (
    <div className="page import-page">
      <CampaignPageHead campaignId={campaignId} current="cases" title="批量导入案卷" />
      <ol className="steps" aria-label="导入步骤">
        {STEPS.filter(([s]) => s !== 'mapping' || layout || !uploaded).map(([s, label], i) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} className={s === step ? 'current' : ''}>
            <span className="n">{i + 1}</span>
            {label}
          </li>
        ))}
      </ol>
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      <div ref={stepRef} tabIndex={-1} className="step-body">
        {step === 'choose' && (
          <form className="panel import-step" onSubmit={toNext} aria-label="选择材料">
            <h2>案卷材料</h2>
            <p className="muted">可选择整个文件夹（含子文件夹）、一个或多个 .zip 压缩包，或若干 PDF 文件；可以多次添加。</p>
            <div className="pickers">
              <FilePicker label="选择文件夹…" ariaLabel="案卷文件夹" directory onPick={(f) => addPicked(f, true)} />
              <FilePicker
                label="选择压缩包…"
                ariaLabel="案卷压缩包"
                accept=".zip,application/zip"
                multiple
                onPick={(f) => addPicked(f, false)}
              />
              <FilePicker
                label="选择 PDF 文件…"
                ariaLabel="案卷 PDF 文件（可多选）"
                accept=".pdf,application/pdf"
                multiple
                onPick={(f) => addPicked(f, false)}
              />
              {picked.length > 0 && (
                <button className="btn btn-ghost" type="button" onClick={() => (setPicked([]), resetUploads())}>
                  清空
                </button>
              )}
            </div>
            <PickedSummary picked={picked} />

            <h2>案件清单</h2>
            <div className="pickers">
              <FilePicker
                label={listFile ? '更换案件清单…' : '选择案件清单…'}
                ariaLabel="案件清单"
                accept=".xlsx,.csv,.xls"
                onPick={(f) => {
                  if (f?.[0]) {
                    setListFile({ file: f[0], path: f[0].name });
                    setListNote(null);
                    resetUploads();
                  }
                }}
              />
              {listFile ? (
                <span>
                  已选择：<b>{listFile.path}</b>{' '}
                  <button
                    className="btn btn-sm btn-ghost"
                    type="button"
                    onClick={() => (setListFile(null), setListNote(null), resetUploads())}
                  >
                    不使用清单
                  </button>
                </span>
              ) : (
                <span className="muted">
                  .xlsx 或 .csv（UTF-8 / GBK 均可）；没有清单时，选定下面的“所属单位”和“默认案件类型”，按文件名中的案号登记案件。
                </span>
              )}
            </div>
            {listNote && <div className="notice notice-info">{listNote}</div>}

            <div className="form-grid">
              <Field label="所属单位" hint="清单中没有“被评查单位”列时，所有案件登记在这个单位下；也用于保存该单位清单的列对应关系。">
                <input
                  className="input"
                  list="import-units"
                  value={unitName}
                  onChange={(e) => (setUnitName(e.target.value), resetUploads())}
                  placeholder="如：某某县市场监督管理局"
                />
              </Field>
              <Field label="默认案件类型" hint="清单没有类型列或类型无法识别时使用。">
                <select className="input" value={caseType} onChange={(e) => (setCaseType(e.target.value as CaseType), resetUploads())}>
                  <option value="">（按清单）</option>
                  {CASE_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {CASE_TYPE_LABELS[t]}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <datalist id="import-units">
              {units.data?.map((u) => (
                <option key={u.id} value={u.name} />
              ))}
            </datalist>
            <Actions busy={busy}>
              <a className="btn" href={href.campaign(campaignId)}>
                返回
              </a>
              <button className="btn btn-primary" type="submit" disabled={!!busy}>
                下一步
              </button>
            </Actions>
          </form>
        )}

        {step === 'mapping' && layout && (
          <form className="panel import-step" onSubmit={toReview} aria-label="核对列对应">
            <h2>《{layout.fileName}》的列对应</h2>
            <div className={`notice ${layout.mappingSource === 'saved' ? 'notice-info' : 'notice-warn'}`}>
              {layout.mappingSource === 'saved'
                ? `已按“${layout.savedFor}”上次保存的对应关系填好，请核对。`
                : '已按表头名称自动识别，请逐项核对；识别不了的列请手动指定。'}
            </div>
            <div className="form-grid">
              {layout.sheets.length > 1 && (
                <Field label="工作表">
                  <select className="input" value={layout.sheetName} onChange={(e) => void reloadLayout({ sheetName: e.target.value })}>
                    {layout.sheets.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
              <Field label="表头所在行" hint="表头上方的标题行会被跳过。">
                <select
                  className="input"
                  value={layout.headerRow}
                  onChange={(e) => void reloadLayout({ headerRow: Number(e.target.value) })}
                >
                  {layout.rows.slice(0, 20).map((r, i) => (
                    <option key={i} value={i}>
                      第 {i + 1} 行：{r.filter(Boolean).join('、').slice(0, 40) || '（空行）'}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <div className="mapping-grid" role="group" aria-label="各字段对应的列">
              {LIST_FIELDS.map((field) => (
                <Field key={field} label={`${LIST_FIELD_LABELS[field]}${field === 'caseNumber' ? '（必填）' : ''}`}>
                  <select
                    aria-label={`${LIST_FIELD_LABELS[field]}${field === 'caseNumber' ? '（必填）' : ''}`}
                    className="input"
                    value={mapping[field] ?? ''}
                    onChange={(e) => setMapping((m) => ({ ...m, [field]: e.target.value === '' ? null : Number(e.target.value) }))}
                  >
                    <option value="">（清单中没有）</option>
                    {layout.headers.map((h, i) => (
                      <option key={i} value={i}>
                        {columnLetter(i)} 列：{h.replace(/\n/g, ' ') || '（无表头）'}
                      </option>
                    ))}
                  </select>
                </Field>
              ))}
            </div>
            <MappingPreview layout={layout} mapping={mapping} />
            <label className="check">
              <input
                type="checkbox"
                checked={saveMapping && !!unitName.trim()}
                disabled={!unitName.trim()}
                onChange={(e) => setSaveMapping(e.target.checked)}
              />
              {unitName.trim() ? `保存为“${unitName.trim()}”的列对应关系，下次自动套用` : '填写“所属单位”后可保存该单位的列对应关系'}
            </label>
            <Actions busy={busy}>
              <button className="btn" type="button" onClick={() => setStep('choose')}>
                上一步
              </button>
              <button className="btn btn-primary" type="submit" disabled={!!busy}>
                下一步：匹配案卷
              </button>
            </Actions>
          </form>
        )}

        {step === 'review' && preview && (
          <form className="import-step review" onSubmit={start} aria-label="核对匹配">
            {preview.unitMatches.length > 0 && (
              <UnitMatches
                matches={preview.unitMatches}
                busy={!!busy}
                onKeep={(name, keep) =>
                  run('正在重新匹配…', async () => {
                    const next = keep ? [...keepUnits, name] : keepUnits.filter((n) => n !== name);
                    setPreview(await invoke('import:preview', request(uploaded!, layout, mapping, next)));
                    setKeepUnits(next);
                  })
                }
              />
            )}
            <Review
              preview={preview}
              assignments={assignments}
              setAssignments={setAssignments}
              registerEmpty={registerEmpty}
              setRegisterEmpty={setRegisterEmpty}
            />
            <Actions busy={busy}>
              <button className="btn" type="button" onClick={() => setStep(layout ? 'mapping' : 'choose')}>
                上一步
              </button>
              <button className="btn btn-primary" type="submit" disabled={!!busy}>
                开始导入（
                {preview.files.filter((f) => !f.refusal && (assignments[f.key] !== undefined ? assignments[f.key] : f.target)).length}{' '}
                个文件）
              </button>
            </Actions>
          </form>
        )}

        {step === 'running' && job && <Progress job={job} onCancel={cancel} />}

        {step === 'done' && summary && (
          <Summary summary={summary}>
            <button className="btn" type="button" onClick={exportSummary}>
              导出汇总（XLSX）
            </button>
            <button className="btn" type="button" onClick={restart}>
              继续导入
            </button>
            <button className="btn btn-primary" type="button" onClick={() => navigate(href.campaign(campaignId))}>
              返回案卷列表
            </button>
          </Summary>
        )}
      </div>
    </div>
  );
}

function FilePicker(props: {
  label: string;
  ariaLabel: string;
  accept?: string;
  multiple?: boolean;
  directory?: boolean;
  onPick: (files: FileList | null) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  // React does not know the (non-standard, universally supported) folder attribute.
  useEffect(() => {
    if (props.directory) ref.current?.setAttribute('webkitdirectory', '');
  }, [props.directory]);
  return (
    <label className="btn">
      {props.label}
      <input
        ref={ref}
        type="file"
        className="sr-only"
        aria-label={props.ariaLabel}
        accept={props.accept}
        multiple={props.multiple || props.directory}
        onChange={(e) => {
          props.onPick(e.target.files);
          e.target.value = '';
        }}
      />
    </label>
  );
}

function PickedSummary({ picked }: { picked: Picked[] }) {
  if (!picked.length) return <p className="muted">尚未选择文件。</p>;
  const pdfs = picked.filter((p) => /\.pdf$/i.test(p.path)).length;
  const zips = picked.filter((p) => /\.zip$/i.test(p.path)).length;
  const bytes = picked.reduce((n, p) => n + p.file.size, 0);
  return (
    <p className="picked" data-testid="picked-summary">
      已选择 <b>{picked.length}</b> 个文件（{mb(bytes)}）：PDF {pdfs} 个{zips ? `、压缩包 ${zips} 个` : ''}
      {picked.length - pdfs - zips ? `、其他 ${picked.length - pdfs - zips} 个（导入时会说明原因）` : ''}
    </p>
  );
}

function Actions({ busy, children }: { busy: string | null; children: ReactNode }) {
  return (
    <div className="actions">
      {busy && (
        <span className="muted" role="status">
          <span className="spinner" /> {busy}
        </span>
      )}
      <span className="spacer" />
      {children}
    </div>
  );
}

function MappingPreview({ layout, mapping }: { layout: ListLayout; mapping: Mapping }) {
  const fields = LIST_FIELDS.filter((f) => mapping[f] != null);
  const rows = layout.rows
    .slice(layout.headerRow + 1)
    .filter((r) => r.some(Boolean))
    .slice(0, 5);
  const header = (column: number | null | undefined): string => (column != null ? (layout.rows[layout.headerRow]?.[column] ?? '') : '');
  const amountHeader = header(mapping.penaltyAmount);
  // The same rule the import applies: with no 处罚金额 column, a combined 金额/决定内容 column gives the amounts.
  const combinedHeader = mapping.penaltyAmount == null && isCombinedAmountHeader(header(mapping.decision)) ? header(mapping.decision) : '';
  return (
    <div className="table-wrap">
      <table className="table compact" aria-label="按当前对应关系读出的前几行">
        <caption className="muted">
          按当前对应关系读出的前 {rows.length} 行：每格是导入后登记的值（金额以元计，日期为 年-月-日），与登记值不同的原文写在其下；
          <span className="bad">红色</span>的无法识别，导入时留空。全部行中无法识别或按推定读出的值，在下一步逐行列出。
        </caption>
        <thead>
          <tr>
            {fields.map((f) => (
              <th key={f}>{LIST_FIELD_LABELS[f]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {fields.map((f) => {
                const raw = r[mapping[f]!] ?? '';
                const shown = previewValue(f, raw, amountHeader, combinedHeader);
                const differs = shown.ok && raw.trim() !== '' && raw !== shown.text;
                return (
                  <td key={f} className={shown.ok ? undefined : 'bad'} title={shown.ok ? undefined : `无法识别“${raw}”，导入时留空`}>
                    {shown.ok ? shown.text : `${raw}（留空）`}
                    {differs && (
                      <div className="raw-text" data-testid="raw-text">
                        原文：{raw}
                        {f === 'decision' && combinedHeader ? '（记为决定内容）' : ''}
                      </div>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Review(props: {
  preview: ImportPreview;
  assignments: Record<string, string | null>;
  setAssignments: (fn: (a: Record<string, string | null>) => Record<string, string | null>) => void;
  registerEmpty: boolean;
  setRegisterEmpty: (on: boolean) => void;
}) {
  const { preview, assignments } = props;
  const assignable = preview.targets.filter((t) => t.status === 'new' || t.status === 'existing');
  const { byTarget, matched, empty, mismatched, unmatched, stillOpen, refused, identical, badRows } = reviewSummary(preview, assignments);
  for (const list of byTarget.values()) list.sort((a, b) => byPath.compare(a.path, b.path));
  const isIdentical = isIdenticalFile;
  const label = (t: PreviewRow): string => `${t.caseNumber}${t.title ? ` ${t.title}` : ''}`;

  return (
    <>
      <div className="stat-row" aria-label="匹配结果">
        <Stat n={matched.length} label="件案卷已匹配到文件" tone="ok" />
        <Stat n={stillOpen} label="个文件未指定案件" tone={stillOpen ? 'warn' : 'ok'} />
        <Stat
          n={empty.length}
          label={props.registerEmpty ? '件案件没有文件（登记为缺卷）' : '件案件没有文件（不登记）'}
          tone={empty.length ? 'warn' : 'ok'}
        />
        {identical.length > 0 && <Stat n={identical.length} label="个文件已导入过，跳过" tone="ok" />}
        <Stat n={refused.length} label="个文件不能导入" tone={refused.length ? 'danger' : 'ok'} />
        <Stat n={badRows.length} label="行清单有误" tone={badRows.length ? 'danger' : 'ok'} />
        {mismatched.length > 0 && <Stat n={mismatched.length} label="个文件名与案卷内容不符" tone="warn" />}
      </div>

      {mismatched.length > 0 && (
        <NameMismatches files={mismatched} targets={preview.targets} assignments={assignments} setAssignments={props.setAssignments} />
      )}

      <ValueNotes targets={preview.targets} />

      {unmatched.length > 0 && (
        <section className="panel" aria-label="未匹配的文件">
          <h3>
            未匹配的文件 <span className="muted">请指定所属案件，或保持“不导入”</span>
          </h3>
          {preview.targets.every((t) => t.origin !== 'list') && (
            <p className="notice notice-warn">
              没有案件清单时，请返回上一步选定“所属单位”和“默认案件类型”，文件即按文件名中的案号登记为新案件。
            </p>
          )}
          <table className="table">
            <thead>
              <tr>
                <th>文件</th>
                <th className="num">大小</th>
                <th>归入案件</th>
              </tr>
            </thead>
            <tbody>
              {unmatched.slice(0, SHOWN).map((f) => (
                <tr key={f.key}>
                  <td className="path">
                    {f.path}
                    {f.candidates.length > 0 && <div className="muted">同时符合多个案件，请选择其一</div>}
                  </td>
                  <td className="num">{mb(f.size)}</td>
                  <td>
                    <select
                      className="input"
                      aria-label={`归入案件：${f.path}`}
                      value={assignments[f.key] ?? ''}
                      onChange={(e) => props.setAssignments((a) => ({ ...a, [f.key]: e.target.value || null }))}
                    >
                      <option value="">（不导入）</option>
                      {(f.candidates.length ? assignable.filter((t) => f.candidates.includes(t.key)) : assignable).map((t) => (
                        <option key={t.key} value={t.key}>
                          {label(t)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <More n={unmatched.length} />
        </section>
      )}

      <section className="panel matched" aria-label="已匹配的案卷">
        <h3>已匹配的案卷（{matched.length} 件）</h3>
        {matched.length ? (
          <table className="table">
            <thead>
              <tr>
                <th>案号</th>
                <th>案件名称</th>
                <th className="unit">被评查单位</th>
                <th>类型</th>
                <th>文件</th>
                <th>状态</th>
              </tr>
            </thead>
            <tbody>
              {matched.slice(0, SHOWN).map((t) => (
                <tr key={t.key} data-testid="matched-row">
                  <td>{t.caseNumber}</td>
                  <td>
                    {t.title || <span className="muted">（未填写）</span>}
                    {t.issues.length > 0 && <Issues row={t} />}
                  </td>
                  <td className="unit">{t.unitName}</td>
                  <td>{t.caseType ? <span className="badge">{CASE_TYPE_SHORT[t.caseType]}</span> : '—'}</td>
                  <td className="files">
                    {byTarget
                      .get(t.key)!
                      .slice(0, FILES_SHOWN)
                      .map((f) => (
                        <div
                          key={f.key}
                          title={f.how ? `匹配依据：${f.how === 'fileName' ? '文件名中的案号' : MATCH_HOW_LABELS[f.how]}` : '手动指定'}
                        >
                          {f.path.split('/').pop()}
                          {!f.how && !isIdentical(f) && <span className="badge">手动指定</span>}
                          {f.content && (
                            // The 案号 read comes first and the note wraps: it is what the organiser checks.
                            <div className="muted content-match" data-testid="content-match">
                              内容写明案号 {f.content.caseNumber}（第 {f.content.pageIndex + 1} 页
                              {f.content.source === 'ocr' ? '，文字识别' : ''}）
                            </div>
                          )}
                          {f.mismatch && (
                            <div className="badge badge-warn" data-testid="name-conflict" role="note">
                              文件名与案卷内容不符，见上方“文件名与案卷内容不符”
                            </div>
                          )}
                        </div>
                      ))}
                    {byTarget.get(t.key)!.length > FILES_SHOWN && <div className="muted">…共 {byTarget.get(t.key)!.length} 个文件</div>}
                  </td>
                  <td data-testid="matched-status">
                    {byTarget.get(t.key)!.every(isIdentical) ? (
                      <span className="badge">{IDENTICAL_FILE_MESSAGE}</span>
                    ) : t.status === 'existing' ? (
                      <span className="badge badge-primary">
                        已有案件，追加文件
                        {byTarget.get(t.key)!.some(isIdentical)
                          ? `（${byTarget.get(t.key)!.filter(isIdentical).length} 个相同文件跳过）`
                          : ''}
                      </span>
                    ) : (
                      <span className="badge badge-ok">新登记</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <div className="empty">没有文件匹配到案件。请检查清单的“案号”列，或在上方为文件指定案件。</div>
        )}
        <More n={matched.length} />
      </section>

      {empty.length > 0 && (
        <section className="panel without-file" aria-label="没有文件的案件">
          <h3>
            清单中没有匹配到文件的案件（{empty.length} 件）
            <span className="muted">登记后不参加抽取，可向单位催交，补交的 PDF 再导入时归入该案件</span>
          </h3>
          <table className="table">
            <thead>
              <tr>
                <th>行</th>
                <th>案号</th>
                <th>案件名称</th>
                <th>当事人</th>
                <th>处理</th>
              </tr>
            </thead>
            <tbody>
              {empty.slice(0, SHOWN).map((t) => (
                <tr key={t.key} data-testid="empty-row">
                  <td>{t.rowNumber ? `第 ${t.rowNumber} 行` : '—'}</td>
                  <td>{t.caseNumber}</td>
                  <td>{t.title}</td>
                  <td>{t.party}</td>
                  <td>
                    {t.status === 'existing' ? (
                      <span className="badge">已有案件</span>
                    ) : props.registerEmpty ? (
                      <span className="badge badge-warn">{MISSING_DOSSIER_MESSAGE}</span>
                    ) : (
                      <span className="badge">不登记</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label className="check">
            <input type="checkbox" checked={!props.registerEmpty} onChange={(e) => props.setRegisterEmpty(!e.target.checked)} />
            不登记这些案件（清单中没有 PDF 的行不建案件）
          </label>
          <More n={empty.length} />
        </section>
      )}

      {badRows.length > 0 && (
        <section className="panel" aria-label="清单中有误的行">
          <h3>清单中有误的行（{badRows.length} 行，不会登记）</h3>
          <table className="table">
            <thead>
              <tr>
                <th>行</th>
                <th>案号</th>
                <th>问题</th>
              </tr>
            </thead>
            <tbody>
              {badRows.slice(0, SHOWN).map((t) => (
                <tr key={t.key}>
                  <td>第 {t.rowNumber} 行</td>
                  <td>{t.caseNumber || '—'}</td>
                  <td className="reason">{t.issues.map((i) => i.message).join('；')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {refused.length > 0 && (
        <section className="panel" aria-label="不能导入的文件">
          <h3>不能导入的文件（{refused.length} 个）</h3>
          <table className="table">
            <thead>
              <tr>
                <th>文件</th>
                <th>原因</th>
              </tr>
            </thead>
            <tbody>
              {refused.slice(0, SHOWN).map((f) => (
                <tr key={f.key}>
                  <td className="path">{f.path}</td>
                  <td className="reason">{f.refusal!.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <More n={refused.length} />
        </section>
      )}
      {(preview.skippedRows.length > 0 || preview.ignoredFiles > 0) && (
        <p className="muted">
          {preview.skippedRows.length > 0 &&
            `清单中跳过 ${preview.skippedRows.length} 行（${preview.skippedRows.map((s) => `第 ${s.rowNumber} 行：${s.reason}`).join('；')}）。`}
          {preview.ignoredFiles > 0 && `忽略了 ${preview.ignoredFiles} 个系统生成的附属文件（如 Thumbs.db、__MACOSX）。`}
        </p>
      )}
    </>
  );
}

/**
 * Files whose name points to one case and whose pages to another: each is a problem to settle here —
 * registered by its content (the default, shown), by its name, or not now — never decided unseen.
 */
function NameMismatches(props: {
  files: PreviewFile[];
  targets: PreviewRow[];
  assignments: Record<string, string | null>;
  setAssignments: (fn: (a: Record<string, string | null>) => Record<string, string | null>) => void;
}) {
  const byKey = new Map(props.targets.map((t) => [t.key, t]));
  const describe = (key: string | null): string => {
    const t = key ? byKey.get(key) : undefined;
    if (!t) return '';
    const where = t.rowNumber ? `清单第 ${t.rowNumber} 行` : t.origin === 'fileName' ? '新登记案件' : '本活动已有案件';
    return `${t.caseNumber}${t.title ? ` ${t.title}` : ''}（${where}）`;
  };
  const choose = (key: string, target: string | null | undefined): void =>
    props.setAssignments((a) => {
      const next = { ...a };
      if (target === undefined) delete next[key];
      else next[key] = target;
      return next;
    });
  return (
    <section className="panel name-mismatch" aria-label="文件名与案卷内容不符">
      <h3>
        文件名与案卷内容不符（<span className="warn-text">问题 {props.files.length} 个</span>）
        <span className="muted">默认按案卷内容登记；请逐个核对后选择</span>
      </h3>
      <ol className="mismatches">
        {props.files.map((f) => {
          const m = f.mismatch!;
          const chosen = props.assignments[f.key];
          const choice =
            chosen === undefined || chosen === m.contentTarget
              ? 'content'
              : chosen === null
                ? 'skip'
                : chosen === m.nameTarget
                  ? 'name'
                  : 'other';
          const group = `mismatch-${f.key}`;
          return (
            <li key={f.key} data-testid="name-mismatch">
              <div className="path">{f.path}</div>
              <p className="why">
                <span className="badge badge-warn">问题</span> {mismatchText(m, f.content)}。
              </p>
              <div className="choices" role="radiogroup" aria-label={`${f.path} 如何登记`}>
                <label className="check">
                  <input type="radio" name={group} checked={choice === 'content'} onChange={() => choose(f.key, undefined)} />
                  <span>
                    <b>按内容登记</b> → {describe(m.contentTarget)}
                  </span>
                </label>
                <label className={`check${m.nameTarget ? '' : ' muted'}`}>
                  <input
                    type="radio"
                    name={group}
                    checked={choice === 'name'}
                    disabled={!m.nameTarget}
                    onChange={() => choose(f.key, m.nameTarget)}
                  />
                  <span>
                    <b>按文件名登记</b> → {m.nameTarget ? describe(m.nameTarget) : '文件名所指的案件不在本次导入中'}
                  </span>
                </label>
                <label className="check">
                  <input type="radio" name={group} checked={choice === 'skip'} onChange={() => choose(f.key, null)} />
                  <span>
                    <b>暂不登记</b>（本次不导入此文件，核对后可再导入）
                  </span>
                </label>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** The list's unit names that stand for known units: confirmed by importing (and remembered), or kept as new units. */
function UnitMatches({ matches, busy, onKeep }: { matches: UnitMatch[]; busy: boolean; onKeep: (name: string, keep: boolean) => void }) {
  return (
    <section className="panel" aria-label="被评查单位匹配">
      <h3>
        被评查单位 <span className="muted">清单中的单位名称与已知单位是同一单位时，案件登记在已知单位下；导入后记住这一对应</span>
      </h3>
      <table className="table">
        <thead>
          <tr>
            <th>清单中写作</th>
            <th>登记为</th>
            <th className="num">行数</th>
            <th>如不是同一单位</th>
          </tr>
        </thead>
        <tbody>
          {matches.map((m) => (
            <tr key={m.imported} data-testid="unit-match">
              <td>{m.imported}</td>
              <td className={m.kept ? 'muted' : undefined}>{unitMatchText(m)}</td>
              <td className="num">
                {m.rows || (
                  <span className="muted" title="所属单位（默认值）">
                    —
                  </span>
                )}
              </td>
              <td>
                {/* Written exactly as the unit it becomes, a name has nothing to be told apart from. */}
                {m.imported === m.unitName && !m.kept ? (
                  <span className="muted">—</span>
                ) : (
                  <label className="check" title={`勾选后“${m.imported}”单独登记为一个单位，不并入“${m.unitName}”`}>
                    <input
                      type="checkbox"
                      checked={m.kept}
                      disabled={busy}
                      onChange={(e) => onKeep(m.imported, e.target.checked)}
                      aria-label={`“${m.imported}”保留为新单位`}
                    />
                    分开登记
                  </label>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * Every value of the list that was not stored as written — unreadable (问题) or read with an
 * assumption (提示) — on every row, not only the rows the mapping step previewed.
 */
function ValueNotes({ targets }: { targets: PreviewRow[] }) {
  const [all, setAll] = useState(false);
  const notes = targets
    .filter((t) => t.origin === 'list' && t.rowNumber !== null)
    .flatMap((t) => t.issues.filter((i) => i.severity !== 'error').map((issue) => ({ row: t.rowNumber!, caseNumber: t.caseNumber, issue })))
    .sort((a, b) => a.row - b.row);
  if (!notes.length) return null;
  const problems = notes.filter((n) => n.issue.severity === 'warning').length;
  const hints = notes.length - problems;
  // A rule that holds for a whole column is said once here, not on each of its rows.
  const columnNotes = [
    ...new Map(
      notes.filter((n) => n.issue.note).map((n) => [n.issue.note!, notes.filter((m) => m.issue.note === n.issue.note).length]),
    ).entries(),
  ];
  const label = (field: string | null): string =>
    field && field in LIST_FIELD_LABELS ? LIST_FIELD_LABELS[field as keyof typeof LIST_FIELD_LABELS] : '';
  return (
    <section className="panel value-notes" aria-label="清单中的问题与提示">
      <h3>
        清单中的问题与提示（{problems ? <span className="warn-text">问题 {problems} 条</span> : '问题 0 条'}，提示 {hints} 条）
        <span className="muted">导入前请核对：箭头后是将登记的内容，原文都会保留</span>
      </h3>
      {columnNotes.length > 0 && (
        <ul className="column-notes" data-testid="column-notes">
          {columnNotes.map(([note, count]) => (
            <li key={note}>
              <span className="badge">整列</span> {note}（共 {count} 行，下列各行只写登记的金额）
            </li>
          ))}
        </ul>
      )}
      <ol className="notes" data-testid="value-notes">
        {(all ? notes : notes.slice(0, SHOWN)).map(({ row, caseNumber, issue }, n) => (
          <li key={n} className={issue.severity} data-testid="value-note">
            <span className={`badge ${issue.severity === 'warning' ? 'badge-warn' : ''}`}>
              {issue.severity === 'warning' ? '问题' : '提示'}
            </span>{' '}
            <b>第 {row} 行</b>{' '}
            {issue.raw !== undefined ? (
              <>
                {label(issue.field)}「{issue.raw || '（空）'}」→ <b>{issue.stored}</b>
                {issue.note ? (
                  issue.detail && <span className="muted">（{issue.detail}）</span>
                ) : (
                  <span className="muted">（{issue.message}）</span>
                )}
              </>
            ) : (
              issue.message
            )}
            {caseNumber && <span className="muted"> · {caseNumber}</span>}
          </li>
        ))}
      </ol>
      {!all && notes.length > SHOWN && (
        <button className="btn btn-sm" type="button" onClick={() => setAll(true)}>
          显示全部 {notes.length} 条
        </button>
      )}
    </section>
  );
}

function Issues({ row }: { row: PreviewRow }) {
  return (
    <ul className="issues">
      {row.issues.map((i, n) => (
        // Under a column-wide rule (said once above) the row shows only what it stores.
        <li key={n} className={i.severity}>
          {i.note && i.stored ? i.stored : i.message}
        </li>
      ))}
    </ul>
  );
}

const More = ({ n }: { n: number }) =>
  n > SHOWN ? <p className="muted more">另有 {n - SHOWN} 条未列出（导入汇总中有完整清单）。</p> : null;

function Stat({ n, label, tone }: { n: number; label: string; tone: 'ok' | 'warn' | 'danger' }) {
  return (
    <div className={`stat stat-${tone}`}>
      <b>{n}</b>
      <span>{label}</span>
    </div>
  );
}

function Progress({ job, onCancel }: { job: JobView; onCancel: () => void }) {
  const pct = job.bytesTotal > 0 ? (job.bytesDone / job.bytesTotal) * 100 : job.total ? (job.done / job.total) * 100 : 0;
  const cancelling = job.message === '正在取消…';
  return (
    <section className="panel import-step" aria-label="导入进度">
      <h2>正在导入</h2>
      <div
        className="progress"
        role="progressbar"
        aria-label="导入进度"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-valuetext={`${job.done} / ${job.total} 个文件`}
      >
        <div className="bar" style={{ width: `${pct.toFixed(1)}%` }} />
      </div>
      <div className="progress-figures" data-testid="import-progress">
        <span>
          文件 <b>{job.done}</b> / {job.total}
        </span>
        <span>
          页数 <b>{job.pages}</b>
        </span>
        <span>
          {mb(job.bytesDone)} / {mb(job.bytesTotal)}
        </span>
        <span>剩余时间 {duration(job.etaSeconds)}</span>
      </div>
      <p>{job.message}</p>
      <p className="muted">已导入的文件逐个保存，取消后也完整保留；可以离开本页，导入在后台继续。</p>
      <div className="actions">
        <span className="spacer" />
        <button className="btn btn-danger" type="button" onClick={onCancel} disabled={cancelling || job.status !== 'running'}>
          {cancelling ? (
            '正在取消…'
          ) : (
            <>
              取消导入 <kbd>Esc</kbd>
            </>
          )}
        </button>
      </div>
    </section>
  );
}

function Summary({ summary, children }: { summary: ImportSummary; children: ReactNode }) {
  const c = summary.counts;
  // A case registered without its file (缺卷) is listed too: the organiser asks the unit for it.
  const isMissing = (i: ImportSummary['items'][number]): boolean =>
    i.kind === 'row' && i.outcome === 'created' && i.message.endsWith('待补交案卷文件');
  const problems = summary.items.filter((i) => i.outcome === 'rejected' || i.outcome === 'duplicate' || isMissing(i));
  const title = summary.status === 'cancelled' ? '导入已取消' : summary.status === 'done' ? '导入完成' : '导入未能完成';
  return (
    <section className="import-step" aria-label="导入结果">
      <div className={`notice ${summary.status === 'done' ? 'notice-info' : 'notice-warn'}`} role="status">
        <b>{title}</b>：新登记案件 {c.casesCreated} 件，导入文件 {c.documents} 个（{c.pages} 页，{mb(c.bytes)}
        {c.scans ? `，其中扫描件 ${c.scans} 个` : ''}）{c.casesExisting ? `；已有案件 ${c.casesExisting} 件` : ''}；重复 {c.duplicates}{' '}
        个；未导入 {c.rejected} 个。
      </div>
      <div className="stat-row">
        <Stat n={c.casesCreated} label="件新登记案件" tone="ok" />
        <Stat n={c.documents} label="个文件已导入" tone="ok" />
        <Stat n={c.duplicates} label="个重复（未重复导入）" tone={c.duplicates ? 'warn' : 'ok'} />
        <Stat n={c.rejected} label="个未导入" tone={c.rejected ? 'danger' : 'ok'} />
      </div>
      {summary.reasons.length > 0 && (
        <section className="panel" aria-label="原因汇总">
          <h3>原因汇总</h3>
          <ul className="reasons">
            {summary.reasons.map((r) => (
              <li key={r.code}>
                <span className="badge badge-warn">{r.label}</span> {r.count} 个
              </li>
            ))}
          </ul>
        </section>
      )}
      {problems.length > 0 && (
        <section className="panel" aria-label="未导入和重复的文件">
          <h3>未导入、重复和缺卷的项目（{problems.length}）</h3>
          <table className="table">
            <thead>
              <tr>
                <th>文件 / 清单行</th>
                <th>结果</th>
                <th>原因</th>
              </tr>
            </thead>
            <tbody>
              {problems.slice(0, SHOWN).map((i) => (
                <tr key={i.seq} data-testid="problem-row">
                  <td className="path">
                    {i.path}
                    {i.caseNumber && <div className="muted">{i.caseNumber}</div>}
                  </td>
                  <td>
                    {i.outcome === 'duplicate' ? (
                      <span className="badge badge-warn">重复</span>
                    ) : isMissing(i) ? (
                      <span className="badge badge-warn">缺卷</span>
                    ) : (
                      <span className="badge badge-danger">未导入</span>
                    )}
                  </td>
                  <td className="reason">{i.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <More n={problems.length} />
        </section>
      )}
      <div className="actions">
        <span className="spacer" />
        {children}
      </div>
    </section>
  );
}
