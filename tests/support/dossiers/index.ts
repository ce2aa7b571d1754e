/**
 * Realistic dossier fixtures: what a county really sends for a review campaign, with the truth about
 * every file, so the whole-campaign E2E, OCR tests and automatic pre-check tests measure against
 * known answers.
 *
 * `realisticCampaign({ seed })` builds the fictional 清溪县 (江州市) campaign: six bureaus, 24 dossier
 * PDFs of 15–25 pages (文书 in binding order, stamped page numbers, Song body text, bold titles), half
 * of them image-only scans (pdf.js-rendered, rotated, grey, noisy, sealed, one JPEG a page), a messy
 * 案件清单 (.xlsx and GBK .csv; one row's PDF missing, one scan's file name mistyped), and per dossier
 * a `DossierTruth`: case facts, document map, each page's text, planted defects by stable code and
 * lawful cases placed exactly at a time limit. The catalogue in campaign.ts fixes which case carries
 * which defect; the seed varies names, numbers and dates. Everything comes from a seeded generator,
 * and the set is cached under test-output/fixtures-cache/v<version>-seed<seed>/ (a cold build costs
 * about 25 s of CPU, 35–90 s on a busy two-core machine; a warm one only reads truth.json).
 *
 * `dossierFixture({ caseType, defects, scanned })` makes one dossier in memory for a focused test.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CaseType } from '../../../shared/campaigns/case-types.js';
import { outputDir } from '../temp.js';
import { campaignFacts, factsOfType, heldOutFacts, type CaseFacts, type DefectCode, type EdgeCode, type PlantedCode } from './campaign.js';
import { caseListCsv, caseListXlsx, LIST_TITLE, listRows, type ListRowTruth } from './case-list.js';
import { bindDossier, type DocumentEntry, type PageTruth } from './dossier.js';
import type { DocumentType } from './documents.js';
import { drawPdf } from './layout.js';
import { scanDossier } from './scan.js';

export { DEFECT_CODES, EDGE_CODES, DECISION_LIMIT_DAYS, SERVICE_LIMIT_WORKING_DAYS, HEARING_THRESHOLD, UNITS } from './campaign.js';
export type { CaseFacts, DefectCode, PlantedCode, EdgeCode, DocumentEntry, PageTruth, DocumentType, ListRowTruth };
export { addWorkingDays, workingDaysBetween, daysBetween } from './calendar.js';

/** Bump when the output changes, so caches of the old output are not reused. */
export const GENERATOR_VERSION = 6;

export interface DossierTruth {
  id: string;
  caseNumber: string;
  title: string;
  unitName: string;
  caseType: CaseType;
  facts: CaseFacts;
  defects: DefectCode[];
  /** Defects only held-out sets plant (a 卷内目录 that disagrees with the file). */
  heldOutDefects?: Array<Exclude<PlantedCode, DefectCode>>;
  edges: EdgeCode[];
  scanned: boolean;
  /** Scans only: resolution and each page's rotation in degrees. */
  scan: { dpi: 150 | 200; rotations: number[] } | null;
  /** As the county named the file (案号 + 案件名称.pdf; one scan's 案号 is mistyped). */
  fileName: string;
  pageCount: number;
  documents: DocumentEntry[];
  pages: PageTruth[];
  /** Officers each record names (行政处罚法 art. 42: two or more). */
  officersPerRecord: Array<{ type: DocumentType; firstPage: number; officers: string[] }>;
}

export interface CampaignDossier {
  truth: DossierTruth;
  /** Absolute path of the PDF. */
  path: string;
}

export interface RealisticCampaign {
  seed: number;
  /** The folder a county hands over: one sub-folder per bureau, the list beside them. */
  folder: string;
  listXlsx: string;
  listCsv: string;
  dossiers: CampaignDossier[];
  /** The listed case whose PDF never arrived. */
  listedWithoutFile: CaseFacts;
  listRows: ListRowTruth[];
}

interface StoredCampaign extends Omit<RealisticCampaign, 'folder' | 'listXlsx' | 'listCsv' | 'dossiers'> {
  version: number;
  dossiers: Array<{ truth: DossierTruth; path: string }>;
  listXlsx: string;
  listCsv: string;
}

/** The case whose scanned file carries last year's number by mistake. */
const MISTYPED_FILE = 'QX-08';

async function renderDossier(
  facts: CaseFacts,
  seed: number,
  scan: { dpi: 150 | 200 } | null,
  fileName?: string,
): Promise<{ bytes: Uint8Array; truth: DossierTruth }> {
  const bound = bindDossier(facts, seed);
  const meta = { title: facts.title, author: facts.unit.sealName, date: facts.dates.closed };
  const born = await drawPdf(bound.pages, meta);
  const scanned = scan
    ? await scanDossier(born, bound.pages, { dpi: scan.dpi, seed: seed ^ Number(facts.id.slice(3)), sealName: facts.unit.sealName, meta })
    : null;
  const truth: DossierTruth = {
    id: facts.id,
    caseNumber: facts.caseNumber,
    title: facts.title,
    unitName: facts.unit.name,
    caseType: facts.caseType,
    facts,
    defects: facts.defects.filter((d): d is DefectCode => d !== 'catalogue_mismatch'),
    ...(facts.defects.includes('catalogue_mismatch') ? { heldOutDefects: ['catalogue_mismatch' as const] } : {}),
    edges: facts.edges,
    scanned: !!scan,
    scan: scan && scanned ? { dpi: scan.dpi, rotations: scanned.rotations } : null,
    fileName: fileName ?? `${facts.caseNumber}${facts.title}.pdf`,
    pageCount: bound.pages.length,
    documents: bound.documents,
    pages: bound.pageTruth,
    officersPerRecord: bound.documents
      .filter((d) => d.officers)
      .map((d) => ({ type: d.type, firstPage: d.firstPage, officers: d.officers! })),
  };
  return { bytes: scanned?.bytes ?? born, truth };
}

/** The known text of a 文书 (all its pages), or '' when the dossier lacks it. */
export function documentText(truth: DossierTruth, type: DocumentType): string {
  const d = truth.documents.find((x) => x.type === type);
  return d
    ? truth.pages
        .slice(d.firstPage - 1, d.lastPage)
        .map((p) => p.text)
        .join('\n')
    : '';
}

/** One dossier of the catalogue's first case of `caseType`, with the defects asked for (none by default). */
export async function dossierFixture(
  options: { seed?: number; caseType?: CaseType; defects?: DefectCode[]; edges?: EdgeCode[]; scanned?: boolean; dpi?: 150 | 200 } = {},
) {
  const seed = options.seed ?? 2025;
  const facts = factsOfType(seed, options.caseType ?? 'penalty_general', { defects: options.defects ?? [], edges: options.edges ?? [] });
  return renderDossier(facts, seed, options.scanned ? { dpi: options.dpi ?? 150 } : null);
}

function fromStored(dir: string, stored: StoredCampaign): RealisticCampaign {
  return {
    seed: stored.seed,
    folder: path.join(dir, '报送材料'),
    listXlsx: path.join(dir, stored.listXlsx),
    listCsv: path.join(dir, stored.listCsv),
    dossiers: stored.dossiers.map((d) => ({ truth: d.truth, path: path.join(dir, d.path) })),
    listedWithoutFile: stored.listedWithoutFile,
    listRows: stored.listRows.map((r) => ({
      ...r,
      cells: { ...r.cells, filedOn: revive(r.cells.filedOn), closedOn: revive(r.cells.closedOn) },
    })),
  };
}

const revive = (v: string | Date): string | Date => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : v);

const building = new Map<number, Promise<RealisticCampaign>>();

/** The whole 清溪县 campaign, from the cache when it is there. */
export function realisticCampaign(options: { seed?: number } = {}): Promise<RealisticCampaign> {
  const seed = options.seed ?? 2025;
  let p = building.get(seed);
  if (!p) building.set(seed, (p = loadOrBuild(seed)));
  return p;
}

async function loadOrBuild(seed: number): Promise<RealisticCampaign> {
  const dir = path.join(outputDir('fixtures-cache'), `v${GENERATOR_VERSION}-seed${seed}`);
  const truthFile = path.join(dir, 'truth.json');
  const load = (): RealisticCampaign => fromStored(dir, JSON.parse(fs.readFileSync(truthFile, 'utf8')) as StoredCampaign);
  if (fs.existsSync(truthFile)) return load();
  // Test files run in parallel workers: one builds, the others wait for its truth.json (a lock older
  // than the longest build is taken to be left by a killed run).
  const lock = `${dir}.lock`;
  while (!tryLock(lock)) {
    await new Promise((r) => setTimeout(r, 500));
    if (fs.existsSync(truthFile)) return load();
  }
  try {
    if (fs.existsSync(truthFile)) return load();
    // Built aside and renamed into place, so nobody ever sees half a set.
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const stored = await buildCampaign(seed, tmp);
    fs.writeFileSync(path.join(tmp, 'truth.json'), JSON.stringify(stored, null, 1));
    fs.renameSync(tmp, dir);
    return load();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

const STALE_LOCK_MS = 10 * 60_000;

function tryLock(lock: string): boolean {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (age > STALE_LOCK_MS) fs.rmSync(lock, { force: true });
    return false;
  }
}

async function buildCampaign(seed: number, dir: string): Promise<StoredCampaign> {
  const { cases, listedWithoutFile } = campaignFacts(seed);
  const dossiers: StoredCampaign['dossiers'] = [];
  let scans = 0;
  for (const [i, facts] of cases.entries()) {
    // Every other dossier is a scan, a third of those at 200 dpi.
    const scan = i % 2 === 1 ? { dpi: (scans++ % 3 === 2 ? 200 : 150) as 150 | 200 } : null;
    const number = facts.id === MISTYPED_FILE ? facts.caseNumber.replace('〔2025〕', '〔2024〕') : facts.caseNumber;
    const { bytes, truth } = await renderDossier(facts, seed, scan, `${number}${facts.title}.pdf`);
    const rel = path.join('报送材料', facts.unit.name, truth.fileName);
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), bytes);
    dossiers.push({ truth, path: rel });
  }
  const listed = [...cases.map((f) => ({ facts: f, hasFile: true })), { facts: listedWithoutFile, hasFile: false }];
  const rows = listRows(listed);
  const allFacts = listed.map((l) => l.facts);
  const listXlsx = path.join('报送材料', `${LIST_TITLE}.xlsx`);
  fs.writeFileSync(path.join(dir, listXlsx), await caseListXlsx(rows, allFacts));
  const listCsv = path.join('清单另存为CSV', `${LIST_TITLE}.csv`);
  fs.mkdirSync(path.join(dir, path.dirname(listCsv)), { recursive: true });
  fs.writeFileSync(path.join(dir, listCsv), caseListCsv(rows, allFacts));
  return { version: GENERATOR_VERSION, seed, dossiers, listedWithoutFile, listRows: rows, listXlsx, listCsv };
}

/** The PDF of the listed case whose file never arrived, as the unit hands it in later. */
export async function lateDossier(campaign: RealisticCampaign): Promise<{ bytes: Uint8Array; truth: DossierTruth }> {
  return renderDossier(campaign.listedWithoutFile, campaign.seed, null);
}

/** One born-digital dossier of the campaign: the case of the catalogue that carries `defect` as planted there. */
export async function campaignCaseFixture(defect: DefectCode, seed = 2025) {
  const facts = campaignFacts(seed).cases.find((c) => c.defects.includes(defect));
  if (!facts) throw new Error(`no case of the campaign carries ${defect}`);
  return renderDossier(facts, seed, null);
}

/**
 * A held-out set (see heldOutFacts): the 24 catalogue cases with defects drawn afresh, another county,
 * other parties and officers, some files bound in another usual order; every other file a scan (a
 * third of those at 200 dpi). Cached like the campaign, under heldout-v<version>-seed<seed>/.
 */
export async function heldOutSet(seed: number): Promise<CampaignDossier[]> {
  const dir = path.join(outputDir('fixtures-cache'), `heldout-v${GENERATOR_VERSION}-seed${seed}`);
  const truthFile = path.join(dir, 'truth.json');
  if (!fs.existsSync(truthFile)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const stored: Array<{ truth: DossierTruth; path: string }> = [];
    let scans = 0;
    for (const [i, facts] of heldOutFacts(seed).entries()) {
      const scan = i % 2 === 0 ? { dpi: (scans++ % 3 === 2 ? 200 : 150) as 150 | 200 } : null;
      const { bytes, truth } = await renderDossier(facts, seed, scan);
      fs.writeFileSync(path.join(tmp, `${truth.id}.pdf`), bytes);
      stored.push({ truth, path: `${truth.id}.pdf` });
    }
    fs.writeFileSync(path.join(tmp, 'truth.json'), JSON.stringify(stored));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  const stored = JSON.parse(fs.readFileSync(truthFile, 'utf8')) as Array<{ truth: DossierTruth; path: string }>;
  return stored.map((d) => ({ truth: d.truth, path: path.join(dir, d.path) }));
}
