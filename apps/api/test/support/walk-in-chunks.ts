import { startWalk, type ImageFormat } from '../../src/images/image-walk';

/** Ways a file arrives: whole, byte by byte (every boundary), and in uneven pieces. */
export const CHUNKINGS: Array<[name: string, size: number]> = [
  ['whole', Number.MAX_SAFE_INTEGER],
  ['byte by byte', 1],
  ['in 7-byte chunks', 7],
];

/**
 * Walks `bytes` as an upload would arrive in chunks of `chunkSize`; returns how many bytes
 * the walk took as the image's, or throws what it refused.
 */
export function walkInChunks(format: ImageFormat, bytes: Buffer, chunkSize: number): number {
  const walker = startWalk(format);
  let imageBytes = 0;
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    imageBytes += walker.write(bytes.subarray(offset, offset + chunkSize));
  }
  walker.end();
  return imageBytes;
}
