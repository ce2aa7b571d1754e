/**
 * Meeting-room mode (HotCRP's meeting tracker is the model): one agenda per campaign with a current
 * position and a revision. Every change names the revision it was based on, so two screens pressing
 * "next" at once advance once — the second is refused and refreshes. Following windows hear
 * `meeting:changed` and ask `meeting:view`, which withholds a file's details from panel members who
 * must avoid its unit (and from everyone while the lead has veiled the screen).
 *
 * Until the agenda is first changed it is the files that wait for people — 集体评议, 复核 and
 * 组长确认 (the lead confirms in the meeting) — so the panel starts with what needs it; the first
 * change keeps that list as the stored agenda, in the order the organiser then arranges.
 *
 * The agenda is a deliberate exception to "a reviewer sees only their files": putting a file on the
 * agenda shares it with the panel for 集体评议, on the meeting view only, never in their case list.
 */
import type { Rect } from '../../../shared/annotations/annotation.js';
import type { MeetingState, Projection } from '../../../shared/panel/panel.js';
import { SEE_ALL_ROLES } from '../../../shared/panel/panel.js';
import { AppError } from '../../../shared/core/errors.js';
import { boundingRect } from '../../../shared/core/geometry.js';
import { allItems, findItem } from '../../../shared/standards/model.js';
import { answerKey } from '../../../shared/panel/divergence.js';
import { ANSWER_STATUS_LABELS, itemDeduction } from '../../../shared/scoring/scoring.js';
import { fmt } from '../../../shared/standards/tree.js';
import { provisionalResult } from '../../../shared/scoring/provisional.js';
import { writeAudit } from '../core/audit.js';
import type { ByteTickets } from '../core/bytes.js';
import { nowIso, requireActor, type Actor, type CallContext } from '../core/context.js';
import { tx, type Db } from '../core/db/database.js';
import type { Handlers } from '../core/dispatcher.js';
import type { DossiersService } from '../dossiers/index.js';
import type { EventHub } from '../core/event-hub.js';
import type { PanelService } from '../panel/index.js';
import type { ResultsService } from '../scoring/index.js';
import type { BlobStore } from '../core/blob-store.js';
import type { ReviewRoute } from '../../../shared/panel/divergence.js';
import { findCampaignUnit } from '../campaigns/index.js';
import { MeetingRepo, type AgendaCaseRow, type MeetingRow } from './repo.js';

interface EvidenceMark {
  annotationId: string;
  documentId: string;
  documentTitle: string;
  pageIndex: number;
  rects: Rect[];
  color: string;
  label: string;
}

const TICKET_TTL_MS = 4 * 3_600_000;

/** The heaviest decision first: 集体评议 needs the whole panel, 组长确认 only the lead. */
const ROUTE_ORDER: Record<ReviewRoute, number> = { panel: 0, recheck: 1, confirm: 2 };

/** Which files of a campaign wait for people, and for what (the review service). */
export interface AwaitingSource {
  awaitingDecision(campaignId: string): Map<string, ReviewRoute>;
}

export class MeetingService {
  /** One byte link per window and document, so a following window does not reload the PDF on every move. */
  private readonly links = new Map<string, string>();
  private readonly repo: MeetingRepo;

  constructor(
    private readonly db: Db,
    private readonly panel: PanelService,
    private readonly dossiers: DossiersService,
    private readonly results: ResultsService,
    private readonly store: BlobStore,
    private readonly tickets: ByteTickets,
    private readonly events: EventHub,
    private readonly awaiting: AwaitingSource,
  ) {
    this.repo = new MeetingRepo(db);
  }

  private row(campaignId: string): MeetingRow | null {
    return this.repo.meeting(campaignId);
  }

  /**
   * The agenda. `routes: false` (what each window's view asks on every move) skips why each file is
   * there unless the agenda is still the files that wait for people.
   */
  state(campaignId: string, options: { routes: boolean } = { routes: true }): MeetingState {
    this.panel.requireCampaign(campaignId);
    const row = this.row(campaignId);
    const waiting = row && !options.routes ? new Map<string, ReviewRoute>() : this.awaiting.awaitingDecision(campaignId);
    const stored = row ? this.repo.agenda(campaignId) : null;
    const waitingRows = this.repo
      .agendaCases(waiting.keys())
      .sort((a, b) => ROUTE_ORDER[waiting.get(a.case_id)!] - ROUTE_ORDER[waiting.get(b.case_id)!]);
    const items = stored ?? waitingRows;
    const onAgenda = new Set(items.map((i) => i.case_id));
    // A file settled since it was put on the agenda stays there (the panel may come back to it) marked 已定分.
    const settled = this.repo.settled(items.map((i) => i.case_id));
    const toItem = (i: AgendaCaseRow, index: number) => ({
      position: index,
      caseId: i.case_id,
      caseNumber: i.case_number,
      title: i.title,
      unitName: i.unit_name,
      caseType: i.case_type,
      route: waiting.get(i.case_id) ?? null,
      settled: settled.has(i.case_id),
    });
    return {
      campaignId,
      revision: row?.revision ?? 0,
      position: row?.position ?? 0,
      hideFromConflicted: row ? row.hide_from_conflicted === 1 : true,
      veiled: row?.veiled === 1,
      focus: row?.focus_document_id && row.focus_page ? { documentId: row.focus_document_id, page: row.focus_page } : null,
      items: items.map(toItem),
      awaiting: waitingRows.filter((i) => !onAgenda.has(i.case_id)).map(toItem),
      updatedAt: row?.updated_at ?? null,
      updatedBy: row?.updated_by_name ?? null,
    };
  }

  /**
   * The one way an agenda changes: inside a transaction, check the revision the caller saw, apply,
   * bump the revision, audit; then tell every window.
   */
  private change(
    campaignId: string,
    revision: number,
    actor: Actor,
    action: string,
    apply: (current: MeetingState) => Record<string, unknown>,
  ): MeetingState {
    const next = tx(this.db, () => {
      const current = this.state(campaignId);
      if (current.revision !== revision) {
        const where = current.items.length ? `现为第 ${current.position + 1} 项，共 ${current.items.length} 项` : '议程已更新';
        throw new AppError('conflict', `议程已被其他屏幕更新（${where}），已按最新状态显示，请再操作一次。`, {
          revision: current.revision,
          position: current.position,
        });
      }
      if (!this.row(campaignId)) {
        // The first change keeps the agenda the panel was shown: the files that wait for it.
        this.repo.insertMeeting(campaignId, current.items, actor.id, nowIso());
      }
      const detail = apply(current);
      this.repo.bump(campaignId, actor.id, nowIso());
      writeAudit(this.db, { actorId: actor.id, action, entity: 'campaign', entityId: campaignId, campaignId, after: detail });
      return this.state(campaignId);
    });
    this.events.emit('meeting:changed', { campaignId, revision: next.revision });
    return next;
  }

  private setPosition(campaignId: string, position: number): void {
    this.repo.moveTo(campaignId, position);
  }

  // ── the projection ────────────────────────────────────────────────────────────────────────

  /** Evidence marks of a file: annotations linked to a checklist item or cited by an answer the viewer may see. */
  private evidence(caseId: string, visibleSheetIds: Set<string>, labelOf: (itemId: string) => string): EvidenceMark[] {
    const cited = new Map<string, string>();
    for (const a of this.repo.answersOfCase(caseId)) {
      if (!visibleSheetIds.has(a.sheetId)) continue;
      const comment = a.answer.comment?.trim();
      for (const id of a.answer.evidence ?? []) cited.set(id, `${labelOf(a.itemId)}${comment ? `：${comment}` : ''}`);
    }
    const rows = this.repo.marksOfCase(caseId);
    const marks: EvidenceMark[] = [];
    for (const r of rows) {
      const label = cited.get(r.id) ?? (r.checklistItemId ? `${labelOf(r.checklistItemId)}${r.comment ? `：${r.comment}` : ''}` : null);
      if (label === null) continue;
      const position = r.position;
      const rects = position.rects?.length ? position.rects : [boundingRect(position)].filter((x): x is Rect => x !== null);
      marks.push({
        annotationId: r.id,
        documentId: r.documentId,
        documentTitle: r.title,
        pageIndex: r.pageIndex,
        rects,
        color: r.color,
        label,
      });
    }
    return marks;
  }

  private link(clientId: string, userId: string, documentId: string, sha256: string): string {
    const key = `${clientId}\n${documentId}`;
    const known = this.links.get(key);
    if (known && this.tickets.resolve(known)) return `/doc/${known}`;
    const token = this.tickets.mint({ kind: 'doc', file: this.store.pathOf(sha256), etag: sha256 }, { userId, clientId }, TICKET_TTL_MS);
    this.links.set(key, token);
    return `/doc/${token}`;
  }

  /**
   * The 执法单位 as the list wrote it ("农业局", "县市场监管局") is the registered unit when it names the
   * file's own unit: the panel reads the name the letters print, not the list's shorthand.
   */
  private registeredName(campaignId: string, unitId: string, unitName: string, written: string): string {
    if (!written.trim()) return written;
    return findCampaignUnit(this.db, campaignId, written.trim())?.id === unitId ? unitName : written;
  }

  view(campaignId: string, ctx: CallContext): Projection {
    const actor = requireActor(ctx);
    const state = this.state(campaignId, { routes: false });
    const seesAll = SEE_ALL_ROLES.includes(actor.role);
    if (!seesAll && !this.panel.isMember(campaignId, actor.id))
      throw new AppError('forbidden', '您不是本活动评查组成员，不能查看会议议程。');
    const base = {
      revision: state.revision,
      position: state.position,
      count: state.items.length,
      veiled: state.veiled,
      hideFromConflicted: state.hideFromConflicted,
    };
    const item = state.items[state.position];
    if (!item) return { ...base, item: null };

    const kase = this.dossiers.caseDetail(item.caseId);
    const conflicted = this.panel
      .members(campaignId)
      .filter((m) => m.conflicts.has(kase.unitId))
      .map((m) => ({ userId: m.id, name: m.name, reasons: m.conflicts.get(kase.unitId)!.map((r) => r.text) }));
    const mine = this.panel.reasons(campaignId, actor.id, kase.unitId);
    const hidden = state.veiled
      ? '组长已隐藏本卷详情（回避人员在场）。'
      : state.hideFromConflicted && mine.length
        ? `按回避规定，本卷详情不向您显示（${mine.map((r) => r.text).join('；')}）。`
        : null;
    const head = { caseId: kase.id, caseNumber: kase.caseNumber, unitName: kase.unitName, caseType: kase.caseType, conflicted, hidden };
    if (hidden) return { ...base, item: { ...head, facts: null, scores: null, page: null, evidence: [], vetoes: [] } };

    // Blind review: a reviewer sees submitted sheets and their own; the others see every sheet.
    const outcome = this.results.caseOutcome(kase.id);
    // The reviewers in the order the 合议 screen shows them (the order their sheets were opened), so
    // "1. 张评查 / 2. 陈评查" reads the same on the projector, in the disputes and in the sentence.
    const openedOrder = new Map(this.repo.sheetsInOpenedOrder(kase.id).map((id, i) => [id, i]));
    const sheets = outcome.sheets
      .filter((s) => seesAll || s.status !== 'draft' || s.reviewerId === actor.id)
      .sort((a, b) => (openedOrder.get(a.sheetId) ?? 0) - (openedOrder.get(b.sheetId) ?? 0));
    const showResult = seesAll || outcome.status === 'final';
    const labelOf = (itemId: string): string => {
      const found = outcome.definition ? findItem(outcome.definition, itemId) : null;
      return found ? `${found.code} ${found.text.length > 24 ? `${found.text.slice(0, 24)}…` : found.text}` : '证据';
    };
    const allMarks = this.evidence(kase.id, new Set(sheets.map((s) => s.sheetId)), labelOf);
    // A file settled by a veto is 不合格 whatever else was found: the panel reads the veto's reason and
    // its pages, not a deduction the veto made moot.
    const settledVetoes =
      outcome.status === 'final' && showResult && outcome.result?.vetoed ? outcome.result.problems.filter((x) => x.veto) : [];
    // Before the 合议 a veto on a delivered sheet is what the panel has to weigh: each is shown with
    // the reviewer who found it, the reason and its pages, as the settled veto is.
    const deliveredSheets = outcome.status === 'final' ? [] : sheets.filter((s) => s.status !== 'draft');
    const deliveredAnswers = deliveredSheets.map((s) => this.results.sheetAnswers(s.sheetId));
    const pendingVetoes =
      showResult && outcome.definition
        ? allItems(outcome.definition).flatMap((it) =>
            deliveredSheets.flatMap((s, i) => {
              const a = deliveredAnswers[i]![it.id];
              return a?.status === 'veto'
                ? [
                    {
                      itemId: it.id,
                      code: it.code,
                      text: it.text,
                      comment: `${s.reviewerName}：${a.comment ?? ''}`,
                      evidence: a.evidence ?? [],
                    },
                  ]
                : [];
            }),
          )
        : [];
    const vetoes = settledVetoes.length ? settledVetoes : pendingVetoes;
    const vetoEvidence = new Set(vetoes.flatMap((v) => v.evidence));
    const marks = settledVetoes.length
      ? allMarks
          .filter((m) => vetoEvidence.has(m.annotationId))
          .map((m) => ({ ...m, label: `否决 ${labelOf(settledVetoes.find((v) => v.evidence.includes(m.annotationId))!.itemId)}` }))
      : allMarks;
    // The page is named by the file's 案号 (the PDF's name repeats it at length); the document is
    // named only when the file has several.
    const placeOf = (documentId: string, pageNumber: number): string => {
      const d = kase.documents.find((x) => x.id === documentId);
      return `${kase.caseNumber}${kase.documents.length > 1 && d ? ` ${d.title}` : ''} 第${pageNumber}页`;
    };
    // The items in dispute among the delivered sheets shown here (a settled file has none left).
    const delivered = deliveredAnswers;
    const disputes =
      outcome.definition && delivered.length > 1
        ? allItems(outcome.definition)
            .filter((it) => new Set(delivered.map((a) => answerKey(it, a[it.id]))).size > 1)
            .map((it) => ({
              itemId: it.id,
              code: it.code,
              text: it.text,
              points: it.rule.kind === 'veto' ? '否决' : it.points === null ? '—' : `${fmt(it.points)}分`,
              answers: delivered.map((a) => {
                const x = a[it.id];
                return !x ? '未评' : x.status === 'deduct' ? `−${fmt(itemDeduction(it, x))}` : ANSWER_STATUS_LABELS[x.status];
              }),
            }))
        : [];
    const pagesOf = (of: typeof marks) =>
      [...new Map(of.map((m) => [`${m.documentId}\n${m.pageIndex}`, m])).values()].map((m) => ({
        documentId: m.documentId,
        documentTitle: m.documentTitle,
        pageNumber: m.pageIndex + 1,
        place: placeOf(m.documentId, m.pageIndex + 1),
        label: of
          .filter((x) => x.documentId === m.documentId && x.pageIndex === m.pageIndex)
          .map((x) => x.label)
          .join('；'),
      }));
    const evidencePages = pagesOf(marks);
    // Before the 合议 a veto's own marks are stated once, under 否决依据, not again among the deductions'.
    const deductionPages = settledVetoes.length ? evidencePages : pagesOf(marks.filter((m) => !vetoEvidence.has(m.annotationId)));

    const focus =
      state.focus && kase.documents.some((d) => d.id === state.focus!.documentId)
        ? state.focus
        : evidencePages[0]
          ? { documentId: evidencePages[0].documentId, page: evidencePages[0].pageNumber }
          : kase.documents[0]
            ? { documentId: kase.documents[0].id, page: 1 }
            : null;
    const doc = focus ? kase.documents.find((d) => d.id === focus.documentId) : undefined;
    const page =
      focus && doc
        ? {
            documentId: doc.id,
            documentTitle: doc.title,
            pageNumber: Math.min(focus.page, doc.pageCount),
            pageCount: doc.pageCount,
            url: this.link(ctx.clientId, actor.id, doc.id, doc.sha256),
            marks: marks
              .filter((m) => m.documentId === doc.id && m.pageIndex === Math.min(focus.page, doc.pageCount) - 1)
              .map((m) => ({ rects: m.rects, color: m.color, label: m.label })),
          }
        : null;

    return {
      ...base,
      item: {
        ...head,
        facts: {
          title: kase.title,
          party: kase.party,
          cause: kase.cause,
          decision: kase.decision,
          enforcementBody: this.registeredName(campaignId, kase.unitId, kase.unitName, kase.enforcementBody),
          handler: kase.handler,
          filedOn: kase.filedOn,
          closedOn: kase.closedOn,
          documentCount: kase.documentCount,
          pageCount: kase.pageCount,
        },
        scores: {
          status: outcome.status,
          result:
            showResult && outcome.result
              ? { total: outcome.result.total, grade: outcome.result.grade, vetoed: outcome.result.vetoed }
              : null,
          sheets: sheets.map((s) => ({ reviewerName: s.reviewerName, status: s.status, total: s.total, grade: s.grade, vetoed: s.vetoed })),
          disagreement:
            showResult && outcome.disagreement && outcome.definition
              ? (provisionalResult(
                  outcome.definition,
                  deliveredSheets.map((s) => ({ total: s.total, vetoed: s.vetoed, reviewerName: s.reviewerName })),
                )?.disagreement ?? outcome.disagreement)
              : null,
          disputes,
        },
        page,
        evidence: deductionPages,
        vetoes: vetoes.map((v) => ({
          code: v.code,
          text: v.text,
          reason: v.comment,
          places: [
            ...new Set(allMarks.filter((m) => v.evidence.includes(m.annotationId)).map((m) => placeOf(m.documentId, m.pageIndex + 1))),
          ],
        })),
      },
    };
  }

  handlers(): Pick<Handlers, 'meeting:get' | 'meeting:setAgenda' | 'meeting:move' | 'meeting:focus' | 'meeting:options' | 'meeting:view'> {
    return {
      'meeting:get': ({ campaignId }) => this.state(campaignId),

      'meeting:view': ({ campaignId }, ctx) => this.view(campaignId, ctx),

      'meeting:setAgenda': ({ campaignId, caseIds, revision }, ctx) => {
        const actor = requireActor(ctx);
        if (new Set(caseIds).size !== caseIds.length) throw new AppError('invalid_input', '议程中有重复的案卷。');
        return this.change(campaignId, revision, actor, 'meeting.agenda', (current) => {
          for (const id of caseIds) {
            if (this.repo.campaignOfCase(id) !== campaignId) throw new AppError('not_found', '议程中的案卷不属于本评查活动。');
            // A file registered without its PDF has nothing to project or decide on.
            if (!current.items.some((i) => i.caseId === id) && !this.repo.hasDocument(id))
              throw new AppError('conflict', '该案卷没有案卷文件（仅登记），不能列入议程。');
          }
          const onScreen = current.items[current.position]?.caseId;
          this.repo.replaceItems(campaignId, caseIds);
          const keep = onScreen ? caseIds.indexOf(onScreen) : -1;
          if (keep >= 0) this.repo.setPosition(campaignId, keep);
          else this.setPosition(campaignId, 0);
          return { caseIds };
        });
      },

      'meeting:move': ({ campaignId, step, index, revision }, ctx) => {
        const actor = requireActor(ctx);
        return this.change(campaignId, revision, actor, 'meeting.move', (current) => {
          const count = current.items.length;
          if (count === 0) throw new AppError('conflict', '议程还是空的，请先添加要集体评议的案卷。');
          const to = step === 'next' ? current.position + 1 : step === 'previous' ? current.position - 1 : (index ?? -1);
          if (step === 'goto' && index === undefined) throw new AppError('invalid_input', '请指定要跳转到的议程序号。');
          if (to < 0) throw new AppError('invalid_input', '已经是议程的第一项。');
          if (to >= count) throw new AppError('invalid_input', '已经是议程的最后一项。');
          this.setPosition(campaignId, to);
          return { from: current.position, to, caseId: current.items[to]!.caseId };
        });
      },

      'meeting:focus': ({ campaignId, documentId, page, revision }, ctx) => {
        const actor = requireActor(ctx);
        return this.change(campaignId, revision, actor, 'meeting.focus', (current) => {
          const item = current.items[current.position];
          const doc = this.repo.document(documentId);
          if (!item || !doc || doc.caseId !== item.caseId) throw new AppError('invalid_input', '只能展示当前议程案卷中的文件。');
          if (page > doc.pageCount) throw new AppError('invalid_input', `该文件只有 ${doc.pageCount} 页。`);
          this.repo.setFocus(campaignId, documentId, page);
          return { documentId, page };
        });
      },

      'meeting:options': ({ campaignId, hideFromConflicted, veiled, revision }, ctx) => {
        const actor = requireActor(ctx);
        return this.change(campaignId, revision, actor, 'meeting.options', (current) => {
          const next = { hideFromConflicted: hideFromConflicted ?? current.hideFromConflicted, veiled: veiled ?? current.veiled };
          this.repo.setOptions(campaignId, next.hideFromConflicted, next.veiled);
          return next;
        });
      },
    };
  }
}
