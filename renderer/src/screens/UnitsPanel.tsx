/** The campaign's units under review (被评查单位): name, short name, field (系统) and region code. */
import { useState, type FormEvent } from 'react';
import type { UnitView } from '../../../shared/import/api';
import { errorMessage, invoke } from '../api/client';
import { useQuery } from '../api/hooks';
import { Dialog } from '../ui/dialog';
import { Field } from '../ui/field';
import { useToast } from '../ui/toast';

const FIELDS = ['公安', '市场监管', '生态环境', '自然资源', '交通运输', '城管', '农业农村', '卫健', '应急', '文旅', '林业', '税务', '乡镇/街道综合执法'];

export function UnitsPanel({ campaignId, canEdit }: { campaignId: string; canEdit: boolean }) {
  const units = useQuery('unit:list', { campaignId }, { refreshOn: (c) => c.campaignId === campaignId });
  const [editing, setEditing] = useState<UnitView | 'new' | null>(null);
  const list = units.data ?? [];
  return (
    // No aria-label here: "被评查单位" labels the import dialog's input, and labels must stay unique.
    <section className="panel">
      <div style={{ display: 'flex', alignItems: 'center', padding: '12px 14px 4px', gap: 12 }}>
        <h3 style={{ flex: 1 }}>被评查单位（{list.length}）</h3>
        {canEdit && <button className="btn btn-sm" type="button" onClick={() => setEditing('new')}>＋ 添加单位</button>}
      </div>
      {list.length === 0 ? (
        <div className="empty">还没有被评查单位。导入案卷时会按清单自动登记，也可以先手动添加。</div>
      ) : (
        <table className="table">
          <thead>
            <tr><th>单位名称</th><th>简称</th><th>所属系统</th><th>行政区划代码</th><th className="num">案卷</th>{canEdit && <th />}</tr>
          </thead>
          <tbody>
            {list.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.shortName || <span className="muted">—</span>}</td>
                <td>{u.field || <span className="muted">—</span>}</td>
                <td className="num">{u.regionCode || <span className="muted">—</span>}</td>
                <td className="num">{u.caseCount}</td>
                {canEdit && <td><button className="btn btn-sm" type="button" onClick={() => setEditing(u)} aria-label={`编辑 ${u.name}`}>编辑</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <UnitDialog campaignId={campaignId} unit={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}

function UnitDialog({ campaignId, unit, onClose }: { campaignId: string; unit: UnitView | null; onClose: () => void }) {
  const toast = useToast();
  const [name, setName] = useState(unit?.name ?? '');
  const [shortName, setShortName] = useState(unit?.shortName ?? '');
  const [field, setField] = useState(unit?.field ?? '');
  const [regionCode, setRegionCode] = useState(unit?.regionCode ?? '');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await invoke('unit:save', { campaignId, ...(unit ? { unitId: unit.id } : {}), name, shortName, field, regionCode });
      toast.show(unit ? '已保存单位信息' : '已添加单位', 'ok');
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <Dialog open title={unit ? '编辑被评查单位' : '添加被评查单位'} onClose={onClose}>
      <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 14 }}>
        <Field label="单位名称"><input className="input" autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="如：某某县市场监督管理局" /></Field>
        <div className="form-grid">
          <Field label="简称"><input className="input" value={shortName} onChange={(e) => setShortName(e.target.value)} placeholder="如：县市场监管局" /></Field>
          <Field label="所属系统">
            <input className="input" list="unit-fields" value={field} onChange={(e) => setField(e.target.value)} placeholder="如：市场监管" />
          </Field>
          <Field label="行政区划代码" hint="6 位数字（GB/T 2260），可不填">
            <input className="input num" inputMode="numeric" value={regionCode} onChange={(e) => setRegionCode(e.target.value)} placeholder="如：430623" />
          </Field>
        </div>
        <datalist id="unit-fields">{FIELDS.map((f) => <option key={f} value={f} />)}</datalist>
        {error && <div className="notice notice-error" role="alert">{error}</div>}
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 10 }}>
          <button className="btn" type="button" onClick={onClose}>取消</button>
          <button className="btn btn-primary" type="submit">保存</button>
        </div>
      </form>
    </Dialog>
  );
}
