/**
 * A page cursor of a keyset-paged list: the last row's sort values, opaque to the screen. A list reads
 * its next page after those values, so a page costs the same at row 20 and at row 20,000.
 */
import { AppError } from '../../../shared/core/errors.js';

export const encodeCursor = (values: ReadonlyArray<string | number>): string => Buffer.from(JSON.stringify(values)).toString('base64url');

/** The values of a cursor this list made, each of the kind its sort key has; refused otherwise. */
export function decodeCursor<K extends 'string' | 'number'>(
  cursor: string,
  kinds: readonly K[],
): Array<K extends 'string' ? string : number> {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === kinds.length && values.every((v, i) => typeof v === kinds[i]))
      return values as Array<K extends 'string' ? string : number>;
  } catch {
    // falls through to the refusal
  }
  throw new AppError('invalid_input', '翻页位置无效，请重新打开列表。');
}
