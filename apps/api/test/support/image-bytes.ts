import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

// Real image files made with sharp, and the bad files made from them: cut, extended, patched.

/** Random pixels: they compress badly, so a JPEG of them has 0xFF bytes to stuff. */
export function noise(width = 64, height = 48) {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } });
}

export const baselineJpeg = () => noise().jpeg().toBuffer();
export const progressiveJpeg = () => noise().jpeg({ progressive: true }).toBuffer();
export const png = () => noise().png().toBuffer();
export const lossyWebp = () => noise().webp().toBuffer();
export const losslessWebp = () => noise().webp({ lossless: true }).toBuffer();
/** With alpha, a lossy WebP is an extended one: a VP8X chunk first. */
export const extendedWebp = () =>
  sharp({ create: { width: 10, height: 7, channels: 4, background: '#30609080' } })
    .webp()
    .toBuffer();
export const gif = () => noise(16, 12).gif().toBuffer();

/** A JPEG with a comment segment padded so that the whole file is `size` bytes. */
export async function jpegOfSize(size: number): Promise<Buffer> {
  const jpeg = await noise(16, 16).jpeg().toBuffer();
  const comment = size - jpeg.length; // marker and length included
  if (comment < 4 || comment > 0xffff + 2) throw new Error(`no one comment pads to ${size}`);
  const segment = Buffer.alloc(comment, 0x20);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(comment - 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** Where the JPEG segment with `marker` starts (its 0xFF), found by walking the segments' lengths. */
export function jpegSegmentAt(jpeg: Buffer, marker: number): number {
  for (let offset = 2; offset < jpeg.length; offset += 2 + jpeg.readUInt16BE(offset + 2)) {
    if (jpeg[offset + 1] === marker) return offset;
  }
  throw new Error(`no segment 0x${marker.toString(16)}`);
}

/** The JPEG with the size in its frame header (SOF0 or SOF2) changed. */
export function withJpegSize(jpeg: Buffer, width: number, height: number): Buffer {
  const patched = Buffer.from(jpeg);
  const sof = jpegSegmentAt(jpeg, jpeg.includes(Buffer.from([0xff, 0xc2])) ? 0xc2 : 0xc0);
  patched.writeUInt16BE(height, sof + 5);
  patched.writeUInt16BE(width, sof + 7);
  return patched;
}

/** The PNG with the size in its IHDR changed, and the chunk's CRC made right again. */
export function withPngSize(file: Buffer, width: number, height: number): Buffer {
  const patched = Buffer.from(file);
  // Signature (8), then IHDR: length (4), type (4), width, height, ..., CRC over type and data.
  patched.writeUInt32BE(width, 16);
  patched.writeUInt32BE(height, 20);
  patched.writeUInt32BE(crc32(patched.subarray(12, 29)), 29);
  return patched;
}

/** A pixel flood: a small real PNG whose header declares `width` × `height`. */
export async function pixelFloodPng(width = 30_000, height = 30_000): Promise<Buffer> {
  return withPngSize(await png(), width, height);
}

/** The GIF with the size of its logical screen changed; its frames keep theirs. */
export function withGifSize(file: Buffer, width: number, height: number): Buffer {
  const patched = Buffer.from(file);
  patched.writeUInt16LE(width, 6);
  patched.writeUInt16LE(height, 8);
  return patched;
}

/** `value`, checked to fit in a bit field of `bits` bits. */
function fit(value: number, bits: number): number {
  if (value < 0 || value >= 2 ** bits) throw new Error(`${value} does not fit in ${bits} bits`);
  return value;
}

/** How each kind of WebP states its size, in the data of its first chunk (from byte 20). */
const WEBP_SIZE_WRITERS: Record<string, (file: Buffer, width: number, height: number) => void> = {
  // After the frame tag and the start code, 14 bits each; the 2 bits above them scale.
  'VP8 ': (file, width, height) => {
    file.writeUInt16LE((file.readUInt16LE(26) & 0xc000) | fit(width, 14), 26);
    file.writeUInt16LE((file.readUInt16LE(28) & 0xc000) | fit(height, 14), 28);
  },
  // After the signature byte, width - 1 and height - 1 in 14 bits each, then 4 other bits.
  VP8L: (file, width, height) => {
    const others = file.readUInt32LE(21) & 0xf0000000;
    file.writeUInt32LE((others | fit(width - 1, 14) | (fit(height - 1, 14) << 14)) >>> 0, 21);
  },
  // After the flags and reserved bytes, the canvas's width - 1 and height - 1 in 24 bits each.
  VP8X: (file, width, height) => {
    file.writeUIntLE(fit(width - 1, 24), 24, 3);
    file.writeUIntLE(fit(height - 1, 24), 27, 3);
  },
};

/** The WebP with the size its first chunk (VP8, VP8L or VP8X) declares changed. */
export function withWebpSize(file: Buffer, width: number, height: number): Buffer {
  const patched = Buffer.from(file);
  WEBP_SIZE_WRITERS[file.toString('latin1', 12, 16)](patched, width, height);
  return patched;
}

/** A box of ISO-BMFF (the container of HEIF and AVIF). */
function box(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** The start of a HEIF file: an `ftyp` box with the given brands, then an empty `meta`. */
export function heifHead(majorBrand: string, ...compatibleBrands: string[]): Buffer {
  const ftyp = box(
    'ftyp',
    Buffer.concat([
      Buffer.from(majorBrand, 'latin1'),
      Buffer.alloc(4), // minor version
      ...compatibleBrands.map((brand) => Buffer.from(brand, 'latin1')),
    ]),
  );
  return Buffer.concat([ftyp, box('meta', Buffer.alloc(4)), box('mdat', Buffer.alloc(256, 7))]);
}

/** What a ZIP archive starts with: a local file header. */
export const zipArchive = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0]),
  Buffer.alloc(20),
  Buffer.from('payload.js'),
  Buffer.from('alert(document.cookie)'),
  Buffer.from([0x50, 0x4b, 0x05, 0x06]),
  Buffer.alloc(18),
]);

export const htmlPage = Buffer.from(
  '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
);
