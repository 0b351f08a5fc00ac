import {
  InvalidRangeError,
  ObjectNotFoundError,
  type ByteRange,
  type ObjectInfo,
  type ObjectStore,
  type StoredObject,
} from '@gallery/storage';
import { Readable } from 'node:stream';

export interface MemoryObjectStore extends ObjectStore {
  objects: Map<string, { body: Buffer; contentType: string }>;
}

/** The object-store port in memory: an object appears whole once its stream has ended. */
export function createMemoryObjectStore(bucket = 'test-bucket'): MemoryObjectStore {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  return {
    bucket,
    objects,
    async put(key, body, { contentType }): Promise<ObjectInfo> {
      const chunks: Buffer[] = [];
      if (Buffer.isBuffer(body)) chunks.push(body);
      else for await (const chunk of body) chunks.push(Buffer.from(chunk));
      const bytes = Buffer.concat(chunks);
      objects.set(key, { body: bytes, contentType });
      return { size: bytes.length, contentType };
    },
    async get(key, options: { range?: ByteRange } = {}): Promise<StoredObject> {
      const object = objects.get(key);
      if (!object) throw new ObjectNotFoundError(key);
      const { range } = options;
      if (range && range.start >= object.body.length) throw new InvalidRangeError('past the end');
      const bytes = range ? object.body.subarray(range.start, range.end + 1) : object.body;
      return { body: Readable.from([bytes]), contentType: object.contentType, size: bytes.length };
    },
    async read(key) {
      const object = objects.get(key);
      if (!object) throw new ObjectNotFoundError(key);
      return Buffer.from(object.body);
    },
    async head(key) {
      const object = objects.get(key);
      if (!object) return null;
      return {
        size: object.body.length,
        contentType: object.contentType,
        lastModified: new Date(),
      };
    },
    async removeIncompletePuts() {
      return 0;
    },
    async delete(key) {
      objects.delete(key);
    },
    async *list(prefix) {
      yield* [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
  };
}
