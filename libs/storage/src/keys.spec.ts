import { imageIdOfKey, originalKey, thumbnailKey, thumbnailPrefix } from './keys';

const imageId = '0b7c9f52-3e4a-4d1b-9a6f-2c8e5d7f1a30';

describe('object keys', () => {
  it('builds the original key from the image id alone', () => {
    // act
    const key = originalKey(imageId);
    // assess
    expect(key).toBe(`originals/${imageId}`);
  });

  it('builds a thumbnail key from the id, the width and the format', () => {
    const key = thumbnailKey(imageId, 256, 'webp');
    expect(key).toBe(`thumbnails/${imageId}/256.webp`);
  });

  it('puts every thumbnail of an image under its thumbnail prefix', () => {
    const prefix = thumbnailPrefix(imageId);
    const key = thumbnailKey(imageId, 1024, 'avif');
    expect(prefix).toBe(`thumbnails/${imageId}/`);
    expect(key.startsWith(prefix)).toBe(true);
  });

  it('reads the image id back from an original key and a thumbnail key', () => {
    expect(imageIdOfKey(originalKey(imageId))).toBe(imageId);
    expect(imageIdOfKey(thumbnailKey(imageId, 256, 'webp'))).toBe(imageId);
  });

  it.each([
    'originals/not-an-id',
    `originals/${imageId}/extra`,
    `thumbnails/${imageId}`,
    `elsewhere/${imageId}`,
    '',
  ])('finds no image id in the key %p', (key) => {
    expect(imageIdOfKey(key)).toBeNull();
  });

  it.each([
    ['an empty id', ''],
    ['an upper-case uuid', imageId.toUpperCase()],
    ['a uuid with extra characters', `${imageId}x`],
    ['a path traversal', '../../etc/passwd'],
    ['a user filename', 'holiday photo.jpg'],
    ['a filename smuggled after a uuid', `${imageId}/../holiday.jpg`],
    ['a number', '12345'],
  ])('refuses %s as an image id', (_label, id) => {
    expect(() => originalKey(id)).toThrow(TypeError);
    expect(() => thumbnailPrefix(id)).toThrow(TypeError);
    expect(() => thumbnailKey(id, 256, 'webp')).toThrow(TypeError);
  });

  it.each([0, -256, 25.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses %p as a thumbnail width',
    (width) => {
      expect(() => thumbnailKey(imageId, width, 'webp')).toThrow(TypeError);
    },
  );

  it.each(['', 'WEBP', 'we.bp', 'webp/../x', 'jpg ', 'holiday.jpg'])(
    'refuses %p as a thumbnail format',
    (format) => {
      expect(() => thumbnailKey(imageId, 256, format)).toThrow(TypeError);
    },
  );
});
