/**
 * The smart pre-check (智能预审) of one 案卷: from its page texts (the text layer, or OCR for scans) it
 * maps the 文书, reads the facts and runs the rules of rules.ts, giving findings a reviewer confirms
 * or dismisses. Findings only point; the score stays the reviewer's.
 */
import type { CaseType } from '../campaigns/case-types.js';
import { caseTypeFromDocuments } from './case-type.js';
import { addWorkingDays, daysBetween, workingDaysBetween } from './calendar.js';
import {
  documentMap,
  formValue,
  pageLines,
  parseCatalogue,
  PRECHECK_DOCUMENT_TYPES,
  squeeze,
  UNNUMBERED_TYPES,
  type CatalogueEntry,
  type MappedDocument,
  type PrecheckDocumentType,
} from './documents.js';
import { DATE_KIND_LABELS, extractFacts, joinedText, type CaseFactsFound, type DateKind, type Span } from './facts.js';
import {
  LAW_SUBJECTS,
  PRECHECK_RULES,
  PRECHECK_RULESET_VERSION,
  itemsOf,
  REQUIRED_DOCUMENTS,
  WHOLE_FILE_RULES,
  type RuleCode,
  type Severity,
} from './rules.js';

export interface Finding {
  rule: RuleCode;
  title: string;
  message: string;
  severity: Severity;
  statute: string;
  /** 1-based PDF pages the finding rests on. */
  pages: number[];
  quotes: Span[];
  /** The facts the rule used, by name. */
  facts: Record<string, string | number>;
  /** Suggested checklist item of the file's standard (empty when it has none for the rule), and any others it touches. */
  item: string;
  items: string[];
}

export interface PrecheckResult {
  ruleset: string;
  caseNumber: string | null;
  caseType: CaseType;
  party: string | null;
  documents: Array<MappedDocument & { label: string }>;
  catalogue: CatalogueEntry[];
  facts: CaseFactsFound;
  findings: Finding[];
  /** Findings held back because pages are not read yet (rules of WHOLE_FILE_RULES, or resting on an unread page). */
  withheld: number;
}

const cn = (iso: string): string => `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
const label = (t: PrecheckDocumentType): string => PRECHECK_DOCUMENT_TYPES[t].label;
const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function caseTypeOf(pageTexts: string[], map: MappedDocument[]): CaseType {
  return caseTypeFromDocuments(pageTexts, map)?.caseType ?? 'other';
}

export interface PrecheckOptions {
  /** The texts come from OCR: a 目录 page number is trusted only when it fits between its neighbours. */
  ocr?: boolean;
  /** 1-based pages with no text yet (scans not recognised): what depends on them is withheld. */
  unreadPages?: readonly number[];
  /** The standard the file is scored on (its campaign's for its case type): findings suggest its items. */
  standardId?: string | null;
}

export function runPrecheck(pageTexts: string[], options: PrecheckOptions = {}): PrecheckResult {
  const map = documentMap(pageTexts);
  const facts = extractFacts(pageTexts, map);
  const catalogue = parseCatalogue(pageTexts, map);
  const caseType = caseTypeOf(pageTexts, map);
  const findings: Finding[] = [];
  const unread = new Set(options.unreadPages ?? []);
  let withheld = 0;
  const add = (
    rule: RuleCode,
    message: string,
    pages: Array<number | undefined>,
    quotes: Array<Span | null | undefined>,
    used: Record<string, string | number> = {},
  ): void => {
    const r = PRECHECK_RULES[rule];
    if (!r.caseTypes.includes(caseType)) return;
    const items = itemsOf(r, options.standardId, caseType);
    const kept = pages.filter((p): p is number => typeof p === 'number');
    if (unread.size && (WHOLE_FILE_RULES.has(rule) || kept.some((p) => unread.has(p)))) {
      withheld++;
      return;
    }
    findings.push({
      rule,
      title: r.title,
      message,
      severity: r.severity,
      statute: r.statuteByType?.[caseType] ?? r.statute,
      pages: [...new Set(kept)].sort((a, b) => a - b),
      quotes: quotes.filter((q): q is Span => !!q),
      facts: used,
      item: items[0] ?? '',
      items: [...items],
    });
  };
  const doc = (t: PrecheckDocumentType): MappedDocument | undefined => map.find((d) => d.type === t);
  const has = (t: PrecheckDocumentType): boolean => map.some((d) => d.type === t);
  const date = (k: DateKind) => facts.dates.find((d) => d.kind === k);
  const decisionDoc = doc('decision') ?? doc('simple_decision');
  const filed = date('filed');
  const decided = date('decision');
  const amount = (kind: 'fine' | 'confiscated' | 'total', t: PrecheckDocumentType) =>
    facts.amounts.find((a) => a.kind === kind && a.documentType === t);
  const fine = amount('fine', 'decision') ?? amount('fine', 'simple_decision');
  const confiscated = amount('confiscated', 'decision') ?? amount('confiscated', 'simple_decision');
  const party = facts.parties.find((p) => p.documentType === 'decision') ?? facts.parties[0] ?? null;

  // 先调查后立案: a 询问 dated before the 立案.
  const investigation = PRECHECK_RULES.filing_after_investigation.parameters.investigationRecords as readonly string[];
  if (filed) {
    for (const d of facts.dates.filter((x) => investigation.includes(x.documentType) && x.date < filed.date)) {
      add(
        'filing_after_investigation',
        `${label(d.documentType)}记载的${DATE_KIND_LABELS[d.kind]}日期为${cn(d.date)}，早于立案日期${cn(filed.date)}，存在先调查取证后立案的情形。`,
        [d.span.page, filed.span.page],
        [d.span, filed.span],
        { [DATE_KIND_LABELS[d.kind]]: d.date, 立案: filed.date },
      );
    }
  }

  // 行政处罚法 art. 60: decided within 90 days of 立案.
  const limitDays = PRECHECK_RULES.decision_over_time_limit.parameters.limitDays as number;
  if (filed && decided && daysBetween(filed.date, decided.date) > limitDays) {
    const n = daysBetween(filed.date, decided.date);
    add(
      'decision_over_time_limit',
      `立案日期${cn(filed.date)}，处罚决定日期${cn(decided.date)}，相隔${n}日，超过${limitDays}日的办案期限，卷内未见延长期限的批准。`,
      [decided.span.page, filed.span.page],
      [decided.span, filed.span],
      { 立案: filed.date, 决定: decided.date, 相隔日数: n },
    );
  }

  // 处罚法 arts. 61 and 85: a 处罚决定书 served within 七日; 许可法 arts. 44 and 82: the 许可证件 of a 准予
  // decision within 十日. Both count working days.
  const sp = PRECHECK_RULES.service_over_time_limit.parameters;
  const served = facts.dates.find((d) => d.kind === 'service' && decided && d.date >= decided.date);
  const granted = decided?.documentType === 'license_decision' && /^准予/.test(doc('license_decision')?.title ?? '');
  const serviceLimit =
    decided?.documentType === 'decision' ? (sp.limitWorkingDays as number) : granted ? (sp.licenseLimitWorkingDays as number) : null;
  if (decided && served && serviceLimit !== null) {
    const n = workingDaysBetween(decided.date, served.date);
    const what = granted ? '准予行政许可决定' : '处罚决定';
    const limitText = `${serviceLimit === 7 ? '七' : serviceLimit === 10 ? '十' : serviceLimit}日（工作日）`;
    if (n > serviceLimit)
      add(
        'service_over_time_limit',
        `${what}于${cn(decided.date)}作出，${cn(served.date)}才送达，相隔${n}个工作日，超过${limitText}的送达期限。`,
        [served.span.page, decided.span.page],
        [served.span, decided.span],
        { 决定: decided.date, 送达: served.date, 工作日: n },
      );
  }

  // 处罚法 art. 42 (许可法 art. 34(3) for the 核查, 强制法 art. 18(2) for the measure): two or more
  // officers in each record, unless a law lets one act alone (道路交通安全法 art. 107 on the spot).
  const op = PRECHECK_RULES.single_officer.parameters;
  const minimum = op.minimumOfficers as number;
  const checked = (
    caseType === 'license' ? op.licenseRecords : caseType === 'coercive_measure' ? op.coerciveRecords : op.records
  ) as readonly string[];
  const simpleBasis = facts.basis.find((b) => b.role === 'penalty' && b.documentType === 'simple_decision');
  const oneOfficerLaw =
    caseType === 'penalty_simple' &&
    !!simpleBasis?.law &&
    (op.oneOfficerLaws as readonly string[]).find((l) => simpleBasis.law!.includes(l));
  const oneOfficerAllowed = !!oneOfficerLaw && (fine?.amount ?? 0) <= (op.oneOfficerMaxFine as number) && !(confiscated?.amount ?? 0);
  for (const r of facts.officers) {
    if (!checked.includes(r.documentType) || oneOfficerAllowed) continue;
    if (r.officers.length > 0 && r.officers.length < minimum) {
      add(
        'single_officer',
        `${label(r.documentType)}（第${r.firstPage}页）仅记载执法人员${r.officers.map((o) => o.name).join('、')}一人，少于两人${
          oneOfficerLaw
            ? `（《${simpleBasis!.law}》准许一名执法人员当场处罚的，限于警告或者${op.oneOfficerMaxFine as number}元以下罚款）`
            : ''
        }。`,
        [r.firstPage],
        [r.span],
        { 执法人员: r.officers.map((o) => o.name).join('、') },
      );
    }
  }

  const notice = doc('prior_notice');
  if (caseType === 'penalty_general' && decisionDoc && !notice) {
    add(
      'prior_notice_missing',
      '卷内未见《行政处罚事先告知书》或其他告知记录，作出处罚决定前未告知当事人拟作出的处罚内容及陈述、申辩权利。',
      [decisionDoc.firstPage],
      [decided?.span],
    );
  }

  // Art. 45: the days the 告知书 gives for 陈述申辩 must pass unless the party has been heard or waived.
  const noticed = date('prior_notice');
  if (notice && noticed && decided && !has('statement_record') && !has('statement_waiver') && !has('hearing_record')) {
    const text = pageTexts
      .slice(notice.firstPage - 1, notice.lastPage)
      .map(joinedText)
      .join('');
    const m = /收到本告知书之日起([一二三四五六七八九十\d]+)[个]?(?:工作)?日内/.exec(text);
    const days = m
      ? (CN_DIGITS[m[1]!] ?? Number(m[1]))
      : (PRECHECK_RULES.statement_period_not_respected.parameters.defaultWorkingDays as number);
    if (decided.date <= addWorkingDays(noticed.date, days)) {
      add(
        'statement_period_not_respected',
        `事先告知书于${cn(noticed.date)}作出，给予${days}日陈述申辩期限，处罚决定却于${cn(decided.date)}作出，期限未满且卷内未见陈述申辩记录或放弃声明。`,
        [noticed.span.page, decided.span.page],
        [noticed.span, decided.span],
        { 告知: noticed.date, 决定: decided.date, 期限: days },
      );
    }
  }

  // Art. 63: 较大数额 penalties need the offer of a hearing.
  const hp = PRECHECK_RULES.hearing_not_offered.parameters;
  const decisionText = decisionDoc
    ? pageTexts
        .slice(decisionDoc.firstPage - 1, decisionDoc.lastPage)
        .map(joinedText)
        .join('')
    : '';
  const company = !!party && (/公司|厂|店|中心|合作社|集团|商行|企业/.test(party.name) || /统一社会信用代码/.test(decisionText));
  const hearingDue =
    caseType === 'penalty_general' &&
    ((fine?.amount ?? 0) >= (company ? (hp.companyFine as number) : (hp.personFine as number)) ||
      (confiscated?.amount ?? 0) >= (company ? (hp.companyConfiscation as number) : (hp.personConfiscation as number)));
  const noticeText = notice
    ? pageTexts
        .slice(notice.firstPage - 1, notice.lastPage)
        .map(joinedText)
        .join('')
    : '';
  if (hearingDue && decisionDoc && !has('hearing_notice') && !has('hearing_record') && !/听证/.test(noticeText)) {
    // Only the amounts there are, each against its own threshold (a 没收0元 reads like a finding).
    const fineLimit = (company ? hp.companyFine : hp.personFine) as number;
    const fineOver = (fine?.amount ?? 0) >= fineLimit;
    const amounts = [fine?.amount ? `罚款${fine.amount}元` : '', confiscated?.amount ? `没收${confiscated.amount}元` : '']
      .filter(Boolean)
      .join('、');
    add(
      'hearing_not_offered',
      `${company ? '单位' : '个人'}${amounts}，达到较大数额（${fineOver ? `罚款${fineLimit}元` : `没收${(company ? hp.companyConfiscation : hp.personConfiscation) as number}元`}），卷内未见听证告知。`,
      [fine?.span.page ?? decisionDoc.firstPage, notice?.firstPage],
      [fine?.span],
      { 罚款: fine?.amount ?? 0, 没收: confiscated?.amount ?? 0, 当事人类型: company ? '单位' : '个人' },
    );
  }

  // Art. 64: the party has 五日 to ask for a hearing after the notice.
  const heard = date('hearing_notice');
  const requestDays = PRECHECK_RULES.hearing_notice_too_late.parameters.requestWorkingDays as number;
  if (heard && decided && !has('hearing_record') && decided.date <= addWorkingDays(heard.date, requestDays)) {
    add(
      'hearing_notice_too_late',
      `听证告知书于${cn(heard.date)}作出，当事人要求听证的${requestDays}日期限届满前（${cn(decided.date)}）即作出处罚决定。`,
      [heard.span.page, decided.span.page],
      [heard.span, decided.span],
      { 听证告知: heard.date, 决定: decided.date },
    );
  }

  // Art. 58: 重大执法决定 (听证 due, or put to 集体讨论) need 法制审核 first.
  const discussion = doc('collective_discussion');
  if (caseType === 'penalty_general' && decisionDoc && (hearingDue || discussion) && !has('legal_review')) {
    add(
      'legal_review_missing',
      `本案${hearingDue ? '罚款达到听证标准' : ''}${hearingDue && discussion ? '并' : ''}${discussion ? '经集体讨论' : ''}，属重大执法决定，卷内未见法制审核意见。`,
      [discussion?.firstPage ?? decisionDoc.firstPage, decisionDoc.firstPage],
      [decided?.span],
    );
  }

  // Art. 59: the decision names the provision the penalty rests on, to the article.
  const decisionBasis = facts.basis.find(
    (b) => b.role === 'penalty' && (b.documentType === 'decision' || b.documentType === 'simple_decision'),
  );
  if (decisionDoc) {
    if (!decisionBasis || !decisionBasis.law || !decisionBasis.article) {
      add(
        'legal_basis_missing',
        `处罚决定书${decisionBasis ? `引用“${decisionBasis.text}”` : '未写明处罚依据'}，未具体到法律、法规、规章的条款。`,
        [decisionBasis?.span.page ?? decisionDoc.firstPage],
        [decisionBasis?.span],
        { 引用: decisionBasis?.text ?? '' },
      );
    } else {
      const cause = causeOf(pageTexts, map);
      const subject = LAW_SUBJECTS.find((s) => s.keywords.test(cause));
      if (subject && !subject.laws.some((law) => decisionBasis.law!.includes(law))) {
        add(
          'legal_basis_mismatch',
          `案由为“${cause}”（${subject.subject}），处罚依据应为《${subject.laws.join('》或《')}》，决定书却引用《${decisionBasis.law}》${decisionBasis.article}。`,
          [decisionBasis.span.page],
          [decisionBasis.span],
          { 案由: cause, 引用: decisionBasis.text, 应引法律: subject.laws.join('、') },
        );
      }
    }
  }

  // 告知书 and 决定书 (and the 缴款书) state the same sums.
  if (fine) {
    for (const t of ['prior_notice', 'hearing_notice'] as const) {
      const other = amount('fine', t);
      if (other && other.amount !== fine.amount)
        add(
          'amount_inconsistent',
          `${label(t)}载明罚款${other.amount}元，处罚决定书为${fine.amount}元，前后不一致且卷内未见重新告知。`,
          [other.span.page, fine.span.page],
          [other.span, fine.span],
          { [label(t)]: other.amount, 决定书: fine.amount },
        );
    }
    const paid = amount('total', 'payment_voucher');
    const due = fine.amount + (confiscated?.amount ?? 0);
    if (paid && paid.amount !== due)
      add(
        'amount_inconsistent',
        `缴款凭证金额${paid.amount}元，与处罚决定的罚没款合计${due}元不一致。`,
        [paid.span.page, fine.span.page],
        [paid.span, fine.span],
        { 缴款: paid.amount, 决定: due },
      );
  }

  // One party throughout.
  const names = new Map<string, typeof facts.parties>();
  for (const p of facts.parties) names.set(p.name, [...(names.get(p.name) ?? []), p]);
  if (names.size > 1) {
    const main = [...names].sort((a, b) => b[1].length - a[1].length)[0]![0];
    for (const [name, where] of names)
      if (name !== main)
        add(
          'party_inconsistent',
          `${where.map((w) => label(w.documentType)).join('、')}记载当事人为“${name}”，其他文书为“${main}”。`,
          where.map((w) => w.span.page),
          where.map((w) => w.span),
          { 当事人: name, 通常: main },
        );
  }

  // Every page numbered, without gaps or repeats.
  const unstamped = facts.stamped.filter((s) => s.number === null).map((s) => s.page);
  const numbers = facts.stamped.filter((s) => s.number !== null);
  // OCR may miss a small stamp in a corner: from OCR text only a file with no number read at all counts.
  if (unstamped.length && !(options.ocr && numbers.length))
    add('page_numbers_missing', `第${ranges(unstamped)}页（PDF页）未见页码编号，卷内文件未逐页编号。`, unstamped, [], {
      未编号页数: unstamped.length,
    });
  // Numbers run with the pages: two stamps three pages apart differ by three. From OCR text a break
  // counts only when the pages after it follow the new run (a real 漏号 or 重号 shifts every number
  // after it); a single misread stamp ("11" read as "1", "0") leaves the run and rejoins it.
  const offsets = numbers.map((n) => n.number! - n.page);
  const misread = (i: number): boolean =>
    i === 0
      ? offsets.length > 2 && offsets[0] !== offsets[1] && offsets[1] === offsets[2]
      : i === offsets.length - 1
        ? offsets[i] !== offsets[i - 1]
        : offsets[i] !== offsets[i - 1] && offsets[i + 1] === offsets[i - 1];
  const run = options.ocr ? numbers.filter((_, i) => !misread(i)) : numbers;
  for (let i = 1; i < run.length; i++) {
    if (run[i]!.number! - run[i - 1]!.number! !== run[i]!.page - run[i - 1]!.page)
      add(
        'page_numbers_missing',
        `PDF第${run[i - 1]!.page}页编号${run[i - 1]!.number}，下一页编号${run[i]!.number}，存在重号或漏号。`,
        [run[i - 1]!.page, run[i]!.page],
        [],
      );
  }

  for (const r of facts.receipts)
    if (!r.signed)
      add('service_receipt_unsigned', `送达回证（第${r.firstPage}页）受送达人签名或盖章栏空白，无法证明已送达。`, [r.span.page], [r.span]);

  for (const issue of compareCatalogue(pageTexts, map, catalogue, facts, options.ocr ?? false))
    add('catalogue_mismatch', issue.message, issue.pages, []);

  for (const t of REQUIRED_DOCUMENTS[caseType] ?? []) {
    if (!has(t as PrecheckDocumentType))
      add('document_missing', `卷内未见《${label(t as PrecheckDocumentType)}》。`, [], [], { 文书: label(t as PrecheckDocumentType) });
  }

  return {
    ruleset: PRECHECK_RULESET_VERSION,
    caseNumber: facts.caseNumber?.value ?? null,
    caseType,
    party: party?.name ?? null,
    documents: map.map((d) => ({ ...d, label: label(d.type) })),
    catalogue,
    facts,
    findings,
    withheld,
  };
}

/** 案由 as the cover or the 立案审批表 states it, else what the decision says the act amounts to. */
function causeOf(pageTexts: string[], map: MappedDocument[]): string {
  for (const t of ['cover', 'filing_approval', 'coercive_approval'] as const) {
    const d = map.find((x) => x.type === t);
    if (!d) continue;
    const cause = formValue(pageTexts[d.firstPage - 1]!, '案由')?.value;
    if (cause) return cause;
  }
  const d = map.find((x) => x.type === 'decision');
  const text = d
    ? pageTexts
        .slice(d.firstPage - 1, d.lastPage)
        .map(joinedText)
        .join('')
    : '';
  return /构成(.+?)的违法行为/.exec(text)?.[1] ?? '';
}

/** 3,4,5,9 → 3–5、9 */
function ranges(pages: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < pages.length;) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j]! + 1) j++;
    out.push(i === j ? String(pages[i]) : `${pages[i]}–${pages[j]}`);
    i = j + 1;
  }
  return out.join('、');
}

/** One disagreement between the 卷内目录 and the file: listed but missing, present but unlisted, or page numbers. */
export interface CatalogueIssue {
  kind: 'missing' | 'unlisted' | 'pages';
  message: string;
  /** 1-based PDF pages: the 目录 row, and the 文书 where there is one. */
  pages: number[];
}

/**
 * The 目录 against the file: 文书 listed but absent, present but unlisted, and page numbers that
 * disagree. A page's number is its stamp, or its place among the numbered pages when unstamped.
 */
export function compareCatalogue(
  pageTexts: string[],
  map: MappedDocument[],
  catalogue: CatalogueEntry[],
  facts: CaseFactsFound,
  ocr: boolean,
): CatalogueIssue[] {
  if (!map.some((d) => d.type === 'contents') || !catalogue.length) return [];
  const numberOf = ocr ? numbersFromRun(facts.stamped) : new Map<number, number>();
  if (!ocr) facts.stamped.forEach((s, i) => numberOf.set(s.page, s.number ?? i + 1));
  const issues: CatalogueIssue[] = [];
  const inner = map.filter((d) => !UNNUMBERED_TYPES.has(d.type));
  const used = new Set<MappedDocument>();
  // From OCR, a 文书 whose title was misread is not classified and runs into the 文书 before it: the
  // page the 目录 gives for it still opens with (nearly) its title, so it is there, only unread.
  const pageOfNumber = new Map([...numberOf].map(([page, n]) => [n, page]));
  const misreadThere = (e: CatalogueEntry): boolean => {
    const page = pageOfNumber.get(e.from);
    return (
      page !== undefined &&
      nearlyNames(
        pageLines(pageTexts[page - 1] ?? '')
          .slice(0, 4)
          .join(''),
        e.title,
      )
    );
  };
  const deltas = catalogue.map((e) => {
    const d = inner.find((x) => e.type === x.type);
    const from = d ? numberOf.get(d.firstPage) : undefined;
    return from === undefined ? null : e.from - from;
  });
  catalogue.forEach((e, i) => {
    const d = inner.find((x) => !used.has(x) && e.type === x.type);
    if (!d) {
      if (ocr && misreadThere(e)) return;
      issues.push({
        kind: 'missing',
        message: `卷内目录列有《${e.title}》（第${e.from === e.to ? e.from : `${e.from}-${e.to}`}页），卷内未见该文书。`,
        pages: [e.page],
      });
      return;
    }
    used.add(d);
    const from = numberOf.get(d.firstPage);
    const prev = catalogue[i - 1];
    const next = catalogue[i + 1];
    // A next 文书 whose title OCR misread runs into this one: this one ends where the 目录 starts it.
    const runOn = ocr && next && from !== undefined && !inner.some((x) => x.type === next.type) && next.from > from && misreadThere(next);
    const to = runOn ? Math.min(numberOf.get(d.lastPage) ?? Infinity, next.from - 1) : numberOf.get(d.lastPage);
    const fits = (!prev || prev.to < e.from) && e.from <= e.to && (!next || e.to < next.from);
    // A page whose number was not read (no stamp found, or not recognised yet) cannot be compared.
    if (from === undefined || to === undefined) return;
    // From OCR, a number that fits between its neighbours may still be a digit misread (5 for 6, 3
    // for 8, one digit lost): taken as the 目录's own only when it is no such misreading, or when the
    // row next to it is off by the same pages (a 目录 written before pages were added or taken out).
    const shifted = deltas[i] !== 0 && (deltas[i - 1] === deltas[i] || deltas[i + 1] === deltas[i]);
    // A row whose page cell OCR lost takes the next row's 序号 for its page: it then claims the pages
    // of another 文书 of the file, which a 目录 a page off by itself rarely does.
    const claimsOther = inner.some((x) => {
      if (x === d) return false;
      const a = numberOf.get(x.firstPage);
      const b = numberOf.get(x.lastPage);
      return a !== undefined && b !== undefined && e.from <= b && a <= e.to;
    });
    const believable = !ocr || (fits && (shifted || (!claimsOther && !(misreadOf(from, e.from) && misreadOf(to, e.to)))));
    if ((from !== e.from || to !== e.to) && believable)
      issues.push({
        kind: 'pages',
        message: `卷内目录记载《${e.title}》为第${e.from === e.to ? e.from : `${e.from}-${e.to}`}页，实际为第${from === to ? from : `${from}-${to}`}页。`,
        pages: [e.page, d.firstPage],
      });
  });
  // A row the reading could not split into cells still names its 文书 on the 目录 page.
  const contentsText = map
    .filter((d) => d.type === 'contents')
    .map((d) => squeeze(pageTexts[d.firstPage - 1]!))
    .join('');
  for (const d of inner)
    if (!used.has(d) && !contentsText.includes(d.title) && !(ocr && nearlyNames(contentsText, d.title)))
      issues.push({
        kind: 'unlisted',
        message: `卷内有《${d.title}》（PDF第${d.firstPage}${d.lastPage > d.firstPage ? `-${d.lastPage}` : ''}页），卷内目录未列。`,
        pages: [d.firstPage],
      });
  return issues;
}

/**
 * Each numbered page's number from OCR'd stamps, read as a run: a stamp agreeing with a neighbouring
 * stamp (the same offset from its PDF page) is taken as read; one that agrees with neither, or was
 * not found, gets the number of the run around it. A real 漏号 or 重号 shifts every stamp after it,
 * so the run follows it; a single misread ("16" read as "6") or a stray digit line does not.
 */
function numbersFromRun(stamped: CaseFactsFound['stamped']): Map<number, number> {
  const offsets = stamped.map((s) => (s.number === null ? null : s.number - s.page));
  const known = offsets.map((o, i) => (o === null ? -1 : i)).filter((i) => i >= 0);
  // Runs of read stamps with one offset; a run of one, or an island of two between runs that agree
  // with each other, is misreading (two neighbouring stamps can be misread alike by chance).
  const runs: number[][] = [];
  for (const i of known) {
    const last = runs[runs.length - 1];
    if (last && offsets[last[0]!] === offsets[i]) last.push(i);
    else runs.push([i]);
  }
  const trusted = new Set(
    runs
      .filter((run, r) => {
        if (run.length < 2) return false;
        const before = runs[r - 1];
        const after = runs[r + 1];
        return !(run.length === 2 && before && after && offsets[before[0]!] === offsets[after[0]!] && before.length + after.length > 2);
      })
      .flat(),
  );
  const out = new Map<number, number>();
  stamped.forEach((s, i) => {
    if (trusted.has(i)) return out.set(s.page, s.number!);
    let j = i - 1;
    while (j >= 0 && !trusted.has(j)) j--;
    let k = i + 1;
    while (k < stamped.length && !trusted.has(k)) k++;
    const near = j >= 0 ? j : k < stamped.length ? k : null;
    out.set(s.page, near === null ? (s.number ?? i + 1) : s.page + offsets[near]!);
  });
  return out;
}

/** Digits the recogniser confuses on a printed 目录 (Song digits, small, sometimes under a seal). */
const CONFUSED = new Set(['17', '14', '38', '56', '68', '08', '06', '89', '09', '35', '27', '13']);

/** Whether `read` may be an OCR misreading of `actual`: one digit confused, one lost, or one extra. */
function misreadOf(actual: number, read: number): boolean {
  if (actual === read) return true;
  const a = String(actual);
  const b = String(read);
  if (a.length === b.length) {
    const diff = [...a].map((c, i) => [c, b[i]!] as const).filter(([x, y]) => x !== y);
    return diff.length === 1 && CONFUSED.has([diff[0]![0], diff[0]![1]].sort().join(''));
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.length === short.length + 1 && [...long].some((_, i) => long.slice(0, i) + long.slice(i + 1) === short);
}

/**
 * Whether `text` names `title` but for what OCR gets wrong: one character misread, lost or added
 * (two in a title of ten or more). Closer than that, 行政处罚听证告知书 would pass for 行政处罚事先告知书.
 */
function nearlyNames(text: string, title: string): boolean {
  const t = squeeze(title);
  const flat = squeeze(text);
  if (flat.includes(t)) return true;
  const allowed = t.length >= 10 ? 2 : 1;
  if (t.length <= allowed + 1) return false;
  // Edit distance of the title to the best-matching stretch of the text (Sellers: free start and end).
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (const ch of flat) {
    const cur = [0];
    for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (t[j - 1] === ch ? 0 : 1));
    if (cur[t.length]! <= allowed) return true;
    prev = cur;
  }
  return false;
}
