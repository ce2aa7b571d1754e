/**
 * The life of a score sheet, as a pure state machine:
 *
 *   draft ──submit──▶ submitted ──finalise──▶ final
 *     ▲ answer          │   ▲                   │
 *     └─────            reopen│ submit         unfinalise (the file's final result is withdrawn)
 *                       ▼   │                   ▼
 *                     reopened ◀─ answer     submitted
 *
 * Only the owner answers and submits; only the campaign lead or organiser reopens, with a reason. A
 * final sheet belongs to a settled file and is never reopened directly: the file's final result has
 * to be withdrawn first, so a settled score cannot change underneath a letter that quotes it.
 * The services ask this module before every status change and every answer.
 */
import type { SheetStatus } from './sheet.js';

export type SheetEvent =
  | { kind: 'answer' }
  | { kind: 'submit' }
  | { kind: 'reopen'; reason: string }
  /** The file's result was settled (by agreement or by the panel). */
  | { kind: 'finalise' }
  /** The file's settled result was withdrawn. */
  | { kind: 'unfinalise' };

/** Who is acting on the sheet: its owner, and/or a lead/organiser of the campaign. */
export interface SheetActorRole {
  owner: boolean;
  manager: boolean;
}

export type TransitionError = { ok: false; code: 'forbidden' | 'locked' | 'conflict' | 'invalid_input'; message: string };
export type Transition = { ok: true; next: SheetStatus } | TransitionError;

/** Statuses in which the owner may change answers. */
export const EDITABLE_STATUSES: readonly SheetStatus[] = ['draft', 'reopened'];
/** Statuses that count as the reviewer's delivered opinion. */
export const DELIVERED_STATUSES: readonly SheetStatus[] = ['submitted', 'final'];

export const isEditableStatus = (s: SheetStatus): boolean => EDITABLE_STATUSES.includes(s);
export const isDeliveredStatus = (s: SheetStatus): boolean => DELIVERED_STATUSES.includes(s);

const deny = (code: TransitionError['code'], message: string): TransitionError => ({ ok: false, code, message });

export function transition(status: SheetStatus, event: SheetEvent, who: SheetActorRole): Transition {
  switch (event.kind) {
    case 'answer':
      if (!who.owner) return deny('forbidden', '只能填写自己的评查表。');
      if (status === 'submitted') return deny('locked', '评查表已提交，不能再修改；如需修改，请联系评查组长退回。');
      if (status === 'final') return deny('locked', '该案卷已定分，评查表不能再修改。');
      return { ok: true, next: status };

    case 'submit':
      if (!who.owner) return deny('forbidden', '只能提交自己的评查表。');
      if (status === 'submitted') return deny('conflict', '评查表已经提交过了。');
      if (status === 'final') return deny('locked', '该案卷已定分，评查表不能再提交。');
      return { ok: true, next: 'submitted' };

    case 'reopen':
      if (!who.manager) return deny('forbidden', '只有评查组长或组织者可以退回评查表。');
      if (!event.reason.trim()) return deny('invalid_input', '退回评查表必须填写理由。');
      if (status === 'draft' || status === 'reopened') return deny('conflict', '评查表尚未提交，无需退回。');
      if (status === 'final') return deny('locked', '该案卷已定分，请先撤销定分结果，再退回评查表。');
      return { ok: true, next: 'reopened' };

    case 'finalise':
      if (status !== 'submitted') return deny('conflict', '只有已提交的评查表才能定分。');
      return { ok: true, next: 'final' };

    case 'unfinalise':
      if (status !== 'final') return deny('conflict', '该评查表并未定分。');
      return { ok: true, next: 'submitted' };
  }
}

/**
 * Blind review: who may see every sheet of a file (scores, answers, comments), not only their own.
 * Leads and organisers always; a reviewer once their own sheet is delivered, or when they are the
 * named 复核 person; an observer once the file is settled.
 */
export function seesAllSheets(input: {
  role: 'organiser' | 'lead' | 'reviewer' | 'observer';
  ownStatus: SheetStatus | null;
  isRecheckAssignee: boolean;
  fileFinal: boolean;
}): boolean {
  if (input.role === 'organiser' || input.role === 'lead') return true;
  if (input.isRecheckAssignee) return true;
  if (input.role === 'observer') return input.fileFinal;
  return input.ownStatus !== null && isDeliveredStatus(input.ownStatus);
}
