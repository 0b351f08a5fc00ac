import { PermanentError } from '@gallery/messaging';
import { heic, pixelBombPng, randomBytesImage, truncatedJpeg } from '../test/images';
import { InvalidImageError } from './errors';
import { asInvalidImage, decoderReason, openImage } from './open-image';
import { solidImage, svg } from './testing';

describe('openImage', () => {
  it.each(['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'] as const)(
    'opens a %s and reads its header',
    async (format) => {
      // prepare
      const bytes = await solidImage(320, 240, format);

      // act
      const { image, metadata } = await openImage(bytes);

      // assess
      expect(metadata).toMatchObject({ width: 320, height: 240 });
      expect(await image.metadata()).toMatchObject({ width: 320, height: 240 });
    },
  );

  it.each([
    ['an SVG', async () => svg, /^unsupported image format: svg$/],
    ['random bytes', async () => randomBytesImage(), /^image could not be decoded: .*unsupported/],
    ['a HEIC photo', async () => heic(64, 48), /^HEIC is not supported$/],
    [
      'a header claiming 20000 × 20000 pixels',
      async () => pixelBombPng(20000, 20000),
      /^image could not be decoded: .*pixel limit/,
    ],
  ])(
    'refuses %s as a permanent error, before decoding any pixel',
    async (_, makeBytes, message) => {
      // prepare
      const bytes = await makeBytes();

      // act
      const error = await openImage(bytes).catch((e: unknown) => e);

      // assess
      expect(error).toBeInstanceOf(InvalidImageError);
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as Error).message).toMatch(message);
    },
  );
});

describe('asInvalidImage', () => {
  it("turns a failure to decode a truncated JPEG into a permanent error caused by sharp's", async () => {
    // prepare: the header is whole, so the image opens
    const { image } = await openImage(await truncatedJpeg());

    // act
    const error = (await asInvalidImage(image.raw().toBuffer()).catch((e: unknown) => e)) as Error;

    // assess
    expect(error).toBeInstanceOf(InvalidImageError);
    expect(error.message).toMatch(/^image could not be decoded: .+/);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toContain((error.cause as Error).message.trim());
  });

  it('passes a result through untouched', async () => {
    await expect(asInvalidImage(Promise.resolve(42))).resolves.toBe(42);
  });
});

describe('decoderReason', () => {
  it('keeps each of the decoder lines once', () => {
    const message =
      'VipsJpeg: Corrupt JPEG data: bad Huffman code\nVipsJpeg: Corrupt JPEG data: bad Huffman code\n';
    expect(decoderReason(message)).toBe('VipsJpeg: Corrupt JPEG data: bad Huffman code');
  });

  it('drops the failOn notice beside the warning it stands for', () => {
    const message =
      'VipsJpeg: Premature end of JPEG file\nWarning treated as error due to failOn setting\n';
    expect(decoderReason(message)).toBe('VipsJpeg: Premature end of JPEG file');
  });

  it('says what the failOn notice alone means', () => {
    const message = 'Warning treated as error due to failOn setting';
    expect(decoderReason(message)).toBe('the image data is corrupt or incomplete');
  });
});
