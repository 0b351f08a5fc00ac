import type { Readable } from 'node:stream';

export interface StoredObject {
  body: Readable;
  contentType: string;
  /** Bytes in `body` (the range's length for a ranged read). */
  size: number;
}

export interface ObjectInfo {
  size: number;
  contentType: string;
}

/** What `head` tells about a stored object. */
export interface ObjectHead extends ObjectInfo {
  /** When the object was written (S3 gives whole seconds). */
  lastModified: Date;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/**
 * The object-store port: S3 in production, a directory locally. Keys come from `keys.ts`
 * only. Deletes are idempotent; reading a missing key throws ObjectNotFoundError.
 */
export interface ObjectStore {
  /** The bucket named in events (`local` for the filesystem store). */
  readonly bucket: string;
  /** Streams `body` in; the object appears whole or not at all. */
  put(key: string, body: Readable | Buffer, options: { contentType: string }): Promise<ObjectInfo>;
  get(key: string, options?: { range?: ByteRange }): Promise<StoredObject>;
  /** The whole object in one buffer, for a reader that needs every byte at once (a decoder). */
  read(key: string): Promise<Buffer>;
  /** Null when there is no such object. */
  head(key: string): Promise<ObjectHead | null>;
  delete(key: string): Promise<void>;
  /** Every key under the prefix, in key order. */
  list(prefix: string): AsyncIterable<string>;
  /**
   * Removes what puts cut off by a crash left behind, if it began before `startedBefore`;
   * resolves with how many were removed.
   */
  removeIncompletePuts(startedBefore: Date): Promise<number>;
  /**
   * Resolves when the store answers (S3: its bucket exists and may be listed; a directory: it
   * can be written in); rejects with a StorageError saying why otherwise. Cheap and changes
   * nothing, so a readiness probe may call it every second.
   */
  probe(): Promise<void>;
}
