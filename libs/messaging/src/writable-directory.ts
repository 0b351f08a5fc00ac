import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Rejects, saying why, unless `path` is a directory this process can create files in. A path
 * not made yet passes when the nearest directory above it does: the first send creates it, so
 * a queue that has received nothing yet is not reported broken.
 */
export async function checkWritableDirectory(path: string): Promise<void> {
  for (let current = path; ; current = dirname(current)) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(current)).isDirectory();
    } catch (error) {
      const missing = codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR';
      if (missing && dirname(current) !== current) continue;
      throw new Error(`${current} cannot be read (${codeOf(error) ?? String(error)})`);
    }
    if (!isDirectory) throw new Error(`${current} is not a directory`);
    try {
      await access(current, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw new Error(`${current} is not writable (${codeOf(error) ?? String(error)})`);
    }
    return;
  }
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
