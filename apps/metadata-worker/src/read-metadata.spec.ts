import sharp, { type Sharp } from 'sharp';
import { readTags, withTags } from '../test/exiftool';
import { peoplePhotoPath } from '@gallery/imaging/testing';
import { readMetadata, type Metadata } from './read-metadata';

/** A camera's full set, as ExifTool writes it. */
const NORTH_EAST = [
  '-Make=Canon',
  '-Model=Canon EOS R5',
  '-LensModel=RF24-105mm F4 L IS USM',
  '-DateTimeOriginal=2024:06:01 14:03:22',
  '-OffsetTimeOriginal=+02:00',
  '-ISO=400',
  '-FNumber=4.0',
  '-ExposureTime=0.004',
  '-FocalLength=50',
  '-Orientation#=6',
  '-GPSLatitude=48.8584',
  '-GPSLatitudeRef=N',
  '-GPSLongitude=2.2945',
  '-GPSLongitudeRef=E',
  '-GPSAltitude=35.2',
  '-GPSAltitudeRef#=0',
];

/** The other hemispheres, below sea level, no offset. */
const SOUTH_WEST = [
  '-Make=NIKON CORPORATION',
  '-Model=NIKON Z 6',
  '-LensModel=NIKKOR Z 35mm f/1.8 S',
  '-DateTimeOriginal=2023:12:24 18:30:05',
  '-ISO=1600',
  '-FNumber=1.8',
  '-ExposureTime=0.0125',
  '-FocalLength=35',
  '-Orientation#=1',
  '-GPSLatitude=33.9249',
  '-GPSLatitudeRef=S',
  '-GPSLongitude=70.6693',
  '-GPSLongitudeRef=W',
  '-GPSAltitude=28',
  '-GPSAltitudeRef#=1',
];

/** What the worker must report for a file, from what ExifTool reads in it. */
function expected(tags: Record<string, unknown>): Metadata {
  const [date, time] = String(tags['DateTimeOriginal']).split(' ');
  return {
    make: tags['Make'] as string,
    model: tags['Model'] as string,
    lens: tags['LensModel'] as string,
    takenAt: `${date.replaceAll(':', '-')}T${time}`,
    ...(tags['OffsetTimeOriginal'] !== undefined && {
      offset: tags['OffsetTimeOriginal'] as string,
    }),
    iso: tags['ISO'] as number,
    aperture: tags['FNumber'] as number,
    exposureTime: tags['ExposureTime'] as number,
    focalLength: tags['FocalLength'] as number,
    orientation: tags['Orientation'] as number,
    width: tags['ImageWidth'] as number,
    height: tags['ImageHeight'] as number,
    location: {
      latitude: tags['GPSLatitude'] as number,
      longitude: tags['GPSLongitude'] as number,
      // Signed already: ExifTool's composite tag applies GPSAltitudeRef.
      altitude: tags['GPSAltitude'] as number,
    },
  };
}

/** Numbers compared to ExifTool's to a millionth (both read the same rationals). */
function rounded(metadata: Metadata): unknown {
  return JSON.parse(
    JSON.stringify(metadata, (_, value) =>
      typeof value === 'number' ? Math.round(value * 1e6) / 1e6 : value,
    ),
  );
}

const FORMATS = [
  ['JPEG', 'jpg', (image: Sharp) => image.jpeg({ quality: 90 })],
  ['PNG', 'png', (image: Sharp) => image.png()],
  ['WebP', 'webp', (image: Sharp) => image.webp()],
  ['TIFF', 'tif', (image: Sharp) => image.tiff()],
  ['AVIF', 'avif', (image: Sharp) => image.avif()],
] as const;

describe('readMetadata, against ExifTool', () => {
  describe.each(FORMATS)('on a real photo as %s', (_, extension, encode) => {
    let photo: Buffer;
    beforeAll(async () => {
      photo = await encode(sharp(peoplePhotoPath()).resize(1200)).toBuffer();
    });

    it.each([
      ['north and east, with an offset', NORTH_EAST],
      ['south and west, below sea level, without an offset', SOUTH_WEST],
    ])('reports what exiftool -j -n reads: %s', (_, args) => {
      const tagged = withTags(photo, extension, args);

      const metadata = readMetadata(tagged, { keepLocation: true });

      expect(rounded(metadata)).toEqual(rounded(expected(readTags(tagged))));
    });
  });

  it('reports only the pixel size of a file ExifTool finds no camera tags in', async () => {
    const bare = withTags(await sharp(peoplePhotoPath()).resize(800).jpeg().toBuffer(), 'jpg', [
      '-all=',
    ]);
    const tags = readTags(bare);

    expect(tags['Make']).toBeUndefined();
    expect(readMetadata(bare, { keepLocation: true })).toEqual({
      width: tags['ImageWidth'],
      height: tags['ImageHeight'],
    });
  });

  it('leaves the location out when told to, and keeps the rest', async () => {
    const tagged = withTags(
      await sharp(peoplePhotoPath()).resize(800).jpeg().toBuffer(),
      'jpg',
      NORTH_EAST,
    );

    const kept = readMetadata(tagged, { keepLocation: true });
    const dropped = readMetadata(tagged, { keepLocation: false });

    expect(kept.location).toBeDefined();
    expect(dropped).toEqual({ ...kept, location: undefined });
    expect('location' in dropped).toBe(false);
  });

  it('gives {} for bytes that are no image at all', () => {
    expect(readMetadata(Buffer.from('<html>not a photo</html>'), { keepLocation: true })).toEqual(
      {},
    );
  });

  it('ignores a date no calendar has', async () => {
    const tagged = withTags(await sharp(peoplePhotoPath()).resize(400).jpeg().toBuffer(), 'jpg', [
      '-DateTimeOriginal=0000:00:00 00:00:00',
      '-Make=Canon',
    ]);

    const metadata = readMetadata(tagged, { keepLocation: true });

    expect(metadata.make).toBe('Canon');
    expect(metadata.takenAt).toBeUndefined();
  });
});
