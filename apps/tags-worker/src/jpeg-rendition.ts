import { asInvalidImage, InvalidImageError, openImage, type SharpLib } from '@gallery/imaging';
import { checkLabelSize } from './label-size';

export interface RenditionLimits {
  /** Longest side allowed, in pixels. */
  maxSide: number;
  /** Shortest side the consumer accepts, in pixels. */
  minSide: number;
  maxBytes: number;
}

/** Lower qualities are tried in turn until the JPEG fits in `maxBytes`. */
const QUALITIES = [90, 80, 70, 60, 50, 40];

/**
 * Re-encodes any decodable image as a JPEG that fits within `maxSide` a side and weighs at most
 * `maxBytes`. Throws an InvalidImageError when it cannot: a side shorter than `minSide`, or still
 * too heavy at the lowest quality.
 */
export async function jpegRendition(
  sharpLib: SharpLib,
  bytes: Buffer,
  limits: RenditionLimits,
): Promise<Buffer> {
  const { image } = await openImage(bytes, sharpLib);
  const rendition = image
    .autoOrient()
    .resize(limits.maxSide, limits.maxSide, { fit: 'inside', withoutEnlargement: true })
    // JPEG has no alpha: transparent areas become white, not black.
    .flatten({ background: '#ffffff' });
  for (const quality of QUALITIES) {
    const { data, info } = await asInvalidImage(
      rendition.clone().jpeg({ quality }).toBuffer({ resolveWithObject: true }),
    );
    checkLabelSize(info, limits.minSide);
    if (data.length <= limits.maxBytes) return data;
  }
  throw new InvalidImageError(`image does not fit in ${limits.maxBytes} bytes as a JPEG`);
}
