import { anImage } from '../test/an-image';
import { chooseThumbnails, isSafeUrl, originalUrl, srcsetOf } from './thumbnails';

const rendition = (
  width: number,
  height: number,
  format: string,
  url = `/t/${width}.${format}`,
) => ({
  width,
  height,
  format,
  url,
});

describe('chooseThumbnails', () => {
  it('is null until a thumbnail exists', () => {
    expect(chooseThumbnails(anImage())).toBeNull();
  });

  it('uses the small rendition for the grid and the large one for the preview', () => {
    const image = anImage({
      thumbnails: [rendition(1280, 853, 'webp'), rendition(256, 171, 'webp')],
    });

    const choice = chooseThumbnails(image);

    expect(choice?.grid.width).toBe(256);
    expect(choice?.preview.width).toBe(1280);
    expect(srcsetOf(choice?.all ?? [])).toBe('/t/256.webp 256w, /t/1280.webp 1280w');
  });

  it('keeps to one format, preferring webp', () => {
    const image = anImage({
      thumbnails: [
        rendition(256, 256, 'jpeg'),
        rendition(256, 256, 'webp'),
        rendition(1280, 1280, 'jpeg'),
      ],
    });

    const choice = chooseThumbnails(image);

    expect(choice?.all.map((t) => t.format)).toEqual(['webp']);
  });

  it('skips an address that is not a web address', () => {
    const image = anImage({ thumbnails: [rendition(256, 256, 'webp', 'javascript:alert(1)')] });

    expect(chooseThumbnails(image)).toBeNull();
  });
});

describe('isSafeUrl', () => {
  it.each([
    ['/api/images/1/thumbnails/256.webp', true],
    ['https://bucket.s3.amazonaws.com/x?sig=1', true],
    ['//evil.example/x', false],
    ['javascript:alert(1)', false],
    ['data:text/html,hi', false],
  ])('judges %s as %s', (url, safe) => {
    expect(isSafeUrl(url)).toBe(safe);
  });
});

it('links the original through the API', () => {
  const image = anImage();

  expect(originalUrl(image)).toBe(`/api/images/${image.id}/original`);
});
