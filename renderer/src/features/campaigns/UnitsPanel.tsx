/**
 * The campaign's units under review (被评查单位): name, short name, field (系统) and region code. Two
 * units that are one bureau (县市场监管局 and 清溪县市场监督管理局) are merged here by the organiser, after
 * a preview of what moves; renaming one onto the other offers the merge.
 */
import { useState, type FormEvent } from 'react';
import type { UnitMergePreview, UnitView } from '../../../../shared/import/api';
import { ApiError, errorMessage, invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { useUser } from '../../app/session';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { useToast } from '../../ui/toast';

const FIELDS = [
  '公安',
  '市场监管',
  '生态环境',
  '自然资源',
  '交通运输',
  '城管',
  '农业农村',
  '卫健',
  '应急',
  '文旅',
  '林业',
  '税务',
  '乡镇/街道综合执法',
];

export function UnitsPanel({ campaignId, canEdit }: { campaignId: string; canEdit: boolean }) {
  const units = useQuery('unit:list', { campaignId }, { refreshOn: (c) => c.campaignId === campaignId });
  const [editing, setEditing] = useState<UnitView | 'new' | null>(null);
  const [merging, setMerging] = useState<{ source: UnitView; targetId: string } | null>(null);
  const canMerge = useUser().role === 'organiser';
  const list = units.data ?? [];
  return (
    // No aria-label here: "被评查单位" labels the import dialog's input, and labels must stay unique.
    <section className="panel">
      <div style={{ display: 'flex', alignItems: 'center', padding: '12px 14px 4px', gap: 12 }}>
        <h3 style={{ flex: 1 }}>被评查单位（{list.length}）</h3>
        {canEdit && (
          <button className="btn btn-sm" type="button" onClick={() => setEditing('new')}>
            ＋ 添加单位
          </button>
        )}
      </div>
      {list.length === 0 ? (
        <div className="empty">还没有被评查单位。导入案卷时会按清单自动登记，也可以先手动添加。</div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>单位名称</th>
              <th>简称</th>
              <th>所属系统</th>
              <th>行政区划代码</th>
              <th className="num">案卷</th>
              {canEdit && <th />}
            </tr>
          </thead>
          <tbody>
            {list.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.shortName || <span className="muted">—</span>}</td>
                <td>{u.field || <span className="muted">—</span>}</td>
                <td className="num">{u.regionCode || <span className="muted">—</span>}</td>
                <td className="num">{u.caseCount}</td>
                {canEdit && (
                  <td>
                    <button className="btn btn-sm" type="button" onClick={() => setEditing(u)} aria-label={`编辑 ${u.name}`}>
                      编辑
                    </button>{' '}
                    {canMerge && list.length > 1 && (
                      <button
                        className="btn btn-sm"
                        type="button"
                        onClick={() => setMerging({ source: u, targetId: '' })}
                        aria-label={`合并 ${u.name}`}
                      >
                        合并到…
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <UnitDialog
          campaignId={campaignId}
          unit={editing === 'new' ? null : editing}
          canMerge={canMerge}
          onClose={() => setEditing(null)}
          onOfferMerge={(source, targetId) => {
            setEditing(null);
            setMerging({ source, targetId });
          }}
        />
      )}
      {merging && (
        <MergeDialog
          campaignId={campaignId}
          units={list}
          source={merging.source}
          initialTarget={merging.targetId}
          onClose={() => setMerging(null)}
        />
      )}
    </section>
  );
}

function UnitDialog(props: {
  campaignId: string;
  unit: UnitView | null;
  canMerge: boolean;
  onClose: () => void;
  onOfferMerge: (source: UnitView, targetId: string) => void;
}) {
  const { campaignId, unit, canMerge, onClose, onOfferMerge } = props;
  const toast = useToast();
  const [name, setName] = useState(unit?.name ?? '');
  const [shortName, setShortName] = useState(unit?.shortName ?? '');
  const [field, setField] = useState(unit?.field ?? '');
  const [regionCode, setRegionCode] = useState(unit?.regionCode ?? '');
  const [error, setError] = useState<string | null>(null);
  const [sameAs, setSameAs] = useState<{ unitId: string; unitName: string } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setSameAs(null);
    try {
      await invoke('unit:save', { campaignId, ...(unit ? { unitId: unit.id } : {}), name, shortName, field, regionCode });
      toast.show(unit ? '已保存单位信息' : '已添加单位', 'ok');
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      // Renamed onto a unit the campaign already has: the way forward is the merge.
      if (err instanceof ApiError && err.details?.reason === 'unit_exists')
        setSameAs({ unitId: String(err.details.unitId), unitName: String(err.details.unitName) });
    }
  }
  return (
    <Dialog open title={unit ? '编辑被评查单位' : '添加被评查单位'} onClose={onClose}>
      <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 14 }}>
        <Field label="单位名称">
          <input
            className="input"
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="如：某某县市场监督管理局"
          />
        </Field>
        <div className="form-grid">
          <Field label="简称">
            <input className="input" value={shortName} onChange={(e) => setShortName(e.target.value)} placeholder="如：县市场监管局" />
          </Field>
          <Field label="所属系统">
            <input
              className="input"
              list="unit-fields"
              value={field}
              onChange={(e) => setField(e.target.value)}
              placeholder="如：市场监管"
            />
          </Field>
          <Field label="行政区划代码" hint="6 位数字（GB/T 2260），可不填">
            <input
              className="input num"
              inputMode="numeric"
              value={regionCode}
              onChange={(e) => setRegionCode(e.target.value)}
              placeholder="如：430623"
            />
          </Field>
        </div>
        <datalist id="unit-fields">
          {FIELDS.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 10 }}>
          <button className="btn" type="button" onClick={onClose}>
            取消
          </button>
          {unit && sameAs && canMerge && (
            <button className="btn" type="button" onClick={() => onOfferMerge(unit, sameAs.unitId)}>
              合并到“{sameAs.unitName}”…
            </button>
          )}
          <button className="btn btn-primary" type="submit">
            保存
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function MergeDialog(props: { campaignId: string; units: UnitView[]; source: UnitView; initialTarget: string; onClose: () => void }) {
  const { campaignId, units, source, initialTarget, onClose } = props;
  const toast = useToast();
  const others = units.filter((u) => u.id !== source.id);
  const [targetId, setTargetId] = useState(initialTarget || others[0]?.id || '');
  const preview = useQuery('unit:mergePreview', targetId ? { campaignId, sourceUnitId: source.id, targetUnitId: targetId } : null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function merge(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const target = await invoke('unit:merge', { campaignId, sourceUnitId: source.id, targetUnitId: targetId });
      toast.show(`已把“${source.name}”合并到“${target.name}”`, 'ok');
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  const p = preview.data;
  return (
    <Dialog open title={`合并“${source.name}”`} onClose={() => !busy && onClose()} width={620}>
      <form onSubmit={merge} className="stack" aria-label="合并被评查单位">
        <Field label="合并到">
          <select className="input" value={targetId} onChange={(e) => setTargetId(e.target.value)}>
            {others.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}（{u.caseCount} 件）
              </option>
            ))}
          </select>
        </Field>
        {preview.error && (
          <div className="notice notice-error" role="alert">
            {preview.error}
          </div>
        )}
        {p && <MergeFacts preview={p} />}
        {error && (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        )}
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 10 }}>
          <button className="btn" type="button" onClick={onClose} disabled={busy}>
            取消
          </button>
          <button className="btn btn-primary" type="submit" disabled={busy || !p || !!p.blocked}>
            确认合并
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function MergeFacts({ preview }: { preview: UnitMergePreview }) {
  const moved: Array<[string, number]> = [
    ['案卷', preview.cases],
    ['评查任务', preview.assignments],
    ['本次抽中的案卷', preview.drawnCases],
    ['指定回避', preview.declaredConflicts],
    ['文书（草稿）', preview.letters],
    ['整改台账条目', preview.ledgerItems],
  ];
  return (
    <div className="stack" data-testid="merge-preview">
      <p>
        “{preview.source.name}”的以下内容将归入“{preview.target.name}”，“{preview.source.name}”随后删除：
      </p>
      <table className="table" aria-label="合并后移动的内容">
        <tbody>
          {moved.map(([label, n]) => (
            <tr key={label}>
              <td>{label}</td>
              <td className="num">
                <b>{n}</b>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.blocked && (
        <div className="notice notice-error" role="alert">
          {preview.blocked}
        </div>
      )}
      {preview.notes.map((n) => (
        <div key={n} className="notice notice-info">
          {n}
        </div>
      ))}
    </div>
  );
}
