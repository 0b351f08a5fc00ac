import type { ByteRange } from '@gallery/storage';
import { RangeNotSatisfiableError } from './errors';

/**
 * The one byte range a `Range` header asks of an object of `size` bytes; undefined when the
 * whole object should be sent (no header, several ranges, or a unit other than bytes).
 * Throws RangeNotSatisfiableError when the range lies outside the object.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match;
  if (first === '' && last === '') return undefined;
  let start: number;
  let end: number;
  if (first === '') {
    // A suffix: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0) throw new RangeNotSatisfiableError(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (Number(last) < start && last !== '') return undefined;
  }
  if (start >= size || size === 0) throw new RangeNotSatisfiableError(size);
  return { start, end };
}
