import { createHash } from 'node:crypto';
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
