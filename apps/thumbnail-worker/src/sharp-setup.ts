import sharp from 'sharp';

/** libvips loaders for the allowed formats, reading from memory (originals arrive as buffers). */
const ALLOWED_LOADERS = [
  'VipsForeignLoadJpegBuffer',
  'VipsForeignLoadPngBuffer',
  'VipsForeignLoadWebpBuffer',
  'VipsForeignLoadHeifBuffer',
  'VipsForeignLoadNsgifBuffer',
  'VipsForeignLoadTiffBuffer',
];

/**
 * Blocks every libvips loader but the allowed ones, process-wide, so that SVG, PDF and the
 * rest never parse untrusted bytes at all; `renderThumbnails` checks the format as well.
 * Called once by each entry point, as it changes global state.
 */
export function allowOnlyImageDecoders(): void {
  sharp.block({ operation: ['VipsForeignLoad'] });
  sharp.unblock({ operation: ALLOWED_LOADERS });
}
