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
 * Process-wide sharp settings for a worker: no cache (each image is read once, so a cache
 * would only hold memory between records), and every libvips loader blocked but the allowed
 * ones, so SVG, PDF and the rest never parse untrusted bytes; `openImage` checks the format as
 * well. Called once by each entry point, as it changes global state.
 */
export function configureSharp(): void {
  sharp.cache(false);
  sharp.block({ operation: ['VipsForeignLoad'] });
  sharp.unblock({ operation: ALLOWED_LOADERS });
}
