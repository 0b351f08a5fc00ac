import { gif } from '../../test/support/image-bytes';
import { walkOf } from '../../test/support/walk-in-chunks';
import { MalformedImageError, TooManyPixelsError } from './errors';
import { gifFormat } from './gif-walk';

// What every format's walk does alike (cuts, bytes after the end, pixel floods) is in
// format-walks.spec.ts; here, the GIF's own rules.

const walk = walkOf(gifFormat);

/** Where the first image descriptor starts: after the screen, its palette and extensions. */
function firstFrameAt(file: Buffer): number {
  let at = 13 + (file[10] & 0x80 ? 3 * (2 << (file[10] & 7)) : 0);
  while (file[at] === 0x21) {
    at += 2;
    while (file[at] !== 0) at += 1 + file[at];
    at += 1;
  }
  if (file[at] !== 0x2c) throw new Error('no image descriptor');
  return at;
}

describe('gifFormat', () => {
  it('refuses a frame of too many pixels in a small logical screen', async () => {
    const flood = await gif();
    const frame = firstFrameAt(flood);
    flood.writeUInt16LE(60_000, frame + 5);
    flood.writeUInt16LE(60_000, frame + 7);

    expect(() => walk(flood)).toThrow(TooManyPixelsError);
  });

  it('refuses a byte that starts no block as malformed', async () => {
    const file = await gif();
    const broken = Buffer.concat([file.subarray(0, -1), Buffer.from('<', 'latin1')]);

    expect(() => walk(broken)).toThrow(MalformedImageError);
  });
});
