import { parseByteRange } from './byte-range';
import { RangeNotSatisfiableError } from './errors';

describe('parseByteRange', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=10-', { start: 10, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=90-500', { start: 90, end: 99 }],
    ['bytes=-500', { start: 0, end: 99 }],
  ])('reads %s of a 100-byte object', (header, range) => {
    expect(parseByteRange(header, 100)).toEqual(range);
  });

  it.each([
    ['no header', undefined],
    ['several ranges', 'bytes=0-1,5-6'],
    ['another unit', 'items=0-1'],
    ['a reversed range', 'bytes=9-2'],
    ['garbage', 'bytes=a-b'],
  ])('asks for the whole object on %s', (_case, header) => {
    expect(parseByteRange(header, 100)).toBeUndefined();
  });

  it.each(['bytes=100-', 'bytes=200-300', 'bytes=-0'])('cannot satisfy %s', (header) => {
    expect(() => parseByteRange(header, 100)).toThrow(RangeNotSatisfiableError);
  });
});
