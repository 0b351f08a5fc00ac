import {
  DetectLabelsCommand,
  ImageTooLargeException,
  InternalServerError,
  InvalidImageFormatException,
  InvalidS3ObjectException,
  ProvisionedThroughputExceededException,
  RekognitionClient,
  ThrottlingException,
  type DetectLabelsCommandInput,
} from '@aws-sdk/client-rekognition';
import { randomUUID } from 'node:crypto';
import { solidImage, svg } from '@gallery/imaging/testing';
import { isPermanent, PermanentError } from '@gallery/messaging';
import { originalKey } from '@gallery/storage';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { createRekognitionLabeler, HEADER_BYTES } from '../src/rekognition-labeler';
import { JPEG_MAGIC, noisePng } from './images';

const MB = 1024 * 1024;

describe('Rekognition labeler', () => {
  const client = new RekognitionClient({ region: 'eu-west-1' });
  const rekognition = mockClient(client);
  const store = createMemoryObjectStore('photos');
  const labeler = createRekognitionLabeler({ client, store });

  beforeEach(() => {
    rekognition.reset();
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [] });
    store.objects.clear();
    store.reads.length = 0;
  });

  async function anOriginal(data: Buffer, contentType: string) {
    const key = originalKey(randomUUID());
    await store.put(key, data, { contentType });
    return { bucket: store.bucket, key, contentType, size: data.length };
  }

  const sentInput = (): DetectLabelsCommandInput => {
    const calls = rekognition.commandCalls(DetectLabelsCommand);
    expect(calls).toHaveLength(1);
    return calls[0].args[0].input;
  };

  it('lets Rekognition read a JPEG straight from S3, reading only its header itself', async () => {
    // Bytes after the end of the JPEG: larger than its header, as a photo is.
    const jpeg = Buffer.concat([await solidImage(300, 200, 'jpeg'), Buffer.alloc(HEADER_BYTES)]);
    const image = await anOriginal(jpeg, 'image/jpeg');
    const get = jest.spyOn(store, 'get');

    await labeler.label(image);

    expect(sentInput()).toEqual({
      Image: { S3Object: { Bucket: 'photos', Name: image.key } },
      MaxLabels: 10,
      MinConfidence: 70,
    });
    expect(get.mock.calls).toEqual([[image.key, { range: { start: 0, end: HEADER_BYTES - 1 } }]]);
    get.mockRestore();
  });

  it('sends a JPEG over 10,000 px a side as a rendition within 4096 px, not by reference', async () => {
    const image = await anOriginal(await solidImage(10_001, 400, 'jpeg'), 'image/jpeg');

    await labeler.label(image);

    const { Image } = sentInput();
    expect(Image?.S3Object).toBeUndefined();
    const bytes = Buffer.from(Image?.Bytes ?? []);
    expect(await sharp(bytes).metadata()).toMatchObject({
      format: 'jpeg',
      width: 4096,
      height: 164,
    });
  });

  it('refuses, as permanent, a PNG under 80 px a side from its header, without calling Rekognition', async () => {
    const image = await anOriginal(await solidImage(300, 60, 'png'), 'image/png');

    const error = await labeler.label(image).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/300×60 px; labels need at least 80 px a side/);
    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(0);
  });

  it('lets Rekognition read a PNG straight from S3 too', async () => {
    const image = await anOriginal(await solidImage(300, 200, 'png'), 'image/png');

    await labeler.label(image);

    expect(sentInput().Image).toEqual({ S3Object: { Bucket: 'photos', Name: image.key } });
  });

  it('sends a WebP as the bytes of a JPEG rendition', async () => {
    const image = await anOriginal(await solidImage(300, 200, 'webp'), 'image/webp');

    await labeler.label(image);

    const { Image, MaxLabels, MinConfidence } = sentInput();
    expect(Image?.S3Object).toBeUndefined();
    const bytes = Buffer.from(Image?.Bytes ?? []);
    expect(bytes.subarray(0, 3)).toEqual(JPEG_MAGIC);
    expect(await sharp(bytes).metadata()).toMatchObject({
      format: 'jpeg',
      width: 300,
      height: 200,
    });
    expect({ MaxLabels, MinConfidence }).toEqual({ MaxLabels: 10, MinConfidence: 70 });
  });

  it('sends a PNG over 15 MB as a JPEG of at most 5 MB, lowering the quality until it fits', async () => {
    // Noise: 3000 × 3000 is about 26 MB as PNG and over 5 MB as a JPEG of quality 90.
    const png = await noisePng(3000, 3000);
    expect(png.length).toBeGreaterThan(15 * MB);
    const image = await anOriginal(png, 'image/png');

    await labeler.label(image);

    const bytes = Buffer.from(sentInput().Image?.Bytes ?? []);
    expect(bytes.subarray(0, 3)).toEqual(JPEG_MAGIC);
    expect(bytes.length).toBeLessThanOrEqual(5 * MB);
    expect(bytes.length).toBeGreaterThan(3 * MB);
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 3000, height: 3000 });
  });

  it('shrinks a rendition to fit within 4096 × 4096', async () => {
    const image = await anOriginal(await solidImage(6000, 1000, 'webp'), 'image/webp');

    await labeler.label(image);

    const bytes = Buffer.from(sentInput().Image?.Bytes ?? []);
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 4096, height: 683 });
  });

  it('refuses, as permanent, an image with a side under 80 px, without calling Rekognition', async () => {
    const image = await anOriginal(await solidImage(300, 60, 'webp'), 'image/webp');

    const error = await labeler.label(image).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/300×60 px; labels need at least 80 px a side/);
    expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(0);
  });

  it('refuses, as permanent, a format outside the allow-list', async () => {
    const image = await anOriginal(svg, 'image/svg+xml');

    const error = await labeler.label(image).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/unsupported image format: svg/);
  });

  it('keeps each label and its parents, lower-cased, parents with the confidence of their child', async () => {
    rekognition.on(DetectLabelsCommand).resolves({
      Labels: [
        { Name: 'Cat', Confidence: 97.3, Parents: [{ Name: 'Pet' }, { Name: 'Animal' }] },
        { Name: 'Dog', Confidence: 81, Parents: [{ Name: 'Animal' }, { Name: 'Canine' }] },
        { Name: 'Furniture', Confidence: 72.5, Parents: [] },
      ],
    });
    const image = await anOriginal(await solidImage(300, 200, 'jpeg'), 'image/jpeg');

    const labels = await labeler.label(image);

    expect(labels).toEqual([
      { name: 'animal', confidence: 97.3 },
      { name: 'cat', confidence: 97.3 },
      { name: 'pet', confidence: 97.3 },
      { name: 'canine', confidence: 81 },
      { name: 'dog', confidence: 81 },
      { name: 'furniture', confidence: 72.5 },
    ]);
  });

  it.each([
    new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }),
    new ProvisionedThroughputExceededException({
      message: 'Provisioned rate exceeded',
      $metadata: {},
    }),
    new InternalServerError({
      message: 'Internal server error',
      $metadata: { httpStatusCode: 500 },
    }),
  ])('rethrows $name as it is, to be retried', async (throttled) => {
    rekognition.on(DetectLabelsCommand).rejects(throttled);
    const image = await anOriginal(await solidImage(300, 200, 'jpeg'), 'image/jpeg');

    const error = await labeler.label(image).catch((e: unknown) => e);

    expect(error).toBe(throttled);
    expect(isPermanent(error)).toBe(false);
  });

  it('rethrows a server error as it is, to be retried', async () => {
    const unavailable = Object.assign(new Error('Service Unavailable'), {
      name: 'ServiceUnavailable',
      $metadata: { httpStatusCode: 503 },
    });
    rekognition.on(DetectLabelsCommand).rejects(unavailable);
    const image = await anOriginal(await solidImage(300, 200, 'jpeg'), 'image/jpeg');

    const error = await labeler.label(image).catch((e: unknown) => e);

    expect(error).toBe(unavailable);
    expect(isPermanent(error)).toBe(false);
  });

  it.each([
    [
      'InvalidImageFormatException',
      new InvalidImageFormatException({
        message: 'Request has invalid image format',
        $metadata: {},
      }),
    ],
    [
      'ImageTooLargeException',
      new ImageTooLargeException({
        message: 'Image size is too large',
        $metadata: {},
      }),
    ],
    [
      'InvalidS3ObjectException',
      new InvalidS3ObjectException({
        message: 'Unable to get object metadata from S3',
        $metadata: {},
      }),
    ],
  ])('turns %s into a permanent error carrying the AWS message', async (name, rejection) => {
    rekognition.on(DetectLabelsCommand).rejects(rejection);
    const image = await anOriginal(await solidImage(300, 200, 'jpeg'), 'image/jpeg');

    const error = await labeler.label(image).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(`Rekognition: ${name}: ${rejection.message}`);
    expect((error as Error).cause).toBe(rejection);
  });
});
