import { crc32 } from 'node:zlib';
import { png, withPngSize } from '../../test/support/image-bytes';
import { walkOf } from '../../test/support/walk-in-chunks';
import { MalformedImageError, TooManyPixelsError } from './errors';
import { pngFormat } from './png-walk';

// What every format's walk does alike (cuts, bytes after the end, pixel floods) is in
// format-walks.spec.ts; here, the PNG's own rules.

const walk = walkOf(pngFormat);

/** A chunk, with its length and CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

describe('pngFormat', () => {
  it('refuses a flood whose header is right down to its CRC, as an encoder writes it', async () => {
    const file = await png();
    const flood = withPngSize(file, 30_000, 30_000);

    // The CRC the test computes matches the encoder's on the original header.
    expect(crc32(file.subarray(12, 29))).toBe(file.readUInt32BE(29));
    expect(crc32(flood.subarray(12, 29))).toBe(flood.readUInt32BE(29));
    expect(() => walk(flood)).toThrow(TooManyPixelsError);
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
