import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { thumbHashToAverageRGBA, thumbHashToRGBA } from 'thumbhash';
import { InvalidImageError } from '@gallery/imaging';
import { solidImage } from '@gallery/imaging/testing';
import { PermanentError } from '@gallery/messaging';
import {
  detailedJpeg,
  grey16Png,
  halfTransparentPng,
  rotatedJpegWithExif,
  truncatedJpeg,
} from '../test/images';
import { renderThumbnails, type RenderedThumbnail } from './thumbnails';

const sizes = (outputs: RenderedThumbnail[]) =>
  outputs.map(({ width, height, format }) => ({ width, height, format }));

/** The RGBA pixel at (x, y) of an encoded image. */
async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 4;
  return [...data.subarray(at, at + 4)];
}

const placeholderOf = (base64: string) => Buffer.from(base64, 'base64');

describe('renderThumbnails', () => {
  it('renders a 12 MP JPEG as WebP 256 and 1280 px wide, keeping its aspect ratio', async () => {
    // prepare
    const original = await detailedJpeg(4000, 3000);

    // act
    const rendered = await renderThumbnails(original);

    // assess
    expect(rendered).toMatchObject({ width: 4000, height: 3000 });
    expect(sizes(rendered.outputs)).toEqual([
      { width: 256, height: 192, format: 'webp' },
      { width: 1280, height: 960, format: 'webp' },
    ]);
    for (const output of rendered.outputs) {
      const metadata = await sharp(output.data).metadata();
      expect(metadata).toMatchObject({
        format: 'webp',
        width: output.width,
        height: output.height,
      });
    }
  });

  it('applies the EXIF orientation, so a photo stored sideways comes out portrait', async () => {
    // prepare: stored 1200 × 800, red left; orientation 6 shows it 800 × 1200, red on top
    const original = await rotatedJpegWithExif(1200, 800);

    // act
    const rendered = await renderThumbnails(original);

    // assess
    expect(rendered).toMatchObject({ width: 800, height: 1200 });
    expect(sizes(rendered.outputs)).toEqual([
      { width: 256, height: 384, format: 'webp' },
      { width: 800, height: 1200, format: 'webp' },
    ]);
    const grid = rendered.outputs[0].data;
    const [top, bottom] = [await pixelAt(grid, 128, 40), await pixelAt(grid, 128, 340)];
    expect(top[0]).toBeGreaterThan(200);
    expect(top[2]).toBeLessThan(60);
    expect(bottom[0]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(200);
  });

  it('leaves no EXIF and no orientation tag in its outputs', async () => {
    // prepare
    const original = await rotatedJpegWithExif(1200, 800);
    expect((await sharp(original).metadata()).exif).toBeDefined();

    // act
    const { outputs } = await renderThumbnails(original);

    // assess
    for (const { data } of outputs) {
      const metadata = await sharp(data).metadata();
      expect(metadata.exif).toBeUndefined();
      expect(metadata.orientation).toBeUndefined();
      expect(data.includes('private')).toBe(false);
    }
  });

  it('keeps the transparency of a PNG with alpha', async () => {
    // prepare
    const original = await halfTransparentPng(600, 400);

    // act
    const rendered = await renderThumbnails(original);

    // assess
    const grid = rendered.outputs[0].data;
    expect((await sharp(grid).metadata()).hasAlpha).toBe(true);
    expect((await pixelAt(grid, 10, 80))[3]).toBe(255);
    expect((await pixelAt(grid, 246, 80))[3]).toBe(0);
    expect(thumbHashToAverageRGBA(placeholderOf(rendered.placeholder)).a).toBeLessThan(0.9);
  });

  it('never enlarges: a 100 × 80 original yields one 100 × 80 file', async () => {
    // prepare
    const original = await solidImage(100, 80, 'jpeg');

    // act
    const rendered = await renderThumbnails(original);

    // assess
    expect(rendered).toMatchObject({ width: 100, height: 80 });
    expect(sizes(rendered.outputs)).toEqual([{ width: 100, height: 80, format: 'webp' }]);
  });

  it('keeps a very long strip at most four times taller than wide', async () => {
    // prepare
    const original = await solidImage(300, 3000, 'png');

    // act
    const { outputs } = await renderThumbnails(original);

    // assess
    expect(sizes(outputs)).toEqual([
      { width: 102, height: 1024, format: 'webp' },
      { width: 300, height: 3000, format: 'webp' },
    ]);
  });

  it('makes a thumbhash placeholder of the oriented image', async () => {
    // prepare: shows 800 × 1200, red on top, blue below
    const original = await rotatedJpegWithExif(1200, 800);

    // act
    const { placeholder } = await renderThumbnails(original);

    // assess
    expect(placeholder.length).toBeLessThanOrEqual(200);
    const { w, h, rgba } = thumbHashToRGBA(placeholderOf(placeholder));
    expect(rgba).toHaveLength(w * h * 4);
    expect(h).toBeGreaterThan(w);
    const pixel = (x: number, y: number) => rgba.subarray((y * w + x) * 4, (y * w + x) * 4 + 4);
    const [top, bottom] = [pixel(w >> 1, 2), pixel(w >> 1, h - 3)];
    expect(top[0]).toBeGreaterThan(top[2]);
    expect(bottom[2]).toBeGreaterThan(bottom[0]);
  });

  it.each(['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'] as const)(
    'accepts %s originals',
    async (format) => {
      // prepare
      const original = await solidImage(640, 480, format);

      // act
      const rendered = await renderThumbnails(original);

      // assess
      expect(sizes(rendered.outputs)).toEqual([
        { width: 256, height: 192, format: 'webp' },
        { width: 640, height: 480, format: 'webp' },
      ]);
    },
  );

  it('accepts a 16-bit greyscale PNG', async () => {
    // prepare
    const original = await grey16Png(512, 512);

    // act
    const rendered = await renderThumbnails(original);

    // assess
    expect(sizes(rendered.outputs)[0]).toEqual({ width: 256, height: 256, format: 'webp' });
    expect(thumbHashToRGBA(placeholderOf(rendered.placeholder)).w).toBeGreaterThan(0);
  });

  it.each([
    ['a truncated JPEG', truncatedJpeg, /^image could not be decoded: .+/],
    ['random bytes', async () => randomBytes(4096), /^image could not be decoded: .*unsupported/],
  ])('rejects %s as a permanent error', async (_, makeOriginal, message) => {
    // prepare
    const original = await makeOriginal();

    // act
    const error = await renderThumbnails(original).catch((e: unknown) => e);

    // assess
    expect(error).toBeInstanceOf(InvalidImageError);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(message);
  });

  it("keeps sharp's error as the cause of a decoding failure", async () => {
    // prepare
    const original = await truncatedJpeg();

    // act
    const error = (await renderThumbnails(original).catch((e: unknown) => e)) as Error;

    // assess
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toContain((error.cause as Error).message.trim());
  });
});
