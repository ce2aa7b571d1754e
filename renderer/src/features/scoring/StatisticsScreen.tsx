/** 统计: per unit average and grade (ranked), grade distribution, problems by category and by standard item, with the 通报's charts. */
import { fmt } from '../../../../shared/standards/tree';
import { AWAITING_PANEL_GRADE } from '../../../../shared/scoring/provisional';
import { deductionTotalText, percent, rankedUnitName } from '../../../../shared/letters/facts';
import { useQuery } from '../../api/hooks';
import { CampaignPageHead } from '../campaigns';
import '../letters/letters.css';

const svgUrl = (svg: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

export function StatisticsScreen({ campaignId }: { campaignId: string }) {
  const stats = useQuery('stats:campaign', { campaignId }, { refreshOn: (c) => c.campaignId === campaignId || c.entity === 'sheet' });
  const s = stats.data;
  return (
    <div className="page" style={{ maxWidth: 1680 }}>
      <CampaignPageHead campaignId={campaignId} title="评查结果统计" current="stats" />
      {stats.error && <div className="notice notice-error">{stats.error}</div>}
      {s && (
        <>
          <div className="stat-cards">
            <div className="panel stat-card">
              <div className="muted">{s.drawn ? '抽取案卷' : '案卷'}</div>
              <div className="big">{s.fileCount}</div>
              {/* 报送 is what arrived: a case the list names whose PDF never came (缺卷) is said apart. */}
              {s.drawn && (
                <div className="muted">
                  <span style={{ whiteSpace: 'nowrap' }}>抽取 {s.fileCount} 件</span>
                  <span style={{ whiteSpace: 'nowrap' }}>（共报送 {s.submittedCount} 件）</span>
                  {s.missingCount > 0 && (
                    <span data-testid="stats-missing">另有 {s.missingCount} 件清单列出但未报送（缺卷），不参加抽取</span>
                  )}
                </div>
              )}
              {!s.drawn && s.missingCount > 0 && (
                <div className="muted" data-testid="stats-missing">
                  共报送 {s.submittedCount} 件（另有 {s.missingCount} 件清单列出但未报送，即缺卷）
                </div>
              )}
            </div>
            <div className="panel stat-card">
              <div className="muted">已形成最终结果</div>
              <div className="big">{s.finalCount}</div>
            </div>
            <div className="panel stat-card">
              <div className="muted">暂定 / 未评分</div>
              <div className="big">
                {s.provisionalCount} / {s.unscoredCount}
              </div>
            </div>
            <div className="panel stat-card">
              <div className="muted">平均得分</div>
              <div className="big">{s.average === null ? '—' : fmt(s.average)}</div>
            </div>
            <div className="panel stat-card">
              {/* Over the files that have a grade: a 待合议 file has none yet (the grade table lists it apart). */}
              <div className="muted" title="优秀和良好等次的案卷占有等次案卷的比例（含暂定结果）；待合议的案卷尚无等次，不计入">
                优良率（有等次的案卷）
              </div>
              <div className="big">{s.goodRate === null ? '—' : percent(s.goodRate)}</div>
            </div>
          </div>
          {(s.provisionalCount > 0 || s.unscoredCount > 0) && (
            <div className="notice notice-warn" data-testid="stats-unsettled">
              {s.provisionalCount > 0 && `含 ${s.provisionalCount} 件暂定结果（尚未合议）；排名中标“（含暂定）”的单位，其得分含暂定结果。`}
              {s.grades.some((g) => g.grade === AWAITING_PANEL_GRADE && g.count > 0) &&
                '“待合议”的案卷两份评查表结论不一（否决或等次不同），不计入平均分。'}
              {s.unscoredCount > 0 &&
                `另有 ${s.unscoredCount} 件${s.drawn ? '抽取的' : ''}案卷尚未评分；排名中标“（部分未定分）”的单位，其平均分只计已有结果的案卷。`}
            </div>
          )}
          <div className="chart-grid">
            {[s.charts.ranking, s.charts.grades, s.charts.categories].map((c) => (
              <figure key={c.title} className="panel">
                <img src={svgUrl(c.svg)} alt={c.alt} />
              </figure>
            ))}
          </div>
          <section className="panel" aria-label="单位排名">
            <table className="table">
              <caption className="sr-only">各单位平均得分及排名</caption>
              <thead>
                <tr>
                  <th className="num">名次</th>
                  <th>被评查单位</th>
                  <th className="num">案卷数</th>
                  <th className="num">平均分</th>
                  <th className="num">总分</th>
                  <th>等次</th>
                  <th className="num" title="优秀和良好等次的案卷占该单位有等次案卷的比例（含暂定结果）">
                    优良率
                  </th>
                  <th className="num">问题数</th>
                </tr>
              </thead>
              <tbody>
                {s.units.map((u) => (
                  <tr key={u.unitId}>
                    <td className="num">{u.rank}</td>
                    <td>
                      <span className="unit-name" data-testid="unit-name">
                        {u.unitName}
                      </span>
                      {rankedUnitName(u).slice(u.unitName.length)}
                    </td>
                    {/* A 待合议 file is counted among the unit's files but in no average: the count says so. */}
                    <td className="num">{u.disputedCount ? `${u.fileCount}（待合议${u.disputedCount}）` : u.fileCount}</td>
                    <td className="num">{fmt(u.average)}</td>
                    <td className="num">{fmt(u.sum)}</td>
                    <td>{u.grade}</td>
                    <td className="num">{percent(u.goodRate)}</td>
                    <td className="num">{u.problemCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <div className="chart-grid">
            <section className="panel" aria-label="等次分布">
              <table className="table">
                <thead>
                  <tr>
                    <th>等次</th>
                    <th className="num">案卷数</th>
                    <th className="num">占比</th>
                  </tr>
                </thead>
                <tbody>
                  {s.grades.map((g) => (
                    <tr key={g.grade}>
                      <td>{g.grade}</td>
                      <td className="num">{g.count}</td>
                      <td className="num">{percent(g.rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="panel" aria-label="问题类别">
              <table className="table">
                <thead>
                  <tr>
                    <th>问题类别</th>
                    <th className="num">问题数</th>
                    <th className="num">涉及案卷</th>
                    <th className="num">扣分合计</th>
                  </tr>
                </thead>
                <tbody>
                  {s.categories.map((c) => (
                    <tr key={c.category}>
                      <td>{c.category}</td>
                      <td className="num">{c.count}</td>
                      <td className="num">{c.fileCount}</td>
                      <td className="num">{deductionTotalText(c)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
          <section className="panel" aria-label="按标准条目">
            <table className="table">
              <thead>
                <tr>
                  <th>标准条目</th>
                  <th>类别</th>
                  <th className="num">出现次数</th>
                  <th className="num">扣分合计</th>
                </tr>
              </thead>
              <tbody>
                {s.items.map((i) => (
                  <tr key={`${i.standard}-${i.category}-${i.itemCode}`}>
                    <td>
                      {i.standard && <span className="muted">{i.standard} </span>}第{i.itemCode}项 {i.itemText}
                    </td>
                    <td>{i.category}</td>
                    <td className="num">{i.count}</td>
                    <td className="num">{deductionTotalText(i)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
