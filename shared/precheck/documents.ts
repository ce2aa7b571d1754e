/**
 * The 文书 of a 案卷 and where they are: each page is classified by the title printed near its top
 * (a page without one continues the 文书 before it), giving a document map that is then compared with
 * the file's own 卷内目录 and its stamped page numbers.
 */

export const PRECHECK_DOCUMENT_TYPES = {
  cover: { label: '封面', titles: [/^(行政处罚|行政许可|行政强制|行政检查|行政执法)案卷(（.*）)?$/, /^案卷封面$/] },
  contents: { label: '卷内目录', titles: [/^卷内目录$/] },
  filing_approval: { label: '立案审批表', titles: [/^立案(审批|登记)表$/] },
  coercive_approval: { label: '行政强制措施审批表', titles: [/^行政强制措施审批表$/] },
  license_application: { label: '行政许可申请书', titles: [/^行政许可申请书$/] },
  acceptance_notice: { label: '行政许可受理通知书', titles: [/^(行政许可)?受理通知书$/] },
  site_verification: { label: '现场核查记录', titles: [/^现场核查(记录|笔录)$/] },
  license_review: { label: '行政许可审查意见表', titles: [/^行政许可审查意见表$/] },
  license_decision: { label: '行政许可决定书', titles: [/^(准予|不予)行政许可决定书$/] },
  inspection_record: { label: '现场检查（勘验）笔录', titles: [/^现场(检查|勘验|检查（勘验）)笔录$/, /^勘验笔录$/, /^现场笔录$/] },
  inquiry_record: { label: '询问笔录', titles: [/^(调查)?询问笔录$/] },
  evidence: { label: '证据材料', titles: [/^证据材料$/, /^证据提取单$/, /^证据清单$/, /^(送货单|进销货台账)（复印件）$/] },
  investigation_report: { label: '调查终结报告', titles: [/^(案件)?调查终结报告$/] },
  legal_review: { label: '法制审核意见书', titles: [/^法制审核意见(书|表)$/] },
  collective_discussion: { label: '集体讨论记录', titles: [/^(重大案件)?集体讨论记录$/] },
  prior_notice: { label: '行政处罚事先告知书', titles: [/^行政处罚事先告知书$/] },
  hearing_notice: { label: '听证告知书', titles: [/^(行政处罚)?听证告知书$/] },
  hearing_record: { label: '听证笔录', titles: [/^听证笔录$/] },
  hearing_report: { label: '听证报告', titles: [/^听证报告(书)?$/] },
  statement_record: { label: '陈述申辩笔录', titles: [/^陈述申辩笔录$/] },
  statement_waiver: { label: '放弃陈述申辩权利书', titles: [/^放弃陈述申辩(权利)?(书|声明)$/] },
  decision: { label: '行政处罚决定书', titles: [/^行政处罚决定书$/] },
  simple_decision: { label: '当场行政处罚决定书', titles: [/^当场行政处罚决定书$/] },
  seizure_decision: { label: '查封（扣押）决定书', titles: [/^(查封|扣押|查封（扣押）)决定书$/] },
  seizure_list: { label: '查封（扣押）清单', titles: [/^(查封|扣押|查封（扣押）)清单$/] },
  release_decision: { label: '解除查封（扣押）决定书', titles: [/^解除(查封|扣押|查封（扣押）)决定书$/] },
  service_receipt: { label: '送达回证', titles: [/^送达回证$/] },
  payment_voucher: { label: '罚没款缴纳凭证', titles: [/^罚没款缴纳凭证$/, /非税收入.*缴款书$/] },
  closing_approval: { label: '结案审批表', titles: [/^结案(审批表|报告)$/] },
  archive_note: { label: '卷内备考表', titles: [/^卷内备考表$/] },
  other: { label: '其他', titles: [] },
} as const satisfies Record<string, { label: string; titles: readonly RegExp[] }>;

export type PrecheckDocumentType = keyof typeof PRECHECK_DOCUMENT_TYPES;

/** Archive practice leaves these unnumbered; every other page carries a stamped number. */
export const UNNUMBERED_TYPES: ReadonlySet<PrecheckDocumentType> = new Set(['cover', 'contents', 'archive_note']);

/** A title sits among the first lines of a page (a letterhead, or in OCR a stamp or seal text, may come first). */
const TITLE_LINES = 6;

export const squeeze = (s: string): string => s.replace(/[\s\u3000]+/g, '');

export const pageLines = (text: string): string[] => text.split('\n').map(squeeze).filter(Boolean);

/**
 * The value of a form row: on the line after its label (cells drawn one by one) or after the label on
 * the same line (a text layer joins a table row with spaces). '' when the row is empty, null when the
 * label is not there.
 */
export function formValue(text: string, label: string): { value: string; line: string } | null {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (squeeze(line) === label) return { value: squeeze(lines[i + 1] ?? ''), line: label };
    const m = /^(\S+)\s+(.+)$/.exec(line);
    if (m && m[1] === label) return { value: squeeze(m[2]!), line };
  }
  return null;
}

/** The 文书 type and title a page starts, or null when it continues the one before. */
export function classifyPage(text: string): { type: PrecheckDocumentType; title: string } | null {
  for (const line of pageLines(text).slice(0, TITLE_LINES)) {
    for (const [type, def] of Object.entries(PRECHECK_DOCUMENT_TYPES)) {
      if (def.titles.some((re) => re.test(line))) return { type: type as PrecheckDocumentType, title: line };
    }
  }
  return null;
}

/**
 * The number stamped in a page's upper right corner: a bare number as the page's last line (a text
 * layer draws the stamp last) or among its first two (OCR reads the page from the top).
 */
export function stampedNumber(text: string): number | null {
  const lines = pageLines(text);
  const found = [lines[lines.length - 1], lines[0], lines[1]].find((l) => l && /^\d{1,4}$/.test(l));
  return found ? Number(found) : null;
}

export interface MappedDocument {
  type: PrecheckDocumentType;
  /** As printed on its first page. */
  title: string;
  /** 1-based PDF pages. */
  firstPage: number;
  lastPage: number;
}

/** Consecutive pages grouped into 文书; pages before any title are 其他. */
export function documentMap(pageTexts: string[]): MappedDocument[] {
  const out: MappedDocument[] = [];
  pageTexts.forEach((text, i) => {
    const found = classifyPage(text);
    const prev = out[out.length - 1];
    // A 证据材料 section runs over photo pages, 提取单 and copied bills: one 文书.
    if (found && !(found.type === 'evidence' && prev?.type === 'evidence' && prev.lastPage === i)) {
      out.push({ type: found.type, title: found.title, firstPage: i + 1, lastPage: i + 1 });
    } else if (prev) prev.lastPage = i + 1;
    else out.push({ type: 'other', title: '其他', firstPage: i + 1, lastPage: i + 1 });
  });
  return out;
}

export interface CatalogueEntry {
  title: string;
  type: PrecheckDocumentType | null;
  /** Stamped page numbers the 目录 gives. */
  from: number;
  to: number;
  /** 1-based PDF page of the 目录 row. */
  page: number;
}

/**
 * The rows of the 卷内目录: a 文书 name followed by a date and a page number or range (cells read in
 * order, whether one per line or a row per line).
 */
export function parseCatalogue(pageTexts: string[], map: MappedDocument[]): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  for (const doc of map.filter((d) => d.type === 'contents')) {
    for (let p = doc.firstPage; p <= doc.lastPage; p++) {
      // Cells come one per line (text as drawn) or a row per line with spaces between (a text layer).
      // OCR gives full-width digits, a stray full stop, or an I for a 1.
      const cells = pageTexts[p - 1]!.normalize('NFKC')
        .split(/\s+/)
        .filter(Boolean)
        .map((c) => (/^[\dIl.\-—–~至]+$/.test(c) ? c.replace(/[Il]/g, '1').replace(/\.+$/, '') : c));
      for (let i = 0; i + 2 < cells.length; i++) {
        // OCR may add a full stop after a title (行政处罚决定书.).
        const title = cells[i]!.replace(/[.。,，、·]+$/, '');
        const date = cells[i + 1]!;
        const pages = /^(\d{1,4})(?:[-—–~至](\d{1,4}))?$/.exec(cells[i + 2]!);
        if (!/^\d{4}年\d{1,2}月\d{1,2}日$/.test(date) || !pages || /^\d+$/.test(title)) continue;
        const classified = classifyPage(title);
        entries.push({ title, type: classified?.type ?? null, from: Number(pages[1]), to: Number(pages[2] ?? pages[1]), page: p });
        i += 2;
      }
    }
  }
  return entries;
}
