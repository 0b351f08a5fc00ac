import {
  baselineJpeg,
  extendedWebp,
  gif,
  htmlPage,
  jpegSegmentAt,
  losslessWebp,
  lossyWebp,
  png,
  progressiveJpeg,
  withGifSize,
  withJpegSize,
  withPngSize,
  withWebpSize,
  zipArchive,
} from '../../test/support/image-bytes';
import { CHUNKINGS, walkOf } from '../../test/support/walk-in-chunks';
import { TooManyPixelsError, TrailingDataError, TruncatedImageError } from './errors';
import { gifFormat } from './gif-walk';
import type { ImageFormat } from './image-walk';
import { jpegFormat } from './jpeg-walk';
import { pngFormat } from './png-walk';
import { webpFormat } from './webp-walk';

// What the walk of every format does alike; each format's own rules are in its *-walk.spec.ts.

type Kind = [kind: string, make: () => Promise<Buffer>];

interface FormatCase {
  format: ImageFormat;
  /** Each kind of file of the format, made afresh. */
  kinds: Kind[];
  /** Ways to cut a file short, each said as it follows the kind: `cut inside its scan`. */
  cuts: Array<[how: string, cut: (file: Buffer) => Buffer]>;
  /** What a file cut short is refused with. */
  truncated: string;
  /** The file with the size its header declares changed. */
  withSize(file: Buffer, width: number, height: number): Buffer;
  /** The first bytes of the file, up to and including the size it declares. */
  header(file: Buffer): Buffer;
  /** A size over the pixel limit that every kind can declare, as the refusal names it. */
  flood: { width: number; height: number; declares: string };
}

const SOS = 0xda;

const FORMATS: FormatCase[] = [
  {
    format: jpegFormat,
    kinds: [
      ['a baseline JPEG', baselineJpeg],
      ['a progressive JPEG', progressiveJpeg],
    ],
    cuts: [
      ['cut inside its scan', (file) => file.subarray(0, -100)],
      [
        'cut in its headers, before any scan',
        (file) => file.subarray(0, jpegSegmentAt(file, SOS) - 10),
      ],
    ],
    truncated: 'the JPEG is truncated: it ends before its end-of-image marker',
    withSize: withJpegSize,
    header: (file) => file.subarray(0, jpegSegmentAt(file, SOS)),
    flood: { width: 30_000, height: 30_000, declares: '30000 × 30000 pixels (900,000,000)' },
  },
  {
    format: pngFormat,
    kinds: [['a PNG', png]],
    cuts: [
      ['cut before its IEND chunk', (file) => file.subarray(0, -12)],
      ['cut inside its image data', (file) => file.subarray(0, file.length / 2)],
    ],
    truncated: 'the PNG is truncated: it ends before its IEND chunk',
    withSize: withPngSize,
    header: (file) => file.subarray(0, 33), // signature and IHDR
    flood: { width: 30_000, height: 30_000, declares: '30000 × 30000 pixels (900,000,000)' },
  },
  {
    format: gifFormat,
    kinds: [['a GIF', gif]],
    cuts: [
      ['without its trailer byte', (file) => file.subarray(0, -1)],
      ['cut inside its image data', (file) => file.subarray(0, -20)],
    ],
    truncated: 'the GIF is truncated: it ends before its trailer byte (0x3B)',
    withSize: withGifSize,
    header: (file) => file.subarray(0, 13), // header and logical screen
    flood: { width: 65_535, height: 65_535, declares: '65535 × 65535 pixels (4,294,836,225)' },
  },
  {
    format: webpFormat,
    kinds: [
      ['a lossy (VP8) WebP', lossyWebp],
      ['a lossless (VP8L) WebP', losslessWebp],
      ['an extended (VP8X) WebP', extendedWebp],
    ],
    cuts: [['shorter than its RIFF header says', (file) => file.subarray(0, -2)]],
    truncated: 'the WebP is truncated: it ends before the length its RIFF header declares',
    withSize: withWebpSize,
    header: (file) => file.subarray(0, 30), // RIFF header, first chunk's header, its size
    flood: { width: 16_383, height: 16_383, declares: '16383 × 16383 pixels (268,402,689)' },
  },
];

/** What rides along after an image in the files the walks must refuse. */
const APPENDED: Array<[what: string, bytes: Buffer]> = [
  ['a ZIP archive', zipArchive],
  ['an HTML page', htmlPage],
];

/** Every pairing of the rows of `left` with those of `right`, their names first for titles. */
const pairs = <A, B>(left: Array<[string, A]>, right: Array<[string, B]>) =>
  left.flatMap(([leftName, a]) =>
    right.map(([rightName, b]) => [leftName, rightName, a, b] as [string, string, A, B]),
  );

describe.each(FORMATS)(
  '$format.name walk',
  ({ format, kinds, cuts, truncated, withSize, header, flood }) => {
    const walk = walkOf(format);

    describe.each(CHUNKINGS)('on a file that arrives %s', (_arrival, chunkSize) => {
      it.each(kinds)('takes all of %s as the image', async (_kind, make) => {
        const file = await make();

        const imageBytes = walk(file, chunkSize);

        expect(imageBytes).toBe(file.length);
      });

      it.each(pairs(kinds, cuts))('refuses %s %s as truncated', async (_kind, _how, make, cut) => {
        const file = cut(await make());

        const walking = () => walk(file, chunkSize);

        expect(walking).toThrow(TruncatedImageError);
        expect(walking).toThrow(truncated);
      });

      it.each(pairs(kinds, APPENDED))(
        'refuses %s with %s after its end, saying how many bytes follow it',
        async (_kind, _what, make, appended) => {
          const file = Buffer.concat([await make(), appended]);

          const walking = () => walk(file, chunkSize);

          expect(walking).toThrow(TrailingDataError);
          expect(walking).toThrow(
            `the file carries ${appended.length} bytes after the end of its image: Gallery ` +
              'stores single images only, with nothing appended (not even the video of a ' +
              'motion photo)',
          );
        },
      );
    });

    it.each(kinds)(
      'refuses %s declaring too many pixels from its header alone, naming both sizes',
      async (_kind, make) => {
        const flooded = header(withSize(await make(), flood.width, flood.height));

        const walking = () => walk(flooded);

        expect(walking).toThrow(TooManyPixelsError);
        expect(walking).toThrow(
          `the ${format.name} declares ${flood.declares}, more than the 100,000,000 this ` +
            'server decodes',
        );
      },
    );

    it.each(kinds)(
      'takes %s declaring exactly the pixel limit, and refuses it one row larger',
      async (_kind, make) => {
        const file = await make();

        const atLimit = walk(withSize(file, 12_500, 8_000));
        const oneRowMore = () => walk(withSize(file, 12_500, 8_001));

        expect(atLimit).toBe(file.length);
        expect(oneRowMore).toThrow(TooManyPixelsError);
      },
    );
  },
);
