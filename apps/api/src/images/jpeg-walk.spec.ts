import {
  baselineJpeg,
  jpegSegmentAt,
  progressiveJpeg,
  zipArchive,
} from '../../test/support/image-bytes';
import { walkOf } from '../../test/support/walk-in-chunks';
import { MalformedImageError, TrailingDataError, TruncatedImageError } from './errors';
import { jpegFormat } from './jpeg-walk';

// What every format's walk does alike (cuts, bytes after the end, pixel floods) is in
// format-walks.spec.ts; here, the JPEG's own rules.

const walk = walkOf(jpegFormat);

const SOS = 0xda;

const segment = (marker: number, body: Buffer) => {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([header, body]);
};

/** Where the entropy-coded data of the JPEG's first scan starts: right after its SOS segment. */
function scanStart(jpeg: Buffer): number {
  const sos = jpegSegmentAt(jpeg, SOS);
  return sos + 2 + jpeg.readUInt16BE(sos + 2);
}

/** Well formed, yet no decoder can use it: its scan's bytes replaced by garbage with no 0xFF. */
function withGarbageScan(jpeg: Buffer): Buffer {
  const start = scanStart(jpeg);
  const garbage = Buffer.from(Array.from({ length: jpeg.length - 2 - start }, (_, n) => n % 255));
  return Buffer.concat([jpeg.subarray(0, start), garbage, Buffer.from([0xff, 0xd9])]);
}

/** A Multi-Picture primary: an APP2 `MPF` segment right after its SOI. */
const withMpf = (jpeg: Buffer) =>
  Buffer.concat([
    jpeg.subarray(0, 2),
    segment(0xe2, Buffer.from('MPF\0MM\0\x2a\0\0\0\x08', 'latin1')),
    jpeg.subarray(2),
  ]);

describe('jpegFormat', () => {
  it('takes a well-formed JPEG whose scan is garbage: decoding it is the workers’ job', async () => {
    const corrupt = withGarbageScan(await baselineJpeg());

    expect(walk(corrupt, 5)).toBe(corrupt.length);
  });

  it('reads past stuffed bytes, restart markers and fill bytes in a scan to its end', () => {
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      segment(0xdd, Buffer.from([0, 4])), // DRI: a restart every 4 MCUs
      segment(0xc0, Buffer.from([8, 0, 16, 0, 16, 1, 1, 0x11, 0])),
      segment(SOS, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
      Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd1, 0x78, 0xff]),
      Buffer.from([0xff, 0xd9]), // fill byte before EOI
    ]);

    expect(walk(jpeg, 1)).toBe(jpeg.length);
    expect(() => walk(jpeg.subarray(0, jpeg.length - 1), 1)).toThrow(TruncatedImageError);
  });

  it('takes JPEGs whose scans were partly overwritten with 0x55, as the end-to-end suite damages them', async () => {
    const damaged: Buffer[] = [];
    for (let n = 0; n < 20; n++) {
      const jpeg = await baselineJpeg();
      const start = scanStart(jpeg);
      const scanLength = jpeg.length - 2 - start;
      const from = start + Math.floor((scanLength * (n % 4)) / 5) + (n % 3);
      damaged.push(Buffer.from(jpeg).fill(0x55, from, from + Math.floor(scanLength / 5)));
    }

    const taken = damaged.map((file) => walk(file, 64));

    expect(taken).toEqual(damaged.map((file) => file.length));
  });

  it('passes over 0xFF and a reserved code in a scan: damaged data the decoder judges', async () => {
    const jpeg = await baselineJpeg();
    const start = scanStart(jpeg);
    const damaged = Buffer.concat([
      jpeg.subarray(0, start + 10),
      Buffer.from([0xff, 0x55, 0xff, 0x02, 0xff, 0xbf]),
      jpeg.subarray(start + 10),
    ]);

    expect(walk(damaged, 1)).toBe(damaged.length);
  });

  it('refuses bytes between segments where a marker belongs as malformed', async () => {
    const jpeg = await baselineJpeg();
    const sos = jpegSegmentAt(jpeg, SOS);

    const walking = () =>
      walk(Buffer.concat([jpeg.subarray(0, sos), Buffer.from([0x00]), jpeg.subarray(sos)]));

    expect(walking).toThrow(MalformedImageError);
    expect(walking).toThrow(`no marker where one belongs at byte ${sos}`);
  });

  it('takes a Multi-Picture JPEG (an Ultra HDR photo) with its further images', async () => {
    const primary = withMpf(await baselineJpeg());
    const file = Buffer.concat([primary, await baselineJpeg(), await progressiveJpeg()]);

    expect(walk(file, 7)).toBe(file.length);
  });

  it('refuses a Multi-Picture JPEG with a ZIP archive after its images, counting its bytes', async () => {
    const file = Buffer.concat([withMpf(await baselineJpeg()), await baselineJpeg(), zipArchive]);

    expect(() => walk(file, 7)).toThrow(new TrailingDataError(zipArchive.length));
  });

  it('refuses a JPEG after a JPEG when the first declares no further images', async () => {
    const [first, second] = [await baselineJpeg(), await baselineJpeg()];

    const walking = () => walk(Buffer.concat([first, second]));

    expect(walking).toThrow(new TrailingDataError(second.length));
  });
});
