import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { asInvalidImage, openImage } from '@gallery/imaging';

/** Grid and preview widths; every output is WebP. */
export const THUMBNAIL_WIDTHS = [256, 1280] as const;

/** Outputs are at most this many times taller than wide, so a long strip stays encodable. */
const MAX_HEIGHT_PER_WIDTH = 4;

/** thumbhash encodes at most 100 × 100 pixels. */
const PLACEHOLDER_SIZE = 100;

export interface RenderedThumbnail {
  width: number;
  height: number;
  format: 'webp';
  data: Buffer;
}

export interface RenderedImage {
  /** The original's size once oriented. */
  width: number;
  height: number;
  /** A thumbhash, base64. */
  placeholder: string;
  /** One per distinct size, smallest first. */
  outputs: RenderedThumbnail[];
}

interface RawImage {
  data: Buffer;
  raw: { width: number; height: number; channels: 3 | 4 };
}

/**
 * Renders the thumbnails and the placeholder of an untrusted original. The original is
 * decoded once, straight to an sRGB bitmap at the largest output size (JPEG shrink-on-load
 * makes that cheaper than a full decode); every output is then derived from that bitmap.
 * Throws an InvalidImageError (permanent) for anything that is not an allowed, decodable image.
 */
export async function renderThumbnails(bytes: Buffer): Promise<RenderedImage> {
  const { image, metadata } = await openImage(bytes);

  const largest = Math.max(...THUMBNAIL_WIDTHS);
  const decoded = await asInvalidImage(
    image
      .autoOrient()
      .resize(boundingBox(largest))
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }),
  );
  const bitmap: RawImage = {
    data: decoded.data,
    raw: {
      width: decoded.info.width,
      height: decoded.info.height,
      channels: decoded.info.channels as 3 | 4,
    },
  };

  const [outputs, placeholder] = await Promise.all([
    Promise.all(THUMBNAIL_WIDTHS.map((width) => renderWebp(bitmap, width))),
    renderPlaceholder(bitmap),
  ]);
  return {
    width: metadata.autoOrient.width,
    height: metadata.autoOrient.height,
    placeholder,
    outputs: distinctSizes(outputs),
  };
}

function boundingBox(width: number) {
  return {
    width,
    height: width * MAX_HEIGHT_PER_WIDTH,
    fit: 'inside',
    withoutEnlargement: true,
  } as const;
}

async function renderWebp(bitmap: RawImage, width: number): Promise<RenderedThumbnail> {
  const { data, info } = await sharp(bitmap.data, { raw: bitmap.raw })
    .resize(boundingBox(width))
    .webp()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, format: 'webp', data };
}

async function renderPlaceholder(bitmap: RawImage): Promise<string> {
  const { data, info } = await sharp(bitmap.data, { raw: bitmap.raw })
    .resize(PLACEHOLDER_SIZE, PLACEHOLDER_SIZE, { fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}

/** A small original gives the same size at every width: keep that file once. */
function distinctSizes(outputs: RenderedThumbnail[]): RenderedThumbnail[] {
  const seen = new Set<string>();
  return outputs.filter(({ width, height }) => {
    const size = `${width}x${height}`;
    if (seen.has(size)) return false;
    seen.add(size);
    return true;
  });
}
