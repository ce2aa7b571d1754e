/**
 * A standard as a tree: the veto part, then blocks (nested) and items, with each block's total of
 * its children beside its own points and a warning where they differ, and where every item came
 * from (原文 / 推定 / 占位 …). In edit mode each row opens its editor.
 */
import { childPoints, describeRule, fmt, PROVENANCE_LABELS } from '../../../../shared/standards/tree';
import type { BlockNode, ItemNode, Provenance, StandardDefinition } from '../../../../shared/standards/model';
import type { DefinitionIssue } from '../../../../shared/standards/validate';

const PROVENANCE_TONE: Record<Provenance['kind'], string> = {
  source: 'badge-ok',
  inferred: 'badge-warn',
  placeholder: 'badge-danger',
  fragment: 'badge-warn',
  code: 'badge-primary',
};

export function ProvenanceBadge({ provenance }: { provenance: Provenance | undefined }) {
  if (!provenance) return null;
  return (
    <span className={`badge ${PROVENANCE_TONE[provenance.kind]}`} title={provenance.note} data-provenance={provenance.kind}>
      {PROVENANCE_LABELS[provenance.kind]}
    </span>
  );
}

export interface TreeActions {
  onEditItem(itemId: string): void;
  onEditBlock(blockId: string): void;
  onAddItem(blockId: string | null): void;
  onRemoveItem(itemId: string): void;
}

interface TreeProps {
  def: StandardDefinition;
  issues: DefinitionIssue[];
  /** Present in edit mode. */
  actions?: TreeActions | undefined;
}

function IssueLines({ issues }: { issues: DefinitionIssue[] }) {
  if (!issues.length) return null;
  return (
    <ul className="st-issues">
      {issues.map((i, k) => (
        <li key={k} className={i.level === 'error' ? 'st-issue-error' : 'st-issue-warning'}>
          {i.level === 'error' ? '错误：' : '提示：'}
          {i.message}
        </li>
      ))}
    </ul>
  );
}

function ItemRow({ item, issues, actions }: { item: ItemNode; issues: DefinitionIssue[]; actions?: TreeActions | undefined }) {
  const mine = issues.filter((i) => i.itemId === item.id);
  const veto = item.rule.kind === 'veto';
  return (
    <li
      className={`st-item ${mine.some((i) => i.level === 'error') ? 'has-error' : ''}`}
      data-item-id={item.id}
      tabIndex={actions ? 0 : undefined}
      onKeyDown={actions ? (e) => e.key === 'Enter' && e.target === e.currentTarget && actions.onEditItem(item.id) : undefined}
    >
      <div className="st-row">
        <span className="st-code num">{item.code}</span>
        <div className="st-main">
          <div className="st-text">{item.text}</div>
          <div className="st-rule">
            <span>{describeRule(item)}</span>
            {item.ruleText && <span className="muted"> · 扣分标准：{item.ruleText}</span>}
          </div>
          {item.basis && <div className="st-basis muted">依据：{item.basis}</div>}
          <div className="st-tags">
            <ProvenanceBadge provenance={item.provenance} />
            {veto && <span className="badge badge-danger">否决项</span>}
            {item.notApplicable && <span className="badge">可不适用（{item.notApplicable === 'award' ? '给分' : '剔除后折算'}）</span>}
            {item.penalty && <span className="badge badge-warn">扣分项</span>}
            {item.category && <span className="badge">{item.category}</span>}
            {item.asPrinted?.points !== undefined && <span className="badge">原表分值 {fmt(item.asPrinted.points)}</span>}
            {item.asPrinted?.deduction !== undefined && <span className="badge">原表扣 {fmt(item.asPrinted.deduction)} 分</span>}
          </div>
          {(item.provenance?.note || item.note) && (
            <div className="st-note muted">
              {item.provenance?.note && <span>来源说明：{item.provenance.note}</span>}
              {item.provenance?.note && item.note && <span> · </span>}
              {item.note && <span>备注：{item.note}</span>}
            </div>
          )}
          <IssueLines issues={mine} />
        </div>
        <span className="st-points num">
          {veto ? '否决' : item.penalty ? '扣分项' : item.points === null ? '分值未知' : `${fmt(item.points)} 分`}
        </span>
        {actions && (
          <span className="st-actions">
            <button className="btn btn-sm" type="button" onClick={() => actions.onEditItem(item.id)} aria-label={`编辑第 ${item.code} 项`}>
              编辑
            </button>
            <button
              className="btn btn-sm btn-danger"
              type="button"
              onClick={() => actions.onRemoveItem(item.id)}
              aria-label={`删除第 ${item.code} 项`}
            >
              删除
            </button>
          </span>
        )}
      </div>
    </li>
  );
}

function BlockSection({
  block,
  depth,
  issues,
  actions,
}: {
  block: BlockNode;
  depth: number;
  issues: DefinitionIssue[];
  actions?: TreeActions | undefined;
}) {
  const { sum, unknown } = childPoints(block);
  const mismatch = !block.normalise && Math.abs(sum - block.points) > 1e-6;
  const mine = issues.filter((i) => i.blockId === block.id);
  return (
    <li className={`st-block depth-${Math.min(depth, 3)}`} data-block-id={block.id}>
      <div className="st-block-head">
        {block.code && <span className="st-code">{block.code}</span>}
        <h3 className="st-block-title">{block.title}</h3>
        <ProvenanceBadge provenance={block.provenance} />
        {block.normalise && <span className="badge badge-primary">按比例折算</span>}
        {block.floor && <span className="badge">扣完为止</span>}
        <span className="st-block-points num" data-testid="block-points">
          {fmt(block.points)} 分
          {mismatch ? (
            <span className={`badge ${unknown ? 'badge-warn' : 'badge-danger'}`} role="note">
              ⚠ 各项合计 {fmt(sum)} 分{unknown ? `（另有 ${unknown} 项分值未知）` : ''}
            </span>
          ) : (
            <span className="badge badge-ok">
              各项合计 {fmt(sum)} 分{block.normalise ? '，折算' : ''}
            </span>
          )}
        </span>
        {actions && (
          <span className="st-actions">
            <button
              className="btn btn-sm"
              type="button"
              onClick={() => actions.onEditBlock(block.id)}
              aria-label={`编辑类别 ${block.title}`}
            >
              编辑类别
            </button>
            <button
              className="btn btn-sm"
              type="button"
              onClick={() => actions.onAddItem(block.id)}
              aria-label={`在 ${block.title} 中添加项目`}
            >
              ＋ 项目
            </button>
          </span>
        )}
      </div>
      {block.note && <div className="st-note muted">备注：{block.note}</div>}
      {block.provenance?.note && <div className="st-note muted">来源说明：{block.provenance.note}</div>}
      <IssueLines issues={mine} />
      <ul className="st-children">
        {block.children.map((child) =>
          child.kind === 'block' ? (
            <BlockSection key={child.id} block={child} depth={depth + 1} issues={issues} actions={actions} />
          ) : (
            <ItemRow key={child.id} item={child} issues={issues} actions={actions} />
          ),
        )}
      </ul>
    </li>
  );
}

export function StandardTree({ def, issues, actions }: TreeProps) {
  const blockTotal = def.blocks.reduce((s, b) => s + b.points, def.gate.points);
  return (
    <div className="st-tree" aria-label="标准结构">
      <div className="st-summary">
        <span>
          总分 <b className="num">{fmt(def.total)}</b> 分
        </span>
        {Math.abs(blockTotal - def.total) > 1e-6 ? (
          <span className="badge badge-danger" role="note">
            ⚠ 各部分合计 {fmt(blockTotal)} 分，与总分不符
          </span>
        ) : (
          <span className="badge badge-ok">各部分合计 {fmt(blockTotal)} 分</span>
        )}
      </div>
      <ul className="st-children st-top">
        {(def.gate.items.length > 0 || actions) && (
          <li className="st-block st-gate" data-block-id="gate">
            <div className="st-block-head">
              <h3 className="st-block-title">{def.gate.title}</h3>
              <span className="badge badge-danger">否决项</span>
              {def.gate.points > 0 && <span className="st-block-points num">{fmt(def.gate.points)} 分</span>}
              {actions && (
                <span className="st-actions">
                  <button className="btn btn-sm" type="button" onClick={() => actions.onAddItem(null)} aria-label="添加否决项">
                    ＋ 否决项
                  </button>
                </span>
              )}
            </div>
            <ul className="st-children">
              {def.gate.items.map((item) => (
                <ItemRow key={item.id} item={item} issues={issues} actions={actions} />
              ))}
              {def.gate.items.length === 0 && <li className="muted st-empty-gate">本标准没有否决项。</li>}
            </ul>
          </li>
        )}
        {def.blocks.map((block) => (
          <BlockSection key={block.id} block={block} depth={0} issues={issues} actions={actions} />
        ))}
      </ul>
    </div>
  );
}
