/**
 * 评查标准: the library of standards and their versions. A version shows as a tree with block totals
 * and provenance; organisers and leads edit it (a used or built-in version is saved as a new
 * version), copy it, retire it, import and export it as Excel or JSON.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { CASE_TYPE_SHORT } from '../../../../shared/campaigns/case-types';
import type { StandardSummarySchema } from '../../../../shared/contract/index';
import { fmt, SCORING_MODE_LABELS, VETO_EFFECT_LABELS } from '../../../../shared/standards/tree';
import type { BlockNode, ItemNode, StandardDefinition } from '../../../../shared/standards/model';
import { errorsOf, validateDefinition, warningsOf } from '../../../../shared/standards/validate';
import type { z } from 'zod';
import { download, errorMessage, invoke } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { useUser } from '../../app/session';
import { useToast } from '../../ui/toast';
import { CloneDialog, ErrorList, ImportDialog } from './dialogs';
import { addItem, changeNode, nextCode } from './draft';
import { BlockEditor, ItemEditor, MetaEditor } from './editors';
import { StandardTree } from './StandardTree';
import './standards.css';

type Summary = z.infer<typeof StandardSummarySchema>;
type Editor = { kind: 'item'; id: string } | { kind: 'block'; id: string } | { kind: 'meta' } | null;

/** True when a key press belongs to a text field, not to the screen's shortcuts. */
const typing = (e: KeyboardEvent): boolean => {
  const t = e.target as HTMLElement | null;
  return !!t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || !!t.closest('dialog'));
};

function findNode(def: StandardDefinition, id: string): { node: BlockNode | ItemNode; inGate: boolean } | null {
  const gate = def.gate.items.find((i) => i.id === id);
  if (gate) return { node: gate, inGate: true };
  const walk = (nodes: Array<BlockNode | ItemNode>): BlockNode | ItemNode | null => {
    for (const n of nodes) {
      if (n.id === id) return n;
      if (n.kind === 'block') {
        const found = walk(n.children);
        if (found) return found;
      }
    }
    return null;
  };
  const node = walk(def.blocks);
  return node ? { node, inGate: false } : null;
}

function groupByStandard(list: Summary[]): Array<{ standardId: string; name: string; builtin: boolean; versions: Summary[] }> {
  const groups = new Map<string, { standardId: string; name: string; builtin: boolean; versions: Summary[] }>();
  for (const s of list) {
    const g = groups.get(s.standardId) ?? { standardId: s.standardId, name: s.name, builtin: true, versions: [] };
    g.versions.push(s);
    g.name = s.name;
    g.builtin &&= s.builtin;
    groups.set(s.standardId, g);
  }
  return [...groups.values()];
}

export function StandardsScreen({ versionId }: { versionId?: string | undefined }) {
  const user = useUser();
  const toast = useToast();
  const canEdit = user.role === 'organiser' || user.role === 'lead';
  const list = useQuery('standard:list', {}, { refreshOn: (c) => c.entity === 'standard' });
  const [filter, setFilter] = useState('');
  const [showRetired, setShowRetired] = useState(false);
  const filterInput = useRef<HTMLInputElement>(null);

  const visible = useMemo(
    () =>
      (list.data ?? []).filter(
        (s) =>
          (showRetired || !s.retired || s.versionId === versionId) && (!filter.trim() || `${s.name}${s.version}`.includes(filter.trim())),
      ),
    [list.data, showRetired, filter, versionId],
  );
  const selectedId = versionId ?? visible[0]?.versionId;
  const detail = useQuery('standard:get', selectedId ? { versionId: selectedId } : null, { refreshOn: (c) => c.entity === 'standard' });

  const [draft, setDraft] = useState<StandardDefinition | null>(null);
  const [changeNote, setChangeNote] = useState('');
  const [editor, setEditor] = useState<Editor>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [importing, setImporting] = useState(false);
  const [cloning, setCloning] = useState(false);

  const summary = detail.data?.summary;
  const shown = draft ?? detail.data?.definition;
  const issues = useMemo(() => (shown ? validateDefinition(shown) : []), [shown]);
  const errors = errorsOf(issues);
  const warnings = warningsOf(issues);
  const editing = draft !== null;

  function startEditing(): void {
    if (!detail.data || !canEdit) return;
    setDraft(structuredClone(detail.data.definition));
    setChangeNote('');
    setSaveError(null);
  }
  function stopEditing(): void {
    setDraft(null);
    setEditor(null);
    setSaveError(null);
  }

  async function save(): Promise<void> {
    if (!draft || !summary || saving) return;
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await invoke('standard:update', {
        versionId: summary.versionId,
        definition: draft,
        expectedSha256: summary.contentSha256,
        changeNote,
      });
      stopEditing();
      if (saved.unchanged) toast.show('内容没有变化，未保存。');
      else if (saved.created) {
        toast.show(`已保存为新版本“${saved.summary.version}”；原版本“${summary.version}”保持不变。`, 'ok');
        navigate(href.standards(saved.summary.versionId));
      } else toast.show(`已保存“${saved.summary.name}”（${saved.summary.version}）。`, 'ok');
    } catch (err) {
      setSaveError(err);
    } finally {
      setSaving(false);
    }
  }

  async function exportAs(format: 'json' | 'xlsx'): Promise<void> {
    if (!summary) return;
    try {
      const file = await invoke('standard:export', { versionId: summary.versionId, format });
      download(file.url, file.fileName);
      toast.show(`已导出 ${file.fileName}`, 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }

  async function setRetired(retired: boolean): Promise<void> {
    if (!summary) return;
    try {
      await invoke('standard:retire', { versionId: summary.versionId, retired });
      toast.show(retired ? `已停用“${summary.name}”（${summary.version}），不再供新的评查活动选用。` : '已恢复使用。', 'ok');
    } catch (err) {
      toast.show(errorMessage(err), 'error');
    }
  }

  // Shortcuts: / search, E edit, Ctrl+S save, ↑/↓ move through the list.
  const keys = useRef({ startEditing, save, editing, visible, selectedId });
  keys.current = { startEditing, save, editing, visible, selectedId };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const k = keys.current;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && k.editing) {
        e.preventDefault();
        // Inside an item's dialog the dialog's own changes are not applied yet: saving would drop them.
        if (!(e.target as HTMLElement | null)?.closest?.('dialog')) void k.save();
        return;
      }
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') {
        e.preventDefault();
        filterInput.current?.focus();
      } else if (e.key.toLowerCase() === 'e' && !k.editing) k.startEditing();
      else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && !k.editing && (e.target as HTMLElement).closest('.st-list')) {
        e.preventDefault();
        const i = k.visible.findIndex((s) => s.versionId === k.selectedId);
        const next = k.visible[Math.max(0, Math.min(k.visible.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))];
        if (next) {
          navigate(href.standards(next.versionId), true);
          requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-version-id="${next.versionId}"]`)?.focus());
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const open = editor && draft && editor.kind !== 'meta' ? findNode(draft, editor.id) : null;

  return (
    <div className="page st-page">
      <div className="page-head">
        <div className="grow">
          <h1>评查标准</h1>
          <p>各地、各领域的评查标准及其版本。被评分使用过的版本不会再改变：修改它会生成新版本，已评的分数不受影响。</p>
        </div>
        {canEdit && (
          <button className="btn btn-primary" type="button" onClick={() => setImporting(true)} disabled={editing}>
            导入标准…
          </button>
        )}
      </div>
      {list.error && <div className="notice notice-error">{list.error}</div>}

      <div className="st-layout">
        <nav className="panel st-list" aria-label="标准列表">
          <div className="st-list-tools">
            <input
              ref={filterInput}
              className="input"
              placeholder="查找标准（按 / 键）"
              aria-label="查找标准"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            <label className="st-check">
              <input type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} /> 显示已停用
            </label>
          </div>
          {editing && <div className="notice notice-warn st-list-lock">正在编辑，请先保存或放弃修改。</div>}
          {groupByStandard(visible).map((g) => (
            <section key={g.standardId} className="st-group" aria-label={g.name}>
              <h2 className="st-group-title">{g.name}</h2>
              {g.versions.map((v) => (
                <a
                  key={v.versionId}
                  className="st-version"
                  href={href.standards(v.versionId)}
                  data-version-id={v.versionId}
                  aria-current={v.versionId === selectedId ? 'page' : undefined}
                  aria-disabled={editing && v.versionId !== selectedId ? true : undefined}
                  onClick={(e) => editing && e.preventDefault()}
                >
                  <span className="st-version-label">{v.version}</span>
                  <span className="st-version-tags">
                    {v.builtin && <span className="badge">内置</span>}
                    {v.frozen ? <span className="badge badge-primary">已使用</span> : !v.builtin && <span className="badge">草稿</span>}
                    {v.retired && <span className="badge badge-danger">已停用</span>}
                    {v.errorCount > 0 && <span className="badge badge-danger">{v.errorCount} 处错误</span>}
                    <span className="muted">{v.caseTypes.map((t) => CASE_TYPE_SHORT[t]).join('、')}</span>
                  </span>
                </a>
              ))}
            </section>
          ))}
          {list.data && visible.length === 0 && <div className="empty">没有符合条件的标准。</div>}
        </nav>

        <section className="st-detail" aria-label="标准内容">
          {detail.error && <div className="notice notice-error">{detail.error}</div>}
          {summary && shown && (
            <>
              <div className="panel st-head">
                <div className="st-title-row">
                  <h2 data-testid="standard-title">{shown.name}</h2>
                  <span className="badge badge-primary">{shown.version}</span>
                  {summary.builtin && <span className="badge">内置参考标准</span>}
                  {summary.frozen && <span className="badge badge-primary">已被评分使用</span>}
                  {summary.retired && <span className="badge badge-danger">已停用</span>}
                </div>
                {!editing && (
                  <div className="st-actions-row">
                    {canEdit && (
                      <button className="btn btn-primary" type="button" onClick={startEditing}>
                        编辑 <kbd>E</kbd>
                      </button>
                    )}
                    {canEdit && (
                      <button className="btn" type="button" onClick={() => setCloning(true)}>
                        复制…
                      </button>
                    )}
                    {canEdit && (
                      <button className="btn" type="button" onClick={() => setRetired(!summary.retired)}>
                        {summary.retired ? '恢复使用' : '停用'}
                      </button>
                    )}
                    <button className="btn" type="button" onClick={() => exportAs('xlsx')}>
                      导出 Excel
                    </button>
                    <button className="btn" type="button" onClick={() => exportAs('json')}>
                      导出 JSON
                    </button>
                  </div>
                )}
                <dl className="st-meta">
                  <dt>适用案件类型</dt>
                  <dd>{shown.caseTypes.map((t) => CASE_TYPE_SHORT[t]).join('、')}</dd>
                  <dt>计分方式</dt>
                  <dd>
                    {SCORING_MODE_LABELS[shown.mode]}
                    {shown.modeText ? <span className="muted">（原文：{shown.modeText}）</span> : null}
                  </dd>
                  <dt>总分</dt>
                  <dd className="num">{fmt(shown.total)} 分</dd>
                  <dt>否决效果</dt>
                  <dd>{VETO_EFFECT_LABELS[shown.veto.effect]}</dd>
                  <dt>等次</dt>
                  <dd>
                    {shown.bands.map((b) => `${b.grade} ≥ ${fmt(b.min)}`).join('；')}
                    {shown.topGradeQuota && `；${shown.topGradeQuota.grade}不超过 ${fmt(shown.topGradeQuota.maxShare * 100)}%`}
                  </dd>
                  {shown.completeness && (
                    <>
                      <dt>完整性</dt>
                      <dd>{shown.completeness}</dd>
                    </>
                  )}
                  {shown.source && (
                    <>
                      <dt>来源</dt>
                      <dd className="st-source">{shown.source}</dd>
                    </>
                  )}
                  {summary.changeNote && (
                    <>
                      <dt>版本说明</dt>
                      <dd>{summary.changeNote}</dd>
                    </>
                  )}
                </dl>
                {shown.notes && shown.notes.length > 0 && (
                  <details className="st-notes">
                    <summary>说明与转换记录（{shown.notes.length} 条）</summary>
                    <ul>
                      {shown.notes.map((n, i) => (
                        <li key={i}>{n}</li>
                      ))}
                    </ul>
                  </details>
                )}
                {(errors.length > 0 || warnings.length > 0) && (
                  <div className={`notice ${errors.length ? 'notice-error' : 'notice-warn'}`} data-testid="standard-issues">
                    {errors.length > 0 ? `${errors.length} 处错误须修正后才能保存或使用` : ''}
                    {errors.length > 0 && warnings.length > 0 ? '；' : ''}
                    {warnings.length > 0 ? `${warnings.length} 条提示（原文缺失的分值、未取得部分的占位等）` : ''}
                  </div>
                )}
              </div>

              {editing && draft && (
                <div className="panel st-editbar" role="region" aria-label="编辑">
                  <div className="st-editbar-row">
                    <b>正在编辑</b>
                    {(summary.frozen || summary.builtin) && (
                      <span className="notice notice-info st-inline-notice">
                        {summary.frozen ? '该版本已被评分使用' : '这是内置参考标准'}，保存后将生成新版本，原版本与已评分数不变。
                      </span>
                    )}
                  </div>
                  <div className="st-editbar-row">
                    <input
                      className="input"
                      aria-label="修改说明"
                      placeholder="修改说明（可不填）"
                      value={changeNote}
                      onChange={(e) => setChangeNote(e.target.value)}
                    />
                    <button className="btn" type="button" onClick={() => setEditor({ kind: 'meta' })}>
                      编辑标准信息
                    </button>
                    {errors.length > 0 && (
                      <span className="st-issue-error" role="status">
                        有 {errors.length} 处错误，修正后才能保存
                      </span>
                    )}
                    <button className="btn" type="button" onClick={stopEditing} disabled={saving}>
                      放弃修改
                    </button>
                    <button className="btn btn-primary" type="button" onClick={save} disabled={saving || errors.length > 0}>
                      保存 <kbd>Ctrl</kbd>+<kbd>S</kbd>
                    </button>
                  </div>
                  {saveError !== null && <ErrorList error={saveError} />}
                </div>
              )}

              <div className="panel st-tree-panel">
                <StandardTree
                  def={shown}
                  issues={issues}
                  actions={
                    editing
                      ? {
                          onEditItem: (id) => setEditor({ kind: 'item', id }),
                          onEditBlock: (id) => setEditor({ kind: 'block', id }),
                          onAddItem: (blockId) => {
                            if (!draft) return;
                            const siblings =
                              blockId === null ? draft.gate.items : ((findNode(draft, blockId)?.node as BlockNode).children ?? []);
                            const added = addItem(draft, blockId, nextCode(draft, siblings));
                            setDraft(added.def);
                            setEditor({ kind: 'item', id: added.itemId });
                          },
                          onRemoveItem: (id) => draft && setDraft(changeNode(draft, id, () => null)),
                        }
                      : undefined
                  }
                />
              </div>
            </>
          )}
        </section>
      </div>

      {draft && open?.node.kind === 'item' && (
        <ItemEditor
          def={draft}
          item={open.node}
          inGate={open.inGate}
          onClose={() => setEditor(null)}
          onApply={(next) => {
            setDraft(changeNode(draft, next.id, () => next));
            setEditor(null);
          }}
        />
      )}
      {draft && open?.node.kind === 'block' && (
        <BlockEditor
          def={draft}
          block={open.node}
          onClose={() => setEditor(null)}
          onApply={(next) => {
            setDraft(changeNode(draft, next.id, () => next));
            setEditor(null);
          }}
        />
      )}
      {draft && editor?.kind === 'meta' && (
        <MetaEditor
          def={draft}
          onClose={() => setEditor(null)}
          onApply={(next) => {
            setDraft(next);
            setEditor(null);
          }}
        />
      )}
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        onImported={(id) => {
          setImporting(false);
          navigate(href.standards(id));
        }}
      />
      {summary && (
        <CloneDialog
          open={cloning}
          versionId={summary.versionId}
          name={summary.name}
          version={summary.version}
          onClose={() => setCloning(false)}
          onCloned={(id) => {
            setCloning(false);
            navigate(href.standards(id));
          }}
        />
      )}
    </div>
  );
}
