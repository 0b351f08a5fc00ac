import { rgbaToThumbHash } from 'thumbhash';
import { placeholderUrl } from './placeholder';

/** A real thumbhash of a 16×8 red-to-blue gradient, base64 as the API sends it. */
function aThumbhash(): string {
  const width = 16;
  const height = 8;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    rgba.set([255 - x * 16, 0, x * 16, 255], i * 4);
  }
  return Buffer.from(rgbaToThumbHash(width, height, rgba)).toString('base64');
}

describe('placeholderUrl', () => {
  it('renders a thumbhash as a PNG data URL', () => {
    const url = placeholderUrl(aThumbhash());

    expect(url).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(url?.split(',')[1] ?? '', 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('is null when there is no thumbhash yet', () => {
    expect(placeholderUrl(null)).toBeNull();
  });

  it('is null, not an exception, for a thumbhash that does not decode', () => {
    expect(placeholderUrl('%%%not base64')).toBeNull();
    expect(placeholderUrl('AA==')).toBeNull();
  });
});
