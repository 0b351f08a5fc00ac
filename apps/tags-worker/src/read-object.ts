import type { ObjectStore } from '@gallery/storage';

/** Reads a whole object into memory: labelers need the bytes at once (sharp, Rekognition). */
export async function readObject(store: ObjectStore, key: string): Promise<Buffer> {
  const { body } = await store.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
