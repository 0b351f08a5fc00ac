import { readAll, type ObjectStore } from '@gallery/storage';

/** Reads a whole object into memory: labelers need the bytes at once (sharp, Rekognition). */
export async function readObject(store: ObjectStore, key: string): Promise<Buffer> {
  return readAll((await store.get(key)).body);
}
