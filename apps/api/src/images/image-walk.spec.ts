import { MalformedImageError, TrailingDataError, TruncatedImageError } from './errors';
import {
  MAX_WALK_STEPS,
  atEnd,
  read,
  skip,
  skipToPair,
  startWalk,
  type ImageFormat,
  type Walk,
  type WalkPosition,
} from './image-walk';

/**
 * A toy format: a length byte and that many bytes, then text up to `;;`, then optionally one
 * `+` and another such record.
 */
const SEMICOLON = 0x3b;

const toyFormat: ImageFormat = {
  name: 'TOY',
  end: 'its double semicolon',
  *walk(position: WalkPosition): Walk<number | void> {
    for (;;) {
      const [length] = yield* read(1);
      if (length === 0xff) throw new MalformedImageError('the TOY is malformed');
      yield* skip(length);
      yield* skipToPair(SEMICOLON, (second) => second === SEMICOLON);
      const recordEnd = position.offset;
      if (yield* atEnd()) return;
      if ((yield* read(1))[0] !== 0x2b) return recordEnd;
    }
  },
};

const bytes = (...parts: Array<number[] | string>) =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))),
  );

describe('startWalk', () => {
  it('takes a file split at every byte, as the steps need it', () => {
    const file = bytes([3], 'abc', 'a;b', ';;', '+', [1], 'x', ';;');
    const walker = startWalk(toyFormat);

    const taken = [...file].map((byte) => walker.write(Buffer.from([byte])));
    walker.end();

    expect(taken.every((count) => count === 1)).toBe(true);
  });

  it('says which bytes of the chunk where the image ends are the image’s', () => {
    const walker = startWalk(toyFormat);

    const first = walker.write(bytes([2], 'ab'));
    const second = walker.write(bytes('cd;;?trailing'));

    expect([first, second]).toEqual([3, 4]);
    expect(() => walker.end()).toThrow(new TrailingDataError('?trailing'.length));
  });

  it('counts the bytes a walk read past its image as trailing ones', () => {
    const walker = startWalk(toyFormat);

    walker.write(bytes([0], ';;'));
    walker.write(bytes('x'));
    walker.write(bytes('yz'));

    expect(() => walker.end()).toThrow(new TrailingDataError(3));
  });

  it('refuses a file that ends inside a step as truncated, naming the format and its end', () => {
    const walker = startWalk(toyFormat);

    walker.write(bytes([5], 'abc'));

    expect(() => walker.end()).toThrow(TruncatedImageError);
    expect(() => walker.end()).toThrow('the TOY is truncated: it ends before its double semicolon');
  });

  it('throws the format’s refusal from the write that shows it', () => {
    const walker = startWalk(toyFormat);

    expect(() => walker.write(bytes([0xff]))).toThrow(MalformedImageError);
  });

  it('takes a file that ends where the walk allows it', () => {
    const walker = startWalk(toyFormat);

    walker.write(bytes([0], 'one;;'));

    expect(() => walker.end()).not.toThrow();
  });

  it('refuses a file of more tiny parts than any image has, before its end', () => {
    // Four steps a record: its length, its text, the check for its end, its `+`.
    const record = bytes([0], ';;+');
    const file = Buffer.concat(Array(MAX_WALK_STEPS / 4 + 1000).fill(record));
    const walker = startWalk(toyFormat);

    const writing = () => walker.write(file);

    expect(writing).toThrow(
      new MalformedImageError('the TOY is malformed: it has more parts than any image needs'),
    );
  });
});
