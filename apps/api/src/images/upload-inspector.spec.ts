import { getDefaultHighWaterMark, PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import {
  baselineJpeg,
  gif,
  heifHead,
  noise,
  pixelFloodPng,
  zipArchive,
} from '../../test/support/image-bytes';
import {
  EmptyUploadError,
  HeicNotSupportedError,
  TooManyPixelsError,
  TrailingDataError,
  TruncatedImageError,
  UnsupportedImageError,
  UploadTooLargeError,
} from './errors';
import { inspectUpload } from './upload-inspector';

/** A JPEG's start up to its scan: after it, any bytes but 0xFF are well-formed scan data. */
const JPEG_UP_TO_SCAN = Buffer.from([
  ...[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
  ...[0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0],
]);

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('inspectUpload', () => {
  it('passes the bytes on unchanged once they are known to be an image', async () => {
    const body = await baselineJpeg();
    const inspector = inspectUpload(10_000);
    // One byte at a time: the type is only known after several chunks.
    const source = Readable.from([...body].map((byte) => Buffer.from([byte])));

    const [passed] = await Promise.all([
      drain(inspector.stream),
      pipeline(source, inspector.stream),
    ]);

    expect(await inspector.contentType).toBe('image/jpeg');
    expect(passed.equals(body)).toBe(true);
    expect(inspector.bytes()).toBe(body.length);
  });

  it('stops an endless upload once it passes the cap', async () => {
    const inspector = inspectUpload(100);
    let produced = 0;
    const source = new Readable({
      read() {
        produced += 1;
        this.push(produced === 1 ? JPEG_UP_TO_SCAN : Buffer.alloc(64, 7));
      },
    });

    const outcome = Promise.all([drain(inspector.stream), pipeline(source, inspector.stream)]);

    await expect(outcome).rejects.toThrow(UploadTooLargeError);
    // What the two streams' buffers hold (Node's default high-water mark each), not the whole upload.
    expect(produced * 64).toBeLessThan(2 * getDefaultHighWaterMark(false));
  });

  it('passes the image on as it streams, before the file has ended', async () => {
    const inspector = inspectUpload(1_000_000);
    const source = new PassThrough();
    const piping = pipeline(source, inspector.stream);
    const scan = Buffer.alloc(100_000, 7);
    let passed = 0;
    const passedAll = new Promise<void>((resolve) =>
      inspector.stream.on('data', (chunk: Buffer) => {
        passed += chunk.length;
        if (passed === JPEG_UP_TO_SCAN.length + scan.length) resolve();
      }),
    );

    source.write(JPEG_UP_TO_SCAN);
    source.write(scan);
    await passedAll;
    source.end(Buffer.from([0xff, 0xd9]));

    await piping;
    expect(passed).toBe(JPEG_UP_TO_SCAN.length + scan.length + 2);
  });

  it('rejects the content type of bytes that are not an allowed image', async () => {
    const inspector = inspectUpload(100);

    const piping = pipeline(Readable.from([Buffer.from('<svg xmlns="x"/>')]), inspector.stream);

    await expect(inspector.contentType).rejects.toThrow(UnsupportedImageError);
    await expect(piping).rejects.toThrow(UnsupportedImageError);
  });

  it('rejects an empty upload', async () => {
    const inspector = inspectUpload(100);

    const piping = pipeline(Readable.from([]), inspector.stream);

    await expect(inspector.contentType).rejects.toThrow(EmptyUploadError);
    await expect(piping).rejects.toThrow(EmptyUploadError);
  });

  it('recognises a file shorter than the sniffing window', async () => {
    const inspector = inspectUpload(100);
    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: 'red' } })
      .gif()
      .toBuffer();

    const [passed] = await Promise.all([
      drain(inspector.stream),
      pipeline(Readable.from([tiny]), inspector.stream),
    ]);

    expect(tiny.length).toBeLessThan(64);
    expect(await inspector.contentType).toBe('image/gif');
    expect(passed.equals(tiny)).toBe(true);
  });

  it('refuses a HEIC file as unsupported, saying to export it as JPEG', async () => {
    const inspector = inspectUpload(10_000);

    const piping = pipeline(Readable.from([heifHead('heic', 'mif1', 'heic')]), inspector.stream);

    await expect(inspector.contentType).rejects.toThrow(HeicNotSupportedError);
    await expect(inspector.contentType).rejects.toThrow(/export the photo as JPEG/);
    await expect(piping).rejects.toThrow(HeicNotSupportedError);
  });

  it('refuses a pixel flood from its header, before passing anything on', async () => {
    const inspector = inspectUpload(1_000_000);
    const flood = await pixelFloodPng();
    const passed: Buffer[] = [];
    inspector.stream.on('data', (chunk: Buffer) => passed.push(chunk));

    const piping = pipeline(Readable.from([flood]), inspector.stream);

    await expect(inspector.contentType).rejects.toThrow(TooManyPixelsError);
    await expect(piping).rejects.toThrow(/declares 30000 × 30000 pixels/);
    expect(passed).toEqual([]);
  });

  it('fails the stream of a file cut short, at its end', async () => {
    const inspector = inspectUpload(1_000_000);
    const jpeg = await baselineJpeg();

    const outcome = Promise.all([
      drain(inspector.stream),
      pipeline(Readable.from([jpeg.subarray(0, jpeg.length - 2)]), inspector.stream),
    ]);

    expect(await inspector.contentType).toBe('image/jpeg');
    await expect(outcome).rejects.toThrow(TruncatedImageError);
  });

  it('passes on the image but not the bytes after it, and fails the stream at its end', async () => {
    const inspector = inspectUpload(1_000_000);
    const jpeg = await baselineJpeg();
    const passed: Buffer[] = [];
    inspector.stream.on('data', (chunk: Buffer) => passed.push(chunk));

    const piping = pipeline(
      Readable.from([jpeg.subarray(0, 100), Buffer.concat([jpeg.subarray(100), zipArchive])]),
      inspector.stream,
    );

    await expect(piping).rejects.toThrow(new TrailingDataError(zipArchive.length));
    expect(Buffer.concat(passed).equals(jpeg)).toBe(true);
    expect(inspector.bytes()).toBe(jpeg.length + zipArchive.length);
  });

  it('answers the size cap before the bytes after an image', async () => {
    const inspector = inspectUpload(5_000);
    const padded = Buffer.concat([await baselineJpeg(), Buffer.alloc(10_000)]);

    const outcome = Promise.all([
      drain(inspector.stream),
      pipeline(
        Readable.from([padded.subarray(0, 4_000), padded.subarray(4_000)]),
        inspector.stream,
      ),
    ]);

    await expect(outcome).rejects.toThrow(UploadTooLargeError);
  });

  it.each([
    ['AVIF', () => noise().avif().toBuffer(), 'image/avif'],
    ['TIFF', () => noise().tiff().toBuffer(), 'image/tiff'],
  ])(
    'passes %s on unwalked, bytes after it included: the workers judge it',
    async (_kind, make, type) => {
      const inspector = inspectUpload(1_000_000);
      const file = Buffer.concat([await make(), zipArchive]);

      const [passed] = await Promise.all([
        drain(inspector.stream),
        pipeline(Readable.from([file]), inspector.stream),
      ]);

      expect(await inspector.contentType).toBe(type);
      expect(passed.equals(file)).toBe(true);
    },
  );

  it('recognises a GIF arriving byte by byte', async () => {
    const inspector = inspectUpload(1_000_000);
    const file = await gif();

    const [passed] = await Promise.all([
      drain(inspector.stream),
      pipeline(Readable.from([...file].map((byte) => Buffer.from([byte]))), inspector.stream),
    ]);

    expect(passed.equals(file)).toBe(true);
  });
});
