import { useState, type FormEvent } from 'react';
import type { VerificationReport } from '../../../../shared/signing/api';
import { invoke, uploadFile } from '../../api/client';
import { Field } from '../../ui/field';
import { useFormAction } from '../../ui/use-form-action';
import { VerificationVerdict } from './VerificationVerdict';
import './signing.css';

/** 核验: open an issued PDF/DOCX (with its signing manifest when it came from elsewhere), or scan/paste the QR text or type the short code. */
export function VerifyScreen() {
  const [file, setFile] = useState<File | null>(null);
  const [manifest, setManifest] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [report, setReport] = useState<VerificationReport | null>(null);
  const form = useFormAction();
  const { error, setError, busy } = form;

  function run(check: () => Promise<VerificationReport>): Promise<boolean> {
    setReport(null);
    return form.run(async () => setReport(await check()));
  }

  function checkFile(e: FormEvent) {
    e.preventDefault();
    if (!file) return setError('请选择要核验的文件。');
    void run(async () => {
      const source = await uploadFile(file);
      const m = manifest ? await uploadFile(manifest) : null;
      return invoke('verify:file', { sourceId: source.sourceId, ...(m ? { manifestSourceId: m.sourceId } : {}) });
    });
  }

  function checkText(e?: FormEvent) {
    e?.preventDefault();
    void run(() => invoke('verify:text', { text }));
  }

  return (
    <div className="page verify">
      <div className="page-head">
        <div className="grow">
          <h1>核验文书</h1>
          <p>核验签发的文书是否由签发人签发、签发后是否被改动。全部在本机完成，不联网。</p>
        </div>
      </div>
      <div className="inputs">
        <form className="panel section" onSubmit={checkFile} aria-label="核验文件">
          <h2>打开文件</h2>
          <Field label="签发的 PDF 或 DOCX 文件" hint="逐字节计算 SM3 摘要，与签发时登记的摘要比对。">
            <input
              className="input"
              type="file"
              accept=".pdf,.docx,.json,application/pdf"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Field>
          <Field label="签名清单（可选）" hint="文书不是本工作站签发的：请一并选择签发时导出的 .manifest.json。">
            <input
              className="input"
              type="file"
              accept=".json,application/json"
              onChange={(e) => setManifest(e.target.files?.[0] ?? null)}
            />
          </Field>
          <div className="actions left">
            <button className="btn btn-primary" type="submit" disabled={busy}>
              核验文件
            </button>
          </div>
        </form>
        <form className="panel section" onSubmit={checkText} aria-label="核验二维码或核验码">
          <h2>扫描或输入</h2>
          <Field label="二维码内容或核验码" hint="用扫码枪扫描文书上的二维码（会自动回车），或粘贴二维码内容，或输入 16 位核验码。">
            <textarea
              className="input"
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  checkText();
                }
              }}
              placeholder="PCV1|… 或 XXXX-XXXX-XXXX-XXXX"
            />
          </Field>
          <div className="actions left">
            <button className="btn btn-primary" type="submit" disabled={busy || !text.trim()}>
              核验 <kbd>Enter</kbd>
            </button>
          </div>
        </form>
      </div>
      {busy && (
        <p className="muted">
          <span className="spinner" /> 正在核验…
        </p>
      )}
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      {report && <VerificationVerdict report={report} />}
    </div>
  );
}
