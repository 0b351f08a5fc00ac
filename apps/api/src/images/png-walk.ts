import { MalformedImageError } from './errors';
import { read, skip, type ImageFormat, type Walk, type WalkPosition } from './image-walk';
import { checkPixelCount } from './pixel-limit';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IHDR_LENGTH = 13;
/** PNG caps a chunk's length at 2^31 - 1. */
const MAX_CHUNK_LENGTH = 0x7fffffff;
const CHUNK_TYPE = /^[A-Za-z]{4}$/;

const malformed = (what: string) => new MalformedImageError(`the PNG is malformed: ${what}`);

/** The next chunk's length and type, with its start; checked, as garbage reads as a huge length. */
function* chunkHeader(position: WalkPosition): Walk<{ length: number; type: string }> {
  const header = yield* read(8);
  const length = header.readUInt32BE(0);
  const type = header.toString('latin1', 4, 8);
  if (length > MAX_CHUNK_LENGTH || !CHUNK_TYPE.test(type)) {
    throw malformed(`no chunk where one belongs, at byte ${position.offset - 8}`);
  }
  return { length, type };
}

/** A PNG: its signature, IHDR (the size), then chunks by their length to IEND. */
function* walkPng(position: WalkPosition): Walk {
  if (!(yield* read(SIGNATURE.length)).equals(SIGNATURE)) throw malformed('a damaged signature');
  const first = yield* chunkHeader(position);
  if (first.type !== 'IHDR' || first.length !== IHDR_LENGTH) {
    throw malformed('it does not start with an IHDR chunk');
  }
  const header = yield* read(IHDR_LENGTH);
  checkPixelCount('PNG', header.readUInt32BE(0), header.readUInt32BE(4));
  yield* skip(4); // CRC
  for (;;) {
    const chunk = yield* chunkHeader(position);
    yield* skip(chunk.length + 4); // data and CRC
    if (chunk.type === 'IEND') return;
  }
}

export const pngFormat: ImageFormat = { name: 'PNG', end: 'its IEND chunk', walk: walkPng };
