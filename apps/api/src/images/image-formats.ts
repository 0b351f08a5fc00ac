import { gifFormat } from './gif-walk';
import { startWalk, type ImageWalker } from './image-walk';
import { jpegFormat } from './jpeg-walk';
import { pngFormat } from './png-walk';
import { webpFormat } from './webp-walk';

const FORMATS = new Map([
  ['image/jpeg', jpegFormat],
  ['image/png', pngFormat],
  ['image/gif', gifFormat],
  ['image/webp', webpFormat],
]);

/**
 * AVIF and TIFF are not walked: their size and their end may lie anywhere in the file (a
 * TIFF's directory is often at its end), so the workers, which decode them, judge them.
 */
const unwalked: ImageWalker = { write: (chunk) => chunk.length, end: () => undefined };

/** A walker that checks, as it streams, a file of an allowed content type. */
export function walkerFor(contentType: string): ImageWalker {
  const format = FORMATS.get(contentType);
  return format ? startWalk(format) : unwalked;
}
