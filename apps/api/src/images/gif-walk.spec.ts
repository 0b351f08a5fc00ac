import { gif, zipArchive } from '../../test/support/image-bytes';
import { CHUNKINGS, walkInChunks } from '../../test/support/walk-in-chunks';
import {
  MalformedImageError,
  TooManyPixelsError,
  TrailingDataError,
  TruncatedImageError,
} from './errors';
import { gifFormat } from './gif-walk';

const walk = (bytes: Buffer, chunkSize = Number.MAX_SAFE_INTEGER) =>
  walkInChunks(gifFormat, bytes, chunkSize);

/** Where the first image descriptor starts: after the screen, its palette and extensions. */
function firstFrameAt(file: Buffer): number {
  let at = 13 + (file[10] & 0x80 ? 3 * (2 << (file[10] & 7)) : 0);
  while (file[at] === 0x21) {
    at += 2;
    while (file[at] !== 0) at += 1 + file[at];
    at += 1;
  }
  if (file[at] !== 0x2c) throw new Error('no image descriptor');
  return at;
}

describe('gifFormat', () => {
  describe.each(CHUNKINGS)('on a file that arrives %s', (_arrival, chunkSize) => {
    it('takes all of a GIF as the image', async () => {
      const file = await gif();

      expect(walk(file, chunkSize)).toBe(file.length);
    });

    it('refuses a GIF without its trailer byte as truncated', async () => {
      const file = await gif();

      const walking = () => walk(file.subarray(0, file.length - 1), chunkSize);

      expect(walking).toThrow(TruncatedImageError);
      expect(walking).toThrow('the GIF is truncated: it ends before its trailer byte (0x3B)');
    });

    it('refuses a GIF with bytes after its trailer, counting them', async () => {
      const file = Buffer.concat([await gif(), zipArchive]);

      expect(() => walk(file, chunkSize)).toThrow(new TrailingDataError(zipArchive.length));
    });
  });

  it('refuses a GIF cut inside its image data', async () => {
    const file = await gif();

    expect(() => walk(file.subarray(0, file.length - 20))).toThrow(TruncatedImageError);
  });

  it('refuses a logical screen of too many pixels, naming both sizes', async () => {
    const flood = await gif();
    flood.writeUInt16LE(65_535, 6);
    flood.writeUInt16LE(65_535, 8);

    const walking = () => walk(flood);

    expect(walking).toThrow(TooManyPixelsError);
    expect(walking).toThrow('the GIF declares 65535 × 65535 pixels (4,294,836,225)');
  });

  it('refuses a frame of too many pixels in a small logical screen', async () => {
    const flood = await gif();
    const frame = firstFrameAt(flood);
    flood.writeUInt16LE(60_000, frame + 5);
    flood.writeUInt16LE(60_000, frame + 7);

    expect(() => walk(flood)).toThrow(TooManyPixelsError);
  });

  it('refuses a byte that starts no block as malformed', async () => {
    const file = await gif();
    const broken = Buffer.concat([file.subarray(0, -1), Buffer.from('<', 'latin1')]);

    expect(() => walk(broken)).toThrow(MalformedImageError);
  });
});
