import sharp from 'sharp';
import { solidImage, svg } from '../test/images';
import { allowOnlyImageDecoders } from './sharp-setup';
import { renderThumbnails } from './thumbnails';

describe('allowOnlyImageDecoders', () => {
  // The block is process-wide: lift it so later test files in this worker are unaffected.
  afterAll(() => sharp.unblock({ operation: ['VipsForeignLoad'] }));

  it('stops libvips from even parsing an SVG', async () => {
    // prepare
    await expect(sharp(svg).metadata()).resolves.toMatchObject({ format: 'svg' });

    // act
    allowOnlyImageDecoders();

    // assess
    await expect(sharp(svg).metadata()).rejects.toThrow(/unsupported image format/);
    await expect(renderThumbnails(svg)).rejects.toThrow(/unsupported image format/);
  });

  it.each(['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'] as const)(
    'still decodes %s',
    async (format) => {
      // prepare
      allowOnlyImageDecoders();
      const original = await solidImage(320, 240, format);

      // act
      const rendered = await renderThumbnails(original);

      // assess
      expect(rendered).toMatchObject({ width: 320, height: 240 });
    },
  );
});
