// A namespace import keeps the bundle to what it uses.
import * as ExifReader from 'exifreader';
import type { ResultOf } from '@gallery/processors';

export type Metadata = ResultOf<'metadata'>;

type Tags = ExifReader.ExpandedTags;
type Tag = { value: unknown; description?: string } | undefined;

const TEXT_LIMIT = 200;

/**
 * What an original's EXIF and XMP say, read by ExifReader (pure JavaScript: no native code in
 * Lambda). Each field only when the file has it; `keepLocation: false` leaves GPS out. Bytes
 * that hold no metadata, or none ExifReader can read, give `{}`.
 */
export function readMetadata(bytes: Buffer, { keepLocation }: { keepLocation: boolean }): Metadata {
  let tags: Tags;
  try {
    tags = ExifReader.load(bytes, { expanded: true, includeUnknown: false });
  } catch {
    return {};
  }
  const exif = (tags.exif ?? {}) as Record<string, Tag>;
  const xmp = (tags.xmp ?? {}) as Record<string, Tag>;
  const metadata: Metadata = {
    make: text(exif['Make']) ?? text(xmp['Make']),
    model: text(exif['Model']) ?? text(xmp['Model']),
    lens: text(exif['LensModel']) ?? text(xmp['LensModel']) ?? text(xmp['Lens']),
    takenAt:
      localTime(exif['DateTimeOriginal']) ??
      localTime(exif['DateTimeDigitized']) ??
      localTime(xmp['DateTimeOriginal']) ??
      localTime(xmp['CreateDate']),
    offset: offset(exif['OffsetTimeOriginal']) ?? offset(exif['OffsetTimeDigitized']),
    iso: positive(number(exif['ISOSpeedRatings']) ?? number(exif['PhotographicSensitivity'])),
    aperture: positive(rational(exif['FNumber'])),
    exposureTime: positive(rational(exif['ExposureTime'])),
    focalLength: positive(rational(exif['FocalLength'])),
    orientation: orientation(exif['Orientation']),
    ...pixelSize(tags, bytes),
    location: keepLocation ? location(tags.gps) : undefined,
  };
  return Object.fromEntries(
    Object.entries(metadata).filter(([, value]) => value !== undefined),
  ) as Metadata;
}

/** A string tag, trimmed of spaces and NULs, when it says anything. */
function text(tag: Tag): string | undefined {
  const raw = Array.isArray(tag?.value) ? tag.value.join(' ') : (tag?.description ?? tag?.value);
  if (typeof raw !== 'string') return undefined;
  const clean = raw.replace(/\0/g, '').trim();
  return clean === '' ? undefined : clean.slice(0, TEXT_LIMIT);
}

/** `2024:06:01 14:03:22` (EXIF) or `2024-06-01T14:03:22+02:00` (XMP) → `2024-06-01T14:03:22`. */
function localTime(tag: Tag): string | undefined {
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text(tag) ?? '');
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
  // A blank date (`0000:00:00 00:00:00`) or one no calendar has is no date.
  const date = new Date(`${iso}Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== iso ? undefined : iso;
}

function offset(tag: Tag): string | undefined {
  const value = text(tag);
  return value && /^[+-]\d{2}:\d{2}$/.test(value) ? value : undefined;
}

function number(tag: Tag): number | undefined {
  const value = Array.isArray(tag?.value) ? tag.value[0] : tag?.value;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** EXIF rationals come as `[numerator, denominator]`. */
function rational(tag: Tag): number | undefined {
  const value = tag?.value;
  if (Array.isArray(value) && value.length === 2) {
    const [numerator, denominator] = value as [unknown, unknown];
    if (typeof numerator === 'number' && typeof denominator === 'number' && denominator !== 0) {
      return numerator / denominator;
    }
  }
  return number(tag);
}

const positive = (value: number | undefined) =>
  value !== undefined && value > 0 ? value : undefined;

function orientation(tag: Tag): number | undefined {
  const value = number(tag);
  return value !== undefined && Number.isInteger(value) && value >= 1 && value <= 8
    ? value
    : undefined;
}

const WIDTHS = ['Image Width', 'ImageWidth', 'PixelXDimension'];
const HEIGHTS = ['Image Height', 'ImageHeight', 'ImageLength', 'PixelYDimension'];

/**
 * The pixel size the file's own header gives (a JPEG's frame, a PNG's header, a WebP's
 * chunks, an AVIF's `ispe` box), else what its EXIF says (a TIFF's first directory).
 */
function pixelSize(tags: Tags, bytes: Buffer): Pick<Metadata, 'width' | 'height'> {
  const sections = [tags.file, tags.png, tags.riff, tags.gif, tags.exif] as (
    Record<string, Tag> | undefined
  )[];
  for (const section of sections) {
    const width = first(section, WIDTHS);
    const height = first(section, HEIGHTS);
    if (width !== undefined && height !== undefined) return { width, height };
  }
  return isobmffSize(bytes);
}

function first(section: Record<string, Tag> | undefined, names: string[]): number | undefined {
  return names.map((name) => dimension(section?.[name])).find((value) => value !== undefined);
}

/** An AVIF's size, from its first image spatial extents (`ispe`) box. */
function isobmffSize(bytes: Buffer): Pick<Metadata, 'width' | 'height'> {
  if (bytes.toString('latin1', 4, 8) !== 'ftyp') return {};
  const at = bytes.indexOf('ispe', 0, 'latin1');
  if (at < 4 || at + 16 > bytes.length) return {};
  const width = bytes.readUInt32BE(at + 8);
  const height = bytes.readUInt32BE(at + 12);
  return width > 0 && height > 0 ? { width, height } : {};
}

function dimension(tag: Tag): number | undefined {
  const value = number(tag);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
}

function location(gps: Tags['gps']): Metadata['location'] {
  const latitude = gps?.Latitude;
  const longitude = gps?.Longitude;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  const altitude = gps?.Altitude;
  return {
    latitude,
    longitude,
    ...(typeof altitude === 'number' && Number.isFinite(altitude) && { altitude }),
  };
}
