import {
  baselineJpeg,
  htmlPage,
  progressiveJpeg,
  zipArchive,
} from '../../test/support/image-bytes';
import { CHUNKINGS, walkInChunks } from '../../test/support/walk-in-chunks';
import {
  MalformedImageError,
  TooManyPixelsError,
  TrailingDataError,
  TruncatedImageError,
} from './errors';
import { jpegFormat } from './jpeg-walk';

const walk = (bytes: Buffer, chunkSize = Number.MAX_SAFE_INTEGER) =>
  walkInChunks(jpegFormat, bytes, chunkSize);

/** Where the segment with `marker` starts (its 0xFF), found by walking the segments' lengths. */
function segmentAt(jpeg: Buffer, marker: number): number {
  for (let offset = 2; offset < jpeg.length; offset += 2 + jpeg.readUInt16BE(offset + 2)) {
    if (jpeg[offset + 1] === marker) return offset;
  }
  throw new Error(`no segment 0x${marker.toString(16)}`);
}

const segment = (marker: number, body: Buffer) => {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([header, body]);
};

/** The JPEG with the size in its frame header (SOF0 or SOF2) changed. */
function withFrameSize(jpeg: Buffer, width: number, height: number): Buffer {
  const patched = Buffer.from(jpeg);
  const sof = segmentAt(jpeg, jpeg.includes(Buffer.from([0xff, 0xc2])) ? 0xc2 : 0xc0);
  patched.writeUInt16BE(height, sof + 5);
  patched.writeUInt16BE(width, sof + 7);
  return patched;
}

/** Well formed, yet no decoder can use it: its scan's bytes replaced by garbage with no 0xFF. */
function withGarbageScan(jpeg: Buffer): Buffer {
  const sos = segmentAt(jpeg, 0xda);
  const scanStart = sos + 2 + jpeg.readUInt16BE(sos + 2);
  const garbage = Buffer.from(
    Array.from({ length: jpeg.length - 2 - scanStart }, (_, n) => n % 255),
  );
  return Buffer.concat([jpeg.subarray(0, scanStart), garbage, Buffer.from([0xff, 0xd9])]);
}

/** A Multi-Picture primary: an APP2 `MPF` segment right after its SOI. */
const withMpf = (jpeg: Buffer) =>
  Buffer.concat([
    jpeg.subarray(0, 2),
    segment(0xe2, Buffer.from('MPF\0MM\0\x2a\0\0\0\x08', 'latin1')),
    jpeg.subarray(2),
  ]);

describe('jpegFormat', () => {
  describe.each(CHUNKINGS)('on a file that arrives %s', (_arrival, chunkSize) => {
    it.each([
      ['a baseline JPEG', baselineJpeg],
      ['a progressive JPEG, with its many scans', progressiveJpeg],
    ])('takes all of %s as the image', async (_kind, make) => {
      const jpeg = await make();

      const imageBytes = walk(jpeg, chunkSize);

      expect(imageBytes).toBe(jpeg.length);
    });

    it('refuses a JPEG cut inside its scan as truncated', async () => {
      const jpeg = await progressiveJpeg();

      const walking = () => walk(jpeg.subarray(0, jpeg.length - 100), chunkSize);

      expect(walking).toThrow(TruncatedImageError);
      expect(walking).toThrow('the JPEG is truncated: it ends before its end-of-image marker');
    });

    it('refuses a JPEG with a ZIP archive after its end, counting the bytes', async () => {
      const jpeg = await baselineJpeg();

      const walking = () => walk(Buffer.concat([jpeg, zipArchive]), chunkSize);

      expect(walking).toThrow(new TrailingDataError(zipArchive.length));
    });
  });

  it('says how many bytes follow the image, and that only single images are stored', async () => {
    const jpeg = await baselineJpeg();

    const walking = () => walk(Buffer.concat([jpeg, htmlPage]));

    expect(walking).toThrow(
      `the file carries ${htmlPage.length} bytes after the end of its image: Gallery stores ` +
        'single images only, with nothing appended (not even the video of a motion photo)',
    );
  });

  it('refuses a JPEG cut in its headers, before any scan', async () => {
    const jpeg = await baselineJpeg();

    const walking = () => walk(jpeg.subarray(0, segmentAt(jpeg, 0xda) - 10));

    expect(walking).toThrow(TruncatedImageError);
  });

  it.each([
    ['a baseline', baselineJpeg],
    ['a progressive', progressiveJpeg],
  ])(
    'refuses %s JPEG whose frame header declares too many pixels, naming both sizes',
    async (_kind, make) => {
      const flood = withFrameSize(await make(), 30_000, 30_000);
      const walker = () => walk(flood.subarray(0, 1000));

      expect(walker).toThrow(TooManyPixelsError);
      expect(walker).toThrow(
        'the JPEG declares 30000 × 30000 pixels (900,000,000), more than the 100,000,000 this ' +
          'server decodes',
      );
    },
  );

  it('takes a JPEG of exactly the pixel limit', async () => {
    const jpeg = withFrameSize(await baselineJpeg(), 10_000, 10_000);

    expect(walk(jpeg)).toBe(jpeg.length);
  });

  it('takes a well-formed JPEG whose scan is garbage: decoding it is the workers’ job', async () => {
    const corrupt = withGarbageScan(await baselineJpeg());

    expect(walk(corrupt, 5)).toBe(corrupt.length);
  });

  it('reads past stuffed bytes, restart markers and fill bytes in a scan to its end', () => {
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      segment(0xdd, Buffer.from([0, 4])), // DRI: a restart every 4 MCUs
      segment(0xc0, Buffer.from([8, 0, 16, 0, 16, 1, 1, 0x11, 0])),
      segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
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
      const sos = segmentAt(jpeg, 0xda);
      const scanStart = sos + 2 + jpeg.readUInt16BE(sos + 2);
      const scanLength = jpeg.length - 2 - scanStart;
      const start = scanStart + Math.floor((scanLength * (n % 4)) / 5) + (n % 3);
      damaged.push(Buffer.from(jpeg).fill(0x55, start, start + Math.floor(scanLength / 5)));
    }

    const taken = damaged.map((file) => walk(file, 64));

    expect(taken).toEqual(damaged.map((file) => file.length));
  });

  it('passes over 0xFF and a reserved code in a scan: damaged data the decoder judges', async () => {
    const jpeg = await baselineJpeg();
    const sos = segmentAt(jpeg, 0xda);
    const scanStart = sos + 2 + jpeg.readUInt16BE(sos + 2);
    const damaged = Buffer.concat([
      jpeg.subarray(0, scanStart + 10),
      Buffer.from([0xff, 0x55, 0xff, 0x02, 0xff, 0xbf]),
      jpeg.subarray(scanStart + 10),
    ]);

    expect(walk(damaged, 1)).toBe(damaged.length);
  });

  it('refuses bytes between segments where a marker belongs as malformed', async () => {
    const jpeg = await baselineJpeg();
    const sos = segmentAt(jpeg, 0xda);

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
