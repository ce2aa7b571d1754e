/**
 * Builds the facts letters, statistics and the ledger quote from the ResultsService — the one place
 * that decides a file's outcome — plus the evidence page references from the annotations.
 */
import { CASE_TYPE_LABELS, type CaseType } from '../../../shared/campaigns/case-types.js';
import type { CampaignFact, FileFact, PendingFile, UnitFact, UnreasonedDeduction } from '../../../shared/letters/facts.js';
import { problemCategory } from '../../../shared/letters/facts.js';
import type { StatisticsFacts } from '../../../shared/letters/statistics.js';
import type { GradeBand } from '../../../shared/standards/model.js';
import { findItem } from '../../../shared/standards/tree.js';
import type { CampaignsService } from '../campaigns/index.js';
import type { Db } from '../core/db/database.js';
import type { DrawsService } from '../panel/index.js';
import type { CaseOutcome, ResultsService } from '../scoring/index.js';
import { lettersRepo, type LettersRepo } from './repo.js';

const DEFAULT_BANDS: GradeBand[] = [
  { grade: '优秀', min: 90 },
  { grade: '合格', min: 60 },
  { grade: '不合格', min: 0 },
];

export interface CampaignFacts {
  fact: CampaignFact;
  /** Case numbers by outcome status, for warnings: files not yet reconciled, files not scored. */
  provisional: Array<{ caseId: string; caseNumber: string; unitId: string }>;
  unscored: Array<{ caseId: string; caseNumber: string; unitId: string }>;
  /** Drawn files whose result is not settled (provisional or unscored), in 案号 order: no letter is issued on them. */
  pending: PendingFile[];
  /** Deductions of quoted results that carry no reason: no letter is issued with them. */
  unreasoned: UnreasonedDeduction[];
  /**
   * Whether the files under review are a draw's; how many files the units delivered (报送: their PDF
   * arrived) and how many their lists name whose PDF never did (缺卷), counted apart.
   */
  drawn: boolean;
  submittedCount: number;
  missingCount: number;
}

/** 报送 counts the files actually delivered; a case only listed (缺卷) is said separately. */
const delivered = (listed: number, missing: number) => ({ submittedCount: listed - missing, missingCount: missing });

/** 案号 in reading order (第2号 before 第10号); one collator, as a province's 20,000 files are sorted on each refresh. */
const CASE_NUMBER_ORDER = new Intl.Collator('zh-CN', { numeric: true });

/** How many scored files each standard graded: the campaign's grade bands are those of the most used one. */
type StandardUse = Map<string, { count: number; bands: GradeBand[]; failGrade: string }>;

function countStandard(use: StandardUse, def: { name: string; bands: GradeBand[]; failGrade: string }, files = 1): void {
  const entry = use.get(def.name) ?? { count: 0, bands: def.bands, failGrade: def.failGrade };
  entry.count += files;
  use.set(def.name, entry);
}

/** The campaign's part of its facts, units aside: the letters and the statistics state the same. */
function campaignHead(
  campaignId: string,
  campaign: { name: string; year: number; issuingBody: string; standards: Array<{ standardName: string }> },
  use: StandardUse,
): Omit<CampaignFact, 'units'> {
  const most = [...use.values()].sort((a, b) => b.count - a.count)[0];
  return {
    campaignId,
    name: campaign.name,
    year: campaign.year,
    issuingBody: campaign.issuingBody,
    standardNames: use.size ? [...use.keys()] : [...new Set(campaign.standards.map((x) => x.standardName))],
    bands: most?.bands ?? DEFAULT_BANDS,
    failGrade: most?.failGrade ?? '不合格',
  };
}

/** The statistics' units in name order, each with its files under review and its scored files. */
const unitFacts = (
  units: ReadonlyArray<{ id: string; name: string }>,
  reviewed: ReadonlyMap<string, number>,
  byUnit: ReadonlyMap<string, FileFact[]>,
): CampaignFact['units'] =>
  units.map((u) => ({ unitId: u.id, unitName: u.name, reviewedCount: reviewed.get(u.id) ?? 0, files: byUnit.get(u.id) ?? [] }));

export class CampaignFactsBuilder {
  private readonly repo: LettersRepo;

  constructor(
    db: Db,
    private readonly results: ResultsService,
    private readonly campaigns: CampaignsService,
    private readonly draws: DrawsService,
  ) {
    this.repo = lettersRepo(db);
  }

  fileFact(o: CaseOutcome, party: string): FileFact | null {
    if (!o.result || !o.definition) return null;
    return {
      caseId: o.caseId,
      caseNumber: o.caseNumber,
      caseTitle: o.caseTitle,
      caseTypeLabel: CASE_TYPE_LABELS[o.caseType],
      caseType: o.caseType,
      party,
      final: o.status === 'final',
      total: o.result.total,
      max: o.result.max,
      grade: o.result.grade,
      vetoed: o.result.vetoed,
      standardName: o.definition.name,
      disagreement: o.disagreement,
      // A vetoed file fails on its 否决 finding alone: deductions found beside it are no problems to
      // count, rectify or report — the file is reviewed again as a whole.
      problems: o.result.problems
        .filter((p) => !o.result!.vetoed || p.veto)
        .map((p) => ({
          itemId: p.itemId,
          itemCode: p.code,
          itemText: p.text,
          category: problemCategory(p),
          deduction: p.deduction,
          veto: p.veto,
          basis: findItem(o.definition!, p.itemId)?.basis?.trim() ?? '',
          // The settled reason: one reviewer's words (or the panel's), never all of them run together.
          comment: o.settledReasons[p.itemId] ?? p.comment,
          location: p.location,
          pages: this.dossierPages(p.evidence),
          ...(p.veto && o.disagreement ? { disputed: true } : {}),
        })),
    };
  }

  /**
   * The dossier pages (1-based across the case's documents in their order) the evidence marks lie on:
   * a letter cites the 案卷 page, not the page of whichever PDF the unit happened to submit it in.
   */
  private dossierPages(annotationIds: readonly string[]): number[] {
    if (!annotationIds.length) return [];
    return [...new Set(this.repo.dossierPages(annotationIds))].sort((a, b) => a - b);
  }

  /** Who answered the item with a deduction and no reason on the file's sheets (all its reviewers if none did so alone). */
  private unreasonedBy(o: CaseOutcome, itemId: string): string[] {
    const ids = new Set(
      this.repo
        .answersToItem(o.caseId, itemId)
        .filter(({ answer: a }) => (a.status === 'deduct' || a.status === 'veto') && !a.comment?.trim())
        .map((r) => r.reviewerId),
    );
    const named = o.sheets.filter((s) => ids.has(s.reviewerId)).map((s) => s.reviewerName);
    return [...new Set(named.length ? named : o.sheets.map((s) => s.reviewerName))];
  }

  /** The campaign's name and issuing body (what a 文号's sequence belongs to). */
  campaignHead(campaignId: string): { name: string; issuingBody: string } {
    const c = this.campaigns.detail(campaignId);
    return { name: c.name, issuingBody: c.issuingBody };
  }

  /**
   * What the statistics need, read from the stored results as narrow rows: each file's outcome, total
   * and grade, and only the counted fields of its problems (json_each over the stored list) — no
   * sheet, reason or evidence page, which only letters quote. The rules stay those of `build` and
   * `fileFact`: a vetoed file counts its 否决 findings alone, a file without a result is unscored
   * when under review, the top-grade quota demotes as it does everywhere. Null when the stored
   * results are not the final ones (a source of agreed answers other than the review service's).
   */
  statisticsFacts(campaignId: string): StatisticsFacts | null {
    if (!this.results.refreshStored()) return null;
    const quota = this.results.quotaGrades(campaignId);
    return quota.size ? this.statisticsFactsPerFile(campaignId, quota) : this.statisticsFactsGrouped(campaignId);
  }

  /** The counted fields of each file's problems, by file. */
  private countedProblems(campaignId: string): Map<string, FileFact['problems']> {
    const problems = new Map<string, FileFact['problems']>();
    for (const p of this.repo.countedProblems(campaignId)) {
      const fact = {
        itemId: p.item_id,
        itemCode: p.code,
        itemText: p.text,
        category: problemCategory({ category: p.category ?? undefined, blockTitles: p.block_title === null ? [] : [p.block_title] }),
        deduction: p.deduction,
        veto: p.veto === 1,
        basis: '',
        comment: '',
        location: '',
        pages: [],
      };
      const list = problems.get(p.case_id);
      if (list) list.push(fact);
      else problems.set(p.case_id, [fact]);
    }
    return problems;
  }

  /**
   * The statistics' facts from grouped rows (a province's 20,000 files are a few hundred groups): the
   * files alike in everything the figures count stand as one fact repeated, so the arithmetic stays
   * that of `campaignStatistics` on every file while no file's row is read on its own. A file with
   * findings is a group of its own (its problems are counted per file).
   */
  private statisticsFactsGrouped(campaignId: string): StatisticsFacts {
    const campaign = this.campaigns.detail(campaignId);
    const units = this.repo.unitsOfCampaign(campaignId);
    units.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    const drawId = this.draws.currentDrawId(campaignId);
    const reviewed = this.repo.reviewedPerUnit(campaignId, drawId);
    const listedCount = drawId
      ? [...this.repo.reviewedPerUnit(campaignId, null).values()].reduce((a, n) => a + n, 0)
      : [...reviewed.values()].reduce((a, n) => a + n, 0);
    const underReview = [...reviewed.values()].reduce((a, n) => a + n, 0);
    const problems = this.countedProblems(campaignId);
    const byUnit = new Map<string, FileFact[]>(units.map((u) => [u.id, []]));
    const standardUse: StandardUse = new Map();
    let provisionalCount = 0;
    let scoredUnderReview = 0;
    for (const g of this.repo.scoredGroups(campaignId, drawId)) {
      const def = this.results.definition(g.standard_version_id);
      const final = g.outcome === 'final';
      if (!final) provisionalCount += g.n;
      if (g.reviewed) scoredUnderReview += g.n;
      const fact: FileFact = {
        caseId: g.own ?? '',
        caseNumber: '',
        caseTitle: '',
        caseTypeLabel: '',
        party: '',
        final,
        total: g.total,
        max: g.max ?? 0,
        grade: g.grade,
        vetoed: g.vetoed === 1,
        standardName: def.name,
        disagreement: g.disagreement,
        problems: (g.own && problems.get(g.own)) || [],
      };
      const list = byUnit.get(g.unit_id);
      if (list) for (let i = 0; i < g.n; i++) list.push(fact);
      countStandard(standardUse, def, g.n);
    }
    return {
      fact: {
        ...campaignHead(campaignId, campaign, standardUse),
        units: unitFacts(units, reviewed, byUnit),
      },
      provisionalCount,
      unscoredCount: underReview - scoredUnderReview,
      drawn: drawId !== null,
      ...delivered(listedCount, this.repo.withoutDocument(campaignId).size),
    };
  }

  /** The same read file by file: a top-grade quota demotes single files, by their rank among all. */
  private statisticsFactsPerFile(campaignId: string, quota: Map<string, string>): StatisticsFacts {
    const campaign = this.campaigns.detail(campaignId);
    const units = this.repo.unitsOfCampaign(campaignId);
    units.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    const rows = this.repo.summariesOfCampaign(campaignId);
    const problems = this.countedProblems(campaignId);
    const drawn = this.draws.drawnCaseIds(campaignId);
    const underReview = (caseId: string): boolean => !drawn || drawn.has(caseId);
    const byUnit = new Map<string, FileFact[]>(units.map((u) => [u.id, []]));
    const reviewed = new Map<string, number>();
    const standardUse: StandardUse = new Map();
    let provisionalCount = 0;
    let unscoredCount = 0;
    for (const r of rows) {
      if (underReview(r.id)) reviewed.set(r.unit_id, (reviewed.get(r.unit_id) ?? 0) + 1);
      const scored = r.outcome !== 'unscored' && r.total !== null && r.grade !== null && r.standard_version_id !== null;
      if (!scored) {
        if (underReview(r.id)) unscoredCount += 1;
        continue;
      }
      const def = this.results.definition(r.standard_version_id!);
      const final = r.outcome === 'final';
      if (!final) provisionalCount += 1;
      byUnit.get(r.unit_id)?.push({
        caseId: r.id,
        caseNumber: '',
        caseTitle: '',
        caseTypeLabel: '',
        party: '',
        final,
        total: r.total!,
        max: r.max ?? 0,
        grade: (final ? quota.get(r.id) : undefined) ?? r.grade!,
        vetoed: r.vetoed === 1,
        standardName: def.name,
        disagreement: r.disagreement,
        problems: problems.get(r.id) ?? [],
      });
      countStandard(standardUse, def);
    }
    return {
      fact: {
        ...campaignHead(campaignId, campaign, standardUse),
        units: unitFacts(units, reviewed, byUnit),
      },
      provisionalCount,
      unscoredCount,
      drawn: drawn !== null,
      ...delivered(rows.length, this.repo.withoutDocument(campaignId).size),
    };
  }

  /**
   * Every scored file of the campaign (final and provisional; each fact says which). The screens'
   * lists and statistics read the stored results (`stored`); documents score the answers afresh.
   */
  build(campaignId: string, options: { stored?: boolean } = {}): CampaignFacts {
    const campaign = this.campaigns.detail(campaignId);
    const units = this.repo.unitsOfCampaign(campaignId);
    units.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    const parties = this.repo.partiesOfCampaign(campaignId);
    const outcomes = options.stored ? this.results.storedOutcomes(campaignId) : this.results.campaignOutcomes(campaignId);
    // The files under review are the current draw's; a campaign that imported only the files to review has no draw.
    const drawn = this.draws.drawnCaseIds(campaignId);
    const underReview = (caseId: string): boolean => !drawn || drawn.has(caseId);
    const byUnit = new Map<string, FileFact[]>(units.map((u) => [u.id, []]));
    const provisional: CampaignFacts['provisional'] = [];
    const unscored: CampaignFacts['unscored'] = [];
    const unreasoned: UnreasonedDeduction[] = [];
    const standardUse: StandardUse = new Map();
    for (const o of outcomes) {
      const f = this.fileFact(o, parties.get(o.caseId) ?? '');
      if (!f) {
        // A file left out of the draw is not awaiting a score.
        if (underReview(o.caseId)) unscored.push({ caseId: o.caseId, caseNumber: o.caseNumber, unitId: o.unitId });
        continue;
      }
      if (!f.final) provisional.push({ caseId: o.caseId, caseNumber: o.caseNumber, unitId: o.unitId });
      for (const p of f.problems)
        if (!p.comment.trim())
          unreasoned.push({
            caseId: o.caseId,
            caseNumber: o.caseNumber,
            unitId: o.unitId,
            itemCode: p.itemCode,
            itemText: p.itemText,
            reviewers: this.unreasonedBy(o, p.itemId),
          });
      byUnit.get(o.unitId)?.push(f);
      const def = o.definition!;
      countStandard(standardUse, def);
    }
    const reviewed = new Map<string, number>();
    const submitted = new Map<string, number>();
    const withoutDocument = new Map<string, number>();
    // The pool the draw drew from, as its 抽取记录 shows it: files registered without a PDF were never in it.
    const pool = drawn ? this.draws.drawPool(campaignId) : null;
    const caseTypes = new Map<string, Set<CaseType>>();
    for (const o of outcomes) {
      if (!pool || pool.pool.has(o.caseId) || drawn?.has(o.caseId)) submitted.set(o.unitId, (submitted.get(o.unitId) ?? 0) + 1);
      if (pool?.withoutDocument.has(o.caseId)) withoutDocument.set(o.unitId, (withoutDocument.get(o.unitId) ?? 0) + 1);
      if (!underReview(o.caseId)) continue;
      reviewed.set(o.unitId, (reviewed.get(o.unitId) ?? 0) + 1);
      caseTypes.set(o.unitId, (caseTypes.get(o.unitId) ?? new Set()).add(o.caseType));
    }
    const unitFacts: UnitFact[] = units.map((u) => ({
      unitId: u.id,
      unitName: u.name,
      reviewedCount: reviewed.get(u.id) ?? 0,
      files: byUnit.get(u.id) ?? [],
      // A letter says how many files the unit submitted only where files were drawn from them.
      ...(drawn ? { submittedCount: submitted.get(u.id) ?? 0, withoutDocumentCount: withoutDocument.get(u.id) ?? 0 } : {}),
      caseTypes: [...(caseTypes.get(u.id) ?? [])],
    }));
    return {
      fact: {
        ...campaignHead(campaignId, campaign, standardUse),
        units: unitFacts,
      },
      provisional,
      unscored,
      pending: [
        ...provisional.map((p) => ({ ...p, state: 'provisional' as const })),
        ...unscored.map((p) => ({ ...p, state: 'unscored' as const })),
      ].sort((a, b) => CASE_NUMBER_ORDER.compare(a.caseNumber, b.caseNumber)),
      unreasoned,
      drawn: drawn !== null,
      ...delivered(outcomes.length, this.repo.withoutDocument(campaignId).size),
    };
  }
}
