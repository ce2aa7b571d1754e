/**
 * Dialogs that edit one part of a draft standard: an item, a block, or the standard as a whole.
 * Each checks its own numbers as they are typed and shows what the shared validator says about the
 * changed part before it is applied; the draft is only saved by the screen's save button.
 */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { CASE_TYPES, CASE_TYPE_LABELS, type CaseType } from '../../../../shared/campaigns/case-types';
import {
  PROVENANCE_KINDS,
  PROVENANCE_LABELS,
  SCORING_MODES,
  SCORING_MODE_LABELS,
  VETO_EFFECTS,
  VETO_EFFECT_LABELS,
} from '../../../../shared/standards/tree';
import type {
  BlockNode,
  DeductionRule,
  GradeBand,
  ItemNode,
  NotApplicableEffect,
  Provenance,
  ScoringMode,
  StandardDefinition,
  VetoEffect,
} from '../../../../shared/standards/model';
import { validateDefinition, type DefinitionIssue } from '../../../../shared/standards/validate';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { changeNode } from './draft';

/** A number typed into a field: the value, or a Chinese reason it is not one. */
function readNumber(text: string, label: string, options: { optional?: boolean } = {}): { value?: number; error?: string } {
  const t = text.trim();
  if (t === '') return options.optional ? {} : { error: `请填写${label}` };
  const n = Number(t);
  if (!Number.isFinite(n)) return { error: `${label}必须是数字` };
  if (n < 0) return { error: `${label}不能为负数` };
  return { value: n };
}

function ProvenanceFields(props: { kind: string; note: string; onKind(v: string): void; onNote(v: string): void }) {
  return (
    <>
      <Field label="来源">
        <select className="input" value={props.kind} onChange={(e) => props.onKind(e.target.value)}>
          <option value="">（不注明）</option>
          {PROVENANCE_KINDS.map((k) => (
            <option key={k} value={k}>
              {PROVENANCE_LABELS[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="来源说明">
        <input className="input" value={props.note} onChange={(e) => props.onNote(e.target.value)} disabled={!props.kind} />
      </Field>
    </>
  );
}

const provenanceOf = (kind: string, note: string): Provenance | undefined =>
  kind ? { kind: kind as Provenance['kind'], ...(note.trim() ? { note: note.trim() } : {}) } : undefined;

function EditorDialog(props: {
  title: string;
  onClose(): void;
  onSubmit(): void;
  problems: DefinitionIssue[];
  fieldErrors: boolean;
  children: ReactNode;
  width?: number;
}) {
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!props.fieldErrors) props.onSubmit();
  };
  return (
    <Dialog open title={props.title} onClose={props.onClose} width={props.width ?? 760}>
      <form onSubmit={submit} className="st-form" aria-label={props.title}>
        {props.children}
        {props.problems.length > 0 && (
          <ul className="st-issues" aria-live="polite">
            {props.problems.map((p, i) => (
              <li key={i} className={p.level === 'error' ? 'st-issue-error' : 'st-issue-warning'}>
                {p.message}
              </li>
            ))}
          </ul>
        )}
        <div className="st-form-actions">
          <span className="muted">
            <kbd>Esc</kbd> 取消
          </span>
          <button className="btn" type="button" onClick={props.onClose}>
            取消
          </button>
          <button className="btn btn-primary" type="submit" disabled={props.fieldErrors}>
            确定
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// ── item ────────────────────────────────────────────────────────────────────────────────────────

export function ItemEditor(props: {
  def: StandardDefinition;
  item: ItemNode;
  inGate: boolean;
  onApply(next: ItemNode): void;
  onClose(): void;
}) {
  const { item } = props;
  const r = item.rule;
  const [code, setCode] = useState(item.code);
  const [text, setText] = useState(item.text);
  const [points, setPoints] = useState(item.points === null ? '' : String(item.points));
  const [unknown, setUnknown] = useState(item.points === null);
  const [kind, setKind] = useState<DeductionRule['kind']>(r.kind);
  const [amount, setAmount] = useState(r.kind === 'fixed' || r.kind === 'perOccurrence' ? String(r.amount) : '1');
  const [cap, setCap] = useState(r.kind === 'perOccurrence' && r.cap !== undefined ? String(r.cap) : '');
  const [min, setMin] = useState(r.kind === 'range' ? String(r.min) : '1');
  const [max, setMax] = useState(r.kind === 'range' ? String(r.max) : '5');
  const [step, setStep] = useState(r.kind === 'range' ? String(r.step) : '0.5');
  const [ruleText, setRuleText] = useState(item.ruleText);
  const [na, setNa] = useState<NotApplicableEffect | ''>(item.notApplicable ?? '');
  const [penalty, setPenalty] = useState(item.penalty ?? false);
  const [category, setCategory] = useState(item.category ?? '');
  const [basis, setBasis] = useState(item.basis ?? '');
  const [pKind, setPKind] = useState<string>(item.provenance?.kind ?? '');
  const [pNote, setPNote] = useState(item.provenance?.note ?? '');
  const [note, setNote] = useState(item.note ?? '');

  const parsed = useMemo(() => {
    const errors: Record<string, string> = {};
    const num = (key: string, t: string, label: string, optional = false): number | undefined => {
      const n = readNumber(t, label, { optional });
      if (n.error) errors[key] = n.error;
      return n.value;
    };
    const pts = unknown ? null : (num('points', points, '分值') ?? 0);
    let rule: DeductionRule = { kind: 'full' };
    if (kind === 'veto') rule = { kind: 'veto' };
    if (kind === 'fixed') rule = { kind: 'fixed', amount: num('amount', amount, '扣分值') ?? 0 };
    if (kind === 'perOccurrence') {
      const c = num('cap', cap, '最多扣分', true);
      rule = { kind: 'perOccurrence', amount: num('amount', amount, '每处扣分') ?? 0, ...(c !== undefined ? { cap: c } : {}) };
    }
    if (kind === 'range')
      rule = {
        kind: 'range',
        min: num('min', min, '最少扣分') ?? 0,
        max: num('max', max, '最多扣分') ?? 0,
        step: num('step', step, '步长') ?? 0,
      };
    if (!code.trim()) errors.code = '请填写编号';
    if (!text.trim()) errors.text = '请填写评查内容';
    const next: ItemNode = {
      kind: 'item',
      id: item.id,
      code: code.trim(),
      text: text.trim(),
      points: pts,
      rule,
      ruleText,
      ...(na && kind !== 'veto' ? { notApplicable: na } : {}),
      ...(penalty && kind !== 'veto' ? { penalty: true } : {}),
      ...(category.trim() ? { category: category.trim() } : {}),
      ...(basis.trim() ? { basis: basis.trim() } : {}),
      ...(provenanceOf(pKind, pNote) ? { provenance: provenanceOf(pKind, pNote) } : {}),
      ...(item.asPrinted ? { asPrinted: item.asPrinted } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    return { next, errors };
  }, [unknown, points, kind, amount, cap, min, max, step, code, text, ruleText, na, penalty, category, basis, pKind, pNote, note, item]);

  const problems = useMemo(
    () =>
      Object.keys(parsed.errors).length
        ? []
        : validateDefinition(changeNode(props.def, item.id, () => parsed.next)).filter((i) => i.itemId === item.id),
    [parsed, props.def, item.id],
  );
  const e = parsed.errors;
  const kinds: Array<[DeductionRule['kind'], string]> = props.inGate
    ? [['veto', '否决']]
    : [
        ['full', '扣全分'],
        ['fixed', '固定扣分'],
        ['perOccurrence', '每处扣分，扣完为止'],
        ['range', '视情况扣分（区间）'],
      ];

  return (
    <EditorDialog
      title={`编辑第 ${item.code} 项`}
      onClose={props.onClose}
      onSubmit={() => props.onApply(parsed.next)}
      problems={problems}
      fieldErrors={Object.keys(e).length > 0}
    >
      <div className="form-grid">
        <Field label="编号" error={e.code}>
          <input className="input" value={code} onChange={(ev) => setCode(ev.target.value)} autoFocus />
        </Field>
        <Field
          label="分值"
          error={e.points}
          hint={props.inGate ? '否决项不计分值，填 0' : penalty ? '扣分项不计分值，填 0；扣分上限写在扣分方式中' : undefined}
        >
          <input
            className="input num"
            inputMode="decimal"
            value={unknown ? '' : points}
            disabled={unknown}
            onChange={(ev) => setPoints(ev.target.value)}
          />
        </Field>
        <Field label="评查内容" error={e.text} className="span-2">
          <textarea className="input" value={text} onChange={(ev) => setText(ev.target.value)} rows={3} />
        </Field>
        <label className="st-check span-2">
          <input type="checkbox" checked={unknown} onChange={(ev) => setUnknown(ev.target.checked)} /> 原文未给出分值（不能据此扣分）
        </label>
        <Field label="扣分方式">
          <select className="input" value={kind} onChange={(ev) => setKind(ev.target.value as DeductionRule['kind'])}>
            {kinds.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <div className="st-rule-params">
          {kind === 'fixed' && (
            <Field label="扣分值" error={e.amount}>
              <input className="input num" inputMode="decimal" value={amount} onChange={(ev) => setAmount(ev.target.value)} />
            </Field>
          )}
          {kind === 'perOccurrence' && (
            <>
              <Field label="每处扣分" error={e.amount}>
                <input className="input num" inputMode="decimal" value={amount} onChange={(ev) => setAmount(ev.target.value)} />
              </Field>
              <Field label="最多扣分" error={e.cap} hint="空着表示以该项分值为限">
                <input className="input num" inputMode="decimal" value={cap} onChange={(ev) => setCap(ev.target.value)} />
              </Field>
            </>
          )}
          {kind === 'range' && (
            <>
              <Field label="最少扣分" error={e.min}>
                <input className="input num" inputMode="decimal" value={min} onChange={(ev) => setMin(ev.target.value)} />
              </Field>
              <Field label="最多扣分" error={e.max}>
                <input className="input num" inputMode="decimal" value={max} onChange={(ev) => setMax(ev.target.value)} />
              </Field>
              <Field label="步长" error={e.step}>
                <input className="input num" inputMode="decimal" value={step} onChange={(ev) => setStep(ev.target.value)} />
              </Field>
            </>
          )}
        </div>
        <Field label="扣分标准（原文）" className="span-2">
          <textarea className="input" value={ruleText} onChange={(ev) => setRuleText(ev.target.value)} rows={2} />
        </Field>
        {!props.inGate && (
          <>
            <Field label="可不适用">
              <select className="input" value={na} onChange={(ev) => setNa(ev.target.value as NotApplicableEffect | '')}>
                <option value="">不允许</option>
                <option value="award">允许，不适用时给分</option>
                <option value="exclude">允许，不适用时剔除后折算</option>
              </select>
            </Field>
            <label className="st-check">
              <input type="checkbox" checked={penalty} onChange={(ev) => setPenalty(ev.target.checked)} />{' '}
              扣分项（不计分值，从所在类别中扣分）
            </label>
          </>
        )}
        <Field label="问题类别">
          <input className="input" value={category} onChange={(ev) => setCategory(ev.target.value)} placeholder="如：执法程序" />
        </Field>
        <Field label="依据" className="span-2">
          <input
            className="input"
            value={basis}
            onChange={(ev) => setBasis(ev.target.value)}
            placeholder="如：《中华人民共和国行政处罚法》第六十条"
          />
        </Field>
        <ProvenanceFields kind={pKind} note={pNote} onKind={setPKind} onNote={setPNote} />
        <Field label="备注" className="span-2">
          <textarea className="input" value={note} onChange={(ev) => setNote(ev.target.value)} rows={2} />
        </Field>
      </div>
    </EditorDialog>
  );
}

// ── block ───────────────────────────────────────────────────────────────────────────────────────

export function BlockEditor(props: { def: StandardDefinition; block: BlockNode; onApply(next: BlockNode): void; onClose(): void }) {
  const { block } = props;
  const [code, setCode] = useState(block.code ?? '');
  const [title, setTitle] = useState(block.title);
  const [points, setPoints] = useState(String(block.points));
  const [floor, setFloor] = useState(block.floor);
  const [normalise, setNormalise] = useState(block.normalise);
  const [pKind, setPKind] = useState<string>(block.provenance?.kind ?? '');
  const [pNote, setPNote] = useState(block.provenance?.note ?? '');
  const [note, setNote] = useState(block.note ?? '');
  const pts = readNumber(points, '类别分值');
  const errors: Record<string, string> = {};
  if (pts.error) errors.points = pts.error;
  if (!title.trim()) errors.title = '请填写类别名称';
  const next: BlockNode = {
    ...block,
    code: code.trim() || undefined,
    title: title.trim(),
    points: pts.value ?? 0,
    floor,
    normalise,
    provenance: provenanceOf(pKind, pNote),
    note: note.trim() || undefined,
  };
  const problems = Object.keys(errors).length
    ? []
    : validateDefinition(changeNode(props.def, block.id, () => next)).filter((i) => i.blockId === block.id);
  return (
    <EditorDialog
      title={`编辑类别“${block.title}”`}
      onClose={props.onClose}
      onSubmit={() => props.onApply(next)}
      problems={problems}
      fieldErrors={Object.keys(errors).length > 0}
      width={680}
    >
      <div className="form-grid">
        <Field label="编号">
          <input className="input" value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <Field label="类别分值" error={errors.points}>
          <input className="input num" inputMode="decimal" value={points} onChange={(e) => setPoints(e.target.value)} />
        </Field>
        <Field label="类别名称" error={errors.title} className="span-2">
          <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />
        </Field>
        <label className="st-check">
          <input type="checkbox" checked={floor} onChange={(e) => setFloor(e.target.checked)} /> 扣完为止（本类别不计负分）
        </label>
        <label className="st-check">
          <input type="checkbox" checked={normalise} onChange={(e) => setNormalise(e.target.checked)} /> 按比例折算为类别分值
        </label>
        <ProvenanceFields kind={pKind} note={pNote} onKind={setPKind} onNote={setPNote} />
        <Field label="备注" className="span-2">
          <textarea className="input" value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
        </Field>
      </div>
    </EditorDialog>
  );
}

// ── the standard as a whole ─────────────────────────────────────────────────────────────────────

export function MetaEditor(props: { def: StandardDefinition; onApply(next: StandardDefinition): void; onClose(): void }) {
  const { def } = props;
  const [name, setName] = useState(def.name);
  const [version, setVersion] = useState(def.version);
  const [caseTypes, setCaseTypes] = useState<CaseType[]>(def.caseTypes);
  const [total, setTotal] = useState(String(def.total));
  const [mode, setMode] = useState<ScoringMode>(def.mode);
  const [gateTitle, setGateTitle] = useState(def.gate.title);
  const [gatePoints, setGatePoints] = useState(String(def.gate.points));
  const [effect, setEffect] = useState<VetoEffect>(def.veto.effect);
  const [bands, setBands] = useState(def.bands.map((b) => ({ grade: b.grade, min: String(b.min), provenance: b.provenance })));
  const [failGrade, setFailGrade] = useState(def.failGrade);
  const [quota, setQuota] = useState(def.topGradeQuota ? String(Math.round(def.topGradeQuota.maxShare * 1000) / 10) : '');

  const errors: Record<string, string> = {};
  const totalN = readNumber(total, '总分');
  if (totalN.error) errors.total = totalN.error;
  const gateN = readNumber(gatePoints, '否决项部分分值');
  if (gateN.error) errors.gate = gateN.error;
  const quotaN = readNumber(quota, '名额比例', { optional: true });
  if (quotaN.error) errors.quota = quotaN.error;
  else if (quotaN.value !== undefined && (quotaN.value <= 0 || quotaN.value > 100)) errors.quota = '名额比例应在 0–100% 之间';
  if (!name.trim()) errors.name = '请填写标准名称';
  if (!version.trim()) errors.version = '请填写版本';
  if (!caseTypes.length) errors.caseTypes = '至少选择一种案件类型';
  const parsedBands: GradeBand[] = bands.map((b, i) => {
    const n = readNumber(b.min, '分数线');
    if (n.error) errors[`band${i}`] = n.error;
    if (!b.grade.trim()) errors[`band${i}`] = '请填写等次名称';
    return { grade: b.grade.trim(), min: n.value ?? 0, ...(b.provenance ? { provenance: b.provenance } : {}) };
  });
  const top = [...parsedBands].sort((a, b) => b.min - a.min)[0];
  const next: StandardDefinition = {
    ...def,
    name: name.trim(),
    version: version.trim(),
    caseTypes,
    total: totalN.value ?? 0,
    mode,
    gate: { ...def.gate, title: gateTitle.trim() || '否决项', points: gateN.value ?? 0 },
    veto: { effect },
    bands: parsedBands,
    failGrade,
    topGradeQuota: quotaN.value !== undefined && top ? { grade: top.grade, maxShare: quotaN.value / 100 } : undefined,
  };
  const problems = Object.keys(errors).length ? [] : validateDefinition(next).filter((i) => !i.itemId && !i.blockId);

  return (
    <EditorDialog
      title="编辑标准信息"
      onClose={props.onClose}
      onSubmit={() => props.onApply(next)}
      problems={problems}
      fieldErrors={Object.keys(errors).length > 0}
      width={820}
    >
      <div className="form-grid">
        <Field label="标准名称" error={errors.name} className="span-2">
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </Field>
        <Field label="版本" error={errors.version} hint="保存为新版本时若版本名已存在，将自动加“修订”编号">
          <input className="input" value={version} onChange={(e) => setVersion(e.target.value)} />
        </Field>
        <Field label="总分" error={errors.total}>
          <input className="input num" inputMode="decimal" value={total} onChange={(e) => setTotal(e.target.value)} />
        </Field>
        <fieldset className="st-fieldset span-2">
          <legend>适用案件类型</legend>
          {CASE_TYPES.map((t) => (
            <label key={t} className="st-check">
              <input
                type="checkbox"
                checked={caseTypes.includes(t)}
                onChange={(e) =>
                  setCaseTypes(
                    e.target.checked ? CASE_TYPES.filter((x) => x === t || caseTypes.includes(x)) : caseTypes.filter((x) => x !== t),
                  )
                }
              />{' '}
              {CASE_TYPE_LABELS[t]}
            </label>
          ))}
          {errors.caseTypes && (
            <small className="error" role="alert">
              {errors.caseTypes}
            </small>
          )}
        </fieldset>
        <Field label="计分方式">
          <select className="input" value={mode} onChange={(e) => setMode(e.target.value as ScoringMode)}>
            {SCORING_MODES.map((m) => (
              <option key={m} value={m}>
                {SCORING_MODE_LABELS[m]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="否决效果">
          <select className="input" value={effect} onChange={(e) => setEffect(e.target.value as VetoEffect)}>
            {VETO_EFFECTS.map((v) => (
              <option key={v} value={v}>
                {VETO_EFFECT_LABELS[v]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="否决项部分名称">
          <input className="input" value={gateTitle} onChange={(e) => setGateTitle(e.target.value)} />
        </Field>
        <Field label="否决项部分分值" error={errors.gate} hint="两部分计分时为合法性部分的分值，否则为 0">
          <input className="input num" inputMode="decimal" value={gatePoints} onChange={(e) => setGatePoints(e.target.value)} />
        </Field>
        <fieldset className="st-fieldset span-2">
          <legend>等次（按分数线从高到低）</legend>
          {bands.map((b, i) => (
            <div key={i} className="st-band-row">
              <input
                className="input"
                aria-label={`第 ${i + 1} 个等次名称`}
                value={b.grade}
                onChange={(e) => setBands(bands.map((x, k) => (k === i ? { ...x, grade: e.target.value } : x)))}
              />
              <span>≥</span>
              <input
                className="input num"
                aria-label={`第 ${i + 1} 个等次分数线`}
                inputMode="decimal"
                value={b.min}
                onChange={(e) => setBands(bands.map((x, k) => (k === i ? { ...x, min: e.target.value } : x)))}
              />
              <span>分</span>
              <button
                className="btn btn-sm"
                type="button"
                disabled={bands.length <= 2}
                onClick={() => setBands(bands.filter((_, k) => k !== i))}
                aria-label={`删除等次 ${b.grade}`}
              >
                删除
              </button>
              {errors[`band${i}`] && (
                <small className="error" role="alert">
                  {errors[`band${i}`]}
                </small>
              )}
            </div>
          ))}
          <button className="btn btn-sm" type="button" onClick={() => setBands([...bands, { grade: '', min: '0', provenance: undefined }])}>
            ＋ 等次
          </button>
        </fieldset>
        <Field label="否决时评为">
          <select className="input" value={failGrade} onChange={(e) => setFailGrade(e.target.value)}>
            {parsedBands.map((b) => (
              <option key={b.grade} value={b.grade}>
                {b.grade}
              </option>
            ))}
          </select>
        </Field>
        <Field label="最高等次名额上限（%）" error={errors.quota} hint="空着表示不限">
          <input className="input num" inputMode="decimal" value={quota} onChange={(e) => setQuota(e.target.value)} />
        </Field>
      </div>
    </EditorDialog>
  );
}
