import { MalformedImageError } from './errors';
import { read, skip, type ImageFormat, type Walk } from './image-walk';
import { checkPixelCount } from './pixel-limit';

/** RIFF header (`RIFF`, size, `WEBP`) then the first chunk's header (fourcc, size). */
const HEADERS_BYTES = 12 + 8;

interface Bitstream {
  /** The bytes of the chunk's data that hold the size. */
  bytes: number;
  size(data: Buffer): { width: number; height: number } | null;
}

/** How each kind of WebP (lossy, lossless, extended) states its size, in its first chunk. */
const BITSTREAMS = new Map<string, Bitstream>([
  [
    // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
    'VP8 ',
    {
      bytes: 10,
      size: (data) =>
        data[3] === 0x9d && data[4] === 0x01 && data[5] === 0x2a
          ? { width: data.readUInt16LE(6) & 0x3fff, height: data.readUInt16LE(8) & 0x3fff }
          : null,
    },
  ],
  [
    // Signature 0x2f, then width - 1 and height - 1 in 14 bits each.
    'VP8L',
    {
      bytes: 5,
      size: (data) => {
        if (data[0] !== 0x2f) return null;
        const bits = data.readUInt32LE(1);
        return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
      },
    },
  ],
  [
    // Flags and reserved bytes, then the canvas's width - 1 and height - 1 in 24 bits each.
    'VP8X',
    {
      bytes: 10,
      size: (data) => ({ width: data.readUIntLE(4, 3) + 1, height: data.readUIntLE(7, 3) + 1 }),
    },
  ],
]);

const malformed = (what: string) => new MalformedImageError(`the WebP is malformed: ${what}`);

/**
 * A WebP: its size from the first chunk, then as many bytes as the RIFF header declares.
 * More is data appended to the image, fewer a cut file.
 */
function* walkWebp(): Walk {
  const headers = yield* read(HEADERS_BYTES);
  const riffSize = headers.readUInt32LE(4);
  const fourcc = headers.toString('latin1', 12, 16);
  const bitstream = BITSTREAMS.get(fourcc);
  if (!bitstream)
    throw malformed(`its first chunk is ${JSON.stringify(fourcc)}, not VP8, VP8L or VP8X`);
  const remaining = riffSize - (HEADERS_BYTES - 8) - bitstream.bytes;
  if (headers.readUInt32LE(16) < bitstream.bytes || remaining < 0) {
    throw malformed('its first chunk is too short');
  }
  const size = bitstream.size(yield* read(bitstream.bytes));
  if (!size) throw malformed(`its ${fourcc.trim()} chunk has no valid header`);
  checkPixelCount('WebP', size.width, size.height);
  yield* skip(remaining);
}

export const webpFormat: ImageFormat = {
  name: 'WebP',
  end: 'the length its RIFF header declares',
  walk: walkWebp,
};
