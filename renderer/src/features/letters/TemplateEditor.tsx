/** The bureau's letter template: wording, issuing body, 文号 prefix, format, sections. Edits preview live before saving. */
import { LETTER_FORMAT_LABELS, LETTER_FORMATS, type LetterFormat, type LetterKind } from '../../../../shared/letters/document';
import { PLACEHOLDERS, TEMPLATE_SPECS, type LetterTemplate } from '../../../../shared/letters/template';
import { useEffect, useState } from 'react';
import { invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { Field } from '../../ui/field';
import { useFormAction } from '../../ui/use-form-action';

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

export function TemplateEditor(props: {
  kind: LetterKind;
  value: LetterTemplate;
  onChange: (t: LetterTemplate) => void;
  onSave: () => void;
  onReset: () => void;
  onClose: () => void;
  busy: boolean;
  error: string | null;
  canSave: boolean;
  /** The campaign and 成文日期 whose 文号 sequence the editor shows (the sequence belongs to the 署名 body and year). */
  numbering?: { campaignId: string; date: string; savedPrefix: string };
}) {
  const t = props.value;
  const spec = TEMPLATE_SPECS[props.kind];
  const set = (patch: Partial<LetterTemplate>): void => props.onChange({ ...t, ...patch });
  return (
    <form
      className="template-editor"
      aria-label="编辑文书模板"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave();
      }}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
          e.preventDefault();
          props.onSave();
        }
        if (e.key === 'Escape') props.onClose();
      }}
    >
      <div className="form-grid">
        <Field label="版式">
          <select className="input" value={t.format} onChange={(e) => set({ format: e.target.value as LetterFormat })}>
            {LETTER_FORMATS.map((f) => (
              <option key={f} value={f}>
                {LETTER_FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="文号前缀" hint="如“某司监”，导出时按年度顺序编号；留空则不编文号">
          <input className="input" value={t.numberPrefix} onChange={(e) => set({ numberPrefix: e.target.value })} />
        </Field>
        {props.numbering && props.canSave && (
          <NextNumberField kind={props.kind} {...props.numbering} editedPrefix={t.numberPrefix.trim()} />
        )}
        <Field label="发文机关标志" hint="留空：文件格式为“评查机关＋文件”，信函格式为评查机关名称">
          <input className="input" value={t.bodyMark} onChange={(e) => set({ bodyMark: e.target.value })} />
        </Field>
        <Field label="署名" hint="留空：使用评查活动的评查机关">
          <input className="input" value={t.signer} onChange={(e) => set({ signer: e.target.value })} />
        </Field>
        <Field label="标题" className="span-2">
          <input className="input" value={t.title} onChange={(e) => set({ title: e.target.value })} />
        </Field>
        <Field label="主送机关" hint="留空：单位文书为被评查单位，通报为“各有关行政执法单位”">
          <input className="input" value={t.addressee} onChange={(e) => set({ addressee: e.target.value })} />
        </Field>
        <div className="form-grid" style={{ gridTemplateColumns: '1fr 1fr', gap: 10 }}>
          <Field label="整改期限（天）">
            <input
              className="input"
              type="number"
              min={1}
              max={365}
              value={t.deadlineDays}
              onChange={(e) => set({ deadlineDays: Number(e.target.value) })}
            />
          </Field>
          <Field label="报送期限（天）">
            <input
              className="input"
              type="number"
              min={1}
              max={400}
              value={t.reportBackDays}
              onChange={(e) => set({ reportBackDays: Number(e.target.value) })}
            />
          </Field>
        </div>
        <Field label="联系人">
          <input className="input" value={t.contactName} onChange={(e) => set({ contactName: e.target.value })} />
        </Field>
        <Field label="联系电话">
          <input className="input" value={t.contactPhone} onChange={(e) => set({ contactPhone: e.target.value })} />
        </Field>
      </div>
      <fieldset>
        <legend>组成部分</legend>
        {spec.sections.map((s) => (
          <label key={s.key} className="check">
            <input
              type="checkbox"
              checked={t.sections[s.key] ?? s.default}
              onChange={(e) => set({ sections: { ...t.sections, [s.key]: e.target.checked } })}
            />
            {s.label}
          </label>
        ))}
        <label className="check">
          <input type="checkbox" checked={t.mask} onChange={(e) => set({ mask: e.target.checked })} />
          当事人信息脱敏（姓名、身份证号、电话）
        </label>
      </fieldset>
      {spec.paragraphs.map((p) => (
        <Field key={p.key} label={p.label}>
          <textarea
            className="input"
            aria-label={p.label}
            value={t.paragraphs[p.key] ?? ''}
            onChange={(e) => set({ paragraphs: { ...t.paragraphs, [p.key]: e.target.value } })}
          />
        </Field>
      ))}
      <div className="placeholder-help" aria-label="可用占位符">
        可用占位符：
        {Object.entries(PLACEHOLDERS).map(([name, meaning]) => (
          <span key={name} title={meaning}>
            <code>{`{${name}}`}</code>
          </span>
        ))}
      </div>
      <div className="form-grid">
        <Field label="其他附件（每行一个）">
          <textarea
            className="input"
            value={t.extraAttachments.join('\n')}
            onChange={(e) => set({ extraAttachments: lines(e.target.value) })}
          />
        </Field>
        <Field label="抄送（每行一个机关）">
          <textarea className="input" value={t.cc.join('\n')} onChange={(e) => set({ cc: lines(e.target.value) })} />
        </Field>
        <Field label="印发机关（版记，仅文件格式）">
          <input className="input" value={t.printer} onChange={(e) => set({ printer: e.target.value })} />
        </Field>
      </div>
      {props.error && (
        <div className="notice notice-error" role="alert">
          {props.error}
        </div>
      )}
      <div style={{ display: 'flex', gap: 10, justifyContent: 'flex-end', alignItems: 'center' }}>
        <span className="muted">
          <kbd>Ctrl</kbd>+<kbd>S</kbd> 保存 · <kbd>Esc</kbd> 关闭
        </span>
        <button className="btn" type="button" onClick={props.onReset}>
          恢复默认
        </button>
        <button className="btn" type="button" onClick={props.onClose}>
          关闭
        </button>
        {props.canSave && (
          <button className="btn btn-primary" type="submit" disabled={props.busy}>
            {props.busy ? '正在保存…' : '保存模板'}
          </button>
        )}
      </div>
    </form>
  );
}

/** Where the bureau's 文号 sequence continues this year (e.g. after numbers already used on paper). */
function NextNumberField(props: { kind: LetterKind; campaignId: string; date: string; savedPrefix: string; editedPrefix: string }) {
  const numbering = useQuery(
    'letter:numbering',
    { campaignId: props.campaignId, kind: props.kind, date: props.date },
    { refreshOn: (c) => c.entity === 'letter' },
  );
  const [next, setNext] = useState('');
  const { error, busy, run } = useFormAction();
  useEffect(() => setNext(numbering.data?.nextSerial ? String(numbering.data.nextSerial) : ''), [numbering.data?.nextSerial]);
  const n = numbering.data;
  if (!props.savedPrefix || props.editedPrefix !== props.savedPrefix)
    return <Field label="下一个文号">{<p className="muted">保存文号前缀后，可在此设定下一个文号的序号。</p>}</Field>;
  return (
    <Field
      label="下一个文号"
      hint={n ? `${n.issuingBody} ${n.year}年：下一份为 ${n.prefix}〔${n.year}〕${next || '?'}号` : undefined}
      error={error ?? undefined}
    >
      <span style={{ display: 'flex', gap: 8 }}>
        <input
          className="input"
          type="number"
          min={1}
          aria-label="下一个文号序号"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          style={{ width: 120 }}
        />
        <button
          className="btn"
          type="button"
          disabled={busy || !n || !next}
          onClick={() =>
            run(async () => {
              await invoke('letter:setNextNumber', {
                campaignId: props.campaignId,
                kind: props.kind,
                year: n!.year,
                nextSerial: Number(next),
              });
              numbering.reload();
            })
          }
        >
          设定
        </button>
      </span>
    </Field>
  );
}
