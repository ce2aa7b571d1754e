/**
 * What a sheet still needs before it can be delivered, and what the "rest 符合" step may fill in.
 * Pure and free of zod: the score sheet shows it before sending and the service refuses by it, so
 * both say the same thing.
 *
 * A veto item (否决项) and an item that may be 不适用 are decisions a reviewer has to take: marking
 * them 符合 in bulk would record a finding nobody made. Only plain items may be passed in bulk.
 * Every deduction and every veto carries its reason: the letter quotes it as the problem found
 * (行政处罚法 art. 60 and the 评查标准 ask for the problem, not only the points).
 */
import type { StandardDefinition } from '../standards/model.js';
import { allItems, fmt, type ItemNode } from '../standards/tree.js';
import { scoreSheet, type Answers } from './scoring.js';

/** True for items the bulk step must never answer: veto items and items that may be 不适用. */
export function needsOwnDecision(item: ItemNode): boolean {
  return item.rule.kind === 'veto' || !!item.notApplicable;
}

export interface BulkPassPlan {
  /** Unanswered plain items the bulk step marks 符合. */
  pass: string[];
  /** Unanswered veto / 不适用 items the reviewer must decide one by one. */
  decide: string[];
}

/**
 * Splits the unanswered items of a sheet. None once a veto is chosen: a vetoed file is 不合格 whatever
 * the other items say, so asking for each of them would only delay the submit.
 */
export function bulkPassPlan(def: StandardDefinition, answers: Answers): BulkPassPlan {
  const result = scoreSheet(def, answers);
  if (result.vetoed) return { pass: [], decide: [] };
  const open = new Set(result.unanswered);
  const plan: BulkPassPlan = { pass: [], decide: [] };
  for (const item of allItems(def)) {
    if (!open.has(item.id)) continue;
    (needsOwnDecision(item) ? plan.decide : plan.pass).push(item.id);
  }
  return plan;
}

/** Items answered 扣分 or 否决 without a reason, in sheet order. */
export function missingReasons(def: StandardDefinition, answers: Answers): string[] {
  return allItems(def)
    .filter((item) => {
      const a = answers[item.id];
      return !!a && (a.status === 'deduct' || a.status === 'veto') && !a.comment?.trim();
    })
    .map((item) => item.id);
}

/** The Chinese text for items without a reason (codes listed, at most eight). */
export function missingReasonsMessage(def: StandardDefinition, itemIds: string[]): string {
  const codes = itemIds.map((id) => allItems(def).find((it) => it.id === id)?.code ?? id);
  return `第 ${codes.slice(0, 8).join('、')}${codes.length > 8 ? ' 等' : ''} 项已扣分或否决，但未填写理由。每一项扣分和否决都须写明理由（将写入评查表和意见书），请补填后再提交。`;
}

export interface SheetProgress {
  /** Items settled: answered, or left unscored because a veto decided the file. */
  done: number;
  /** Items a reviewer can answer (the standard's unscorable placeholders are not counted). */
  total: number;
}

/**
 * A sheet's progress as the reviewer reads it: 不适用 and 否决 answers count as answered, items the
 * standard cannot score are not asked for, and a veto settles the rest (the file fails anyway).
 */
export function sheetProgress(def: StandardDefinition, answers: Answers): SheetProgress {
  const result = scoreSheet(def, answers);
  const unscorable = new Set(result.unscorable);
  const askable = allItems(def).filter((it) => !unscorable.has(it.id));
  if (result.vetoed) return { done: askable.length, total: askable.length };
  return { done: askable.filter((it) => answers[it.id]).length, total: askable.length };
}

export interface SheetHeadline {
  /** Every item answered, or a veto decided the file: the total and the grade are the sheet's result. */
  complete: boolean;
  done: number;
  total: number;
  /** Points deducted so far (vetoes are said apart, they take no points). */
  deducted: number;
  /** What the head of an unfinished sheet says instead of a total: "已评 2/46 项 · 已扣 1 分". */
  text: string;
}

/**
 * The head of a sheet while it is scored: unanswered items count as 符合 in the total, so before the
 * last item a total and grade (99 分 · 优秀 after two items) would announce a result nobody reached.
 * Until then the head says how far the review is and what it has deducted; a veto decides the grade
 * at once (不合格 whatever the rest says), so it completes the head too.
 */
export function sheetHeadline(def: StandardDefinition, answers: Answers): SheetHeadline {
  const result = scoreSheet(def, answers);
  const { done, total } = sheetProgress(def, answers);
  const deducted = Math.round(result.problems.reduce((n, p) => n + (p.veto ? 0 : p.deduction), 0) * 100) / 100;
  return { complete: done >= total || result.vetoed, done, total, deducted, text: `已评 ${done}/${total} 项 · 已扣 ${fmt(deducted)} 分` };
}

/**
 * True when the agreed answers of a 合议 hold a veto with its reason: the file is 不合格 whatever the
 * other items say (the same rule as a reviewer's sheet), so the items still in dispute need no decision.
 */
export function settledByVeto(def: StandardDefinition, agreed: Answers): boolean {
  const vetoes = allItems(def).filter((it) => agreed[it.id]?.status === 'veto');
  return vetoes.length > 0 && scoreSheet(def, agreed).vetoed && vetoes.every((it) => !!agreed[it.id]?.comment?.trim());
}

/**
 * The items a 合议 must still decide before 确认定分: the disputed items without an agreed answer, or
 * none once an agreed veto decides the file (the rest are shown as 否决后无须定分).
 */
export function reconcileOpenItems(def: StandardDefinition, agreed: Answers, disputed: readonly string[]): string[] {
  if (settledByVeto(def, agreed)) return [];
  return disputed.filter((id) => !agreed[id]);
}
