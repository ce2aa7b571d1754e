/**
 * On the agreement screen: per pre-check rule, how many files it flagged and how often the panel
 * took its findings (采纳率) — the rule set's precision as the bureau's own reviewers measured it.
 */
import { PRECHECK_RULES, SEVERITIES, type RuleCode } from '../../../../shared/precheck/rules';
import { useQuery } from '../../api/hooks';

export function PrecheckRuleTable({ campaignId }: { campaignId: string }) {
  const q = useQuery('precheck:rules', { campaignId }, { refreshOn: (c) => c.campaignId === campaignId && c.entity === 'case' });
  const rows = q.data ?? [];
  return (
    <section className="panel" aria-label="智能预审规则采纳率">
      <h2 className="panel-title">智能预审规则（采纳率低的在前）</h2>
      {q.error && <div className="notice notice-error">{q.error}</div>}
      <table className="table">
        <thead>
          <tr>
            <th>规则</th>
            <th>提示类别</th>
            <th className="num">涉及案卷</th>
            <th className="num">提示数</th>
            <th className="num">采纳</th>
            <th className="num">不采纳</th>
            <th className="num">未处理</th>
            <th className="num">采纳率</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                还没有预审提示。
              </td>
            </tr>
          )}
          {[...rows]
            .sort((a, b) => (a.takenShare ?? 2) - (b.takenShare ?? 2) || b.findings - a.findings)
            .map((r) => {
              const rule = PRECHECK_RULES[r.rule as RuleCode];
              return (
                <tr key={r.rule} data-rule={r.rule}>
                  <td>{r.title}</td>
                  <td className="muted">{rule ? SEVERITIES[rule.severity] : ''}</td>
                  <td className="num">{r.files}</td>
                  <td className="num">{r.findings}</td>
                  <td className="num">{r.taken}</td>
                  <td className="num">{r.rejected}</td>
                  <td className="num">{r.open}</td>
                  <td className="num">{r.takenShare === null ? '—' : `${Math.round(100 * r.takenShare)}%`}</td>
                </tr>
              );
            })}
        </tbody>
      </table>
      <p className="muted small" style={{ padding: '0 14px 12px' }}>
        采纳率 = 采纳 ÷（采纳 + 不采纳），按评查人员的每次处理计；一条规则采纳率长期偏低，宜调整其参数或停用。
      </p>
    </section>
  );
}
