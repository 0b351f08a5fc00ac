import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessagingError } from './errors';

const PROCESSOR_NAME = /^[a-z0-9-]+$/;
const isCode = (error: unknown, code: string) => (error as { code?: unknown }).code === code;

/**
 * The callback secret of one processor on this machine: `dataDir/secrets/<processor>.secret`,
 * made by whichever process needs it first, so the API and a worker share it with no
 * configuration. Exclusive creation decides the race; the loser reads the winner's.
 */
export function loadOrCreateLocalSecret(dataDir: string, processor: string): string {
  if (!PROCESSOR_NAME.test(processor)) {
    throw new MessagingError(`invalid processor name: ${processor}`);
  }
  const dir = join(dataDir, 'secrets');
  const path = join(dir, `${processor}.secret`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const existing = readSecret(path);
  if (existing !== null) return existing;
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(path, secret, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
  }
  const winners = readSecret(path);
  if (winners === null) throw new MessagingError(`secret file ${path} vanished`);
  return winners;
}

/** Null when there is no file. Waits out a winner that created its file but has not written it. */
function readSecret(path: string): string | null {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    let content: string;
    try {
      content = readFileSync(path, 'utf8').trim();
    } catch (error) {
      if (isCode(error, 'ENOENT')) return null;
      throw error;
    }
    if (content !== '') return content;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  throw new MessagingError(`secret file ${path} is empty`);
}
