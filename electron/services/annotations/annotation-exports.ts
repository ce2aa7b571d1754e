/**
 * The reader's two exports: an annotated copy of a PDF (standard PDF annotations, so any reader shows
 * the evidence) and the case's annotation list as XLSX. Both go through ExportsService.register, so
 * they are written atomically, audited and handed out as download tickets like every export.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { allItems } from '../../../shared/standards/model.js';
import { AppError } from '../../../shared/core/errors.js';
import type { AnnotationsService, BlindMarks } from './annotations-service.js';
import type { CampaignsService } from '../campaigns/index.js';
import { nowIso, requireActor } from '../core/context.js';
import type { Handlers } from '../core/dispatcher.js';
import type { DossiersService } from '../dossiers/index.js';
import { safeFileName } from '../core/fs-atomic.js';
import type { StandardsService } from '../standards/index.js';
import type { BlobStore } from '../core/blob-store.js';
import { annotationListWorkbook } from './annotation-list-xlsx.js';
import type { ExportsService } from '../core/downloads.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export class AnnotationExports {
  private fontBytes: Uint8Array | null = null;

  constructor(
    private readonly exportsService: ExportsService,
    private readonly store: BlobStore,
    private readonly dossiers: DossiersService,
    private readonly annotations: AnnotationsService,
    private readonly campaigns: CampaignsService,
    private readonly standards: StandardsService,
    private readonly fontFile: string,
    private readonly blind: BlindMarks,
  ) {}

  /** "12.5 卷内材料未编页号" for each item of the standard the case is scored against. */
  itemLabels(caseId: string): Map<string, string> {
    const kase = this.dossiers.getCase(caseId);
    try {
      const versionId = this.campaigns.standardVersionFor(kase.campaignId, kase.caseType);
      const def = this.standards.getVersion(versionId).definition;
      return new Map(allItems(def).map((item) => [item.id, `${item.code} ${item.text}`.trim()]));
    } catch {
      return new Map(); // no standard assigned: items are named by id
    }
  }

  /** The stored bytes, refused if they no longer hash to what was imported (evidence must be exact). */
  private async exactBytes(sha256: string, title: string): Promise<Uint8Array> {
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(this.store.pathOf(sha256));
    } catch {
      throw new AppError('io_error', `文件“${title}”已从文件库中丢失，无法导出。`);
    }
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      throw new AppError('damaged_file', `文件“${title}”的内容与导入时的校验值不一致（可能被改动或损坏），不能作为证据导出带批注的副本。`);
    }
    return new Uint8Array(bytes);
  }

  /** Only the marks the caller may see go into an export (blind review hides other reviewers' marks). */
  handlers(): Pick<Handlers, 'export:annotatedPdf' | 'export:annotationList'> {
    return {
      'export:annotatedPdf': async ({ documentId }, ctx) => {
        const doc = this.dossiers.getDocument(documentId);
        const kase = this.dossiers.getCase(doc.caseId);
        const source = await this.exactBytes(doc.sha256, doc.title);
        this.fontBytes ??= new Uint8Array(fs.readFileSync(this.fontFile));
        // PDF writing and its fonts load with the first annotated copy, not with the back end.
        const { writeAnnotatedPdf } = await import('./annotated-pdf.js');
        const bytes = await writeAnnotatedPdf(
          source,
          this.blind.blindCaseAnnotations(kase.id, requireActor(ctx), this.annotations.list(documentId)),
          { fontBytes: this.fontBytes, itemLabels: this.itemLabels(kase.id) },
        );
        const fileName = safeFileName(`${kase.caseNumber}-${doc.title}（批注）.pdf`);
        return this.exportsService.register('annotatedPdf', fileName, bytes, 'application/pdf', ctx, kase.campaignId);
      },
      'export:annotationList': async ({ caseId }, ctx) => {
        const kase = this.dossiers.caseDetail(caseId);
        const bytes = await annotationListWorkbook({
          caseNumber: kase.caseNumber,
          unitName: kase.unitName,
          documentTitles: new Map(kase.documents.map((d) => [d.id, d.title])),
          itemLabels: this.itemLabels(caseId),
          annotations: this.blind.blindCaseAnnotations(caseId, requireActor(ctx), this.annotations.listCase(caseId)),
          generatedAt: nowIso(),
        });
        const fileName = safeFileName(`批注清单-${kase.unitName}-${kase.caseNumber}.xlsx`);
        return this.exportsService.register('annotationList', fileName, bytes, XLSX_MIME, ctx, kase.campaignId);
      },
    };
  }
}

export const annotationFontFile = (resourcesDir: string): string => path.join(resourcesDir, 'fonts', 'gbsn00lp.ttf');
