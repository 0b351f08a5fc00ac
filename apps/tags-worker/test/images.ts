import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

export const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * Uniform random pixels as a fast, barely compressed PNG: heavy on disk and as a JPEG, since
 * noise defeats every encoder.
 */
export function noisePng(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}
