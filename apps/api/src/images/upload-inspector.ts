import { Transform, type TransformCallback } from 'node:stream';
import { EmptyUploadError, UnsupportedImageError, UploadTooLargeError } from './errors';
import { detectImageType, SNIFF_BYTES } from './image-type';

export interface UploadInspector {
  /** The bytes, passed on unchanged once their type is known. */
  stream: Transform;
  /** The content type from the magic bytes; rejects when the upload is empty or not allowed. */
  contentType: Promise<string>;
  bytes(): number;
}

/**
 * Sits between an upload and the object store: holds back the first bytes until they
 * tell the format, and fails the stream as soon as the upload passes `maxBytes`, so that
 * neither an unknown format nor an oversized file is ever stored whole.
 */
export function inspectUpload(maxBytes: number): UploadInspector {
  let bytes = 0;
  let head: Buffer[] = [];
  let headBytes = 0;
  let decided = false;
  let settle: { resolve(type: string): void; reject(error: Error): void };
  const contentType = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // The caller may stop listening once the stream has failed: the stream carries the error.
  contentType.catch(() => undefined);

  function decide(stream: Transform): Error | undefined {
    decided = true;
    const buffered = Buffer.concat(head);
    head = [];
    if (buffered.length === 0) return fail(new EmptyUploadError('the file is empty'));
    const type = detectImageType(buffered);
    if (!type) {
      return fail(
        new UnsupportedImageError('not an allowed image (JPEG, PNG, WebP, AVIF, GIF or TIFF)'),
      );
    }
    settle.resolve(type);
    stream.push(buffered);
    return undefined;
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
      if (decided) return callback(null, chunk);
      head.push(chunk);
      headBytes += chunk.length;
      callback(headBytes >= SNIFF_BYTES ? decide(this) : undefined);
    },
    flush(callback: TransformCallback) {
      callback(decided ? undefined : decide(this));
    },
    destroy(error, callback) {
      // A source that fails before the type is known (a client that went away) ends the wait.
      if (!decided) fail(error ?? new EmptyUploadError('the upload ended early'));
      callback(error);
    },
  });
  return { stream, contentType, bytes: () => bytes };
}
