/**
 * The score sheet beside the PDF (一卷一表). Gate items first, then blocks and items; every change is
 * saved at once (see save-queue.ts) and the total, block subtotals, grade and veto state are computed
 * by the same shared function the back end uses, so what the reviewer sees is what is stored.
 * Keyboard-first: J/K move, 0 passes (and moves on), 1–9 deduct, N not applicable, X veto, C/Enter the reason, E links
 * the selected mark, G shows the item's evidence page, S submits — a whole file without the mouse.
 */
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import type { ChannelOutput } from '../../../../shared/contract/index';
import type { Annotation } from '../../../../shared/annotations/annotation';
import { SHEET_STATUS_LABELS } from '../../../../shared/scoring/sheet-status';
import type { CaseReview } from '../../../../shared/panel/views';
import { allItems, fmt, ruleLine } from '../../../../shared/standards/tree';
import type { BlockNode, ItemNode } from '../../../../shared/standards/model';
import {
  ANSWER_STATUS_LABELS,
  itemDeduction,
  rangeChoices,
  scoreSheet,
  validateAnswer,
  type Answer,
  type AnswerStatus,
} from '../../../../shared/scoring/scoring';
import { bulkPassPlan, missingReasons, missingReasonsMessage, sheetHeadline, sheetProgress } from '../../../../shared/scoring/completion';
import { ApiError, errorMessage, invoke } from '../../api/client';
import { Dialog } from '../../ui/dialog';
import { useToast } from '../../ui/toast';
import { evidenceLabel } from './evidence';
import { focusByShortcut, isTyping, matches, rangeKey, repeatsShortcutFocus, SHEET_KEY_HELP, SHEET_KEYS } from './keys';
import { ProblemList } from './ProblemList';
import { AnswerSaver, unsavedChanges, type SaveState } from './save-queue';
import '../panel/review.css';
import { href } from '../../app/router';

type SheetView = ChannelOutput<'sheet:open'>;
/** The submit's messages: a refusal goes away when the sheet is then delivered. */
const SUBMIT = 'sheet:submit';
type StartedView = ChannelOutput<'sheet:start'>;

export interface ScoreSheetHandle {
  /**
   * Links an annotation as evidence to the current item (a mark just drawn), or to `itemId` (a link
   * undone and redone in the reader): that item's id, or null when it cannot take evidence (not
   * scored, or 符合).
   */
  linkEvidence(annotationId: string, itemId?: string): string | null;
  /** Removes an annotation from an item's evidence; false when the sheet cannot change (not editable, not linked). */
  unlinkEvidence(annotationId: string, itemId: string): boolean;
  /** The codes of the items that cite an annotation as evidence, and whether the sheet may still change. */
  citing(annotationId: string): { codes: string[]; editable: boolean };
  /** Removes an annotation from every item that cites it (the mark is being deleted); the items' codes. */
  dropEvidence(annotationId: string): string[];
  /**
   * A pre-check finding the reviewer took (采纳): the item becomes 扣分 (否决 for a veto item, the
   * smallest deduction of a range) with the finding's text added to its reason, and is shown for the
   * reviewer to confirm. Null when done, else why not, in Chinese.
   */
  prefill(itemId: string, comment: string, location: string, evidence?: string[]): string | null;
  /**
   * The reviewer withdrew (撤销) or rejected (不采纳) a finding: the item goes back to what it was
   * before 采纳 when untouched since; otherwise the finding's text and marks leave it, and a deduction
   * no reason of the reviewer's own still carries goes with them. What was done, in Chinese, or null
   * when the item held nothing of the finding.
   */
  withdraw(itemId: string, comment: string, evidence: string[]): string | null;
}

export function ScoreSheet({
  caseId,
  review,
  selectedAnnotation,
  annotations,
  onShowAnnotation,
  onCurrentItemChange,
  onEvidenceChange,
  onShowReview,
  onOwnFile,
  handle,
}: {
  caseId: string;
  /** The file is the caller's to score (their sheet, or a first answer starts it): told once per load. */
  onOwnFile?: (() => void) | undefined;
  /** Shows the file's 评分概况 (offered to whoever only reads the file). */
  onShowReview?: (() => void) | undefined;
  selectedAnnotation: Annotation | null;
  annotations: Annotation[];
  onShowAnnotation(a: Annotation): void;
  /** The file's review (status changes by others reload the sheet; notices). */
  review?: CaseReview | undefined;
  /**
   * The item a mark drawn now would become evidence for: the item the reviewer is on, once it is
   * scored other than 符合 on an editable sheet; null otherwise.
   */
  onCurrentItemChange?: ((itemId: string | null) => void) | undefined;
  /** A mark was linked to an item as evidence, or unlinked (E, the ＋ button, a chip's ×, linkEvidence). */
  onEvidenceChange?: ((annotationId: string, itemId: string, linked: boolean) => void) | undefined;
  handle?: Ref<ScoreSheetHandle> | undefined;
}) {
  const toast = useToast();
  const [view, setView] = useState<SheetView | null>(null);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [error, setError] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [current, setCurrentState] = useState(0);
  // Keys can come faster than React renders: handlers read the current item from a ref.
  const currentRef = useRef(0);
  const setCurrent = useCallback((index: number) => {
    currentRef.current = index;
    setCurrentState(index);
  }, []);
  const [submitting, setSubmitting] = useState(false);
  const [showKeys, setShowKeys] = useState(false);
  /** Items whose deduction or veto lacks its reason, shown at the item after a refused submit. */
  const [reasonAlert, setReasonAlert] = useState<ReadonlySet<string>>(new Set());
  const saver = useRef<AnswerSaver | null>(null);
  const body = useRef<HTMLDivElement>(null);

  // Changes made before the sheet exists: the first one starts it (sheet:start), then all are saved.
  const beforeStart = useRef<Array<[string, Answer | null]> | null>(null);
  const reload = useRef<() => void>(() => undefined);

  /** The autosave of an existing sheet; a refused save shows why and reloads the sheet. */
  const saverFor = useCallback(
    (v: StartedView) =>
      new AnswerSaver(
        v.sheet.id,
        v.sheet.revision,
        async (itemId, answer, revision) => (await invoke('sheet:answer', { sheetId: v.sheet.id, itemId, answer, revision })).revision,
        setSaveState,
        (err) => {
          if (err instanceof ApiError && err.code === 'io_error') return 'retry';
          toast.show(errorMessage(err), 'error');
          reload.current();
          return 'reload';
        },
      ),
    [toast],
  );

  const onOwnFileRef = useRef(onOwnFile);
  onOwnFileRef.current = onOwnFile;
  const load = useCallback(async () => {
    saver.current?.stop();
    saver.current = null;
    beforeStart.current = null;
    try {
      const v = await invoke('sheet:open', { caseId });
      const next = { ...v.answers };
      if (v.sheet) {
        const s = saverFor({ ...v, sheet: v.sheet });
        saver.current = s;
        const restored = v.editable ? unsavedChanges(v.sheet.id, v.sheet.updatedAt) : [];
        for (const [itemId, answer] of restored) {
          if (answer) next[itemId] = answer;
          else delete next[itemId];
          s.enqueue(itemId, answer);
        }
        if (restored.length) toast.show(`已恢复上次未保存的 ${restored.length} 项修改。`, 'ok');
      }
      setView(v);
      setAnswers(next);
      setError(null);
      if (v.sheet || v.editable) onOwnFileRef.current?.();
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [caseId, toast, saverFor]);
  reload.current = () => void load();

  /** The reviewer's first answer on a file without their sheet: start it, then save every change made meanwhile. */
  const startWith = useCallback(
    (itemId: string, answer: Answer | null) => {
      if (beforeStart.current) {
        beforeStart.current.push([itemId, answer]);
        return;
      }
      beforeStart.current = [[itemId, answer]];
      setSaveState('saving');
      invoke('sheet:start', { caseId })
        .then((v) => {
          const queued = beforeStart.current ?? [];
          beforeStart.current = null;
          const s = saverFor(v);
          saver.current = s;
          setView(v);
          for (const [id, a] of queued) s.enqueue(id, a);
        })
        .catch((err: unknown) => {
          beforeStart.current = null;
          setSaveState('saved');
          toast.show(errorMessage(err), 'error');
          void load();
        });
    },
    [caseId, toast, load, saverFor],
  );

  useEffect(() => {
    void load();
    return () => saver.current?.stop();
  }, [load]);

  // Someone else moved this sheet (the lead reopened it, the file was settled): show the new state.
  // React to a change of status only once, so a review that has not caught up cannot loop reloads.
  const myStatus = view?.sheet ? review?.sheets.find((s) => s.sheetId === view.sheet?.id)?.status : undefined;
  const seenStatus = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!myStatus || myStatus === seenStatus.current) return;
    const first = seenStatus.current === undefined;
    seenStatus.current = myStatus;
    if (!first && view?.sheet && myStatus !== view.sheet.status && !saver.current?.busy) void load();
  }, [myStatus, view, load]);

  const def = view?.definition;
  const items = useMemo(() => (def ? allItems(def) : []), [def]);
  const result = useMemo(() => (def ? scoreSheet(def, answers) : null), [def, answers]);
  const currentItem = items[current] ?? null;
  const currentTakesEvidence = !!currentItem && !!answers[currentItem.id] && answers[currentItem.id]!.status !== 'pass';
  useEffect(
    () => onCurrentItemChange?.(view?.editable && currentTakesEvidence ? (currentItem?.id ?? null) : null),
    [currentItem, currentTakesEvidence, view?.editable, onCurrentItemChange],
  );
  // The answers as last rendered, to tell which evidence links a change adds or removes.
  /** Per item, what it was before a pre-check finding was taken into it and what 采纳 made of it. */
  const prefilled = useRef(new Map<string, { before: Answer | null; made: Answer }>());
  const answersRef = useRef(answers);
  answersRef.current = answers;
  const evidenceChangeRef = useRef(onEvidenceChange);
  evidenceChangeRef.current = onEvidenceChange;

  /** Sets an item's answer here and saves it (a veto waits for its reason). */
  const change = useCallback(
    (item: ItemNode, answer: Answer | null) => {
      if (!view?.editable || (view.sheet && !saver.current)) return;
      if (answer) {
        const problem = validateAnswer(item, answer);
        if (problem && !(answer.status === 'veto' && !answer.comment?.trim())) {
          toast.show(problem, 'error');
          return;
        }
      }
      setAnswers((prev) => {
        const next = { ...prev };
        if (answer) next[item.id] = answer;
        else delete next[item.id];
        return next;
      });
      const before = answersRef.current[item.id]?.evidence ?? [];
      const after = answer?.evidence ?? [];
      for (const id of after) if (!before.includes(id)) evidenceChangeRef.current?.(id, item.id, true);
      for (const id of before) if (!after.includes(id)) evidenceChangeRef.current?.(id, item.id, false);
      if (answer?.status === 'veto' && !answer.comment?.trim()) return;
      if (saver.current) saver.current.enqueue(item.id, answer);
      else startWith(item.id, answer);
    },
    [view, toast, startWith],
  );

  const focusItem = useCallback(
    (index: number, focusComment = false) => {
      setCurrent(index);
      // Focus at once when the target is already on screen, so the very next keystroke lands in it;
      // otherwise (the reason box appears with this change) after the next paint.
      const place = (last: boolean): boolean => {
        const row = body.current?.querySelectorAll<HTMLElement>('.sheet-item')[index];
        if (!row) return false;
        const box = focusComment ? row.querySelector<HTMLTextAreaElement>('textarea') : null;
        if (focusComment && !box && !last) return false;
        row.scrollIntoView({ block: 'nearest' });
        if (box) focusByShortcut(box);
        else row.focus({ preventScroll: true });
        return true;
      };
      if (!place(false)) requestAnimationFrame(() => void place(true));
    },
    [setCurrent],
  );

  const [confirming, setConfirming] = useState(false);
  // 预审 findings the reviewer has neither taken nor rejected: named before submitting, since a
  // submitted sheet's findings can no longer be decided.
  const [openFindings, setOpenFindings] = useState(0);
  useEffect(() => {
    if (!confirming) return;
    let live = true;
    invoke('precheck:case', { caseId })
      .then((v) => live && setOpenFindings(v.decidable ? v.findings.filter((f) => f.decision === null).length : 0))
      .catch(() => live && setOpenFindings(0));
    return () => {
      live = false;
    };
  }, [confirming, caseId]);
  /** Shows every missing reason at its item and puts the cursor in the first one. */
  const requireReasons = useCallback(
    (ids: string[], message: string) => {
      setReasonAlert(new Set(ids));
      setConfirming(false);
      toast.show(message, 'error', SUBMIT);
      const at = items.findIndex((it) => it.id === ids[0]);
      if (at >= 0) focusItem(at, true);
    },
    [items, focusItem, toast],
  );
  // The refusal names missing reasons: once every one of them is written (or its deduction taken
  // back) the message is out of date and goes, rather than waiting to be closed by hand.
  useEffect(() => {
    if (!reasonAlert.size || !def) return;
    const missing = new Set(missingReasons(def, answers));
    if ([...reasonAlert].some((id) => missing.has(id))) return;
    setReasonAlert(new Set());
    toast.clear(SUBMIT);
  }, [answers, reasonAlert, def, toast]);
  /** 提交评查表: refused at the item while a deduction or veto lacks its reason, else the confirmation. */
  const requestSubmit = useCallback(() => {
    if (!def || !view?.editable || !view.sheet) return;
    const missing = missingReasons(def, answersRef.current);
    if (missing.length) requireReasons(missing, missingReasonsMessage(def, missing));
    else setConfirming(true);
  }, [def, view, requireReasons]);

  // The dialog opens with the cursor on what comes next: the first decision to take, else the submit
  // button (showModal would put it on 返回继续评分), so Enter goes on without the mouse.
  useEffect(() => {
    if (!confirming) return;
    const id = requestAnimationFrame(() =>
      document.querySelector<HTMLButtonElement>('.decide-list li button, dialog[open] footer .btn-primary')?.focus(),
    );
    return () => cancelAnimationFrame(id);
  }, [confirming]);

  /** G: the reader shows the item's evidence, one linked mark after another on each press. */
  const evidenceCursor = useRef<{ itemId: string; at: number }>({ itemId: '', at: -1 });
  const showEvidence = useCallback(
    (item: ItemNode) => {
      const marks = (answersRef.current[item.id]?.evidence ?? [])
        .map((id) => annotations.find((a) => a.id === id))
        .filter((a): a is Annotation => !!a);
      if (!marks.length) {
        const where = answersRef.current[item.id]?.location?.trim();
        toast.show(`第 ${item.code} 项尚未关联证据${where ? `（问题位置：${where}）` : ''}。`, 'error');
        return;
      }
      const c = evidenceCursor.current;
      const at = c.itemId === item.id ? (c.at + 1) % marks.length : 0;
      evidenceCursor.current = { itemId: item.id, at };
      onShowAnnotation(marks[at]!);
    },
    [annotations, onShowAnnotation, toast],
  );

  const attach = useCallback(
    (item: ItemNode, annotationId: string): boolean => {
      const a = answers[item.id];
      if (!a || a.status === 'pass') return false;
      if (a.evidence?.includes(annotationId)) return true;
      change(item, { ...a, evidence: [...(a.evidence ?? []), annotationId] });
      return true;
    },
    [answers, change],
  );

  useImperativeHandle(
    handle,
    () => ({
      linkEvidence: (id, itemId) => {
        const item = itemId ? items.find((it) => it.id === itemId) : items[currentRef.current];
        return item && view?.editable && attach(item, id) ? item.id : null;
      },
      unlinkEvidence: (annotationId, itemId) => {
        const item = items.find((it) => it.id === itemId);
        const a = answersRef.current[itemId];
        if (!item || !view?.editable || !a?.evidence?.includes(annotationId)) return false;
        change(item, { ...a, evidence: a.evidence.filter((x) => x !== annotationId) });
        return true;
      },
      citing: (annotationId) => ({
        codes: items.filter((it) => answersRef.current[it.id]?.evidence?.includes(annotationId)).map((it) => it.code),
        editable: !!view?.editable,
      }),
      dropEvidence: (annotationId) => {
        if (!view?.editable) return [];
        const citing = items.filter((it) => answersRef.current[it.id]?.evidence?.includes(annotationId));
        for (const item of citing) {
          const a = answersRef.current[item.id]!;
          change(item, { ...a, evidence: (a.evidence ?? []).filter((x) => x !== annotationId) });
        }
        return citing.map((it) => it.code);
      },
      withdraw: (itemId, comment, evidence) => {
        const item = items.find((it) => it.id === itemId);
        const a = answersRef.current[itemId];
        if (!item || !view?.editable || !a) return null;
        const marks = a.evidence ?? [];
        const holds = !!a.comment?.includes(comment) || marks.some((id) => evidence.includes(id));
        if (!holds) return null;
        const memo = prefilled.current.get(itemId);
        prefilled.current.delete(itemId);
        if (memo && JSON.stringify(memo.made) === JSON.stringify(a)) {
          change(item, memo.before);
          return memo.before ? `第 ${item.code} 项已恢复为采纳前的评定。` : `第 ${item.code} 项已恢复为未评定。`;
        }
        const reason = (a.comment ?? '')
          .split('\n')
          .filter((l) => l.trim() && l.trim() !== comment.trim())
          .join('\n');
        const rest = marks.filter((id) => !evidence.includes(id));
        if (!reason.trim() || a.status === 'pass' || a.status === 'na') {
          // Only the machine's reason held the deduction up: it goes with the finding.
          const before = memo?.before ?? null;
          change(item, before && rest.length ? { ...before, evidence: rest } : before);
          return before ? `第 ${item.code} 项已恢复为采纳前的评定。` : `第 ${item.code} 项已恢复为未评定。`;
        }
        const { evidence: _marks, ...kept } = a;
        change(item, { ...kept, comment: reason, ...(rest.length ? { evidence: rest } : {}) });
        return `已从第 ${item.code} 项移除预审理由；该项保留您自己的理由和分值，请核对。`;
      },
      prefill: (itemId, comment, location, evidence = []) => {
        const index = items.findIndex((it) => it.id === itemId);
        const item = items[index];
        if (!view) return '评查表尚未载入，请稍候再试。';
        if (!item) return '本案卷适用的评查标准中没有对应的评查项，请在评查表中自行选择评查项。';
        if (!view.editable) return view.notice ?? '当前不能修改评查表。';
        const a = answersRef.current[itemId];
        const kept = a && a.status !== 'pass' && a.status !== 'na' ? a : undefined;
        const reason = kept?.comment?.includes(comment) ? kept.comment : [kept?.comment?.trim(), comment].filter(Boolean).join('\n');
        const where = kept?.location?.trim() || location;
        const marks = [...new Set([...(kept?.evidence ?? []), ...evidence])];
        const base = { comment: reason, ...(where ? { location: where } : {}), ...(marks.length ? { evidence: marks } : {}) };
        const r = item.rule;
        const answer: Answer =
          r.kind === 'veto'
            ? { status: 'veto', ...base }
            : r.kind === 'range'
              ? { status: 'deduct', deduction: kept?.deduction ?? r.min, ...base }
              : r.kind === 'perOccurrence'
                ? { status: 'deduct', occurrences: kept?.occurrences ?? 1, ...base }
                : { status: 'deduct', ...base };
        const problem = validateAnswer(item, answer);
        if (problem) return problem;
        // Remembered so that 撤销 or 不采纳 can put the item back as the reviewer had it.
        if (!prefilled.current.has(itemId)) prefilled.current.set(itemId, { before: a ?? null, made: answer });
        else prefilled.current.set(itemId, { ...prefilled.current.get(itemId)!, made: answer });
        change(item, answer);
        focusItem(index);
        return null;
      },
    }),
    [attach, change, focusItem, items, view],
  );

  /** A 符合/不适用 key pressed once on an item already deducted or vetoed: it takes effect on the second press. */
  const overwriteAsked = useRef<{ itemId: string; key: string; at: number } | null>(null);

  /** Sets the current item by a key: 0 pass, digits deduct, N/A, veto. */
  const keyAnswer = useCallback(
    (item: ItemNode, key: string) => {
      const a = answers[item.id];
      // Running 0 down the sheet must not wipe a deduction or a veto (one a 预审 finding filled in, say)
      // without a word: the first press says what it would undo, a second press within 3 s does it.
      const clearing = key === '0' || SHEET_KEYS.notApplicable.includes(key as 'n');
      if (clearing && (a?.status === 'deduct' || a?.status === 'veto')) {
        const asked = overwriteAsked.current;
        if (!asked || asked.itemId !== item.id || asked.key !== key || Date.now() - asked.at > 3000) {
          overwriteAsked.current = { itemId: item.id, key, at: Date.now() };
          const was = a.status === 'veto' ? '否决' : '扣分';
          toast.show(
            `第 ${item.code} 项已评为${was}${a.comment ? `（${a.comment.length > 20 ? `${a.comment.slice(0, 20)}…` : a.comment}）` : ''}：再按一次 ${key.toUpperCase()} 改为${key === '0' ? '符合' : '不适用'}，按 J 跳过此项。`,
            'info',
          );
          return;
        }
        overwriteAsked.current = null;
      }
      const keep = {
        ...(a?.comment ? { comment: a.comment } : {}),
        ...(a?.location ? { location: a.location } : {}),
        ...(a?.evidence ? { evidence: a.evidence } : {}),
      };
      // 符合 and 不适用 finish the item (no reason to write): the cursor moves on to the next one.
      const next = () => focusItem(Math.min(items.length - 1, currentRef.current + 1));
      if (key === '0') {
        change(item, { status: 'pass' });
        return next();
      }
      if (SHEET_KEYS.notApplicable.includes(key as 'n')) {
        if (!item.notApplicable) return toast.show(`第 ${item.code} 项不允许选择“不适用”。`, 'error');
        change(item, { status: 'na', ...keep });
        return next();
      }
      if (SHEET_KEYS.veto.includes(key as 'x')) {
        if (item.rule.kind !== 'veto') return toast.show(`第 ${item.code} 项不是否决项。`, 'error');
        change(item, { status: 'veto', ...keep });
        return focusItem(currentRef.current, true);
      }
      const n = Number(key);
      if (item.rule.kind === 'veto') return toast.show('否决项只能选择“符合”（0）或“否决”（X）。', 'error');
      if (item.rule.kind === 'range') {
        // The key is the points deducted (2 扣 2 分), as the help says; half points are chosen in the item.
        const choices = rangeChoices(item);
        const value = choices.includes(n) ? n : undefined;
        if (value === undefined)
          return toast.show(
            `第 ${item.code} 项可扣 ${choices.map((c) => fmt(c)).join('、')} 分：数字键扣相应整数分，半分请在该项中选择。`,
            'error',
          );
        return change(item, { status: 'deduct', deduction: value, ...keep });
      }
      if (item.rule.kind === 'perOccurrence') return change(item, { status: 'deduct', occurrences: n, ...keep });
      return change(item, { status: 'deduct', ...keep });
    },
    [answers, change, toast, focusItem, items.length],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!view || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const inSheet = body.current?.closest('.sheet')?.contains(e.target as Node) ?? false;
      if (isTyping(e.target)) {
        if (repeatsShortcutFocus(e)) e.preventDefault();
        else if (e.key === 'Escape' && inSheet) {
          (e.target as HTMLElement).blur();
          focusItem(currentRef.current);
        }
        return;
      }
      // Arrow keys scroll the reader when it has focus; in the sheet they move between items.
      if ((e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'Enter') && !inSheet) return;
      const current = currentRef.current;
      const item = items[current];
      if (matches(SHEET_KEYS.next, e)) focusItem(Math.min(items.length - 1, current + 1));
      else if (matches(SHEET_KEYS.previous, e)) focusItem(Math.max(0, current - 1));
      else if (matches(SHEET_KEYS.help, e)) setShowKeys((s) => !s);
      else if (item && matches(SHEET_KEYS.showEvidence, e)) showEvidence(item);
      else if (!item || !view.editable) return;
      else if (matches(SHEET_KEYS.submit, e)) requestSubmit();
      else if (
        matches(SHEET_KEYS.pass, e) ||
        matches(SHEET_KEYS.deductDigits, e) ||
        matches(SHEET_KEYS.notApplicable, e) ||
        matches(SHEET_KEYS.veto, e)
      )
        keyAnswer(item, e.key.toLowerCase());
      else if (matches(SHEET_KEYS.evidence, e)) {
        if (!selectedAnnotation) toast.show('请先在左侧案卷中选中一个批注（或画一个框选）。', 'error');
        else if (!attach(item, selectedAnnotation.id))
          toast.show(`请先评定第 ${item.code} 项（扣分、否决或不适用），再关联证据。`, 'error');
        else toast.show(`已将第 ${selectedAnnotation.pageIndex + 1} 页的批注关联到第 ${item.code} 项。`, 'ok');
      } else if (matches(SHEET_KEYS.comment, e)) focusItem(current, true);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [view, items, focusItem, keyAnswer, attach, selectedAnnotation, toast, showEvidence, requestSubmit]);

  async function submit(passRemaining: boolean) {
    if (!view?.sheet || !saver.current) return;
    setSubmitting(true);
    try {
      await saver.current.idle();
      const out = await invoke('sheet:submit', { sheetId: view.sheet.id, revision: saver.current.revision, passRemaining });
      toast.show(`评查表已提交：${fmt(out.summary.total)} 分 · ${out.summary.grade}`, 'ok', SUBMIT);
      setConfirming(false);
      setReasonAlert(new Set());
      await load();
    } catch (err) {
      const ids = err instanceof ApiError ? (err.details?.itemIds as string[] | undefined) : undefined;
      if (err instanceof ApiError && err.code === 'reason_required' && ids?.length) requireReasons(ids, err.message);
      else toast.show(errorMessage(err), 'error', SUBMIT);
    } finally {
      setSubmitting(false);
    }
  }

  if (error)
    return (
      <div className="sheet">
        <div className="notice notice-error" style={{ margin: 16 }}>
          {error}
        </div>
      </div>
    );
  if (!view || !result || !def)
    return (
      <div className="sheet">
        <div className="empty">
          <span className="spinner" />
        </div>
      </div>
    );
  const editable = view.editable;
  const blockScore = new Map(result.blocks.map((b) => [b.id, b]));
  const byId = new Map(annotations.map((a) => [a.id, a]));
  const indexOf = new Map(items.map((it, i) => [it.id, i]));
  const answered = items.filter((it) => answers[it.id]).length;
  const progress = sheetProgress(def, answers);
  const headline = sheetHeadline(def, answers);
  const plan = bulkPassPlan(def, answers);
  /** A decision taken in the submit dialog; the keyboard moves on to the next one (or the submit button). */
  const decide = (it: ItemNode, answer: Answer) => {
    change(it, answer);
    requestAnimationFrame(() =>
      document.querySelector<HTMLButtonElement>('.decide-list li button, dialog[open] footer .btn-primary')?.focus(),
    );
  };
  const codesOf = (ids: string[]): string => ids.map((id) => items[indexOf.get(id) ?? 0]?.code ?? id).join('、');
  const pendingVeto = items.find((it) => answers[it.id]?.status === 'veto' && !answers[it.id]?.comment?.trim());
  const autoFinalOther = review?.final?.source === 'auto' && (view.sheet?.status ?? 'draft') === 'draft';
  if (!view.sheet && !editable)
    return (
      <div className="sheet" aria-label="评查表">
        <div className="notice notice-info sheet-notice" role="status" data-testid="sheet-notice">
          {view.notice}
          {/* Not on the file: no sheet of one's own, but the file's scores and the 合议 are open to the organiser and the lead. */}
          <p className="muted" style={{ margin: '8px 0 0' }} data-testid="sheet-instead">
            您可以在“评分概况”中查看各评查人员的评分和进度；评查表交齐后，评查组长或组织者在“评分概况”中进入合议，确定本案卷的评查结果。
          </p>
          {onShowReview && (
            <div style={{ marginTop: 8 }}>
              <button type="button" className="btn btn-sm" onClick={onShowReview}>
                查看评分概况
              </button>
            </div>
          )}
        </div>
      </div>
    );
  // A standard chosen before incomplete standards were refused: its unscorable items are never
  // examined, so the total says more than the review did. Said, not hidden.
  const unscorableCodes = result.unscorable.map((id) => items[indexOf.get(id) ?? 0]?.code ?? id);
  const unscorableNotice = unscorableCodes.length
    ? `本评查标准有 ${unscorableCodes.length} 项无法评分（第 ${unscorableCodes.slice(0, 8).join('、')}${unscorableCodes.length > 8 ? ' 等' : ''} 项：原文未取得或没有分值），这些项目未经评查却计入了总分，总分和等次不可靠。请组织者为本活动改用完整的评查标准。`
    : '';

  const renderItem = (item: ItemNode) => (
    <ItemRow
      key={item.id}
      item={item}
      answer={answers[item.id]}
      editable={editable}
      current={currentItem?.id === item.id}
      reasonMissing={
        reasonAlert.has(item.id) &&
        !answers[item.id]?.comment?.trim() &&
        (answers[item.id]?.status === 'deduct' || answers[item.id]?.status === 'veto')
      }
      selectedAnnotation={selectedAnnotation}
      annotationsById={byId}
      onFocus={() => setCurrent(indexOf.get(item.id) ?? 0)}
      onChange={(a) => change(item, a)}
      onShowAnnotation={onShowAnnotation}
    />
  );
  const renderBlock = (block: BlockNode, depth: number): React.ReactNode => {
    const s = blockScore.get(block.id);
    return (
      <section key={block.id} className={`sheet-block depth-${Math.min(depth, 1)}`} aria-label={block.title}>
        <h4>
          <span>
            {block.code ? `${block.code} ` : ''}
            {block.title}
          </span>
          <span className="num" data-testid="block-subtotal">
            {s ? `${fmt(s.earned)} / ${fmt(s.max - s.excluded)}` : fmt(block.points)}
          </span>
        </h4>
        {block.children.map((child) => (child.kind === 'block' ? renderBlock(child, depth + 1) : renderItem(child)))}
      </section>
    );
  };

  return (
    <div className="sheet" aria-label="评查表">
      <div className={`sheet-total ${result.vetoed ? 'vetoed' : ''}`}>
        <div>
          <div className="muted" style={{ fontSize: 'var(--fs-sm)' }}>
            {def.name}
          </div>
          {answered && !headline.complete ? (
            // Unanswered items count as 符合 in the total: until the last one, say how far the review is.
            <div className="score score-progress" data-testid="sheet-total">
              <span className="num">{headline.text}</span>
            </div>
          ) : (
            <div className="score" data-testid="sheet-total">
              {/* Nothing answered is no score yet, not full marks. */}
              <span className="num">{answered ? fmt(result.total) : '—'}</span>
              <small> / {fmt(result.max)} 分</small>
            </div>
          )}
        </div>
        <div style={{ textAlign: 'right' }}>
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end', alignItems: 'center' }}>
            {result.vetoed && (
              <span className="badge badge-danger" data-testid="sheet-veto">
                已否决
              </span>
            )}
            {headline.complete || !answered ? (
              <span
                className={`badge ${result.vetoed || result.grade === def.failGrade ? 'badge-danger' : answered ? 'badge-primary' : ''} grade`}
                data-testid="sheet-grade"
              >
                {answered ? result.grade : '未评分'}
              </span>
            ) : (
              <span className="badge grade" data-testid="sheet-grade" title="全部项目评定后给出等次">
                评分中
              </span>
            )}
          </div>
          <div className="muted save-line" aria-live="polite">
            {view.sheet ? (
              <span className={`badge status-${view.sheet.status}`} data-testid="sheet-status">
                {SHEET_STATUS_LABELS[view.sheet.status]}
              </span>
            ) : (
              <span className="badge" data-testid="sheet-status">
                未开始
              </span>
            )}{' '}
            <span className="sheet-save-state">
              {saveState === 'offline' ? (
                <b className="danger-text">未连接，稍后自动重试…</b>
              ) : saveState === 'saving' ? (
                '正在保存…'
              ) : (
                '已自动保存'
              )}{' '}
              ·
            </span>{' '}
            <span className="save-count" data-testid="sheet-progress">
              {/* A veto decides the file: the head says so in the submit dialog's words, not "all answered". */}
              {result?.vetoed && result.unanswered.length > 0
                ? `已否决 · 其余 ${result.unanswered.length} 项无须评定`
                : `已评 ${progress.done}/${progress.total}`}
            </span>
          </div>
        </div>
      </div>
      <div className="sheet-actions">
        {editable && view.sheet && (
          <button type="button" className="btn btn-primary btn-sm" onClick={requestSubmit} disabled={submitting} title="快捷键 S">
            提交评查表
          </button>
        )}
        <button type="button" className="btn btn-ghost btn-sm" aria-expanded={showKeys} onClick={() => setShowKeys((s) => !s)}>
          快捷键 <kbd>?</kbd>
        </button>
      </div>
      {showKeys && (
        <dl className="key-help" aria-label="快捷键">
          {SHEET_KEY_HELP.map(([k, what]) => (
            <div key={k}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
      )}
      {!view.sheet && view.notice && (
        <div className="notice notice-info sheet-notice" data-testid="sheet-notice">
          {view.notice}
        </div>
      )}
      {view.sheet?.status === 'reopened' && (
        <div className="notice notice-warn sheet-notice" role="status">
          {view.sheet.reopenedByName ?? '评查组长'}退回了评查表：{view.sheet.reopenReason}。修改后请重新提交。
        </div>
      )}
      {view.sheet?.status === 'submitted' &&
        (review?.canReconcile ? (
          // The lead who also scored the file: his own sheet is read-only, the decision is in the 合议.
          <div className="notice notice-warn sheet-notice go-reconcile" role="status" data-testid="go-reconcile">
            <span className="grow">您的评查表已提交，只能查看。本案卷等待您合议定分。</span>
            <a className="btn btn-sm btn-primary" href={href.reconcile(caseId)}>
              去合议
            </a>
          </div>
        ) : (
          <div className="notice notice-info sheet-notice">评查表已提交，只能查看；如需修改，请联系评查组长退回。</div>
        ))}
      {view.sheet?.status === 'final' && <div className="notice notice-info sheet-notice">该案卷已定分，评查表只能查看。</div>}
      {view.sheet?.status === 'draft' && !editable && (
        <div className="notice notice-info sheet-notice">该案卷已合议定分，评查表不能再修改。</div>
      )}
      {autoFinalOther && editable && (
        <div className="notice notice-warn sheet-notice">
          该案卷已按其他评查人员的评分自动定分；您开始评分后，定分将撤销，待全部评查表提交后重新判定。
        </div>
      )}
      {pendingVeto && (
        <div className="notice notice-error sheet-notice" role="alert">
          否决第 {pendingVeto.code} 项须填写理由，填写后自动保存。
        </div>
      )}
      {unscorableNotice && (
        <div className="notice notice-error sheet-notice" role="status" data-testid="sheet-unscorable">
          {unscorableNotice}
        </div>
      )}
      <div className="sheet-body" ref={body}>
        {def.gate.items.length > 0 && (
          <section className="sheet-block gate" aria-label={def.gate.title}>
            <h4>
              <span>{def.gate.title}</span>
              <span>{result.vetoed ? '已否决' : '否决项'}</span>
            </h4>
            {def.gate.items.map(renderItem)}
          </section>
        )}
        {def.blocks.map((b) => renderBlock(b, 0))}
      </div>
      <ProblemList
        problems={result.problems}
        annotationsById={byId}
        onPick={(itemId) => focusItem(indexOf.get(itemId) ?? 0)}
        onShowAnnotation={onShowAnnotation}
      />
      <Dialog
        open={confirming}
        title="提交评查表"
        onClose={() => !submitting && setConfirming(false)}
        width={520}
        footer={
          <>
            <button className="btn" type="button" onClick={() => setConfirming(false)} disabled={submitting}>
              返回继续评分
            </button>
            {plan.pass.length > 0 ? (
              <button
                className="btn btn-primary"
                type="button"
                onClick={() => submit(true)}
                disabled={submitting || plan.decide.length > 0}
                title={plan.decide.length ? '请先逐项评定上面的项目' : ''}
              >
                其余 {plan.pass.length} 项评为符合并提交
              </button>
            ) : (
              <button className="btn btn-primary" type="button" onClick={() => submit(false)} disabled={submitting}>
                确认提交
              </button>
            )}
          </>
        }
      >
        <p>
          总分 <b className="num">{fmt(result.total)}</b> 分，等次 <b>{result.grade}</b>
          {result.vetoed ? '（已否决）' : ''}，扣分项 {result.problems.length} 项。提交后不能再修改，如需修改须由评查组长退回。
        </p>
        {openFindings > 0 && (
          <p className="notice notice-warn" data-testid="precheck-open-note">
            还有 {openFindings} 条预审提示未处理（采纳或不采纳），提交后不能再处理。可在“预审”页处理后再提交。
          </p>
        )}
        {unscorableNotice && (
          <p className="notice notice-error" style={{ marginTop: 12 }}>
            {unscorableNotice}
          </p>
        )}
        {result.vetoed && result.unanswered.length > 0 && (
          <p className="notice notice-warn" data-testid="veto-submit-note">
            已否决第 {codesOf(items.filter((it) => answers[it.id]?.status === 'veto').map((it) => it.id))} 项，本案卷评为
            {def.failGrade}。其余 {result.unanswered.length} 项无须评定，提交时保持未评定。
          </p>
        )}
        {plan.decide.length > 0 && (
          <div className="decide-list" role="group" aria-label="须逐项评定的项目">
            <p className="notice notice-warn">以下 {plan.decide.length} 项是否决项或可选“不适用”的项目，不会一并评为符合，请逐项评定：</p>
            <ul>
              {plan.decide.map((id) => {
                const it = items[indexOf.get(id) ?? 0]!;
                const isVeto = it.rule.kind === 'veto';
                return (
                  <li key={id} data-decide-item={id}>
                    <span className="decide-text">
                      <b className="num">第 {it.code} 项</b>
                      {isVeto ? '（否决项）' : ''} {it.text}
                    </span>
                    <span className="seg">
                      <button type="button" className="btn btn-sm" onClick={() => decide(it, { status: 'pass' })}>
                        符合
                      </button>
                      {it.notApplicable && (
                        <button type="button" className="btn btn-sm" onClick={() => decide(it, { status: 'na' })}>
                          不适用
                        </button>
                      )}
                      <button
                        type="button"
                        className="btn btn-sm"
                        // Never vetoes from here: a whole file's 不合格 is decided at the item itself, with its reason,
                        // not by a key pressed in a dialog that is about passing the rest.
                        onClick={() => {
                          setConfirming(false);
                          focusItem(indexOf.get(id) ?? 0);
                        }}
                      >
                        去评定…
                      </button>
                    </span>
                  </li>
                );
              })}
            </ul>
          </div>
        )}
        {plan.pass.length > 0 && (
          <p className="muted" data-testid="bulk-pass-list">
            将评为符合的 {plan.pass.length} 项：第 {codesOf(plan.pass)} 项。
          </p>
        )}
      </Dialog>
    </div>
  );
}

function ItemRow({
  item,
  answer,
  editable,
  current,
  reasonMissing,
  selectedAnnotation,
  annotationsById,
  onFocus,
  onChange,
  onShowAnnotation,
}: {
  item: ItemNode;
  answer: Answer | undefined;
  editable: boolean;
  current: boolean;
  /** A submit was refused because this deduction or veto has no reason. */
  reasonMissing: boolean;
  selectedAnnotation: Annotation | null;
  annotationsById: Map<string, Annotation>;
  onFocus(): void;
  onChange(a: Answer | null): void;
  onShowAnnotation(a: Annotation): void;
}) {
  const status: AnswerStatus | null = answer?.status ?? null;
  const deduction = itemDeduction(item, answer);
  const isVeto = item.rule.kind === 'veto';
  const choices = rangeChoices(item);
  const keep = (): Partial<Answer> => ({
    ...(answer?.comment ? { comment: answer.comment } : {}),
    ...(answer?.location ? { location: answer.location } : {}),
    ...(answer?.evidence ? { evidence: answer.evidence } : {}),
  });

  const setStatus = (next: AnswerStatus) => {
    if (status === next) return onChange(null);
    const base: Answer = next === 'pass' ? { status: 'pass' } : { status: next, ...keep() };
    if (next === 'deduct' && item.rule.kind === 'range') base.deduction = choices[0] ?? item.rule.min;
    if (next === 'deduct' && item.rule.kind === 'perOccurrence') base.occurrences = 1;
    onChange(base);
  };
  const options: AnswerStatus[] = isVeto ? ['pass', 'veto'] : ['pass', 'deduct', ...(item.notApplicable ? (['na'] as const) : [])];
  const keyOf: Record<AnswerStatus, string> = { pass: '0', deduct: '1', na: 'N', veto: 'X' };
  const evidence = answer?.evidence ?? [];
  // A veto is one click plus its reason: the reason box takes the focus at once.
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  const needsReason = status === 'veto' && !answer?.comment?.trim();
  useEffect(() => {
    if (needsReason && editable && reasonBox.current) focusByShortcut(reasonBox.current);
  }, [needsReason, editable]);

  return (
    <div
      className={`sheet-item status-${status ?? 'none'} ${current ? 'current' : ''}`}
      data-item-id={item.id}
      tabIndex={-1}
      aria-current={current ? 'true' : undefined}
      onFocusCapture={onFocus}
      onMouseDown={onFocus}
    >
      <div className="item-head">
        <span className="code">{item.code}</span>
        <span className="text">{item.text}</span>
        <span className="pts num">{isVeto ? '否决' : item.points === null ? '—' : `${fmt(item.points)}分`}</span>
      </div>
      <div className="item-rule muted" data-testid="item-rule">
        {ruleLine(item)}
      </div>
      {item.basis && <div className="item-basis muted">依据：{item.basis}</div>}
      <div className="item-controls">
        <div className="seg" role="group" aria-label={`第 ${item.code} 项评定`}>
          {options.map((o) => (
            <button
              key={o}
              type="button"
              className={`btn btn-sm ${o}`}
              aria-pressed={status === o}
              disabled={!editable}
              onClick={() => setStatus(o)}
              title={`快捷键 ${keyOf[o]}`}
            >
              {ANSWER_STATUS_LABELS[o]}
            </button>
          ))}
        </div>
        {status === 'deduct' && item.rule.kind === 'range' && choices.length > 10 && (
          <select
            className="input num range-select"
            aria-label="扣分值"
            disabled={!editable}
            value={answer?.deduction ?? ''}
            onChange={(e) => onChange({ ...answer!, deduction: Number(e.target.value) })}
          >
            {choices.map((c) => (
              <option key={c} value={c}>
                {fmt(c)} 分{rangeKey(c) ? `（键 ${rangeKey(c)}）` : ''}
              </option>
            ))}
          </select>
        )}
        {status === 'deduct' && item.rule.kind === 'range' && choices.length <= 10 && (
          <div className="seg choices" role="radiogroup" aria-label="扣分值">
            {choices.map((c) => (
              <button
                key={c}
                type="button"
                role="radio"
                className="btn btn-sm num"
                aria-checked={answer?.deduction === c}
                disabled={!editable}
                title={rangeKey(c) ? `快捷键 ${rangeKey(c)}` : '半分请点选'}
                onClick={() => onChange({ ...answer!, deduction: c })}
              >
                {fmt(c)}
              </button>
            ))}
          </div>
        )}
        {status === 'deduct' && item.rule.kind === 'perOccurrence' && (
          <label className="muted occurrences">
            <button
              type="button"
              className="btn btn-sm"
              aria-label="减少一处"
              disabled={!editable || (answer?.occurrences ?? 1) <= 1}
              onClick={() => onChange({ ...answer!, occurrences: Math.max(1, (answer?.occurrences ?? 1) - 1) })}
            >
              −
            </button>
            <input
              className="input num"
              type="number"
              min={1}
              aria-label="发现处数"
              disabled={!editable}
              value={answer?.occurrences ?? 1}
              onChange={(e) => onChange({ ...answer!, occurrences: Math.max(1, Math.floor(Number(e.target.value) || 1)) })}
            />
            <button
              type="button"
              className="btn btn-sm"
              aria-label="增加一处"
              disabled={!editable}
              onClick={() => onChange({ ...answer!, occurrences: (answer?.occurrences ?? 1) + 1 })}
            >
              ＋
            </button>
            处
          </label>
        )}
        {deduction > 0 && (
          <span className="deduction-value num" data-testid="item-deduction">
            −{fmt(deduction)}
          </span>
        )}
      </div>
      {(status === 'deduct' || status === 'veto' || status === 'na') && (
        <div className="item-detail">
          <textarea
            ref={reasonBox}
            className="input"
            rows={2}
            placeholder={
              status === 'veto' ? '否决理由（必填）' : status === 'na' ? '不适用的理由' : '扣分理由（必填，将写入评查表和意见书）'
            }
            aria-label={status === 'veto' ? '否决理由' : status === 'na' ? '不适用理由' : '扣分理由'}
            aria-invalid={(status === 'veto' && !answer?.comment?.trim()) || reasonMissing ? true : undefined}
            aria-describedby={reasonMissing ? `reason-missing-${item.id}` : undefined}
            disabled={!editable}
            value={answer?.comment ?? ''}
            onChange={(e) => onChange({ ...answer!, comment: e.target.value })}
          />
          {reasonMissing && (
            <div className="danger-text reason-missing" id={`reason-missing-${item.id}`} role="alert" data-testid="reason-missing">
              请填写{status === 'veto' ? '否决' : '扣分'}理由：每一项{status === 'veto' ? '否决' : '扣分'}都须写明理由，才能提交。
            </div>
          )}
          <input
            className="input"
            aria-label="问题位置"
            placeholder="问题位置，如：询问笔录第3页"
            disabled={!editable}
            value={answer?.location ?? ''}
            onChange={(e) => onChange({ ...answer!, location: e.target.value })}
          />
          <div className="evidence">
            {evidence.map((id) => {
              const a = annotationsById.get(id);
              return (
                <span key={id} className="evidence-chip">
                  {a ? (
                    <button
                      type="button"
                      className="badge badge-primary"
                      onClick={() => onShowAnnotation(a)}
                      title={a.selectedText ?? a.comment ?? ''}
                    >
                      {evidenceLabel(a)}
                    </button>
                  ) : (
                    <span className="badge" title="该批注已被删除，可点 × 取消关联">
                      已删除的批注
                    </span>
                  )}
                  {editable && (
                    <button
                      type="button"
                      className="chip-remove"
                      aria-label="取消关联该证据"
                      onClick={() => onChange({ ...answer!, evidence: evidence.filter((x) => x !== id) })}
                    >
                      ×
                    </button>
                  )}
                </span>
              );
            })}
            {editable && selectedAnnotation && !evidence.includes(selectedAnnotation.id) && (
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => onChange({ ...answer!, evidence: [...evidence, selectedAnnotation.id] })}
              >
                ＋ 关联选中批注（第 {selectedAnnotation.pageIndex + 1} 页） <kbd>E</kbd>
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
