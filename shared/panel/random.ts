/**
 * The one source of randomness for draws and assignments: a stream of 32-bit words derived from a
 * seed string with the SM3 hash (GB/T 32905-2016), so anyone holding the seed and this description can
 * recompute every choice:
 *
 *   block(i) = SM3(UTF-8(label + "\n" + i)),  i = 0, 1, 2, …
 *   words    = each block read as eight big-endian unsigned 32-bit integers, in order
 *
 * An integer in [0, n) is the next word w with w < 2^32 − (2^32 mod n), taken mod n (words at or above
 * that limit are skipped, so every value is exactly equally likely — no modulo bias).
 */
import smCrypto from 'sm-crypto';

const TWO_32 = 0x1_0000_0000;

/** SM3 digest of a UTF-8 string, as 64 lowercase hex digits. */
export function sm3Hex(text: string): string {
  return smCrypto.sm3(text);
}

/** An SM3 implementation: UTF-8 text in, 64 lowercase hex digits out. */
export type Sm3 = (text: string) => string;

export class SeededStream {
  private block = 0;
  private readonly words = new Array<number>(8);
  private next = 8;

  /**
   * `sm3` may be a faster implementation of the same function (the back end passes Node's native
   * SM3: a province's assignment draws millions of words); the words are the same either way.
   */
  constructor(
    private readonly label: string,
    private readonly sm3: Sm3 = sm3Hex,
  ) {}

  private nextWord(): number {
    if (this.next === 8) {
      const hex = this.sm3(`${this.label}\n${this.block++}`);
      for (let i = 0; i < 8; i++) this.words[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
      this.next = 0;
    }
    return this.words[this.next++]!;
  }

  /** A uniformly distributed integer in [0, n). */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new RangeError(`below(${n})`);
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const w = this.nextWord();
      if (w < limit) return w % n;
    }
  }

  /** Fisher–Yates shuffle of a copy (i from the end: swap i with a uniform j in [0, i]). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/** Code-point order, the same on every machine and locale (localeCompare is not). */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
