import type { Readable } from 'node:stream';

/**
 * A stream's bytes in one buffer, copied once: `buffer()` from node:stream/consumers goes
 * through a Blob and copies every byte twice more.
 */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
