/**
 * Keyboard shortcuts of the score sheet and the reconciliation view, in one place so they can be
 * shown to the reviewer and kept clear of the reader's (H/A/V tools, Esc, Delete, Ctrl ±).
 */
export const SHEET_KEYS = {
  next: ['j', 'ArrowDown'],
  previous: ['k', 'ArrowUp'],
  pass: ['0'],
  /** 1–9: deduct; for a range item the n-th value, for a per-occurrence item n places. */
  deductDigits: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
  notApplicable: ['n'],
  veto: ['x'],
  evidence: ['e'],
  /** Shows the page of the current item's evidence (each press the next linked mark). */
  showEvidence: ['g'],
  comment: ['c', 'Enter'],
  submit: ['s'],
  help: ['?'],
} as const;

export const SHEET_KEY_HELP: Array<[string, string]> = [
  ['J / ↓', '下一项'],
  ['K / ↑', '上一项'],
  ['0', '符合，并到下一项'],
  ['1–9', '扣分：视情况扣分项按键扣相应分数（如 2 扣 2 分，半分请点选）；按处扣分项为处数'],
  ['N', '不适用，并到下一项'],
  ['X', '否决（须填理由）'],
  ['C / Enter', '填写理由（扣分、否决必填）'],
  ['Esc', '离开输入框，回到评查项目'],
  ['] / [', '在左侧案卷中选下一条 / 上一条批注'],
  ['E', '关联选中的批注为证据'],
  ['G', '跳到本项证据所在页'],
  ['S', '提交评查表'],
  ['F6', '在评查表与左侧案卷之间切换键盘焦点（在案卷中翻页、画框后按 F6 回来）'],
  ['Tab / Enter', '在提交对话框中逐项评定、确认'],
];

export const RECONCILE_KEY_HELP: Array<[string, string]> = [
  ['J / K', '下一个 / 上一个分歧项'],
  ['1–9', '采纳第 n 位评查人员的评定'],
  ['0', '清除本项合议结果'],
];

/**
 * The digit key that deducts these points on a 视情况扣分 item: the key is the points (2 扣 2 分), so
 * only whole points 1–9 have one; half points are chosen by hand. The option labels show this same key.
 */
export function rangeKey(points: number): string | null {
  return Number.isInteger(points) && points >= 1 && points <= 9 ? String(points) : null;
}

/** True when a key event comes from a place that types text (inputs keep their keys). */
export function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && !!target.closest('input, textarea, select, [contenteditable], dialog');
}

/**
 * Puts the cursor in a reason box on behalf of a shortcut (X, C, a refused submit). The box remembers
 * it until the reviewer types, so a following C or Enter — "go to the reason", already done — is not
 * typed into the reason as a stray "c" or blank line.
 */
export function focusByShortcut(box: HTMLElement): void {
  box.dataset.shortcutFocus = '1';
  box.addEventListener('blur', () => delete box.dataset.shortcutFocus, { once: true });
  box.focus({ preventScroll: true });
}

/** True for a key that only repeats "go to the reason" in a box a shortcut just focused (swallowed). */
export function repeatsShortcutFocus(e: KeyboardEvent): boolean {
  const box = e.target instanceof HTMLElement ? e.target : null;
  if (!box?.dataset.shortcutFocus) return false;
  if (matches(SHEET_KEYS.comment, e) && !e.shiftKey) return true;
  if (['Shift', 'Control', 'Alt', 'Meta', 'CapsLock'].includes(e.key)) return false;
  // Anything else is the reviewer writing: from here on every key is theirs.
  delete box.dataset.shortcutFocus;
  return false;
}

export const matches = (keys: readonly string[], e: KeyboardEvent): boolean =>
  keys.includes(e.key.length === 1 ? e.key.toLowerCase() : e.key);
