/**
 * Binds one 案卷: 封面, 卷内目录 (with the stamped page numbers of each 文书), the 文书 in order, and
 * the 卷内备考表; 证据材料 grows by photo pages until the file is as thick as a real one (15–25
 * pages). Archive practice leaves 封面, 目录 and 备考表 unnumbered; every other page gets a stamped
 * number in its upper right corner, unless page_numbers_missing is planted.
 */
import { cnDate } from './calendar.js';
import type { CaseFacts, DefectCode, EdgeCode } from './campaign.js';
import { archiveNote, DOCUMENT_TITLES, draftDocuments, moreEvidence, type DocumentType, type DraftDocument } from './documents.js';
import { addFooters, layoutDocument, pageText, stampPageNumber, type Block, type LaidPage } from './layout.js';
import { Random } from './random.js';

export interface DocumentEntry {
  type: DocumentType;
  title: string;
  /** The date the 文书 bears (ISO). */
  date: string;
  /** 1-based PDF pages. */
  firstPage: number;
  lastPage: number;
  /** Officers the record names as taking part (笔录 and on-the-spot decisions only). */
  officers: string[] | null;
}

export interface PageTruth {
  /** 1-based PDF page. */
  page: number;
  documentType: DocumentType;
  /** The archive number stamped in the corner, or null (封面, 目录, 备考表, or page_numbers_missing). */
  stampedNumber: number | null;
  /** Every string on the page in drawing order, one per line (the stamp last). */
  text: string;
  /** Whether a seal is pressed on the page (scans show it as a red circle). */
  sealed: boolean;
}

export interface BoundDossier {
  pages: LaidPage[];
  documents: DocumentEntry[];
  pageTruth: PageTruth[];
}

const MIN_PAGES = 15;
const MAX_PAGES = 25;

const layoutPages = (blocks: Block[]): number => layoutDocument(blocks).pages.length;

function lay(d: DraftDocument): LaidPage[] {
  const laid = layoutDocument(d.blocks);
  if (d.footer) addFooters(laid, d.footer);
  return laid.pages;
}

const CASE_KIND: Record<CaseFacts['caseType'], string> = {
  penalty_general: '行政处罚案卷',
  penalty_simple: '行政处罚案卷（简易程序）',
  license: '行政许可案卷',
  coercive_measure: '行政强制案卷',
  coercive_enforcement: '行政强制案卷',
  inspection: '行政检查案卷',
  other: '行政执法案卷',
};

function cover(f: CaseFacts, pages: number): DraftDocument {
  return {
    type: 'cover',
    date: f.dates.closed,
    blocks: [
      { kind: 'gap', height: 40 },
      { kind: 'line', text: f.unit.sealName, align: 'center', size: 18, bold: true },
      { kind: 'gap', height: 16 },
      { kind: 'heading', text: CASE_KIND[f.caseType], size: 30 },
      { kind: 'gap', height: 30 },
      {
        kind: 'form',
        labelWidth: 110,
        minHeight: 34,
        rows: [
          ['案号', f.caseNumber],
          ['案件名称', f.title],
          ['当事人', f.party.name],
          ['案由', f.cause],
          ['处理结果', f.decisionText],
          ['承办人', f.officers.map((o) => o.name).join('、')],
          ['立案日期', cnDate(f.dates.filed)],
          ['结案日期', cnDate(f.dates.closed)],
          ['保管期限', '长期'],
          ['本卷页数', `共${pages}页`],
        ],
      },
    ],
  };
}

function contents(entries: Array<{ title: string; date: string; from: number; to: number }>): DraftDocument {
  return {
    type: 'contents',
    date: entries[0]?.date ?? '',
    blocks: [
      { kind: 'heading', text: '卷内目录', size: 22 },
      {
        kind: 'grid',
        widths: [1.1, 5, 3, 1.8, 1.4],
        header: ['序号', '文书名称', '日期', '页号', '备注'],
        rows: entries.map((e, i) => [String(i + 1), e.title, cnDate(e.date), e.from === e.to ? String(e.from) : `${e.from}-${e.to}`, '']),
      },
    ],
  };
}

/** Lays out a whole dossier and returns its pages and what is where. */
export function bindDossier(f: CaseFacts, seed: number): BoundDossier {
  const r = new Random(seed).fork(`${f.id}-documents`);
  const drafts = draftDocuments(f, r, layoutPages);
  let inner = drafts.map((d) => ({ draft: d, pages: lay(d) }));
  const count = (): number => inner.reduce((n, d) => n + d.pages.length, 0) + 3;
  const target = Math.min(MAX_PAGES, Math.max(MIN_PAGES, count(), r.int(MIN_PAGES + 1, 21)));
  const evidence = inner.find((d) => d.draft.extendable);
  if (evidence && count() < target) {
    const photos = evidence.draft.blocks.filter((b) => b.kind === 'photo').length;
    evidence.draft = { ...evidence.draft, blocks: [...evidence.draft.blocks, ...moreEvidence(f, r, photos + 1, target - count())] };
    evidence.pages = lay(evidence.draft);
  }
  if (count() > MAX_PAGES) throw new Error(`${f.id}: ${count()} pages, more than ${MAX_PAGES}`);
  const photoCount = inner.reduce((n, d) => n + d.draft.blocks.filter((b) => b.kind === 'photo').length, 0);

  // Stamped numbers run from 1 on the first 文书 after the 目录.
  let stamped = 0;
  const ranges = inner.map((d) => {
    const from = stamped + 1;
    stamped += d.pages.length;
    return { title: DOCUMENT_TITLES[d.draft.type], date: d.draft.date, from, to: stamped };
  });
  const note = archiveNote(f, stamped, photoCount);
  // A held-out file's 目录 that disagrees with it: one row a page off, or one 文书 not listed.
  let listed = ranges;
  if (f.defects.includes('catalogue_mismatch')) {
    const at = r.int(1, ranges.length - 2);
    listed = r.int(0, 1)
      ? ranges.filter((_, i) => i !== at)
      : // Written before a page was added: every row from one 文书 on gives a page too many.
        ranges.map((e, i) => (i >= at ? { ...e, from: e.from + 1, to: e.to + 1 } : e));
  }
  inner = [
    { draft: cover(f, stamped), pages: lay(cover(f, stamped)) },
    { draft: contents(listed), pages: lay(contents(listed)) },
    ...inner,
    { draft: note, pages: lay(note) },
  ];

  const pages: LaidPage[] = [];
  const documents: DocumentEntry[] = [];
  const pageTruth: PageTruth[] = [];
  const unnumbered = new Set<DocumentType>(['cover', 'contents', 'archive_note']);
  const stamp = !f.defects.includes('page_numbers_missing');
  let number = 0;
  for (const { draft, pages: laid } of inner) {
    const firstPage = pages.length + 1;
    for (const p of laid) {
      let stampedNumber: number | null = null;
      if (!unnumbered.has(draft.type)) {
        number++;
        if (stamp) {
          stampPageNumber(p, number);
          stampedNumber = number;
        }
      }
      pages.push(p);
      pageTruth.push({ page: pages.length, documentType: draft.type, stampedNumber, text: pageText(p), sealed: p.seals.length > 0 });
    }
    documents.push({
      type: draft.type,
      title: DOCUMENT_TITLES[draft.type],
      date: draft.date,
      firstPage,
      lastPage: pages.length,
      officers: draft.officers ?? null,
    });
  }
  return { pages, documents, pageTruth };
}

export type { DefectCode, EdgeCode };
