import { InvalidImageError } from '@gallery/imaging';

/**
 * Rekognition refuses an image with a side under 80 px. The offline labeler refuses the same
 * images, so that an image fails alike, with the same reason, whichever labeler runs.
 */
export const MIN_LABEL_SIDE = 80;

/**
 * Throws an InvalidImageError (permanent) naming the size and the minimum when a side is
 * shorter than `minSide`.
 */
export function checkLabelSize(
  { width, height }: { width: number; height: number },
  minSide: number = MIN_LABEL_SIDE,
): void {
  if (Math.min(width, height) < minSide) {
    throw new InvalidImageError(
      `image is ${width}×${height} px; labels need at least ${minSide} px a side`,
    );
  }
}
