/**
 * Line breaking for Chinese text on a fixed-width line, with the usual 禁则: closing punctuation
 * never starts a line and opening punctuation never ends one (the character before moves down with
 * it), and a run of Latin letters or digits ("2025", "88.5", "GB/T") is not split. Pure: widths come
 * from the caller's font metrics.
 */

/** Characters that may not begin a line. */
export const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕〗’”…—·%％‰℃,.;:?!)]}']);
/** Characters that may not end a line. */
export const NO_LINE_END = new Set([...'（《「『【〔〖‘“([{']);

const WORD_CHAR = /[A-Za-z0-9.,:/%+\-_#&@'’]/;

/** Splits text into unbreakable pieces: a Latin/digit run, or one other character. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let word = '';
  for (const ch of text) {
    if (WORD_CHAR.test(ch) && ch.charCodeAt(0) < 0x80) {
      word += ch;
      continue;
    }
    if (word) {
      tokens.push(word);
      word = '';
    }
    tokens.push(ch);
  }
  if (word) tokens.push(word);
  return tokens;
}

export interface LineSpec {
  /** Width available on the first line and on the following ones. */
  first: number;
  rest: number;
}

/**
 * Breaks `text` into lines no wider than the given widths. `width(token)` is the advance of a token;
 * a token wider than a whole line is split by character.
 */
export function breakLines(text: string, width: (token: string) => number, spec: LineSpec): string[] {
  const tokens: string[] = [];
  for (const t of tokenize(text)) {
    if (t.length > 1 && width(t) > Math.min(spec.first, spec.rest)) tokens.push(...t);
    else tokens.push(t);
  }
  const lines: string[][] = [];
  let line: string[] = [];
  let used = 0;
  const limit = (): number => (lines.length === 0 ? spec.first : spec.rest) + 1e-6;
  for (const token of tokens) {
    const w = width(token);
    if (used + w <= limit() || line.length === 0) {
      line.push(token);
      used += w;
      continue;
    }
    // The token does not fit: it starts the next line, unless 禁则 moves more with it.
    // (Closing marks can come in runs — ”， — so the character before all of them moves down.)
    const carry: string[] = [token];
    while (NO_LINE_START.has(carry[0]![0]!) && line.length > 1) carry.unshift(line.pop()!);
    while (line.length > 1 && NO_LINE_END.has(line[line.length - 1]!.slice(-1))) carry.unshift(line.pop()!);
    lines.push(line);
    line = carry;
    used = carry.reduce((a, t) => a + width(t), 0);
  }
  if (line.length || lines.length === 0) lines.push(line);
  return lines.map((l) => l.join(''));
}
