import { crc32, htmlPage, pixelFloodPng, png, withPngSize } from '../../test/support/image-bytes';
import { CHUNKINGS, walkInChunks } from '../../test/support/walk-in-chunks';
import {
  MalformedImageError,
  TooManyPixelsError,
  TrailingDataError,
  TruncatedImageError,
} from './errors';
import { pngFormat } from './png-walk';

const walk = (bytes: Buffer, chunkSize = Number.MAX_SAFE_INTEGER) =>
  walkInChunks(pngFormat, bytes, chunkSize);

/** A chunk, with its length and CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const IEND_BYTES = 12;

describe('pngFormat', () => {
  describe.each(CHUNKINGS)('on a file that arrives %s', (_arrival, chunkSize) => {
    it('takes all of a PNG as the image', async () => {
      const file = await png();

      expect(walk(file, chunkSize)).toBe(file.length);
    });

    it('refuses a PNG cut before its IEND chunk as truncated', async () => {
      const file = await png();

      const walking = () => walk(file.subarray(0, file.length - IEND_BYTES), chunkSize);

      expect(walking).toThrow(TruncatedImageError);
      expect(walking).toThrow('the PNG is truncated: it ends before its IEND chunk');
    });

    it('refuses a PNG with bytes after its IEND chunk, counting them', async () => {
      const file = Buffer.concat([await png(), htmlPage]);

      expect(() => walk(file, chunkSize)).toThrow(new TrailingDataError(htmlPage.length));
    });
  });

  it('refuses a PNG cut inside its image data', async () => {
    const file = await png();

    expect(() => walk(file.subarray(0, file.length / 2))).toThrow(TruncatedImageError);
  });

  it('refuses a pixel flood from its header, before reading the rest, naming both sizes', async () => {
    const flood = await pixelFloodPng(30_000, 30_000);
    const header = flood.subarray(0, 33); // signature and IHDR

    const walking = () => walk(header);

    expect(walking).toThrow(TooManyPixelsError);
    expect(walking).toThrow(
      'the PNG declares 30000 × 30000 pixels (900,000,000), more than the 100,000,000 this ' +
        'server decodes',
    );
  });

  it('refuses a flood whose header is right down to its CRC, as an encoder writes it', async () => {
    const file = await png();
    const flood = withPngSize(file, 30_000, 30_000);

    // The CRC the test computes matches the encoder's on the original header.
    expect(crc32(file.subarray(12, 29))).toBe(file.readUInt32BE(29));
    expect(crc32(flood.subarray(12, 29))).toBe(flood.readUInt32BE(29));
    expect(() => walk(flood)).toThrow(TooManyPixelsError);
  });

  it('takes a header that declares exactly the pixel limit', async () => {
    const file = withPngSize(await png(), 20_000, 5_000);

    expect(walk(file)).toBe(file.length);
  });

  it('takes chunks it does not know, by their length', async () => {
    const file = await png();
    const text = chunk('tEXt', Buffer.from('Comment\0made in a test', 'latin1'));
    const withText = Buffer.concat([file.subarray(0, 33), text, file.subarray(33)]);

    expect(walk(withText, 3)).toBe(withText.length);
  });

  it('refuses garbage where a chunk belongs as malformed, saying where', async () => {
    const file = await png();
    const garbage = Buffer.concat([
      file.subarray(0, 33),
      Buffer.from('\xff\xff\xff\xff<!--', 'latin1'),
    ]);

    const walking = () => walk(garbage);

    expect(walking).toThrow(MalformedImageError);
    expect(walking).toThrow('the PNG is malformed: no chunk where one belongs, at byte 33');
  });

  it('refuses a PNG that does not start with IHDR as malformed', async () => {
    const file = await png();
    const text = chunk('tEXt', Buffer.from('a\0b', 'latin1'));

    const walking = () => walk(Buffer.concat([file.subarray(0, 8), text, file.subarray(8)]));

    expect(walking).toThrow('the PNG is malformed: it does not start with an IHDR chunk');
  });
});
