/**
 * The composition root: opens the workspace, builds every service and the dispatcher. Both
 * transports (Electron, loopback host) and the tests create the back end through this one function.
 */
import path from 'node:path';
import type { Result } from '../../shared/contract/index.js';
import { Policy } from './core/policy.js';
import { registerHandlers } from './core/handlers.js';
import { AnnotationsService } from './annotations/annotations-service.js';
import { AssignmentsService } from './panel/assignments.js';
import { authHandlers, Sessions } from './people/auth.js';
import { PasswordThrottle } from './people/throttle.js';
import { ByteTickets, handleByteRequest, Staging, uploadHandlers } from './core/bytes.js';
import { CampaignStandardsService } from './standards/campaign-standards.js';
import { CampaignsService } from './campaigns/campaigns-service.js';
import { dataLayout, type DataLayout } from './core/data-dir.js';
import { closeDatabase, openDatabase, schemaVersion, tx, type Db } from './core/db/database.js';
import { writeAudit } from './core/audit.js';
import { Dispatcher, type Handlers } from './core/dispatcher.js';
import { DossiersService } from './dossiers/dossiers-service.js';
import { DrawsService } from './panel/draws.js';
import { EventHub } from './core/event-hub.js';
import { AnnotationExports, annotationFontFile } from './annotations/annotation-exports.js';
import { ExportsService } from './core/downloads.js';
import { FontsService } from './letters/fonts.js';
import { LedgerService } from './ledger/ledger-service.js';
import { CampaignFactsBuilder } from './letters/campaign-facts.js';
import { ChartRasteriser } from './letters/chart-png.js';
import { LettersService } from './letters/letters-service.js';
import { ImportService, type ImportLimits } from './import/import-service.js';
import { JobRunner } from './core/jobs.js';
import { PdfInspectPool, type InspectPoolOptions } from './core/pdf/inspect-pool.js';
import { fileLogger, type Logger } from './core/logger.js';
import { MeetingService } from './meeting/meeting-service.js';
import { OcrService, type OcrServiceOptions } from './ocr/index.js';
import { DocumentMapService, PrecheckService, type PrecheckServiceOptions } from './precheck/index.js';
import { PackagesService } from './packages/packages-service.js';
import type { PackageLimits } from './packages/zip.js';
import { PanelService } from './panel/panel-service.js';
import { PeopleService } from './people/people-service.js';
import { ReaderService } from './dossiers/reader.js';
import { ResultsService } from './scoring/results.js';
import { ReviewService } from './panel/review.js';
import { SheetsService } from './scoring/sheets.js';
import { StandardFilesService } from './standards/standard-files.js';
import { createSigning, type Signing } from './signing/index.js';
import { LetterIssuing } from './signing/letter-issuing.js';
import { StandardsService } from './standards/standards-service.js';
import { UnitsService } from './campaigns/units.js';
import { BlobStore } from './core/blob-store.js';
import { storageFault } from './core/storage-faults.js';
import { AuditService } from './audit/index.js';
import { sweepOrphans, type OrphanSweep } from './core/orphans.js';
import { applyPendingRestore, BackupService, pendingRestore } from './backup/index.js';

export const APP_NAME = '案卷评查工作站';

export interface BackendOptions {
  dataDir: string;
  /** Folder with the app's bundled resources (standards, fonts). */
  resourcesDir: string;
  appVersion: string;
  log?: Logger;
  /** PDF inspection threads and their per-file time limit (tests and tools shorten it). */
  inspect?: InspectPoolOptions;
  importLimits?: ImportLimits;
  packageLimits?: Partial<PackageLimits>;
  /** Background OCR of scanned pages: queued after each import in the app, on request in tests. */
  ocr?: OcrServiceOptions;
  /** The pre-check of each file once its text is in (after import and OCR) in the app, on request in tests. */
  precheck?: PrecheckServiceOptions;
}

/**
 * What a workstation does in the background, the same in the desktop shell and the loopback host:
 * scans are read after each import and every file is pre-checked once its text is in. Tests start
 * the back end without them and ask for each step.
 */
export const WORKSTATION_BACKGROUND = {
  ocr: { afterImport: true },
  precheck: { afterImport: true },
} as const satisfies Pick<BackendOptions, 'ocr' | 'precheck'>;

export interface Backend {
  readonly layout: DataLayout;
  /** Service objects, for tests and for transports that need more than the dispatcher (none today). */
  readonly services: {
    results: ResultsService;
    letters: LettersService;
    campaignFacts: CampaignFactsBuilder;
    imports: ImportService;
    jobs: JobRunner;
    signing: Signing;
    packages: PackagesService;
    ocr: OcrService;
    precheck: PrecheckService;
    review: ReviewService;
    dossiers: DossiersService;
    sheets: SheetsService;
    annotations: AnnotationsService;
  };
  /** Removes stored and exported files no row refers to, written before this process started; run once at start-up. */
  sweepOrphans(): Promise<OrphanSweep>;
  readonly db: Db;
  readonly events: EventHub;
  readonly log: Logger;
  dispatch(channel: unknown, input: unknown, clientId: string): Promise<Result<unknown>>;
  /** Document bytes, downloads and uploads; null when the request is not a byte route. */
  handleBytes(request: Request): Promise<Response | null>;
  /** A window closed or a browser context went away: forget its login and capabilities. */
  disconnect(clientId: string): void;
  /** A window opened by another (Electron child window) starts logged in as its opener's user. */
  shareLogin(fromClientId: string, toClientId: string): void;
  /** Whether a client has someone logged in (the loopback host's event stream needs one). */
  loggedIn(clientId: string): boolean;
  close(): void;
}

/** Start-up on a folder that is read-only, not ours to write or full ends with a Chinese refusal saying so. */
export function createBackend(options: BackendOptions): Backend {
  try {
    return assembleBackend(options);
  } catch (err) {
    throw storageFault(err, options.dataDir) ?? err;
  }
}

function assembleBackend(options: BackendOptions): Backend {
  const layout = dataLayout(options.dataDir);
  // A restore prepared in the app takes the data folder's place before anything opens it.
  const restored = applyPendingRestore(layout.root);
  const log = options.log ?? fileLogger(layout.logs);
  if (restored)
    log.info(
      `restored the backup of ${restored.summary.createdAt} from ${restored.summary.folder}; the previous data is kept in ${restored.keptAt ?? '(none)'}`,
    );
  const db = openDatabase(layout.database, { backupDir: layout.backups });
  if (restored)
    tx(db, () =>
      writeAudit(db, {
        actorId: null,
        action: 'workspace.restored',
        entity: 'workspace',
        after: {
          folder: restored.summary.folder,
          createdAt: restored.summary.createdAt,
          keptAt: restored.keptAt,
          preparedBy: restored.summary.preparedBy ?? null,
          preparedAt: restored.summary.preparedAt ?? null,
        },
      }),
    );
  const events = new EventHub();
  const store = new BlobStore(layout.files);
  const staging = new Staging(layout.staging);
  const tickets = new ByteTickets();
  const sessions = new Sessions(db);
  const throttle = new PasswordThrottle(db);

  const standards = new StandardsService(db, log, events);
  standards.seedBuiltins(path.join(options.resourcesDir, 'standards'));
  const campaigns = new CampaignsService(db, standards, events);
  const pool = new PdfInspectPool(options.inspect);
  const jobs = new JobRunner(events, log, undefined, layout.root);
  const dossiers = new DossiersService(db, store, staging, tickets, events, pool);
  const sheets = new SheetsService(db, standards, campaigns, dossiers, events);
  dossiers.setScoreSource(sheets);
  const results = new ResultsService(db, sheets);
  const review = new ReviewService(db, sheets, dossiers, events, results);
  sheets.setCaseGate(review);
  dossiers.setBoardSource(review);
  results.setFinalAnswersSource(review.finalAnswersSource(), review.finalAnswersBatch());
  results.setExpectedReviewers(review.expectedReviewers());
  // Files changed since they were last listed (or every file, once, after an upgrade that stores
  // results): written by a job, so the workspace opens without waiting; screens write what they read.
  results.setSummaryRefresh(() => review.refreshSummaries());
  review.startBackfill(jobs);
  const policy = new Policy(db, () => pendingRestore(layout.root) !== null);
  const annotations = new AnnotationsService(db, events, review, policy);
  const exportsService = new ExportsService(db, layout.exports, tickets, campaigns, dossiers, sheets, results);
  const standardFiles = new StandardFilesService(db, standards, staging, exportsService, events);
  const campaignStandards = new CampaignStandardsService(db, standards, campaigns, events);
  const signing = createSigning({
    db,
    store,
    exportsService,
    resourcesDir: options.resourcesDir,
    producer: `${APP_NAME} ${options.appVersion}`,
    throttle,
  });

  const people = new PeopleService(db, tickets, events, signing.keys, throttle);
  const panel = new PanelService(db, events);
  const draws = new DrawsService(db, campaigns, exportsService, events);
  const assignments = new AssignmentsService(db, panel, draws, events);
  const meeting = new MeetingService(db, panel, dossiers, results, store, tickets, events, review);
  const campaignFacts = new CampaignFactsBuilder(db, results, campaigns, draws);
  const chartRasteriser = new ChartRasteriser(path.join(options.resourcesDir, 'fonts', 'gbsn00lp.ttf'));
  const letters = new LettersService(db, campaignFacts, exportsService, chartRasteriser, new FontsService(), events);
  const ledger = new LedgerService(db, campaignFacts, store, staging, tickets, exportsService, events, campaigns, results);
  const units = new UnitsService(db, events);
  const imports = new ImportService(db, store, staging, jobs, pool, events, exportsService, units, options.importLimits);
  const reader = new ReaderService(db, store, dossiers, events);
  const ocr = new OcrService(db, store, jobs, events, log, options.ocr);
  reader.setOcrLines(ocr);
  imports.setScanReader(ocr);
  const precheck = new PrecheckService(db, jobs, events, exportsService, log, options.precheck);
  const annotationExports = new AnnotationExports(
    exportsService,
    store,
    dossiers,
    annotations,
    campaigns,
    standards,
    annotationFontFile(options.resourcesDir),
    review,
  );
  const packages = new PackagesService(
    db,
    { exports: layout.exports, staging: layout.staging },
    store,
    staging,
    exportsService,
    sheets,
    review,
    events,
    signing,
    jobs,
    {
      appVersion: options.appVersion,
      ...(options.packageLimits ? { limits: options.packageLimits } : {}),
    },
  );

  // Who may call what, on which campaign and file, is declared per channel and enforced by the
  // dispatcher through the policy; the handlers are only business rules.
  const handlers: Handlers = registerHandlers([
    { 'app:info': () => ({ appName: APP_NAME, appVersion: options.appVersion, schemaVersion: schemaVersion(db) }) },
    authHandlers(db, sessions, tickets, throttle),
    uploadHandlers(tickets),
    jobs.handlers(),
    people.handlers(),
    campaigns.handlers(),
    units.handlers(),
    dossiers.handlers(),
    reader.handlers(),
    annotations.handlers(),
    annotationExports.handlers(),
    standards.handlers(),
    standardFiles.handlers(),
    campaignStandards.handlers(),
    sheets.handlers(),
    exportsService.handlers(),
    review.handlers(),
    panel.handlers(),
    draws.handlers(),
    assignments.handlers(),
    meeting.handlers(),
    letters.handlers(),
    new LetterIssuing(db, letters, signing, events).handlers(),
    ledger.handlers(),
    imports.handlers(),
    signing.handlers(staging),
    packages.handlers(),
    ocr.handlers(),
    precheck.handlers(),
    new DocumentMapService(precheck).handlers(),
    new AuditService(db, exportsService).handlers(),
    new BackupService(db, layout, jobs, options.appVersion).handlers(),
  ]);

  const dispatcher = new Dispatcher(handlers, (clientId) => sessions.actorOf(clientId), policy, log, layout.root);
  log.info(`workspace opened at ${layout.root}`);
  ocr.resume();
  precheck.resume();
  const maintenance = new AbortController();
  const sweep = () => sweepOrphans(db, layout, log, { signal: maintenance.signal });
  // Start-up maintenance, off the opening path: a failure is logged, never shown.
  const swept = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())
    .then(() => (db.open && !maintenance.signal.aborted ? sweep() : null))
    .catch((err: unknown) => {
      if (!maintenance.signal.aborted) log.error('orphan sweep failed', err);
    });
  void swept;

  return {
    layout,
    services: { results, letters, campaignFacts, imports, jobs, signing, packages, ocr, precheck, review, dossiers, sheets, annotations },
    db,
    events,
    log,
    dispatch: (channel, input, clientId) => dispatcher.dispatch(channel, input, clientId),
    handleBytes: (request) => handleByteRequest(request, tickets, staging),
    shareLogin: (from, to) => sessions.share(from, to),
    loggedIn: (clientId) => sessions.actorOf(clientId) !== null,
    disconnect: (clientId) => {
      sessions.unbind(clientId);
      tickets.revokeClient(clientId);
    },
    sweepOrphans: sweep,
    close: () => {
      maintenance.abort();
      jobs.cancelAll();
      void ocr.close();
      precheck.close();
      void pool.close();
      closeDatabase(db);
    },
  };
}
