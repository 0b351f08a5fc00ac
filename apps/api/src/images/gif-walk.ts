import { MalformedImageError } from './errors';
import {
  byte,
  read,
  skip,
  skipSizedBlocks,
  type ImageFormat,
  type Walk,
  type WalkPosition,
} from './image-walk';
import { checkPixelCount } from './pixel-limit';

const EXTENSION = 0x21;
const IMAGE = 0x2c;
const TRAILER = 0x3b;

/** A global or local color table's size, from the packed byte that announces it. */
const colorTableBytes = (packed: number) => (packed & 0x80 ? 3 * (2 << (packed & 0x07)) : 0);

/** A GIF: header, logical screen, then extensions and frames up to the trailer byte. */
function* walkGif(position: WalkPosition): Walk {
  yield* read(6); // GIF87a or GIF89a: the sniffing checked it
  const screen = yield* read(7);
  checkPixelCount('GIF', screen.readUInt16LE(0), screen.readUInt16LE(2));
  yield* skip(colorTableBytes(screen[4]));
  for (;;) {
    const block = yield* byte();
    if (block === TRAILER) return;
    if (block === EXTENSION) {
      yield* byte(); // label
      yield* skipSizedBlocks(); // data sub-blocks
    } else if (block === IMAGE) {
      const frame = yield* read(9);
      checkPixelCount('GIF', frame.readUInt16LE(4), frame.readUInt16LE(6));
      yield* skip(colorTableBytes(frame[8]) + 1); // and the LZW minimum code size
      yield* skipSizedBlocks();
    } else {
      throw new MalformedImageError(
        `the GIF is malformed: no block where one belongs, at byte ${position.offset - 1}`,
      );
    }
  }
}

export const gifFormat: ImageFormat = {
  name: 'GIF',
  end: 'its trailer byte (0x3B)',
  walk: walkGif,
};
