/** Import a standard from a file, and copy a version as a new version or a new standard. */
import { useRef, useState, type FormEvent } from 'react';
import type { ChannelOutput } from '../../../../shared/contract/index';
import { CASE_TYPE_SHORT } from '../../../../shared/campaigns/case-types';
import { ApiError, errorMessage, invoke, uploadFile } from '../../api/client';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';

/** A refusal with every problem the back end listed (a file can have many). */
export function ErrorList({ error }: { error: unknown }) {
  const issues = error instanceof ApiError && Array.isArray(error.details?.issues) ? (error.details.issues as string[]) : [];
  return (
    <div className="notice notice-error" role="alert">
      <div>{errorMessage(error)}</div>
      {issues.length > 1 && (
        <ol className="st-error-list">
          {issues.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ol>
      )}
    </div>
  );
}

type Preview = ChannelOutput<'standard:import'>;

export function ImportDialog(props: { open: boolean; onClose(): void; onImported(versionId: string): void }) {
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [staged, setStaged] = useState<{ sourceId: string; preview: Preview } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  function reset(): void {
    setFile(null);
    setStaged(null);
    setError(null);
    if (input.current) input.current.value = '';
  }
  function close(): void {
    if (busy) return;
    reset();
    props.onClose();
  }

  async function check(e: FormEvent): Promise<void> {
    e.preventDefault();
    setError(null);
    if (!file) return setError(new ApiError({ code: 'invalid_input', message: '请选择要导入的标准文件（.xlsx 或 .json）。' }));
    try {
      setBusy('正在上传并检查…');
      const source = await uploadFile(file);
      const preview = await invoke('standard:import', { sourceId: source.sourceId, dryRun: true });
      setStaged({ sourceId: source.sourceId, preview });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  async function confirm(): Promise<void> {
    if (!staged) return;
    try {
      setBusy('正在导入…');
      const result = await invoke('standard:import', { sourceId: staged.sourceId, dryRun: false });
      const saved = result.saved!.summary;
      toast.show(`已导入“${saved.name}”（${saved.version}）`, 'ok');
      reset();
      props.onImported(saved.versionId);
    } catch (err) {
      setStaged(null);
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  const p = staged?.preview.preview;
  return (
    <Dialog open={props.open} title="导入评查标准" onClose={close} width={760}>
      <form onSubmit={check} className="st-form" aria-label="导入评查标准">
        <p className="muted">可导入本软件导出的 Excel 表格（.xlsx）或 JSON 文件。导入前先完整检查；有任何错误都不会导入。</p>
        <div className="dropzone">
          <p>
            {file ? (
              <>
                已选择：<b>{file.name}</b>
              </>
            ) : (
              '选择评查标准文件'
            )}
          </p>
          <label className="btn btn-sm" style={{ marginTop: 8 }}>
            选择文件…
            <input
              ref={input}
              type="file"
              accept=".xlsx,.json,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              className="sr-only"
              aria-label="评查标准文件"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setStaged(null);
                setError(null);
              }}
            />
          </label>
        </div>
        {error !== null && <ErrorList error={error} />}
        {p && staged && (
          <div className="notice notice-info" data-testid="import-preview">
            <div>
              <b>{p.name}</b>（{p.version}）· {p.itemCount} 个项目 · 适用：{p.caseTypes.map((t) => CASE_TYPE_SHORT[t]).join('、')}
            </div>
            <div>{p.target === 'newStandard' ? '将作为新的标准加入标准库。' : '标准库中已有该标准，将作为它的一个新版本。'}</div>
            {p.renamedFrom && (
              <div>
                版本“{p.renamedFrom}”已存在，导入后命名为“{p.version}”。
              </div>
            )}
            {staged.preview.warnings.length > 0 && (
              <details>
                <summary>{staged.preview.warnings.length} 条提示（不影响导入）</summary>
                <ul>
                  {staged.preview.warnings.map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              </details>
            )}
          </div>
        )}
        <div className="st-form-actions">
          {busy && (
            <span className="muted">
              <span className="spinner" /> {busy}
            </span>
          )}
          <button className="btn" type="button" onClick={close} disabled={!!busy}>
            取消
          </button>
          {staged ? (
            <button className="btn btn-primary" type="button" onClick={confirm} disabled={!!busy}>
              确认导入
            </button>
          ) : (
            <button className="btn btn-primary" type="submit" disabled={!!busy}>
              检查文件
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

export function CloneDialog(props: {
  open: boolean;
  versionId: string;
  name: string;
  version: string;
  onClose(): void;
  onCloned(versionId: string): void;
}) {
  const toast = useToast();
  const [asNew, setAsNew] = useState(false);
  const [version, setVersion] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setError(null);
    if (asNew && !name.trim()) return setError(new ApiError({ code: 'invalid_input', message: '请填写新标准的名称。' }));
    setBusy(true);
    try {
      const saved = await invoke('standard:clone', {
        versionId: props.versionId,
        ...(version.trim() ? { version: version.trim() } : {}),
        ...(asNew ? { name: name.trim() } : {}),
      });
      toast.show(`已复制为“${saved.summary.name}”（${saved.summary.version}）`, 'ok');
      setVersion('');
      setName('');
      props.onCloned(saved.summary.versionId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={props.open} title="复制标准" onClose={() => !busy && props.onClose()} width={620}>
      <form onSubmit={submit} className="st-form" aria-label="复制标准">
        <p>
          复制“{props.name}”（{props.version}）。副本可以自由修改，原版本不变。
        </p>
        <fieldset className="st-fieldset">
          <legend>复制为</legend>
          <label className="st-check">
            <input type="radio" name="clone-kind" checked={!asNew} onChange={() => setAsNew(false)} /> 同一标准的新版本
          </label>
          <label className="st-check">
            <input type="radio" name="clone-kind" checked={asNew} onChange={() => setAsNew(true)} />{' '}
            一个新标准（如本单位据此制定自己的标准）
          </label>
        </fieldset>
        {asNew && (
          <Field label="新标准名称">
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
        )}
        <Field label="版本（可不填）" hint={asNew ? '不填则为“1”' : '不填则自动命名为“修订N”'}>
          <input className="input" value={version} onChange={(e) => setVersion(e.target.value)} />
        </Field>
        {error !== null && <ErrorList error={error} />}
        <div className="st-form-actions">
          <button className="btn" type="button" onClick={props.onClose} disabled={busy}>
            取消
          </button>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            复制
          </button>
        </div>
      </form>
    </Dialog>
  );
}
