import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A stream of `bytes` cut into chunks of `chunkSize`, as a network upload arrives. */
export function chunked(bytes: Buffer, chunkSize = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
    })(),
    { objectMode: false },
  );
}

/** A stream that sends `bytesBefore` bytes and then fails with `error`. */
export function failingAfter(bytesBefore: number, error: Error): Readable {
  return Readable.from(
    (async function* () {
      yield* chunked(Buffer.alloc(bytesBefore, 7));
      throw error;
    })(),
    { objectMode: false },
  );
}

/**
 * `size` pseudo-random bytes, the same for the same `seed`, made a chunk at a time (AES-CTR
 * over zeros) so a large upload never sits in memory whole.
 */
export function pseudoRandomStream(size: number, seed: string, chunkSize = 1024 * 1024): Readable {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Readable.from(
    (function* () {
      for (let at = 0; at < size; at += chunkSize) {
        yield cipher.update(Buffer.alloc(Math.min(chunkSize, size - at)));
      }
    })(),
    { objectMode: false },
  );
}
