import sharp from 'sharp';

/** A photo-like JPEG: gaussian noise, so that encoders cannot take shortcuts. */
export function detailedJpeg(width: number, height: number): Promise<Buffer> {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: 'black',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Left half red, right half blue: shows where the pixels went after orientation. */
export function redLeftBlueRight(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      pixels.set(x < width / 2 ? [255, 0, 0] : [0, 0, 255], (y * width + x) * 3);
    }
  }
  return pixels;
}

/**
 * A JPEG stored landscape with EXIF orientation 6 (rotate 90° clockwise to display), so it
 * shows portrait with red on top; it also carries EXIF fields that must not leak.
 */
export function rotatedJpegWithExif(width: number, height: number): Promise<Buffer> {
  return sharp(redLeftBlueRight(width, height), { raw: { width, height, channels: 3 } })
    .withExif({ IFD0: { Artist: 'Ada', Copyright: 'private', Orientation: '6' } })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
}

/** Opaque red on the left, fully transparent on the right. */
export function halfTransparentPng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      pixels.set(x < width / 2 ? [255, 0, 0, 255] : [0, 0, 0, 0], (y * width + x) * 4);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

export function grey16Png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080' } })
    .toColourspace('grey16')
    .png()
    .toBuffer();
}

export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await detailedJpeg(640, 480);
  return whole.subarray(0, Math.floor(whole.length / 2));
}
