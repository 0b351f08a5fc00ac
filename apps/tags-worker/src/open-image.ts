import { InvalidImageError } from './errors';
import type sharp from 'sharp';
import type { Sharp } from 'sharp';

export type SharpLib = typeof sharp;

/** Far below sharp's default (268 MP): a decompression bomb fails fast instead of eating memory. */
export const MAX_INPUT_PIXELS = 100_000_000;

/** Decoders this worker accepts; anything else (SVG, PDF, raw…) is refused before decoding. */
const DECODABLE = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);

/**
 * Opens untrusted bytes with sharp: checks the format against the allow-list, then returns
 * an auto-oriented pipeline. Throws an InvalidImageError for anything that cannot be decoded.
 */
export async function openImage(sharpLib: SharpLib, bytes: Buffer): Promise<Sharp> {
  const options = { limitInputPixels: MAX_INPUT_PIXELS };
  const metadata = await sharpLib(bytes, options)
    .metadata()
    .catch((cause: unknown) => {
      throw new InvalidImageError(`not a decodable image: ${messageOf(cause)}`, { cause });
    });
  if (!metadata.format || !DECODABLE.has(metadata.format)) {
    throw new InvalidImageError(`unsupported image format: ${metadata.format ?? 'unknown'}`);
  }
  // Prebuilt sharp reads AVIF but has no HEVC decoder: say so rather than fail obscurely.
  if (metadata.format === 'heif' && metadata.compression === 'hevc') {
    throw new InvalidImageError('HEIC images are not supported');
  }
  return sharpLib(bytes, options).autoOrient();
}

/** Runs a sharp pipeline; a failure to decode the pixels is the image's fault, hence permanent. */
export async function render<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    throw new InvalidImageError(`not a decodable image: ${messageOf(cause)}`, { cause });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
