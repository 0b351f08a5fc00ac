import { Transform, type TransformCallback } from 'node:stream';
import {
  EmptyUploadError,
  HeicNotSupportedError,
  UnsupportedImageError,
  UploadTooLargeError,
} from './errors';
import { walkerFor } from './image-formats';
import { detectImageType, isHeic, SNIFF_BYTES } from './image-type';
import type { ImageWalker } from './image-walk';

export interface UploadInspector {
  /** The bytes of the image, passed on unchanged once their type is known. */
  stream: Transform;
  /** The content type from the magic bytes; rejects when the upload is empty or not allowed. */
  contentType: Promise<string>;
  bytes(): number;
}

const NOT_ALLOWED = 'not an allowed image (JPEG, PNG, WebP, AVIF, GIF or TIFF)';
const HEIC =
  "HEIC is not supported by this server's image decoder: export the photo as JPEG and upload that";

/**
 * Sits between an upload and the object store: holds back the first bytes until they tell
 * the format, walks the file's structure as it streams (refusing a header that declares too
 * many pixels at once, and at the end a file cut short or carrying bytes after its image),
 * and fails the stream as soon as the upload passes `maxBytes`, so that no such file is ever
 * stored whole. Bytes after the image are counted, not passed on.
 */
export function inspectUpload(maxBytes: number): UploadInspector {
  let bytes = 0;
  let head: Buffer[] = [];
  let headBytes = 0;
  let walker: ImageWalker | undefined;
  let settle: { resolve(type: string): void; reject(error: Error): void };
  const contentType = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // The caller may stop listening once the stream has failed: the stream carries the error.
  contentType.catch(() => undefined);

  function decide(stream: Transform): Error | undefined {
    const buffered = Buffer.concat(head);
    head = [];
    if (buffered.length === 0) return fail(new EmptyUploadError('the file is empty'));
    const type = detectImageType(buffered);
    if (!type) {
      return fail(
        isHeic(buffered) ? new HeicNotSupportedError(HEIC) : new UnsupportedImageError(NOT_ALLOWED),
      );
    }
    walker = walkerFor(type);
    // A header that already shows a bad file refuses it before anything is stored.
    const failure = pass(stream, walker, buffered);
    if (!failure) settle.resolve(type);
    return failure;
  }

  function pass(stream: Transform, current: ImageWalker, chunk: Buffer): Error | undefined {
    try {
      const imageBytes = current.write(chunk);
      if (imageBytes > 0) stream.push(chunk.subarray(0, imageBytes));
      return undefined;
    } catch (error) {
      return fail(error as Error);
    }
  }

  function fail(error: Error): Error {
    settle.reject(error);
    return error;
  }

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        return callback(fail(new UploadTooLargeError(`the file is larger than ${maxBytes} bytes`)));
      }
      if (walker) return callback(pass(this, walker, chunk));
      head.push(chunk);
      headBytes += chunk.length;
      callback(headBytes >= SNIFF_BYTES ? decide(this) : undefined);
    },
    flush(callback: TransformCallback) {
      const failure = walker ? undefined : decide(this);
      if (failure || !walker) return callback(failure);
      try {
        walker.end();
        callback();
      } catch (error) {
        callback(fail(error as Error));
      }
    },
    destroy(error, callback) {
      // A source that fails before the type is known (a client that went away) ends the wait.
      if (!walker) fail(error ?? new EmptyUploadError('the upload ended early'));
      callback(error);
    },
  });
  return { stream, contentType, bytes: () => bytes };
}
