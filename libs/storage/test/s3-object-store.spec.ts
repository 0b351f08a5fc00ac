import type { S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Client, createS3ObjectStore, originalKey } from '../src';
import type { S3ObjectStore } from '../src';
import { describeObjectStoreContract } from './object-store.contract';
import { startS3rver } from './start-s3rver';
import type { RunningS3rver } from './start-s3rver';
import { collect, pseudoRandomStream } from './streams';

const BUCKET = 'gallery';

let server: RunningS3rver;
let directory: string;
let client: S3Client;
let store: S3ObjectStore;
/** Names of the commands the client sent, as they leave it: the real calls, not a mock's. */
const sent: string[] = [];
const sentCount = (commandName: string) => sent.filter((name) => name === commandName).length;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'gallery-s3rver-'));
  server = await startS3rver(directory, BUCKET);
  client = createS3Client({
    endpoint: server.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    // s3rver's built-in account
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'recordSentCommands' },
  );
  store = createS3ObjectStore({ client, bucket: BUCKET });
});

beforeEach(() => {
  sent.length = 0;
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
  await rm(directory, { recursive: true, force: true });
});

describeObjectStoreContract('S3 store on s3rver', () => store);

describe('S3 store', () => {
  it('names the bucket it writes to', () => {
    expect(store.bucket).toBe(BUCKET);
  });

  it('fails its probe, saying so, when the bucket does not exist', async () => {
    const elsewhere = createS3ObjectStore({ client, bucket: 'no-such-bucket' });
    await expect(elsewhere.probe()).rejects.toThrow(
      'bucket no-such-bucket cannot be reached: NotFound (HTTP 404)',
    );
    expect(sent).toEqual(['HeadBucketCommand']);
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

  it('lists every key of a listing over 1,000 keys in key order, page after page', async () => {
    // prepare
    const prefix = `originals/${randomUUID()}/`;
    const keys = Array.from({ length: 1105 }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
    for (let at = 0; at < keys.length; at += 100) {
      await Promise.all(
        keys
          .slice(at, at + 100)
          .map((key) => store.put(key, Buffer.from(key), { contentType: 'text/plain' })),
      );
    }
    sent.length = 0;
    // act
    const listed = await collect(store.list(prefix));
    // assess
    expect(listed).toHaveLength(1105);
    expect(listed).toEqual(keys);
    expect(sentCount('ListObjectsV2Command')).toBeGreaterThan(1);
  }, 30_000);

  it('uploads 50 MB streamed in several parts and gives back the same bytes', async () => {
    // prepare
    const key = originalKey(randomUUID());
    const size = 50 * 1024 * 1024;
    const sentHash = createHash('sha256');
    const body = pseudoRandomStream(size, 'multipart');
    body.on('data', (chunk: Buffer) => sentHash.update(chunk));
    // act
    const info = await store.put(key, body, { contentType: 'application/octet-stream' });
    const stored = await store.get(key);
    const storedHash = createHash('sha256');
    let storedSize = 0;
    for await (const chunk of stored.body) {
      storedHash.update(chunk as Buffer);
      storedSize += (chunk as Buffer).byteLength;
    }
    // assess
    expect(info.size).toBe(size);
    expect(storedSize).toBe(size);
    expect(storedHash.digest('hex')).toBe(sentHash.digest('hex'));
    expect(sentCount('CreateMultipartUploadCommand')).toBe(1);
    expect(sentCount('UploadPartCommand')).toBeGreaterThan(1);
    expect(sentCount('CompleteMultipartUploadCommand')).toBe(1);
  }, 60_000);
});
