/**
 * The most leading bytes any allowed format needs to be recognised: an ISO-BMFF `ftyp` box
 * lists its compatible brands after the major one, and an AVIF may name `avif` only there.
 */
export const SNIFF_BYTES = 64;

const AVIF_BRANDS = new Set(['avif', 'avis']);

/** HEIF brands of HEVC-coded images and of HEIF in general (`mif1`, `msf1`). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

const startsWith = (head: Buffer, bytes: number[] | string, offset = 0) => {
  const expected = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return head.subarray(offset, offset + expected.length).equals(expected);
};

/**
 * The brands of an ISO-BMFF file's leading `ftyp` box (major brand first, then the compatible
 * ones, as far as `head` holds them); null when `head` does not start with one.
 */
function ftypBrands(head: Buffer): string[] | null {
  if (head.length < 12 || !startsWith(head, 'ftyp', 4)) return null;
  const boxEnd = Math.min(head.readUInt32BE(0), head.length);
  const brands = [head.toString('latin1', 8, 12)];
  // Bytes 12 to 16 hold the minor version, not a brand.
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) {
    brands.push(head.toString('latin1', offset, offset + 4));
  }
  return brands;
}

/**
 * The content type of an allowed image format, read from its magic bytes; null for
 * anything else. What the client says the file is never counts.
 */
export function detectImageType(head: Buffer): string | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'image/gif';
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return 'image/webp';
  if (ftypBrands(head)?.some((brand) => AVIF_BRANDS.has(brand))) return 'image/avif';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
  return null;
}

/** Whether the bytes are a HEIF image that is not AVIF: a HEIC from a phone, most often. */
export function isHeic(head: Buffer): boolean {
  const brands = ftypBrands(head);
  if (!brands || brands.some((brand) => AVIF_BRANDS.has(brand))) return false;
  return brands.some((brand) => HEIC_BRANDS.has(brand));
}
