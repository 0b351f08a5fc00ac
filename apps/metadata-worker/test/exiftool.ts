import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** ExifTool (Debian's libimage-exiftool-perl), the reference reader and writer of metadata. */

/** `bytes` with the tags written by ExifTool, as `-Tag=value` arguments. */
export function withTags(bytes: Buffer, extension: string, args: string[]): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'gallery-exiftool-'));
  try {
    const file = path.join(dir, `photo.${extension}`);
    writeFileSync(file, bytes);
    execFileSync('exiftool', ['-q', '-overwrite_original', ...args, file]);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What `exiftool -j -n` reads from `bytes`: every tag, numbers as numbers. */
export function readTags(bytes: Buffer): Record<string, unknown> {
  const output = execFileSync('exiftool', ['-j', '-n', '-'], { input: bytes, encoding: 'utf8' });
  return (JSON.parse(output) as Record<string, unknown>[])[0];
}
