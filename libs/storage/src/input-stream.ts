import { Readable } from 'node:stream';

export interface TrackedInput {
  /** The caller's bytes, to hand to the writer in place of the original stream. */
  stream: Readable;
  /** Bytes read from the caller so far. */
  bytesRead(): number;
  /** The caller's stream failed with this error; undefined while it has not. */
  inputError(): { error: unknown } | undefined;
}

/**
 * Counts a caller's bytes and remembers the caller's own failure, so a put can rethrow it
 * unchanged (an upload limit, a client that went away) whatever failed in the clean-up after
 * it, and wrap only the store's own failures.
 */
export function trackInput(body: Readable): TrackedInput {
  let bytes = 0;
  let failure: { error: unknown } | undefined;
  async function* passThrough(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of body) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        bytes += buffer.byteLength;
        yield buffer;
      }
    } catch (error) {
      failure = { error };
      throw error;
    }
  }
  return {
    stream: Readable.from(passThrough(), { objectMode: false }),
    bytesRead: () => bytes,
    inputError: () => failure,
  };
}
