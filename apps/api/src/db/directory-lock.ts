import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/** Another live process has the embedded database open. */
export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    options?: { cause?: unknown },
  ) {
    super(
      `the database in ${dataDir} is already open by process ${pid}; only one API may open it ` +
        '(set DATABASE_URL for PostgreSQL to run several)',
      options,
    );
  }
}

export interface DirectoryLock {
  /** Removes the lock file; safe to call twice. */
  release(): void;
}

/**
 * The lock files this process holds. A lock naming this process's own pid is only ours if
 * it is listed here: otherwise an earlier process had the same pid (a restarted container).
 */
const held = new Set<string>();

/**
 * Takes `<dataDir>.lock`, a file holding the owner's pid, created exclusively. PGlite has no
 * lock of its own, and a second process opening the same directory silently loses writes.
 * A lock whose process has died (a crash, kill -9) is taken over.
 */
export function lockDirectory(dataDir: string): DirectoryLock {
  const lockFile = `${dataDir}.lock`;
  for (;;) {
    if (create(lockFile)) {
      held.add(lockFile);
      return { release: () => release(lockFile) };
    }
    const holder = readHolder(lockFile);
    if (holder === 'released') continue;
    if (holder !== 'unknown' && isHeld(lockFile, holder)) {
      throw new DatabaseInUseError(dataDir, holder);
    }
    removeIfUnchanged(lockFile, holder);
  }
}

function create(lockFile: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx');
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The holder's pid; 'unknown' for a file without one (its writer died before writing). */
function readHolder(lockFile: string): number | 'unknown' | 'released' {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8').trim();
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return 'released';
    throw error;
  }
  return /^[1-9]\d*$/.test(text) ? Number(text) : 'unknown';
}

function isHeld(lockFile: string, pid: number): boolean {
  if (pid === process.pid) return held.has(lockFile);
  try {
    process.kill(pid, 0); // signal 0 only asks whether the process exists
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return !hasCode(error, 'ESRCH');
  }
}

/**
 * Deletes the lock file unless it changed since it was read: another starting process may
 * have taken a stale lock over meanwhile. The exclusive create decides between the rest.
 */
function removeIfUnchanged(lockFile: string, seen: number | 'unknown'): void {
  if (readHolder(lockFile) !== seen) return;
  try {
    unlinkSync(lockFile);
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw error;
  }
}

function release(lockFile: string): void {
  if (!held.delete(lockFile)) return;
  if (readHolder(lockFile) === process.pid) removeIfUnchanged(lockFile, process.pid);
}

// Not `instanceof Error`: Node's own errors may come from another realm (Jest's sandbox).
function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
