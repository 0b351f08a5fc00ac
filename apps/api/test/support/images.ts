import sharp from 'sharp';

/** A real JPEG of the given size, made the way a camera would hand it over. */
export function makeJpeg(width = 64, height = 48): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } },
  })
    .jpeg()
    .toBuffer();
}

export function makePng(width = 16, height = 16): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 4, background: { r: 0, g: 120, b: 255, alpha: 1 } },
  })
    .png()
    .toBuffer();
}

/** A multipart form in the order given; `file` entries are sent as file parts. */
export function uploadForm(
  fields: Array<[name: string, value: string] | [name: string, file: Buffer, filename: string]>,
): FormData {
  const form = new FormData();
  for (const field of fields) {
    if (field.length === 3) {
      form.append(field[0], new Blob([new Uint8Array(field[1])], { type: 'image/jpeg' }), field[2]);
    } else form.append(field[0], field[1]);
  }
  return form;
}
