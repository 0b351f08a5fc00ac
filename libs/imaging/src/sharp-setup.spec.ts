import sharp from 'sharp';
import { asInvalidImage, openImage } from './open-image';
import { configureSharp } from './sharp-setup';
import { solidImage, svg } from './testing';

describe('configureSharp', () => {
  // The block is process-wide: lift it so later test files in this worker are unaffected.
  afterAll(() => sharp.unblock({ operation: ['VipsForeignLoad'] }));

  it('stops libvips from even parsing an SVG', async () => {
    // prepare
    await expect(sharp(svg).metadata()).resolves.toMatchObject({ format: 'svg' });

    // act
    configureSharp();

    // assess
    await expect(sharp(svg).metadata()).rejects.toThrow(/unsupported image format/);
    await expect(openImage(svg)).rejects.toThrow(/unsupported image format/);
  });

  it.each(['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'] as const)(
    'still decodes %s',
    async (format) => {
      // prepare
      configureSharp();
      const bytes = await solidImage(320, 240, format);

      // act
      const { image } = await openImage(bytes);
      const { info } = await asInvalidImage(image.raw().toBuffer({ resolveWithObject: true }));

      // assess
      expect(info).toMatchObject({ width: 320, height: 240 });
    },
  );
});
