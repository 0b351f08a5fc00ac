import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EmptyUploadError, UnsupportedImageError, UploadTooLargeError } from './errors';
import { inspectUpload } from './upload-inspector';

const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('inspectUpload', () => {
  it('passes the bytes on unchanged once they are known to be an image', async () => {
    const body = Buffer.concat([JPEG_HEAD, Buffer.alloc(1000, 7)]);
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
        this.push(produced === 1 ? JPEG_HEAD : Buffer.alloc(64));
      },
    });

    const outcome = Promise.all([drain(inspector.stream), pipeline(source, inspector.stream)]);

    await expect(outcome).rejects.toThrow(UploadTooLargeError);
    // What stream buffers hold (16 KiB), not the whole upload.
    expect(produced * 64).toBeLessThan(32 * 1024);
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
    const gif = Buffer.from('GIF89a');

    const [passed] = await Promise.all([
      drain(inspector.stream),
      pipeline(Readable.from([gif]), inspector.stream),
    ]);

    expect(await inspector.contentType).toBe('image/gif');
    expect(passed.equals(gif)).toBe(true);
  });
});
