import { MalformedImageError } from './errors';
import {
  atEnd,
  byte,
  read,
  skip,
  skipToPair,
  skipWhile,
  type ImageFormat,
  type Walk,
  type WalkPosition,
} from './image-walk';
import { checkPixelCount } from './pixel-limit';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP2 = 0xe2;
const TEM = 0x01;
/** APP2 of the Multi-Picture Format (CIPA DC-007): more JPEGs follow this one's end. */
const MPF_ID = Buffer.from('MPF\0', 'latin1');

const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;
/** SOF0 to SOF15, but for DHT, JPG and DAC, which share the range. */
const isFrameHeader = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

const malformed = (what: string, at: number) =>
  new MalformedImageError(`the JPEG is malformed: ${what} at byte ${at}`);

/** A marker's code, past the 0xFF that starts it and any fill bytes (more 0xFF). */
function* nextMarker(position: WalkPosition): Walk<number> {
  if ((yield* byte()) !== 0xff) throw malformed('no marker where one belongs', position.offset - 1);
  return yield* skipWhile(0xff);
}

/**
 * Where entropy-coded data ends: at 0xFF followed by a marker code, 0xC0 to 0xFE but for the
 * restart markers. 0x00 there is a stuffed 0xFF byte, 0xFF is fill, and a reserved code (below
 * 0xC0) can only be damaged data: the decoder, in the workers, judges that, not the walk.
 */
const endsScan = (next: number) => next >= 0xc0 && next !== 0xff && !isRestart(next);

/**
 * One JPEG, after its SOI, to its EOI: segments by their length, each scan to the marker that
 * ends it (a progressive JPEG has many). Returns whether it declares more images after it.
 */
function* walkSegments(position: WalkPosition): Walk<boolean> {
  let multiPicture = false;
  let marker = yield* nextMarker(position);
  while (marker !== EOI) {
    if (marker === SOI || marker === 0x00)
      throw malformed('a misplaced marker', position.offset - 2);
    if (isRestart(marker) || marker === TEM) {
      marker = yield* nextMarker(position); // standalone: no length
      continue;
    }
    const length = (yield* read(2)).readUInt16BE(0);
    if (length < 2) throw malformed(`a segment length of ${length}`, position.offset - 2);
    if (isFrameHeader(marker)) {
      const frame = yield* read(length - 2);
      if (frame.length < 5) throw malformed('a frame header too short', position.offset - length);
      checkPixelCount('JPEG', frame.readUInt16BE(3), frame.readUInt16BE(1));
    } else if (marker === APP2 && length - 2 >= MPF_ID.length) {
      multiPicture ||= (yield* read(MPF_ID.length)).equals(MPF_ID);
      yield* skip(length - 2 - MPF_ID.length);
    } else {
      yield* skip(length - 2);
    }
    marker = marker === SOS ? yield* skipToPair(0xff, endsScan) : yield* nextMarker(position);
  }
  return multiPicture;
}

/**
 * A JPEG from SOI to EOI. A Multi-Picture file (an Ultra HDR photo's gain map, a camera's
 * preview) carries further whole JPEGs after it: those are walked too, anything else is not
 * part of the image.
 */
function* walkJpeg(position: WalkPosition): Walk<number | void> {
  const soi = yield* read(2);
  if (soi[0] !== 0xff || soi[1] !== SOI) throw malformed('no start-of-image marker', 0);
  if (!(yield* walkSegments(position))) return;
  for (;;) {
    const imageEnd = position.offset;
    if (yield* atEnd()) return;
    if ((yield* byte()) !== 0xff || (yield* atEnd()) || (yield* byte()) !== SOI) {
      return imageEnd;
    }
    yield* walkSegments(position);
  }
}

export const jpegFormat: ImageFormat = {
  name: 'JPEG',
  end: 'its end-of-image marker',
  walk: walkJpeg,
};
