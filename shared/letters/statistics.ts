/**
 * A campaign's statistics (统计分析) from its facts: one pure function, so the screen's figures and a
 * check against the letters' own facts come from the same arithmetic whichever way the facts were read.
 */
import type { z } from 'zod';
import type { CampaignStatisticsSchema } from './api.js';
import { campaignCharts } from './compose.js';
import {
  allFiles,
  goodRate,
  gradeDistribution,
  gradeOrder,
  hasScore,
  problemsByCategory,
  problemsByItem,
  rankUnits,
  reviewScope,
  type CampaignFact,
} from './facts.js';

export interface StatisticsFacts {
  fact: CampaignFact;
  /** How many files the units delivered (报送) and how many listed files never arrived (缺卷); whether the files under review are a draw's. */
  submittedCount: number;
  missingCount: number;
  drawn: boolean;
  /** Scored files whose result is not settled yet, and files under review without a result. */
  provisionalCount: number;
  unscoredCount: number;
}

export function campaignStatistics(facts: StatisticsFacts): z.infer<typeof CampaignStatisticsSchema> {
  const files = allFiles(facts.fact);
  const order = gradeOrder(
    facts.fact.bands,
    facts.fact.failGrade,
    files.map((f) => f.grade),
  );
  // A file whose reviewers disagree has no score (待合议): counted, but in no average.
  const scored = files.filter(hasScore);
  const sum = scored.reduce((a, f) => a + f.total, 0);
  return {
    // The letters' own count: the drawn files when the campaign drew, else all it holds.
    fileCount: reviewScope(facts.fact).fileCount,
    submittedCount: facts.submittedCount,
    missingCount: facts.missingCount,
    drawn: facts.drawn,
    finalCount: files.filter((f) => f.final).length,
    provisionalCount: facts.provisionalCount,
    unscoredCount: facts.unscoredCount,
    average: scored.length ? Math.round((sum / scored.length) * 100) / 100 : null,
    goodRate: goodRate(files),
    units: rankUnits(facts.fact),
    grades: gradeDistribution(files, order),
    categories: problemsByCategory(files),
    items: problemsByItem(files),
    charts: campaignCharts(facts.fact),
  };
}
