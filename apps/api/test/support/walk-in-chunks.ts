import { startWalk, type ImageFormat } from '../../src/images/image-walk';

/** A chunk size that takes any test file in one piece. */
const WHOLE = Number.MAX_SAFE_INTEGER;

/** Ways a file arrives: whole, byte by byte (every boundary), and in uneven pieces. */
export const CHUNKINGS: Array<[name: string, size: number]> = [
  ['whole', WHOLE],
  ['byte by byte', 1],
  ['in 7-byte chunks', 7],
];

/**
 * A walk of `format` over a file as an upload would bring it, in chunks of `chunkSize` (the
 * file whole unless told); it returns how many bytes the walk took as the image's, or throws
 * what it refused.
 */
export function walkOf(format: ImageFormat) {
  return (bytes: Buffer, chunkSize = WHOLE): number => {
    const walker = startWalk(format);
    let imageBytes = 0;
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      imageBytes += walker.write(bytes.subarray(offset, offset + chunkSize));
    }
    walker.end();
    return imageBytes;
  };
}
