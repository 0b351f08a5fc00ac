import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createS3ObjectStore, originalKey, StorageError } from '../src';
import { chunked, collect, failingAfter } from './streams';

const MB = 1024 * 1024;
const BUCKET = 'gallery-prod';

function setup() {
  const client = new S3Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const s3 = mockClient(client);
  return { s3, store: createS3ObjectStore({ client, bucket: BUCKET }) };
}

describe('S3 store, as seen by S3', () => {
  it('sends a Buffer as one PutObject with its content type', async () => {
    // prepare
    const { s3, store } = setup();
    s3.on(PutObjectCommand).resolves({});
    const key = originalKey(randomUUID());
    const bytes = randomBytes(100);
    // act
    await store.put(key, bytes, { contentType: 'image/png' });
    // assess
    expect(s3.calls()).toHaveLength(1);
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input).toEqual({
      Bucket: BUCKET,
      Key: key,
      Body: bytes,
      ContentType: 'image/png',
    });
  });

  it('sends a 20 MB stream as a multipart upload in 8 MB parts', async () => {
    // prepare
    const { s3, store } = setup();
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
    s3.on(UploadPartCommand).callsFake(async (input) => ({ ETag: `"etag-${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const key = originalKey(randomUUID());
    // act
    const info = await store.put(key, chunked(randomBytes(20 * MB)), { contentType: 'image/tiff' });
    // assess
    expect(info).toEqual({ size: 20 * MB, contentType: 'image/tiff' });
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0].args[0].input).toMatchObject({
      Bucket: BUCKET,
      Key: key,
      ContentType: 'image/tiff',
    });
    const parts = s3
      .commandCalls(UploadPartCommand)
      .map((call) => call.args[0].input)
      .sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    expect(parts.map((part) => [part.PartNumber, (part.Body as Buffer).length])).toEqual([
      [1, 8 * MB],
      [2, 8 * MB],
      [3, 4 * MB],
    ]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0].args[0].input).toMatchObject({
      Bucket: BUCKET,
      Key: key,
      UploadId: 'upload-1',
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: '"etag-1"' },
          { PartNumber: 2, ETag: '"etag-2"' },
          { PartNumber: 3, ETag: '"etag-3"' },
        ],
      },
    });
  });

  it('aborts the multipart upload when the input stream fails', async () => {
    // prepare
    const { s3, store } = setup();
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-2' });
    s3.on(UploadPartCommand).resolves({ ETag: '"etag"' });
    s3.on(AbortMultipartUploadCommand).resolves({});
    const key = originalKey(randomUUID());
    const cut = new Error('cut');
    // act
    const putting = store.put(key, failingAfter(9 * MB, cut), { contentType: 'image/tiff' });
    // assess
    await expect(putting).rejects.toBe(cut);
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0].args[0].input).toEqual({
      Bucket: BUCKET,
      Key: key,
      UploadId: 'upload-2',
    });
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('asks for an inclusive byte range in the Range header', async () => {
    const { s3, store } = setup();
    s3.on(GetObjectCommand).resolves({
      Body: Readable.from([Buffer.alloc(100)]) as never,
      ContentLength: 100,
      ContentType: 'image/webp',
    });
    const key = originalKey(randomUUID());
    const object = await store.get(key, { range: { start: 100, end: 199 } });
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: BUCKET,
      Key: key,
      Range: 'bytes=100-199',
    });
    expect(object).toMatchObject({ size: 100, contentType: 'image/webp' });
  });

  it('probes with one HeadBucket on its bucket', async () => {
    // prepare
    const { s3, store } = setup();
    s3.on(HeadBucketCommand).resolves({});
    // act
    await store.probe();
    // assess
    expect(s3.calls()).toHaveLength(1);
    expect(s3.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({ Bucket: BUCKET });
  });

  it.each([
    [
      'a missing bucket',
      new S3ServiceException({
        name: 'NotFound',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'UnknownError',
      }),
      'NotFound (HTTP 404)',
    ],
    [
      'a bucket it may not list',
      new S3ServiceException({
        name: 'Forbidden',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'UnknownError',
      }),
      'Forbidden (HTTP 403)',
    ],
    [
      'no connection',
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }),
      'ECONNREFUSED',
    ],
  ])('fails its probe on %s with a StorageError naming the failure', async (_, cause, said) => {
    // prepare
    const { s3, store } = setup();
    s3.on(HeadBucketCommand).rejects(cause);
    // act
    const probing = store.probe();
    // assess
    await expect(probing).rejects.toThrow(StorageError);
    await expect(probing).rejects.toMatchObject({
      message: `bucket ${BUCKET} cannot be reached: ${said}`,
      cause,
    });
  });

  it('follows continuation tokens until the listing is complete', async () => {
    // prepare
    const { s3, store } = setup();
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'originals/a' }, { Key: 'originals/b' }],
        IsTruncated: true,
        NextContinuationToken: 'page-2',
      })
      .resolvesOnce({ Contents: [{ Key: 'originals/c' }], IsTruncated: false });
    // act
    const keys = await collect(store.list('originals/'));
    // assess
    expect(keys).toEqual(['originals/a', 'originals/b', 'originals/c']);
    expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Prefix: 'originals/' },
      { Bucket: BUCKET, Prefix: 'originals/', ContinuationToken: 'page-2' },
    ]);
  });

  it('reads an object whole with one GetObject, and a connection cut meanwhile stays retryable', async () => {
    // prepare
    const { s3, store } = setup();
    const bytes = randomBytes(100_000);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    s3.on(GetObjectCommand)
      .resolvesOnce({ Body: chunked(bytes, 16_384) as never, ContentLength: bytes.length })
      .resolvesOnce({ Body: failingAfter(50_000, reset) as never, ContentLength: 100_000 });
    const key = originalKey(randomUUID());
    // act
    const whole = await store.read(key);
    const cut = store.read(key);
    // assess
    expect(whole.equals(bytes)).toBe(true);
    await expect(cut).rejects.toMatchObject({ name: 'StorageError', cause: reset });
    await expect(cut).rejects.not.toHaveProperty('permanent');
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: key },
      { Bucket: BUCKET, Key: key },
    ]);
  });

  it('wraps any other S3 failure in a retryable StorageError that keeps the cause', async () => {
    // prepare
    const { s3, store } = setup();
    const slowDown = new S3ServiceException({
      name: 'SlowDown',
      $fault: 'server',
      $metadata: { httpStatusCode: 503 },
      message: 'Please reduce your request rate.',
    });
    s3.on(GetObjectCommand).rejects(slowDown);
    // act
    const reading = store.get(originalKey(randomUUID()));
    // assess
    await expect(reading).rejects.toThrow(StorageError);
    await expect(reading).rejects.toMatchObject({ name: 'StorageError', cause: slowDown });
    await expect(reading).rejects.not.toHaveProperty('permanent');
  });
});
