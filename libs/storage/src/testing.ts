import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { InvalidRangeError, ObjectNotFoundError } from './errors';
import { checkByteRange, checkKeyPrefix, checkObjectKey } from './object-key';
import type { ObjectStore } from './object-store';

// Test support, imported as `@gallery/storage/testing` by specs only, never by the index.

export interface MemoryObject {
  data: Buffer;
  contentType: string;
  /** Set by `put`; a test may move it back to age an object. */
  lastModified?: Date;
}

export interface MemoryObjectStore extends ObjectStore {
  objects: Map<string, MemoryObject>;
  /** Keys read with `get` or `read`, in order: shows whether a caller read the bytes itself. */
  reads: string[];
}

/**
 * The object-store port in a Map: the adapters' behaviour (it passes their contract suite),
 * none of their I/O. An object appears whole once its stream has ended.
 */
export function createMemoryObjectStore(bucket = 'test'): MemoryObjectStore {
  const objects = new Map<string, MemoryObject>();
  const reads: string[] = [];

  function stored(key: string): MemoryObject {
    const object = objects.get(checkObjectKey(key));
    if (!object) throw new ObjectNotFoundError(key);
    return object;
  }

  return {
    bucket,
    objects,
    reads,
    async put(key, body, { contentType }) {
      checkObjectKey(key);
      const data = Buffer.isBuffer(body) ? body : await buffer(body);
      objects.set(key, { data, contentType, lastModified: new Date() });
      return { size: data.length, contentType };
    },
    async get(key, { range } = {}) {
      reads.push(key);
      const { data, contentType } = stored(key);
      if (!range) return { body: Readable.from([data]), contentType, size: data.length };
      const { start, end } = checkByteRange(range);
      if (start >= data.length) throw new InvalidRangeError(`range starts past the end of ${key}`);
      const bytes = data.subarray(start, end + 1);
      return { body: Readable.from([bytes]), contentType, size: bytes.length };
    },
    async read(key) {
      reads.push(key);
      return Buffer.from(stored(key).data);
    },
    async head(key) {
      const object = objects.get(checkObjectKey(key));
      if (!object) return null;
      const { data, contentType, lastModified = new Date(0) } = object;
      return { size: data.length, contentType, lastModified };
    },
    async removeIncompletePuts() {
      return 0; // a put here is never left half-way
    },
    async probe() {
      // Memory is always there to write to.
    },
    async delete(key) {
      objects.delete(checkObjectKey(key));
    },
    async *list(prefix) {
      checkKeyPrefix(prefix);
      yield* [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
  };
}
