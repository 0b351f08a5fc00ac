import { extendedWebp, htmlPage, losslessWebp, lossyWebp } from '../../test/support/image-bytes';
import { CHUNKINGS, walkInChunks } from '../../test/support/walk-in-chunks';
import {
  MalformedImageError,
  TooManyPixelsError,
  TrailingDataError,
  TruncatedImageError,
} from './errors';
import { webpFormat } from './webp-walk';

const walk = (bytes: Buffer, chunkSize = Number.MAX_SAFE_INTEGER) =>
  walkInChunks(webpFormat, bytes, chunkSize);

const KINDS: Array<[kind: string, make: () => Promise<Buffer>]> = [
  ['a lossy (VP8)', lossyWebp],
  ['a lossless (VP8L)', losslessWebp],
  ['an extended (VP8X)', extendedWebp],
];

/** Writes the largest size each kind of header can state. */
const flood: Record<string, (file: Buffer) => void> = {
  'VP8 ': (file) => {
    file.writeUInt16LE(0x3fff, 26);
    file.writeUInt16LE(0x3fff, 28);
  },
  VP8L: (file) => file.writeUInt32LE(0x0fffffff | (file.readUInt32LE(21) & 0xf0000000), 21),
  VP8X: (file) => {
    file.writeUIntLE(0xffffff, 24, 3);
    file.writeUIntLE(0xffffff, 27, 3);
  },
};

describe('webpFormat', () => {
  describe.each(CHUNKINGS)('on a file that arrives %s', (_arrival, chunkSize) => {
    it.each(KINDS)('takes all of %s WebP as the image', async (_kind, make) => {
      const file = await make();

      expect(walk(file, chunkSize)).toBe(file.length);
    });

    it.each(KINDS)('refuses %s WebP shorter than its RIFF header says', async (_kind, make) => {
      const file = await make();

      const walking = () => walk(file.subarray(0, file.length - 2), chunkSize);

      expect(walking).toThrow(TruncatedImageError);
      expect(walking).toThrow(
        'the WebP is truncated: it ends before the length its RIFF header declares',
      );
    });

    it('refuses a WebP longer than its RIFF header says, counting the extra bytes', async () => {
      const file = Buffer.concat([await lossyWebp(), htmlPage]);

      expect(() => walk(file, chunkSize)).toThrow(new TrailingDataError(htmlPage.length));
    });
  });

  it.each(KINDS)('refuses %s WebP whose header declares too many pixels', async (_kind, make) => {
    const file = await make();
    flood[file.toString('latin1', 12, 16)](file);

    expect(() => walk(file)).toThrow(TooManyPixelsError);
  });

  it('names the declared size of an extended WebP and the limit', async () => {
    const file = await extendedWebp();
    flood.VP8X(file);

    expect(() => walk(file)).toThrow(
      'the WebP declares 16777216 × 16777216 pixels (281,474,976,710,656), more than the ' +
        '100,000,000 this server decodes',
    );
  });

  it('refuses a RIFF whose first chunk is no image as malformed', async () => {
    const file = await lossyWebp();
    file.write('ICCP', 12, 'latin1');

    expect(() => walk(file)).toThrow(MalformedImageError);
    expect(() => walk(file)).toThrow('its first chunk is "ICCP", not VP8, VP8L or VP8X');
  });
});
