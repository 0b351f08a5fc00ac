import { heifHead } from '../../test/support/image-bytes';
import { detectImageType, isHeic } from './image-type';

const bytes = (...parts: Array<number[] | string>) =>
  Buffer.concat(
    parts.map((part) =>
      Buffer.from(part as never, typeof part === 'string' ? 'latin1' : undefined),
    ),
  );

describe('detectImageType', () => {
  it.each([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    ['PNG', bytes([0x89], 'PNG\r\n\x1a\n'), 'image/png'],
    ['GIF87a', bytes('GIF87a'), 'image/gif'],
    ['GIF89a', bytes('GIF89a'), 'image/gif'],
    ['WebP', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'image/webp'],
    ['AVIF', bytes([0, 0, 0, 0x1c], 'ftypavif'), 'image/avif'],
    ['an AVIF sequence', bytes([0, 0, 0, 0x1c], 'ftypavis'), 'image/avif'],
    [
      'an AVIF named so among its compatible brands only',
      heifHead('mif1', 'miaf', 'avif'),
      'image/avif',
    ],
    ['little-endian TIFF', bytes('II', [0x2a, 0]), 'image/tiff'],
    ['big-endian TIFF', bytes('MM', [0, 0x2a]), 'image/tiff'],
  ])('recognises %s', (_format, head, type) => {
    expect(detectImageType(head)).toBe(type);
  });

  it.each([
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg">')],
    ['HTML', bytes('<!doctype html>')],
    ['HEIC', bytes([0, 0, 0, 0x18], 'ftypheic')],
    ['a RIFF that is not WebP (WAV)', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt ')],
    ['PDF', bytes('%PDF-1.7')],
    ['a truncated JPEG marker', bytes([0xff, 0xd8])],
    ['nothing', bytes()],
  ])('refuses %s', (_format, head) => {
    expect(detectImageType(head)).toBeNull();
  });
});

describe('isHeic', () => {
  it.each(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'])(
    'recognises a HEIF file of major brand %s',
    (brand) => {
      expect(isHeic(heifHead(brand))).toBe(true);
    },
  );

  it('recognises a HEIC named so among its compatible brands only', () => {
    expect(isHeic(heifHead('MiHE', 'MiHB', 'heic'))).toBe(true);
  });

  it.each([
    ['an AVIF', heifHead('avif', 'mif1', 'miaf')],
    ['an AVIF under the general HEIF brand', heifHead('mif1', 'avif', 'miaf')],
    ['an MP4 video', heifHead('isom', 'iso2', 'mp41')],
    ['a JPEG', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['an ftyp box cut short', bytes([0, 0, 0, 0x18], 'fty')],
  ])('does not take %s for HEIC', (_kind, head) => {
    expect(isHeic(head)).toBe(false);
  });
});
