import { detectImageType } from './image-type';

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
