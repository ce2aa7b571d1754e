/**
 * Facts read from the page texts of a 案卷, each with the page and the text it rests on: dates of
 * each 文书, officers and 执法证号 per record, 当事人, amounts, legal basis, 案号, signatures on the
 * 送达回证 and stamped page numbers. Text is read with its line breaks removed, because a printed line
 * wraps wherever the paper ends (a 执法证号 or an amount may be split over two lines).
 */
import { isoFromChinese } from './calendar.js';
import { formValue, pageLines, stampedNumber, UNNUMBERED_TYPES, type MappedDocument, type PrecheckDocumentType } from './documents.js';

/** Where a fact was read: 1-based page, and the characters of that page's joined text. */
export interface Span {
  page: number;
  start: number;
  end: number;
  text: string;
}

export type DateKind =
  | 'filed'
  | 'inspection'
  | 'inquiry'
  | 'report'
  | 'prior_notice'
  | 'statement'
  | 'hearing_notice'
  | 'hearing'
  | 'legal_review'
  | 'discussion'
  | 'decision'
  | 'service'
  | 'payment'
  | 'closed'
  | 'accepted'
  | 'release';

export const DATE_KIND_LABELS: Record<DateKind, string> = {
  filed: '立案',
  inspection: '现场检查',
  inquiry: '询问',
  report: '调查终结',
  prior_notice: '事先告知',
  statement: '陈述申辩',
  hearing_notice: '听证告知',
  hearing: '听证举行',
  legal_review: '法制审核',
  discussion: '集体讨论',
  decision: '决定',
  service: '送达',
  payment: '缴款',
  closed: '结案',
  accepted: '受理',
  release: '解除强制措施',
};

const DATE_OF_TYPE: Partial<Record<PrecheckDocumentType, DateKind>> = {
  filing_approval: 'filed',
  coercive_approval: 'filed',
  acceptance_notice: 'accepted',
  inspection_record: 'inspection',
  site_verification: 'inspection',
  inquiry_record: 'inquiry',
  investigation_report: 'report',
  prior_notice: 'prior_notice',
  statement_record: 'statement',
  statement_waiver: 'statement',
  hearing_notice: 'hearing_notice',
  hearing_record: 'hearing',
  legal_review: 'legal_review',
  collective_discussion: 'discussion',
  decision: 'decision',
  simple_decision: 'decision',
  license_decision: 'decision',
  seizure_decision: 'decision',
  service_receipt: 'service',
  payment_voucher: 'payment',
  closing_approval: 'closed',
  release_decision: 'release',
};

/** Records whose own time line gives the day the act took place (not the day it was signed). */
const TIME_LABEL: Partial<Record<PrecheckDocumentType, RegExp>> = {
  inspection_record: /检查时间[：:]\s*(\d{4})年(\d{1,2})月(\d{1,2})日/,
  inquiry_record: /询问时间[：:]\s*(\d{4})年(\d{1,2})月(\d{1,2})日/,
  collective_discussion: /时间[：:]\s*(\d{4})年(\d{1,2})月(\d{1,2})日/,
  statement_record: /时间[：:]\s*(\d{4})年(\d{1,2})月(\d{1,2})日/,
  service_receipt: /送达时间\s*(\d{4})年(\d{1,2})月(\d{1,2})日/,
};

export interface DateFact {
  kind: DateKind;
  date: string;
  documentType: PrecheckDocumentType;
  span: Span;
}
export interface OfficerRecord {
  documentType: PrecheckDocumentType;
  firstPage: number;
  officers: Array<{ name: string; certificate: string | null }>;
  span: Span | null;
}
export interface AmountFact {
  kind: 'fine' | 'confiscated' | 'total';
  amount: number;
  documentType: PrecheckDocumentType;
  span: Span;
}
export interface BasisFact {
  role: 'violated' | 'penalty';
  text: string;
  law: string | null;
  article: string | null;
  documentType: PrecheckDocumentType;
  span: Span;
}
export interface PartyFact {
  name: string;
  documentType: PrecheckDocumentType;
  span: Span;
}
export interface ReceiptFact {
  firstPage: number;
  signed: boolean;
  span: Span;
}

export interface CaseFactsFound {
  caseNumber: { value: string; span: Span } | null;
  dates: DateFact[];
  officers: OfficerRecord[];
  parties: PartyFact[];
  amounts: AmountFact[];
  basis: BasisFact[];
  receipts: ReceiptFact[];
  /** Per page that should carry one (封面, 目录, 备考表 do not): the stamped number or null. */
  stamped: Array<{ page: number; number: number | null }>;
}

/** A page's text with line breaks removed and runs of spaces kept as one (they separate form cells). */
export const joinedText = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .join('')
    .replace(/[ \u3000]{2,}/g, '  ');

interface Doc extends MappedDocument {
  texts: string[];
  /** The same pages with their line breaks kept. */
  lined: string[];
}

/** The first match of `re` in a 文书, with its page and position. */
function find(doc: Doc, re: RegExp): { m: RegExpExecArray; span: Span } | null {
  for (let i = 0; i < doc.texts.length; i++) {
    const m = re.exec(doc.texts[i]!);
    if (m) return { m, span: { page: doc.firstPage + i, start: m.index, end: m.index + m[0].length, text: m[0] } };
  }
  return null;
}

function findAll(doc: Doc, re: RegExp): Array<{ m: RegExpExecArray; span: Span }> {
  const out: Array<{ m: RegExpExecArray; span: Span }> = [];
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  doc.texts.forEach((t, i) => {
    for (const m of t.matchAll(g))
      out.push({ m, span: { page: doc.firstPage + i, start: m.index, end: m.index + m[0].length, text: m[0] } });
  });
  return out;
}

const DATE = /(\d{4})年(\d{1,2})月(\d{1,2})日/;
const CASE_NUMBER = /^[\u4e00-\u9fa5]{1,12}[〔[（(【]\d{4}[〕\]）)】]\d{1,6}号$/;
const RECORD_TYPES: PrecheckDocumentType[] = [
  'inspection_record',
  'inquiry_record',
  'statement_record',
  'site_verification',
  'simple_decision',
  'hearing_record',
];
// A form's label cell may stand on its own line with the names on the next (现场核查记录's 核查人员).
const OFFICER_LABELS = /(?<!被)(?:询问人|检查人员|执法人员|承办人|核查人员)(?:[：:]\s*|\n)([^\s：:。]+)/g;
// OCR reads a bracket as the half-width one now and then, and a number wrapping onto the next line is
// joined with the line break gone.
const CERTIFICATE = /[（(]执法证(?:件)?号[：:]?\s*([0-9A-Za-z]+)[）)]/g;
/** A label printed right after the names on the same line (询问人：郭金龙、朱雪梅记录人：朱雪梅). */
const TRAILING_LABEL = /(记录人|记录员|被询问人|被检查人|翻译人员?|在场人)$/;

function documentDate(doc: Doc): DateFact | null {
  const kind = DATE_OF_TYPE[doc.type];
  if (!kind) return null;
  const labelled = TIME_LABEL[doc.type] ? find(doc, TIME_LABEL[doc.type]!) : null;
  let best: { iso: string; span: Span } | null = null;
  if (labelled) {
    const iso = isoFromChinese(labelled.m[1]!, labelled.m[2]!, labelled.m[3]!);
    if (iso) best = { iso, span: labelled.span };
  }
  if (!best) {
    // Otherwise the day it was signed: the last date it bears (its 落款), not the latest date in its
    // text (a 查封决定书 names the day the seizure ends).
    for (const { m, span } of findAll(doc, DATE)) {
      const iso = isoFromChinese(m[1]!, m[2]!, m[3]!);
      if (iso) best = { iso, span };
    }
  }
  return best ? { kind, date: best.iso, documentType: doc.type, span: best.span } : null;
}

function officersOf(doc: Doc): OfficerRecord {
  const byName = new Map<string, string | null>();
  let span: Span | null = null;
  for (const { m, span: s } of findAll(doc, CERTIFICATE)) {
    const before = doc.texts[s.page - doc.firstPage]!.slice(0, m.index);
    const name = /([\u4e00-\u9fa5]{2,4})$/.exec(
      before
        .split(/[：:、，,；;\s。）)]/)
        .pop()!
        .replace(/^.*(执法人员|检查人员|核查人员|询问人|承办人|人员)/, ''),
    )?.[1];
    if (name) byName.set(name, m[1]!);
    span ??= s;
  }
  // Name lists are read line by line: the next printed line would otherwise run into the last name.
  for (const { m, span: s } of findAll({ ...doc, texts: doc.lined.map((t) => t.replace(CERTIFICATE, '')) }, OFFICER_LABELS)) {
    for (const listed of m[1]!.split('、')) {
      const name = listed.replace(TRAILING_LABEL, '');
      if (/^[\u4e00-\u9fa5]{2,4}$/.test(name) && !byName.has(name)) byName.set(name, null);
    }
    const start = doc.texts[s.page - doc.firstPage]!.indexOf(m[0]);
    span ??= start >= 0 ? { ...s, start, end: start + m[0].length } : null;
  }
  return {
    documentType: doc.type,
    firstPage: doc.firstPage,
    officers: [...byName].map(([name, certificate]) => ({ name, certificate })),
    span,
  };
}

const yuan = (n: string, wan?: string): number => Math.round(Number(n) * (wan ? 10_000 : 1) * 100) / 100;

function amountsOf(doc: Doc): AmountFact[] {
  const out: AmountFact[] = [];
  if (['decision', 'simple_decision', 'prior_notice', 'hearing_notice'].includes(doc.type)) {
    // The penalty decided or proposed, not the 百分之三 加处罚款 or other figures in the text.
    const scope = find(doc, /(?:如下行政处罚|决定给予当事人|拟对.{0,6}作出)[：:]?([^。]*)/);
    if (scope) {
      const seg = scope.m[1]!;
      const fine = /罚款(?:人民币)?(\d+(?:\.\d+)?)(万)?元/.exec(seg);
      const conf = /没收违法所得(?:人民币)?(\d+(?:\.\d+)?)(万)?元/.exec(seg);
      const at = (m: RegExpExecArray): Span => ({
        ...scope.span,
        start: scope.span.start + scope.m[0].indexOf(m[0]),
        end: scope.span.start + scope.m[0].indexOf(m[0]) + m[0].length,
        text: m[0],
      });
      if (fine) out.push({ kind: 'fine', amount: yuan(fine[1]!, fine[2]), documentType: doc.type, span: at(fine) });
      if (conf) out.push({ kind: 'confiscated', amount: yuan(conf[1]!, conf[2]), documentType: doc.type, span: at(conf) });
    }
  }
  if (doc.type === 'payment_voucher') {
    const total = find(doc, /金额（小写）\s*[￥¥]?\s*(\d+(?:\.\d+)?)/);
    if (total) out.push({ kind: 'total', amount: yuan(total.m[1]!), documentType: doc.type, span: total.span });
  }
  return out;
}

function parseBasis(text: string): { law: string | null; article: string | null } {
  return { law: /《([^》]+)》/.exec(text)?.[1] ?? null, article: /第[一二三四五六七八九十百零〇\d]+条/.exec(text)?.[0] ?? null };
}

function basisOf(doc: Doc): BasisFact[] {
  if (!['decision', 'simple_decision', 'prior_notice', 'license_decision', 'seizure_decision'].includes(doc.type)) return [];
  const out: BasisFact[] = [];
  const violated = find(doc, /违反了?((?:《[^》]+》[^，。；《]*?)+)的规定/);
  if (violated)
    out.push({ role: 'violated', text: violated.m[1]!, ...parseBasis(violated.m[1]!), documentType: doc.type, span: violated.span });
  // The provision the penalty rests on comes right before 决定/拟: the last 依据…的规定 of the 文书.
  const cited = findAll(doc, /依据((?:《[^》]+》[^，。；《]*?)+|[^，。；《]{0,20})的规定/).pop();
  if (cited) out.push({ role: 'penalty', text: cited.m[1]!, ...parseBasis(cited.m[1]!), documentType: doc.type, span: cited.span });
  return out;
}

/** A form row's value within a 文书, with the page it is on. */
function formValueIn(doc: Doc, pageTexts: string[], label: string): { value: string; span: Span } | null {
  for (let p = doc.firstPage; p <= doc.lastPage; p++) {
    const found = formValue(pageTexts[p - 1]!, label);
    if (!found) continue;
    const start = Math.max(0, doc.texts[p - doc.firstPage]!.indexOf(found.value));
    return { value: found.value, span: { page: p, start, end: start + found.value.length, text: found.value } };
  }
  return null;
}

const FORM_LABELS = new Set(['代收人及代收理由', '见证人', '备注', '送达人', '送达时间']);

function partiesOf(doc: Doc, pageTexts: string[]): PartyFact[] {
  const out: PartyFact[] = [];
  const label =
    doc.type === 'service_receipt' ? '受送达人' : doc.type.startsWith('license') || doc.type === 'site_verification' ? '申请人' : '当事人';
  const inForm = formValueIn(doc, pageTexts, label);
  if (inForm && inForm.value && !FORM_LABELS.has(inForm.value)) out.push({ name: inForm.value, documentType: doc.type, span: inForm.span });
  else if (['decision', 'simple_decision', 'seizure_decision'].includes(doc.type)) {
    const m = find(doc, /当事人[：:]([^\s：:，。]{2,40}?)(?=统一社会信用代码|身份证|法定代表人|住所|住址|\s|$)/);
    if (m) out.push({ name: m.m[1]!, documentType: doc.type, span: m.span });
  } else if (['prior_notice', 'hearing_notice'].includes(doc.type)) {
    const lines = pageLines(pageTexts[doc.firstPage - 1]!);
    const salutation = lines.slice(0, 6).find((l) => /^[^：:]{2,40}[：:]$/.test(l));
    if (salutation) {
      const name = salutation.slice(0, -1);
      const start = doc.texts[0]!.indexOf(salutation);
      out.push({ name, documentType: doc.type, span: { page: doc.firstPage, start, end: start + name.length, text: salutation } });
    }
  }
  return out;
}

function receiptOf(doc: Doc, pageTexts: string[]): ReceiptFact | null {
  for (let p = doc.firstPage; p <= doc.lastPage; p++) {
    const found = ['受送达人签名或盖章', '受送达人签名', '受送达人签字', '受送达人签名（盖章）']
      .map((l) => formValue(pageTexts[p - 1]!, l))
      .find(Boolean);
    if (!found) continue;
    const signed = !!found.value && !FORM_LABELS.has(found.value) && !/^\d{1,4}$/.test(found.value);
    const start = Math.max(0, doc.texts[p - doc.firstPage]!.indexOf(found.line));
    return {
      firstPage: doc.firstPage,
      signed,
      span: { page: p, start, end: start + found.line.length, text: signed ? found.line : `${found.line}：（空白）` },
    };
  }
  return null;
}

export function extractFacts(pageTexts: string[], map: MappedDocument[]): CaseFactsFound {
  const joined = pageTexts.map(joinedText);
  const lined = pageTexts.map((t) =>
    t
      .split('\n')
      .map((l) => l.trim())
      .join('\n'),
  );
  const docs: Doc[] = map.map((d) => ({
    ...d,
    texts: joined.slice(d.firstPage - 1, d.lastPage),
    lined: lined.slice(d.firstPage - 1, d.lastPage),
  }));
  const facts: CaseFactsFound = {
    caseNumber: null,
    dates: [],
    officers: [],
    parties: [],
    amounts: [],
    basis: [],
    receipts: [],
    stamped: [],
  };
  for (const doc of docs) {
    const date = documentDate(doc);
    if (date) facts.dates.push(date);
    if (RECORD_TYPES.includes(doc.type)) facts.officers.push(officersOf(doc));
    facts.amounts.push(...amountsOf(doc));
    facts.basis.push(...basisOf(doc));
    facts.parties.push(...partiesOf(doc, pageTexts));
    if (doc.type === 'service_receipt') {
      const r = receiptOf(doc, pageTexts);
      if (r) facts.receipts.push(r);
    }
    // A page with no text at all was not read (a scan not yet through OCR): nothing can be said of its number.
    for (let p = doc.firstPage; p <= doc.lastPage; p++)
      if (!UNNUMBERED_TYPES.has(doc.type) && pageTexts[p - 1]!.trim())
        facts.stamped.push({ page: p, number: stampedNumber(pageTexts[p - 1]!) });
  }
  // The 决定书's own number first, then the cover's: a whole printed line such as 清市监处罚〔2025〕8号.
  for (const type of ['decision', 'simple_decision', 'license_decision', 'seizure_decision', 'cover', 'closing_approval'] as const) {
    const doc = docs.find((d) => d.type === type);
    if (!doc) continue;
    for (let p = doc.firstPage; p <= doc.lastPage && !facts.caseNumber; p++) {
      const line = pageLines(pageTexts[p - 1]!).find((l) => CASE_NUMBER.test(l));
      if (!line) continue;
      const printed = CASE_NUMBER.exec(line)![0];
      // OCR reads the 六角括号 of a 文号 as ordinary brackets; the 案号 is given as the bureau writes it.
      const value = printed.replace(/[〔（([【](\d{4})[〕）)\]】]/, '〔$1〕');
      const start = Math.max(0, joined[p - 1]!.indexOf(printed));
      facts.caseNumber = { value, span: { page: p, start, end: start + printed.length, text: printed } };
    }
    if (facts.caseNumber) break;
  }
  return facts;
}
