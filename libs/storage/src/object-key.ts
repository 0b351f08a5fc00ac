import type { ByteRange } from './object-store';
import { InvalidKeyError, InvalidRangeError } from './errors';

// A segment never starts with a dot: that rules out `.` and `..` and keeps names such as
// `.tmp` free for a store's own bookkeeping.
const SEGMENT = '[A-Za-z0-9_-][A-Za-z0-9._-]*';
const KEY = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);
/** Whole segments, each followed by `/`, then the start of a segment (possibly empty). */
const PREFIX = new RegExp(`^(?:${SEGMENT}/)*[A-Za-z0-9._-]*$`);
const MAX_KEY_LENGTH = 1024;

/** The same rules in every adapter, so a key the filesystem refuses is refused on S3 too. */
export function checkObjectKey(key: string): string {
  if (key.length > MAX_KEY_LENGTH || key.includes('..') || !KEY.test(key)) {
    throw new InvalidKeyError(key);
  }
  return key;
}

export function checkKeyPrefix(prefix: string): string {
  if (prefix.length > MAX_KEY_LENGTH || prefix.includes('..') || !PREFIX.test(prefix)) {
    throw new InvalidKeyError(prefix);
  }
  return prefix;
}

export function checkByteRange(range: ByteRange): ByteRange {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new InvalidRangeError(`not a byte range: ${start}-${end}`);
  }
  return range;
}
