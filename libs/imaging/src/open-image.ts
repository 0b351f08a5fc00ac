import sharp, { type Metadata, type Sharp } from 'sharp';
import { InvalidImageError } from './errors';
import { MAX_INPUT_PIXELS } from './limits';

export type SharpLib = typeof sharp;

/** Decoders allowed on untrusted input, by sharp's format name. `heif` is AVIF only. */
const ALLOWED_FORMATS = new Set(['jpeg', 'png', 'webp', 'heif', 'gif', 'tiff']);

export interface OpenedImage {
  /** A pipeline on the bytes, not yet oriented: call `autoOrient()` for the displayed image. */
  image: Sharp;
  metadata: Metadata;
}

/**
 * Opens untrusted bytes with sharp: reads the header, refuses a format outside the allow-list,
 * and returns a pipeline that refuses too many pixels and fails on any decoder warning (a
 * truncated file). Throws an InvalidImageError for anything that is not an allowed image.
 */
export async function openImage(bytes: Buffer, sharpLib: SharpLib = sharp): Promise<OpenedImage> {
  const image = sharpLib(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' });
  const metadata = await asInvalidImage(image.metadata());
  checkFormat(metadata);
  return { image, metadata };
}

/**
 * Awaits a sharp pipeline on untrusted bytes: a failure to decode them is the image's fault,
 * so it becomes an InvalidImageError (permanent) with sharp's error as its cause.
 */
export async function asInvalidImage<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new InvalidImageError(`image could not be decoded: ${decoderReason(message)}`, {
      cause,
    });
  }
}

/** libvips's stand-in for a warning whose own text it gave only the first time. */
const FAIL_ON_NOTICE = 'Warning treated as error due to failOn setting';

/**
 * The decoder's message as one line for people: libvips repeats lines, and after the first
 * time in a process it may name a warning only by the failOn notice. Either way the reader
 * learns the same thing.
 */
export function decoderReason(message: string): string {
  const lines = [...new Set(message.split('\n').map((line) => line.trim()))].filter(Boolean);
  const specific = lines.filter((line) => !line.startsWith(FAIL_ON_NOTICE));
  if (specific.length > 0) return specific.join('; ');
  return lines.length > 0 ? 'the image data is corrupt or incomplete' : 'unknown decoder error';
}

function checkFormat({ format, compression }: Metadata): void {
  // Prebuilt sharp reads AVIF but has no HEVC decoder: say so rather than fail obscurely.
  if (format === 'heif' && compression !== 'av1') {
    throw new InvalidImageError('HEIC is not supported');
  }
  if (!ALLOWED_FORMATS.has(format)) {
    throw new InvalidImageError(`unsupported image format: ${format}`);
  }
}
