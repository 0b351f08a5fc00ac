import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { InvalidRangeError, ObjectNotFoundError, StorageError } from './errors';
import { trackInput } from './input-stream';
import { readAll } from './read-all';
import { checkByteRange, checkKeyPrefix, checkObjectKey } from './object-key';
import type { ByteRange, ObjectHead, ObjectInfo, ObjectStore, StoredObject } from './object-store';

export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
}

export interface S3ObjectStore extends ObjectStore {
  /** A URL that downloads the object without credentials until it expires. */
  presignGet(key: string, expiresInSeconds?: number): Promise<string>;
}

const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 4;
const DEFAULT_PRESIGN_SECONDS = 900;

export function createS3ObjectStore({ client, bucket }: S3ObjectStoreOptions): S3ObjectStore {
  async function put(
    key: string,
    body: Readable | Buffer,
    { contentType }: { contentType: string },
  ): Promise<ObjectInfo> {
    checkObjectKey(key);
    if (Buffer.isBuffer(body)) {
      try {
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
        );
      } catch (error) {
        throw failure('put', key, error);
      }
      return { size: body.byteLength, contentType };
    }
    const input = trackInput(body);
    // Small bodies go up as one PutObject, large ones as a multipart upload that is aborted
    // on failure, so a half-sent object never becomes visible.
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: input.stream, ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // Aborting the upload can fail too (s3rver cannot abort one); the caller's error is
      // still the cause, and S3 expires incomplete uploads by a lifecycle rule.
      const inputFailure = input.inputError();
      if (inputFailure) throw inputFailure.error;
      throw failure('put', key, error);
    }
    return { size: input.bytesRead(), contentType };
  }

  async function get(key: string, options: { range?: ByteRange } = {}): Promise<StoredObject> {
    checkObjectKey(key);
    const range = options.range && checkByteRange(options.range);
    try {
      const response = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(range && { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      if (!(response.Body instanceof Readable)) {
        throw new StorageError(`get of ${key} returned no Node.js stream`);
      }
      return {
        body: response.Body,
        contentType: response.ContentType ?? 'application/octet-stream',
        size: response.ContentLength ?? 0,
      };
    } catch (error) {
      throw failure('get', key, error);
    }
  }
  async function read(key: string): Promise<Buffer> {
    const { body } = await get(key);
    try {
      return await readAll(body);
    } catch (error) {
      // A connection cut while reading: retryable, as any other S3 failure.
      throw failure('read', key, error);
    }
  }

  async function head(key: string): Promise<ObjectHead | null> {
    checkObjectKey(key);
    try {
      const response = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        size: response.ContentLength ?? 0,
        contentType: response.ContentType ?? 'application/octet-stream',
        lastModified: response.LastModified ?? new Date(0),
      };
    } catch (error) {
      const mapped = failure('head', key, error);
      if (mapped instanceof ObjectNotFoundError) return null;
      throw mapped;
    }
  }

  async function remove(key: string): Promise<void> {
    checkObjectKey(key);
    try {
      // S3 answers 204 for a missing key too: deletes are idempotent as they are.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      throw failure('delete', key, error);
    }
  }

  async function* list(prefix: string): AsyncIterable<string> {
    checkKeyPrefix(prefix);
    let continuationToken: string | undefined;
    do {
      const page = await client
        .send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(continuationToken && { ContinuationToken: continuationToken }),
          }),
        )
        .catch((error: unknown) => {
          throw failure('list', prefix, error);
        });
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) yield object.Key;
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  async function presignGet(
    key: string,
    expiresInSeconds = DEFAULT_PRESIGN_SECONDS,
  ): Promise<string> {
    checkObjectKey(key);
    return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }

  // The bucket's lifecycle rule aborts incomplete multipart uploads after a day; a put
  // leaves nothing else behind in S3.
  const removeIncompletePuts = async () => 0;

  async function probe(): Promise<void> {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      throw new StorageError(`bucket ${bucket} cannot be reached: ${sdkFailureOf(error)}`, {
        cause: error,
      });
    }
  }

  return {
    bucket,
    put,
    get,
    read,
    head,
    delete: remove,
    list,
    presignGet,
    removeIncompletePuts,
    probe,
  };
}

/**
 * An AWS SDK failure in a few words, for a probe's answer: HeadBucket answers without a
 * body, so the error's name and status are all S3 says (NotFound 404, Forbidden 403); a
 * network failure has only its code.
 */
export function sdkFailureOf(error: unknown): string {
  const { name, code, $metadata } = (error ?? {}) as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const what = code ?? name ?? String(error);
  const status = $metadata?.httpStatusCode;
  return status === undefined ? what : `${what} (HTTP ${status})`;
}

/** Maps the SDK's errors onto this package's: not-found and bad ranges get their own names. */
function failure(operation: string, key: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const { name, $metadata } = (error ?? {}) as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
  };
  // GetObject says NoSuchKey; HeadObject has no body, so only its 404 (NotFound) says it.
  if (name === 'NoSuchKey' || name === 'NotFound') {
    return new ObjectNotFoundError(key, { cause: error });
  }
  if (name === 'InvalidRange' || $metadata?.httpStatusCode === 416) {
    return new InvalidRangeError(`range not satisfiable for ${key}`, { cause: error });
  }
  return new StorageError(`S3 ${operation} of ${key} failed: ${String(error)}`, { cause: error });
}
