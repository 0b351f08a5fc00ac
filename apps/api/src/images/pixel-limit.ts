import { MAX_INPUT_PIXELS } from '@gallery/imaging/limits';
import { TooManyPixelsError } from './errors';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Refuses an image whose header declares more pixels than the workers decode: a few KB can
 * declare gigapixels (a decompression bomb), which the workers would only refuse later.
 */
export function checkPixelCount(format: string, width: number, height: number): void {
  const pixels = width * height;
  if (pixels > MAX_INPUT_PIXELS) {
    throw new TooManyPixelsError(
      `the ${format} declares ${width} × ${height} pixels (${count(pixels)}), more than the ` +
        `${count(MAX_INPUT_PIXELS)} this server decodes`,
    );
  }
}
