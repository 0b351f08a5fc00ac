import {
  extendedWebp,
  losslessWebp,
  lossyWebp,
  withWebpSize,
} from '../../test/support/image-bytes';
import { walkOf } from '../../test/support/walk-in-chunks';
import { MalformedImageError, TooManyPixelsError } from './errors';
import { webpFormat } from './webp-walk';

// What every format's walk does alike (cuts, bytes after the end, pixel floods) is in
// format-walks.spec.ts; here, the WebP's own rules.

const walk = walkOf(webpFormat);

describe('webpFormat', () => {
  it.each([
    ['a lossy (VP8)', lossyWebp, 16_383, '16383 × 16383 pixels (268,402,689)'],
    ['a lossless (VP8L)', losslessWebp, 16_384, '16384 × 16384 pixels (268,435,456)'],
    [
      'an extended (VP8X)',
      extendedWebp,
      16_777_216,
      '16777216 × 16777216 pixels (281,474,976,710,656)',
    ],
  ])(
    'refuses %s WebP declaring the largest size its header can state, naming it and the limit',
    async (_kind, make, largest, declared) => {
      const file = withWebpSize(await make(), largest, largest);

      const walking = () => walk(file);

      expect(walking).toThrow(TooManyPixelsError);
      expect(walking).toThrow(
        `the WebP declares ${declared}, more than the 100,000,000 this server decodes`,
      );
    },
  );

  it('refuses a RIFF whose first chunk is no image as malformed', async () => {
    const file = await lossyWebp();
    file.write('ICCP', 12, 'latin1');

    expect(() => walk(file)).toThrow(MalformedImageError);
    expect(() => walk(file)).toThrow('its first chunk is "ICCP", not VP8, VP8L or VP8X');
  });
});
