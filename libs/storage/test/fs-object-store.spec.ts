import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createFsObjectStore, InvalidKeyError, originalKey, thumbnailKey } from '../src';
import { describeObjectStoreContract } from './object-store.contract';
import { collect, failingAfter } from './streams';

const tempDirs: string[] = [];
async function freshRoot(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'gallery-fs-store-'));
  tempDirs.push(parent);
  return join(parent, 'objects');
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeObjectStoreContract('filesystem store', async () =>
  createFsObjectStore({ root: await freshRoot() }),
);

/**
 * Waits until the temp directory holds a file of at least `size` bytes. Bounded in turns of
 * the event loop, so a store that writes elsewhere fails the test rather than hanging it.
 */
async function untilTempFileHolds(root: string, size: number): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    const names = await readdir(join(root, '.tmp')).catch(() => [] as string[]);
    for (const name of names) {
      if ((await stat(join(root, '.tmp', name))).size >= size) return;
    }
    await nextTurn();
  }
  throw new Error(`no temporary file of ${size} bytes appeared in ${root}/.tmp`);
}

describe('filesystem store', () => {
  it('names its bucket "local" unless told otherwise', async () => {
    const root = await freshRoot();
    expect(createFsObjectStore({ root }).bucket).toBe('local');
    expect(createFsObjectStore({ root, bucket: 'photos' }).bucket).toBe('photos');
  });

  it('keeps each object as a plain file at its key below the root', async () => {
    // prepare
    const root = await freshRoot();
    const store = createFsObjectStore({ root });
    const key = originalKey(randomUUID());
    const bytes = randomBytes(500);
    // act
    await store.put(key, bytes, { contentType: 'image/png' });
    // assess
    expect((await readFile(join(root, key))).equals(bytes)).toBe(true);
  });

  it.each(['../escape', '../../escape', '/tmp/escape', 'originals/../../escape'])(
    'writes nothing outside its root for the key %p',
    async (key) => {
      const root = await freshRoot();
      const store = createFsObjectStore({ root });
      await expect(store.put(key, Buffer.from('x'), { contentType: 'text/plain' })).rejects.toThrow(
        InvalidKeyError,
      );
      expect(existsSync(join(root, '..', 'escape'))).toBe(false);
      expect(existsSync(join(root, '..', '..', 'escape'))).toBe(false);
      expect(existsSync('/tmp/escape')).toBe(false);
    },
  );

  it('shows no part of an object while its stream is still arriving', async () => {
    // prepare
    const root = await freshRoot();
    const store = createFsObjectStore({ root });
    const key = originalKey(randomUUID());
    const body = new PassThrough();
    const first = randomBytes(256 * 1024);
    const rest = randomBytes(1024);
    // act
    const putting = store.put(key, body, { contentType: 'image/jpeg' });
    body.write(first);
    await untilTempFileHolds(root, first.length);
    // assess
    expect(existsSync(join(root, key))).toBe(false);
    expect(await store.head(key)).toBeNull();
    expect(await collect(store.list(''))).toEqual([]);
    // act
    body.end(rest);
    await putting;
    // assess
    expect(await readFile(join(root, key))).toEqual(Buffer.concat([first, rest]));
    expect(await collect(store.list(''))).toEqual([key]);
  });

  it('removes its temporary file when the input stream fails', async () => {
    const root = await freshRoot();
    const store = createFsObjectStore({ root });
    const key = originalKey(randomUUID());
    await expect(
      store.put(key, failingAfter(100_000, new Error('cut')), { contentType: 'image/png' }),
    ).rejects.toThrow('cut');
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
    expect(existsSync(join(root, key))).toBe(false);
  });

  it('removes the temporary files of puts a crash cut off, and only those started before the time given', async () => {
    // prepare: a put left behind by a crash (its files aged), and one still arriving
    const root = await freshRoot();
    const store = createFsObjectStore({ root });
    await store.put(originalKey(randomUUID()), randomBytes(10), { contentType: 'image/png' });
    await mkdir(join(root, '.tmp'), { recursive: true });
    const abandoned = join(root, '.tmp', randomUUID());
    await writeFile(abandoned, randomBytes(100));
    await writeFile(`${abandoned}.json`, '{}');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(abandoned, anHourAgo, anHourAgo);
    await utimes(`${abandoned}.json`, anHourAgo, anHourAgo);
    const body = new PassThrough();
    const putting = store.put(originalKey(randomUUID()), body, { contentType: 'image/jpeg' });
    body.write(randomBytes(1000));
    await untilTempFileHolds(root, 1000);
    while ((await readdir(join(root, '.tmp'))).length < 4) await nextTurn(); // its record too
    // act
    const removed = await store.removeIncompletePuts(new Date(Date.now() - 60_000));
    // assess
    expect(removed).toBe(2);
    expect(existsSync(abandoned)).toBe(false);
    // the put still arriving keeps its object and its content-type record
    expect(await readdir(join(root, '.tmp'))).toHaveLength(2);
    body.end();
    await putting;
    expect(await collect(store.list('originals/'))).toHaveLength(2);
  });

  it('finds nothing to remove before its first put', async () => {
    const store = createFsObjectStore({ root: await freshRoot() });
    expect(await store.removeIncompletePuts(new Date())).toBe(0);
  });

  it('lists only objects, never its content-type records or puts in flight', async () => {
    // prepare
    const root = await freshRoot();
    const store = createFsObjectStore({ root });
    const key = originalKey(randomUUID());
    await store.put(key, randomBytes(10), { contentType: 'image/png' });
    const inFlight = new PassThrough();
    const putting = store.put(originalKey(randomUUID()), inFlight, { contentType: 'image/png' });
    inFlight.write(randomBytes(10));
    await untilTempFileHolds(root, 10);
    // act
    const listed = await collect(store.list(''));
    // assess
    expect(listed).toEqual([key]);
    inFlight.end();
    await putting;
  });

  it('prunes the folders a delete leaves empty', async () => {
    // prepare
    const root = await freshRoot();
    const store = createFsObjectStore({ root });
    const imageId = randomUUID();
    const kept = originalKey(randomUUID());
    await store.put(kept, randomBytes(4), { contentType: 'image/png' });
    await store.put(thumbnailKey(imageId, 256, 'webp'), randomBytes(4), {
      contentType: 'image/webp',
    });
    // act
    await store.delete(thumbnailKey(imageId, 256, 'webp'));
    // assess
    expect(existsSync(join(root, 'thumbnails'))).toBe(false);
    expect(existsSync(join(root, '.meta', 'thumbnails'))).toBe(false);
    expect(existsSync(join(root, kept))).toBe(true);
  });

  it('treats a folder of objects as no object of its own', async () => {
    const root = await freshRoot();
    const store = createFsObjectStore({ root });
    await store.put(originalKey(randomUUID()), randomBytes(4), { contentType: 'image/png' });
    expect(await store.head('originals')).toBeNull();
    await expect(store.get('originals')).rejects.toMatchObject({ name: 'ObjectNotFoundError' });
    await expect(store.read('originals')).rejects.toMatchObject({ name: 'ObjectNotFoundError' });
    await expect(store.delete('originals')).resolves.toBeUndefined();
  });

  it('passes its probe before its first put, without creating its root', async () => {
    const root = await freshRoot();
    await expect(createFsObjectStore({ root }).probe()).resolves.toBeUndefined();
    expect(existsSync(root)).toBe(false);
  });

  it('fails its probe, naming the path, when a file stands where its root should be', async () => {
    // prepare
    const root = await freshRoot();
    await writeFile(root, 'not a directory');
    // act
    const probing = createFsObjectStore({ root }).probe();
    // assess
    await expect(probing).rejects.toMatchObject({
      name: 'StorageError',
      message: `objects cannot be written: ${root} is not a directory`,
    });
  });

  it('fails its probe when a file stands in the way of the root it would create', async () => {
    const parent = await freshRoot();
    await writeFile(parent, 'not a directory');
    const probing = createFsObjectStore({ root: join(parent, 'objects') }).probe();
    await expect(probing).rejects.toThrow(
      `objects cannot be written: ${parent} is not a directory`,
    );
  });

  it('reads nothing from a root that does not exist yet', async () => {
    const store = createFsObjectStore({ root: await freshRoot() });
    expect(await collect(store.list(''))).toEqual([]);
    expect(await store.head(originalKey(randomUUID()))).toBeNull();
  });
});
