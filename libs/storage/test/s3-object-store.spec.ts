import type { S3Client } from '@aws-sdk/client-s3';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { createS3Client, createS3ObjectStore, originalKey } from '../src';
import type { S3ObjectStore } from '../src';
import { describeObjectStoreContract } from './object-store.contract';
import { listInKeyOrder } from './s3rver-key-order';

const BUCKET = 'gallery';

let server: S3rver;
let directory: string;
let client: S3Client;
let store: S3ObjectStore;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'gallery-s3rver-'));
  server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  listInKeyOrder(server);
  const { port } = await server.run();
  client = createS3Client({
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    region: 'us-east-1',
    // s3rver's built-in account
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  store = createS3ObjectStore({ client, bucket: BUCKET });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await rm(directory, { recursive: true, force: true });
});

describeObjectStoreContract('S3 store on s3rver', () => store);

describe('S3 store', () => {
  it('names the bucket it writes to', () => {
    expect(store.bucket).toBe(BUCKET);
  });

  it('presigns a GET URL that downloads the object without credentials', async () => {
    // prepare
    const key = originalKey(randomUUID());
    const bytes = randomBytes(4096);
    await store.put(key, bytes, { contentType: 'image/png' });
    // act
    const url = await store.presignGet(key, 60);
    const response = await fetch(url);
    // assess
    expect(url).toContain('X-Amz-Expires=60');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('presigns for 15 minutes unless told otherwise', async () => {
    const url = await store.presignGet(originalKey(randomUUID()));
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('makes its client checksum only where S3 requires it', async () => {
    // Otherwise streamed bodies go out with aws-chunked framing that compatible servers keep.
    expect(await client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await client.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
  });
});
