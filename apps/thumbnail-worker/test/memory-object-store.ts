import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ObjectNotFoundError, type ObjectStore } from '@gallery/storage';

export interface MemoryObjectStore extends ObjectStore {
  objects: Map<string, { data: Buffer; contentType: string }>;
}

/** An object store in a Map: the port's behaviour, none of its I/O. */
export function createMemoryObjectStore(bucket = 'test'): MemoryObjectStore {
  const objects = new Map<string, { data: Buffer; contentType: string }>();
  return {
    bucket,
    objects,
    async put(key, body, { contentType }) {
      const data = Buffer.isBuffer(body) ? body : await buffer(body);
      objects.set(key, { data, contentType });
      return { size: data.length, contentType };
    },
    async get(key) {
      const object = objects.get(key);
      if (!object) throw new ObjectNotFoundError(key);
      return {
        body: Readable.from([object.data]),
        contentType: object.contentType,
        size: object.data.length,
      };
    },
    async head(key) {
      const object = objects.get(key);
      return object ? { size: object.data.length, contentType: object.contentType } : null;
    },
    async delete(key) {
      objects.delete(key);
    },
    async *list(prefix) {
      for (const key of [...objects.keys()].sort()) if (key.startsWith(prefix)) yield key;
    },
  };
}
