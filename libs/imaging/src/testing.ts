import { dirname, join } from 'node:path';
import sharp from 'sharp';

// Test support, imported as `@gallery/imaging/testing` by specs only, never by the index.

/** A plain image of the given size and format, made by sharp. */
export function solidImage(
  width: number,
  height: number,
  format: 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff',
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3080c0' } })
    .toFormat(format)
    .toBuffer();
}

/** An SVG: a format no worker accepts, and one libvips would parse if let. */
export const svg = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">' +
    '<rect width="300" height="200" fill="red"/></svg>',
);

/** A real photo of people at a party, shipped inside an installed package (Human's sample sheet). */
export function peoplePhotoPath(): string {
  return join(dirname(require.resolve('@vladmandic/human')), '..', 'assets', 'samples.jpg');
}
