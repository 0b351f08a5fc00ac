import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidRangeError, ObjectNotFoundError, StorageError } from './errors';
import { trackInput } from './input-stream';
import { checkByteRange, checkKeyPrefix, checkObjectKey } from './object-key';
import type { ByteRange, ObjectHead, ObjectInfo, ObjectStore, StoredObject } from './object-store';
import { checkWritableDirectory } from './writable-directory';

export interface FsObjectStoreOptions {
  /** The directory keys are paths below; created on the first put. */
  root: string;
  /** The bucket named in events. */
  bucket?: string;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** Reads of 512 KiB: a 5 MB original in 10 reads rather than 80 (Node's default 64 KiB). */
const READ_CHUNK_BYTES = 512 * 1024;
// Renames into a directory that a concurrent delete has just pruned fail with ENOENT.
const RENAME_ATTEMPTS = 3;

/**
 * The object store as a directory: `<root>/<key>` holds the bytes, `<root>/.meta/<key>.json`
 * the content type, and `<root>/.tmp/` the puts in flight. Keys never have a segment that
 * starts with a dot, so neither bookkeeping directory can collide with an object.
 */
export function createFsObjectStore({ root, bucket = 'local' }: FsObjectStoreOptions): ObjectStore {
  const rootDir = resolve(root);
  const tmpDir = join(rootDir, '.tmp');
  const metaDir = join(rootDir, '.meta');

  function objectPath(key: string): string {
    const path = join(rootDir, checkObjectKey(key));
    // The key rules already forbid escaping; this keeps it true if they ever loosen.
    if (!path.startsWith(rootDir + sep)) throw new StorageError(`key escapes the root: ${key}`);
    return path;
  }
  const metaPath = (key: string) => join(metaDir, `${key}.json`);

  async function readContentType(key: string): Promise<string> {
    try {
      const meta = JSON.parse(await readFile(metaPath(key), 'utf8')) as { contentType?: unknown };
      return typeof meta.contentType === 'string' ? meta.contentType : DEFAULT_CONTENT_TYPE;
    } catch (error) {
      if (isMissing(error)) return DEFAULT_CONTENT_TYPE;
      throw error;
    }
  }

  async function put(
    key: string,
    body: Readable | Buffer,
    { contentType }: { contentType: string },
  ): Promise<ObjectInfo> {
    const path = objectPath(key);
    const tmpObject = join(tmpDir, randomUUID());
    const tmpMeta = `${tmpObject}.json`;
    const input = Buffer.isBuffer(body) ? undefined : trackInput(body);
    try {
      await mkdir(tmpDir, { recursive: true });
      // Both flushed at once: one wait for the disk rather than two.
      const [size] = await Promise.all([
        writeDurably(tmpObject, input?.stream ?? (body as Buffer)),
        writeDurably(tmpMeta, Buffer.from(JSON.stringify({ contentType }))),
      ]);
      // The sidecar lands first: an object is never visible without its content type.
      await moveIntoPlace(tmpMeta, metaPath(key));
      await moveIntoPlace(tmpObject, path);
      return { size, contentType };
    } catch (error) {
      await Promise.all([rm(tmpObject, { force: true }), rm(tmpMeta, { force: true })]);
      const inputFailure = input?.inputError();
      if (inputFailure) throw inputFailure.error;
      throw failure('put', key, error);
    }
  }

  /**
   * The object's file, open for reading, and its size. Reading through the open handle serves
   * the object as it was when opened, even if a put replaces it meanwhile.
   */
  async function openObject(key: string, operation: string) {
    let file: FileHandle;
    try {
      file = await open(objectPath(key), 'r');
    } catch (error) {
      throw isMissing(error) ? new ObjectNotFoundError(key) : failure(operation, key, error);
    }
    try {
      const stats = await file.stat();
      if (!stats.isFile()) throw new ObjectNotFoundError(key);
      return { file, size: stats.size };
    } catch (error) {
      await file.close();
      throw failure(operation, key, error);
    }
  }

  async function get(key: string, options: { range?: ByteRange } = {}): Promise<StoredObject> {
    const range = options.range && checkByteRange(options.range);
    const { file, size } = await openObject(key, 'get');
    try {
      const contentType = await readContentType(key);
      const highWaterMark = READ_CHUNK_BYTES;
      if (!range) return { body: file.createReadStream({ highWaterMark }), contentType, size };
      if (range.start >= size) {
        throw new InvalidRangeError(`range starts past the end of ${key} (${size} bytes)`);
      }
      const end = Math.min(range.end, size - 1);
      return {
        body: file.createReadStream({ start: range.start, end, highWaterMark }),
        contentType,
        size: end - range.start + 1,
      };
    } catch (error) {
      await file.close();
      throw failure('get', key, error);
    }
  }

  async function read(key: string): Promise<Buffer> {
    const { file } = await openObject(key, 'read');
    try {
      // One buffer of the file's size, filled in place: no chunks to gather and copy.
      return await file.readFile();
    } catch (error) {
      throw failure('read', key, error);
    } finally {
      await file.close();
    }
  }

  async function head(key: string): Promise<ObjectHead | null> {
    const path = objectPath(key);
    try {
      const stats = await stat(path);
      if (!stats.isFile()) return null;
      return {
        size: stats.size,
        contentType: await readContentType(key),
        lastModified: stats.mtime,
      };
    } catch (error) {
      if (isMissing(error)) return null;
      throw failure('head', key, error);
    }
  }

  async function remove(key: string): Promise<void> {
    const path = objectPath(key);
    try {
      await unlinkIfPresent(path);
      await unlinkIfPresent(metaPath(key));
      await pruneEmptyDirs(dirname(path), rootDir);
      await pruneEmptyDirs(dirname(metaPath(key)), metaDir);
    } catch (error) {
      throw failure('delete', key, error);
    }
  }

  async function* list(prefix: string): AsyncIterable<string> {
    checkKeyPrefix(prefix);
    const dirKey = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    yield* walk(join(rootDir, dirKey), dirKey, prefix);
  }

  async function removeIncompletePuts(startedBefore: Date): Promise<number> {
    let names: string[];
    try {
      names = await readdir(tmpDir);
    } catch (error) {
      if (isMissing(error)) return 0;
      throw failure('sweep', '.tmp', error);
    }
    let removed = 0;
    for (const name of names) {
      const path = join(tmpDir, name);
      const stats = await stat(path).catch(() => null); // finished meanwhile: not stale
      if (!stats || stats.mtime >= startedBefore) continue;
      await rm(path, { force: true, recursive: true });
      removed++;
    }
    return removed;
  }

  async function probe(): Promise<void> {
    try {
      await checkWritableDirectory(rootDir);
    } catch (error) {
      throw new StorageError(`objects cannot be written: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  return { bucket, put, get, read, head, delete: remove, list, removeIncompletePuts, probe };
}

/** Writes a new file and flushes it to disk, so a rename never publishes a hollow file. */
async function writeDurably(path: string, body: Readable | Buffer): Promise<number> {
  if (Buffer.isBuffer(body)) {
    await writeFile(path, body, { flag: 'wx', flush: true });
  } else {
    const file = createWriteStream(path, { flags: 'wx', flush: true });
    try {
      await pipeline(body, file);
    } catch (error) {
      // An input that fails at once may beat the file's opening: the file then appears after
      // the caller removed it. Waiting for the close means it is there to remove.
      if (!file.closed) await once(file, 'close');
      throw error;
    }
  }
  return (await stat(path)).size;
}

async function moveIntoPlace(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(dirname(to), { recursive: true });
    try {
      await rename(from, to);
      return;
    } catch (error) {
      if (!isCode(error, 'ENOENT') || attempt >= RENAME_ATTEMPTS) throw error;
    }
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    // A directory at the path means there is no object there either.
    if (!isMissing(error) && !isCode(error, 'EISDIR')) throw error;
  }
}

/** Removes empty directories from `dir` upwards, stopping below `top`. */
async function pruneEmptyDirs(dir: string, top: string): Promise<void> {
  for (let current = dir; current.startsWith(top + sep); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty, or already gone: either way the walk up ends here
    }
  }
}

/** Yields the keys under `wanted` in key order: a directory sorts as its name plus `/`. */
async function* walk(dir: string, dirKey: string, wanted: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  const children = entries
    .filter((entry) => !entry.name.startsWith('.') && (entry.isFile() || entry.isDirectory()))
    .map((entry) => ({
      name: entry.name,
      isDirectory: entry.isDirectory(),
      key: dirKey + entry.name + (entry.isDirectory() ? '/' : ''),
    }))
    .filter((child) => child.key.startsWith(wanted))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const child of children) {
    if (child.isDirectory) yield* walk(join(dir, child.name), child.key, wanted);
    else yield child.key;
  }
}

function failure(operation: string, key: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  return new StorageError(`${operation} of ${key} failed: ${String(error)}`, { cause: error });
}

const isMissing = (error: unknown) => isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR');

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
