import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

/**
 * A real photo shipped inside an installed package: a group of people at a party, from
 * Human's own sample sheet.
 */
export function peoplePhotoPath(): string {
  const humanEntry = createRequire(__filename).resolve('@vladmandic/human');
  return join(dirname(humanEntry), '..', 'assets', 'samples.jpg');
}
