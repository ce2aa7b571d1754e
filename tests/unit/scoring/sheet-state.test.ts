/** The score sheet's life: draft → submitted → reopened → final, who may move it, and blind review. */
import { describe, expect, it } from 'vitest';
import { seesAllSheets, transition, type SheetEvent } from '../../../shared/scoring/sheet-state.js';
import { SHEET_STATUSES, type SheetStatus } from '../../../shared/scoring/sheet.js';

const owner = { owner: true, manager: false };
const lead = { owner: false, manager: true };
const stranger = { owner: false, manager: false };
const answer: SheetEvent = { kind: 'answer' };
const submit: SheetEvent = { kind: 'submit' };
const reopen = (reason = '第5项扣分理由不清，请补充'): SheetEvent => ({ kind: 'reopen', reason });

function run(start: SheetStatus, steps: Array<[SheetEvent, { owner: boolean; manager: boolean }]>): SheetStatus {
  let s = start;
  for (const [event, who] of steps) {
    const t = transition(s, event, who);
    if (!t.ok) throw new Error(`${s} --${event.kind}--> refused: ${t.message}`);
    s = t.next;
  }
  return s;
}

describe('sheet state machine', () => {
  it('walks the whole life of a sheet', () => {
    expect(
      run('draft', [
        [answer, owner],
        [answer, owner],
        [submit, owner],
      ]),
    ).toBe('submitted');
    expect(
      run('submitted', [
        [reopen(), lead],
        [answer, owner],
        [submit, owner],
        [{ kind: 'finalise' }, lead],
      ]),
    ).toBe('final');
    expect(
      run('final', [
        [{ kind: 'unfinalise' }, lead],
        [reopen(), lead],
      ]),
    ).toBe('reopened');
  });

  it('keeps a submitted sheet locked for its reviewer until the lead reopens it', () => {
    expect(transition('submitted', answer, owner)).toMatchObject({ ok: false, code: 'locked', message: expect.stringContaining('退回') });
    expect(transition('reopened', answer, owner)).toEqual({ ok: true, next: 'reopened' });
    expect(transition('draft', answer, owner)).toEqual({ ok: true, next: 'draft' });
  });

  it('lets only the owner answer and submit', () => {
    for (const s of ['draft', 'reopened'] as const) {
      expect(transition(s, answer, lead)).toMatchObject({ ok: false, code: 'forbidden' });
      expect(transition(s, submit, lead)).toMatchObject({ ok: false, code: 'forbidden' });
      expect(transition(s, answer, stranger)).toMatchObject({ ok: false, code: 'forbidden' });
    }
  });

  it('lets only a lead or organiser reopen, only a delivered sheet, and only with a reason', () => {
    expect(transition('submitted', reopen(), owner)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(transition('submitted', reopen('   '), lead)).toMatchObject({
      ok: false,
      code: 'invalid_input',
      message: expect.stringContaining('理由'),
    });
    expect(transition('draft', reopen(), lead)).toMatchObject({ ok: false, code: 'conflict' });
    expect(transition('reopened', reopen(), lead)).toMatchObject({ ok: false, code: 'conflict' });
    expect(transition('final', reopen(), lead)).toMatchObject({ ok: false, code: 'locked', message: expect.stringContaining('撤销定分') });
    expect(transition('submitted', reopen(), { owner: true, manager: true })).toEqual({ ok: true, next: 'reopened' });
  });

  it('never submits twice and never changes a final sheet', () => {
    expect(transition('submitted', submit, owner)).toMatchObject({ ok: false, code: 'conflict' });
    expect(transition('final', submit, owner)).toMatchObject({ ok: false, code: 'locked' });
    expect(transition('final', answer, owner)).toMatchObject({ ok: false, code: 'locked', message: expect.stringContaining('定分') });
  });

  it('finalises only delivered sheets and unfinalises only final ones', () => {
    for (const s of SHEET_STATUSES) {
      expect(transition(s, { kind: 'finalise' }, lead).ok).toBe(s === 'submitted');
      expect(transition(s, { kind: 'unfinalise' }, lead).ok).toBe(s === 'final');
    }
  });

  it('answers every (status, event, actor) with a next status or a coded Chinese refusal', () => {
    const events: SheetEvent[] = [answer, submit, reopen(), { kind: 'finalise' }, { kind: 'unfinalise' }];
    for (const s of SHEET_STATUSES)
      for (const e of events)
        for (const who of [owner, lead, stranger]) {
          const t = transition(s, e, who);
          if (t.ok) expect(SHEET_STATUSES).toContain(t.next);
          else expect(t.message).toMatch(/[\u4e00-\u9fa5]/);
        }
  });
});

describe('blind review', () => {
  it('shows a reviewer the other sheets only after delivering their own', () => {
    const base = { role: 'reviewer' as const, isRecheckAssignee: false, fileFinal: false };
    expect(seesAllSheets({ ...base, ownStatus: null })).toBe(false);
    expect(seesAllSheets({ ...base, ownStatus: 'draft' })).toBe(false);
    expect(seesAllSheets({ ...base, ownStatus: 'reopened' })).toBe(false);
    expect(seesAllSheets({ ...base, ownStatus: 'submitted' })).toBe(true);
    expect(seesAllSheets({ ...base, ownStatus: 'final' })).toBe(true);
    expect(seesAllSheets({ ...base, ownStatus: null, isRecheckAssignee: true })).toBe(true);
  });

  it('always shows leads and organisers everything, and observers once the file is settled', () => {
    expect(seesAllSheets({ role: 'lead', ownStatus: null, isRecheckAssignee: false, fileFinal: false })).toBe(true);
    expect(seesAllSheets({ role: 'organiser', ownStatus: 'draft', isRecheckAssignee: false, fileFinal: false })).toBe(true);
    expect(seesAllSheets({ role: 'observer', ownStatus: null, isRecheckAssignee: false, fileFinal: false })).toBe(false);
    expect(seesAllSheets({ role: 'observer', ownStatus: null, isRecheckAssignee: false, fileFinal: true })).toBe(true);
  });
});
