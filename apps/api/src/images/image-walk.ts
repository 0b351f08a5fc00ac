import { MalformedImageError, TrailingDataError, TruncatedImageError } from './errors';

/** What a walk needs next from the bytes. */
type Step =
  | { kind: 'byte' }
  | { kind: 'read'; length: number }
  | { kind: 'skip'; length: number }
  | { kind: 'skipWhile'; byte: number }
  | { kind: 'skipToPair'; first: number; ends(second: number): boolean }
  | { kind: 'skipSizedBlocks' }
  | { kind: 'atEnd' };

/**
 * The most steps one walk may take. Each step costs far more than a byte, so a file of tiny
 * parts (empty chunks, one-byte segments) would cost a walk far more than its size: real
 * images need a fraction of this (a 200 MB PNG in 1 KB chunks, 400,000), and long runs of
 * small things (fill bytes, GIF sub-blocks, a scan) are single steps.
 */
export const MAX_WALK_STEPS = 1_000_000;

/**
 * A file format's structure read as its bytes stream by: a generator that asks for bytes with
 * the steps below (through `yield*`) and returns once the image has ended. The bytes already
 * seen are never kept, so a walk holds only what one step reads.
 */
export type Walk<T = void> = Generator<Step, T, unknown>;

/** How far into the file a walk has come: the bytes its steps have taken. */
export interface WalkPosition {
  readonly offset: number;
}

export interface ImageFormat {
  /** The format's name in messages: `JPEG`. */
  name: string;
  /** Where the format's files end, for the message on one that stops short: `its IEND chunk`. */
  end: string;
  /**
   * Walks one file. Returns where the image ended when it had to read beyond the end to know
   * (otherwise the image ends where the walk stops).
   */
  walk(position: WalkPosition): Walk<number | void>;
}

/** The next byte. */
export function* byte(): Walk<number> {
  return (yield { kind: 'byte' }) as number;
}

/** The next `length` bytes (a header: keep it small, the walk buffers it). */
export function* read(length: number): Walk<Buffer> {
  if (length === 0) return Buffer.alloc(0);
  return (yield { kind: 'read', length }) as Buffer;
}

/** Passes over the next `length` bytes without holding them. */
export function* skip(length: number): Walk {
  if (length > 0) yield { kind: 'skip', length };
}

/** Passes over any run of `byte`; returns the first other byte, taken. */
export function* skipWhile(byte: number): Walk<number> {
  return (yield { kind: 'skipWhile', byte }) as number;
}

/** Passes over blocks that each start with their size byte, up to and including an empty one. */
export function* skipSizedBlocks(): Walk {
  yield { kind: 'skipSizedBlocks' };
}

/**
 * Passes over the bytes up to the next `first` byte whose following byte `ends` accepts, and
 * returns that following byte, both taken. It finds `first` with `indexOf`, not byte by byte:
 * this is how a JPEG's scan, most of its bytes, is passed over.
 */
export function* skipToPair(first: number, ends: (second: number) => boolean): Walk<number> {
  return (yield { kind: 'skipToPair', first, ends }) as number;
}

/** Whether the file ends here; takes no byte. */
export function* atEnd(): Walk<boolean> {
  return (yield { kind: 'atEnd' }) as boolean;
}

export interface ImageWalker {
  /** Takes the next bytes; returns how many of them belong to the image (all, until it ends). */
  write(chunk: Buffer): number;
  /** The file has ended: throws if it did so before its image, or long after. */
  end(): void;
}

/**
 * Runs a format's walk over a file as it streams. The format's errors are thrown from `write`
 * as soon as the bytes show them; a file that ends early, or carries bytes after its image,
 * is refused by `end`.
 */
export function startWalk(format: ImageFormat): ImageWalker {
  const position = { offset: 0 };
  const walk = format.walk(position);
  let step: Step | undefined;
  let imageEnd = 0;
  let received = 0;
  // A read that spans chunks gathers here; a skip counts down.
  let gathered: Buffer | undefined;
  let gatheredBytes = 0;
  let skipLeft = 0;
  // The last chunk ended with the first byte of a pair: its second starts the next chunk.
  let pairStarted = false;
  // What is left of the current sized block.
  let blockLeft = 0;
  let steps = 0;

  function resume(value?: unknown): void {
    if (++steps > MAX_WALK_STEPS) {
      throw new MalformedImageError(
        `the ${format.name} is malformed: it has more parts than any image needs`,
      );
    }
    const next = walk.next(value);
    if (next.done) {
      step = undefined;
      imageEnd = next.value ?? position.offset;
    } else {
      step = next.value;
      if (step.kind === 'skip') skipLeft = step.length;
    }
  }

  /** Takes `length` bytes and resumes the walk with `value` (after moving, as it may look). */
  function take(length: number, value: unknown): number {
    position.offset += length;
    resume(value);
    return length;
  }

  /**
   * Feeds the current step from `chunk` at `offset`; returns how many bytes it took. The
   * position moves before the walk resumes, as the walk may read it.
   */
  function feed(current: Step, chunk: Buffer, offset: number): number {
    const available = chunk.length - offset;
    switch (current.kind) {
      case 'byte':
        return take(1, chunk[offset]);
      case 'read': {
        if (!gathered && available >= current.length) {
          return take(current.length, chunk.subarray(offset, offset + current.length));
        }
        gathered ??= Buffer.allocUnsafe(current.length);
        const taken = chunk.copy(gathered, gatheredBytes, offset);
        gatheredBytes += taken;
        position.offset += taken;
        if (gatheredBytes === current.length) {
          const whole = gathered;
          gathered = undefined;
          gatheredBytes = 0;
          resume(whole);
        }
        return taken;
      }
      case 'skip': {
        const taken = Math.min(skipLeft, available);
        skipLeft -= taken;
        position.offset += taken;
        if (skipLeft === 0) resume();
        return taken;
      }
      case 'skipWhile': {
        let at = offset;
        while (at < chunk.length && chunk[at] === current.byte) at++;
        if (at < chunk.length) return take(at + 1 - offset, chunk[at]);
        position.offset += available;
        return available;
      }
      case 'skipSizedBlocks': {
        let at = offset;
        while (at < chunk.length) {
          if (blockLeft > 0) {
            const taken = Math.min(blockLeft, chunk.length - at);
            blockLeft -= taken;
            at += taken;
          } else {
            blockLeft = chunk[at++];
            if (blockLeft === 0) return take(at - offset, undefined);
          }
        }
        position.offset += available;
        return available;
      }
      case 'skipToPair': {
        let from = offset;
        if (pairStarted) {
          pairStarted = false;
          if (current.ends(chunk[offset])) return take(1, chunk[offset]);
        }
        for (;;) {
          const found = chunk.indexOf(current.first, from);
          if (found < 0 || found + 1 === chunk.length) {
            pairStarted = found >= 0;
            position.offset += available;
            return available;
          }
          // Not a pair that ends the skip: the second byte may be the first of the next pair.
          if (current.ends(chunk[found + 1])) return take(found + 2 - offset, chunk[found + 1]);
          from = found + 1;
        }
      }
      case 'atEnd':
        resume(false);
        return 0;
    }
  }

  resume();
  return {
    write(chunk) {
      const start = received;
      received += chunk.length;
      let offset = 0;
      while (step && offset < chunk.length) {
        offset += feed(step, chunk, offset);
      }
      return step ? chunk.length : Math.max(0, Math.min(chunk.length, imageEnd - start));
    },
    end() {
      if (step?.kind === 'atEnd') resume(true);
      if (step) {
        throw new TruncatedImageError(
          `the ${format.name} is truncated: it ends before ${format.end}`,
        );
      }
      if (received > imageEnd) throw new TrailingDataError(received - imageEnd);
    },
  };
}
