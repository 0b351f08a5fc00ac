import { randomBytes, randomUUID } from 'node:crypto';
import {
  InvalidKeyError,
  InvalidRangeError,
  ObjectNotFoundError,
  originalKey,
  thumbnailKey,
  thumbnailPrefix,
} from '../src';
import type { ObjectStore } from '../src';
import { chunked, collect, failingAfter, readAll, sha256 } from './streams';

const MB = 1024 * 1024;

/**
 * What every ObjectStore adapter promises. Each adapter's spec runs this suite, so the
 * filesystem store and the S3 store cannot drift apart.
 */
export function describeObjectStoreContract(
  name: string,
  makeStore: () => ObjectStore | Promise<ObjectStore>,
): void {
  describe(`${name} (ObjectStore contract)`, () => {
    let store: ObjectStore;

    beforeAll(async () => {
      store = await makeStore();
    });

    it('stores a Buffer and reads back the same bytes and content type', async () => {
      // prepare
      const key = originalKey(randomUUID());
      const bytes = randomBytes(3000);
      // act
      const info = await store.put(key, bytes, { contentType: 'image/png' });
      const object = await store.get(key);
      // assess
      expect(info).toEqual({ size: 3000, contentType: 'image/png' });
      expect(object.contentType).toBe('image/png');
      expect(object.size).toBe(3000);
      expect((await readAll(object.body)).equals(bytes)).toBe(true);
    });

    it('stores a stream and reads back the same bytes and content type', async () => {
      const key = originalKey(randomUUID());
      const bytes = randomBytes(200 * 1024 + 17);
      const info = await store.put(key, chunked(bytes, 10_000), { contentType: 'image/jpeg' });
      const object = await store.get(key);
      expect(info).toEqual({ size: bytes.length, contentType: 'image/jpeg' });
      expect(object).toMatchObject({ size: bytes.length, contentType: 'image/jpeg' });
      expect((await readAll(object.body)).equals(bytes)).toBe(true);
    });

    it('reads a whole object into one buffer, and an empty one as no bytes', async () => {
      const [key, emptyKey] = [originalKey(randomUUID()), originalKey(randomUUID())];
      const bytes = randomBytes(1024 * 1024 + 3);
      await store.put(key, chunked(bytes, 64 * 1024), { contentType: 'image/jpeg' });
      await store.put(emptyKey, Buffer.alloc(0), { contentType: 'image/jpeg' });
      expect((await store.read(key)).equals(bytes)).toBe(true);
      expect((await store.read(emptyKey)).length).toBe(0);
    });

    it('says ObjectNotFoundError when reading a missing object whole', async () => {
      await expect(store.read(originalKey(randomUUID()))).rejects.toBeInstanceOf(
        ObjectNotFoundError,
      );
    });

    it('stores an empty object', async () => {
      const key = originalKey(randomUUID());
      const info = await store.put(key, Buffer.alloc(0), { contentType: 'text/plain' });
      expect(info.size).toBe(0);
      expect(await store.head(key)).toMatchObject({ size: 0, contentType: 'text/plain' });
      expect((await readAll((await store.get(key)).body)).length).toBe(0);
    });

    it('reads an inclusive byte range with exactly its bytes', async () => {
      const key = originalKey(randomUUID());
      const bytes = randomBytes(1000);
      await store.put(key, bytes, { contentType: 'image/webp' });
      const object = await store.get(key, { range: { start: 100, end: 199 } });
      expect(object.size).toBe(100);
      expect(object.contentType).toBe('image/webp');
      expect((await readAll(object.body)).equals(bytes.subarray(100, 200))).toBe(true);
    });

    it('reads a one-byte range', async () => {
      const key = originalKey(randomUUID());
      const bytes = randomBytes(10);
      await store.put(key, bytes, { contentType: 'image/webp' });
      const object = await store.get(key, { range: { start: 9, end: 9 } });
      expect(object.size).toBe(1);
      expect(await readAll(object.body)).toEqual(bytes.subarray(9));
    });

    it('cuts a range that runs past the end at the last byte', async () => {
      const key = originalKey(randomUUID());
      const bytes = randomBytes(50);
      await store.put(key, bytes, { contentType: 'image/webp' });
      const object = await store.get(key, { range: { start: 40, end: 10_000 } });
      expect(object.size).toBe(10);
      expect((await readAll(object.body)).equals(bytes.subarray(40))).toBe(true);
    });

    it('refuses a range that starts past the end', async () => {
      const key = originalKey(randomUUID());
      await store.put(key, randomBytes(50), { contentType: 'image/webp' });
      await expect(store.get(key, { range: { start: 50, end: 60 } })).rejects.toThrow(
        InvalidRangeError,
      );
    });

    it.each([
      { start: -1, end: 5 },
      { start: 6, end: 5 },
      { start: 0.5, end: 5 },
    ])('refuses the malformed range %p', async (range) => {
      const key = originalKey(randomUUID());
      await store.put(key, randomBytes(50), { contentType: 'image/webp' });
      await expect(store.get(key, { range })).rejects.toThrow(InvalidRangeError);
    });

    it('describes a stored object by its size, content type and time written', async () => {
      const key = originalKey(randomUUID());
      // S3 keeps whole seconds: the window is widened to the second on each side.
      const before = Math.floor(Date.now() / 1000) * 1000;
      await store.put(key, randomBytes(1234), { contentType: 'image/avif' });
      const after = Math.ceil(Date.now() / 1000) * 1000;
      const head = await store.head(key);
      expect(head).toMatchObject({ size: 1234, contentType: 'image/avif' });
      expect(head?.lastModified.getTime()).toBeGreaterThanOrEqual(before);
      expect(head?.lastModified.getTime()).toBeLessThanOrEqual(after);
    });

    it('answers null when asked to describe a missing object', async () => {
      expect(await store.head(originalKey(randomUUID()))).toBeNull();
    });

    it('throws ObjectNotFoundError, naming the key, when reading a missing object', async () => {
      const key = originalKey(randomUUID());
      const reading = store.get(key);
      await expect(reading).rejects.toThrow(ObjectNotFoundError);
      await expect(reading).rejects.toMatchObject({ key, permanent: true });
    });

    it('replaces an object and its content type when the key is put again', async () => {
      const key = originalKey(randomUUID());
      await store.put(key, randomBytes(100), { contentType: 'image/png' });
      const replacement = randomBytes(40);
      await store.put(key, chunked(replacement, 7), { contentType: 'image/jpeg' });
      const object = await store.get(key);
      expect(object).toMatchObject({ size: 40, contentType: 'image/jpeg' });
      expect((await readAll(object.body)).equals(replacement)).toBe(true);
    });

    it('deletes an object, and deleting it again or deleting a missing key is fine', async () => {
      // prepare
      const key = originalKey(randomUUID());
      await store.put(key, randomBytes(10), { contentType: 'image/png' });
      // act
      await store.delete(key);
      await store.delete(key);
      await store.delete(originalKey(randomUUID()));
      // assess
      expect(await store.head(key)).toBeNull();
      await expect(store.get(key)).rejects.toThrow(ObjectNotFoundError);
    });

    it('lists the keys under a prefix in key order, and nothing else', async () => {
      // prepare
      const imageId = randomUUID();
      const other = randomUUID();
      const keys = [
        thumbnailKey(imageId, 1024, 'webp'),
        thumbnailKey(imageId, 256, 'webp'),
        thumbnailKey(imageId, 256, 'avif'),
        thumbnailKey(other, 256, 'webp'),
      ];
      for (const key of keys) await store.put(key, randomBytes(8), { contentType: 'image/webp' });
      // act
      const listed = await collect(store.list(thumbnailPrefix(imageId)));
      // assess
      expect(listed).toEqual([
        thumbnailKey(imageId, 1024, 'webp'),
        thumbnailKey(imageId, 256, 'avif'),
        thumbnailKey(imageId, 256, 'webp'),
      ]);
    });

    it('lists in byte order of the whole key, across folders', async () => {
      // `-` and `.` sort before `/`, and `0` after it: a folder's keys fall between them.
      const base = `order-${randomUUID()}/`;
      const keys = ['a0', 'a/b/c', 'a.d', 'a-c', 'a/b0', 'a/b.e', 'A'].map((k) => base + k);
      for (const key of keys) await store.put(key, randomBytes(4), { contentType: 'text/plain' });
      const listed = await collect(store.list(base));
      expect(listed).toEqual([...keys].sort());
      expect(listed).toEqual(
        ['A', 'a-c', 'a.d', 'a/b.e', 'a/b/c', 'a/b0', 'a0'].map((k) => base + k),
      );
    });

    it('lists the keys that start with a partial last segment', async () => {
      const imageId = randomUUID();
      for (const width of [128, 1280, 256]) {
        await store.put(thumbnailKey(imageId, width, 'webp'), randomBytes(4), {
          contentType: 'image/webp',
        });
      }
      const listed = await collect(store.list(`${thumbnailPrefix(imageId)}12`));
      expect(listed).toEqual([
        thumbnailKey(imageId, 128, 'webp'),
        thumbnailKey(imageId, 1280, 'webp'),
      ]);
    });

    it('lists nothing under a prefix that holds no objects', async () => {
      expect(await collect(store.list(thumbnailPrefix(randomUUID())))).toEqual([]);
    });

    it('does not list a deleted object', async () => {
      const imageId = randomUUID();
      await store.put(thumbnailKey(imageId, 256, 'webp'), randomBytes(4), {
        contentType: 'image/webp',
      });
      await store.put(thumbnailKey(imageId, 512, 'webp'), randomBytes(4), {
        contentType: 'image/webp',
      });
      await store.delete(thumbnailKey(imageId, 256, 'webp'));
      expect(await collect(store.list(thumbnailPrefix(imageId)))).toEqual([
        thumbnailKey(imageId, 512, 'webp'),
      ]);
    });

    it.each([
      ['early', 1024],
      ['after more than one upload part', 9 * MB],
    ])(
      'leaves nothing behind when the input stream fails %s, and rethrows its error',
      async (_when, bytesBefore) => {
        // prepare
        const imageId = randomUUID();
        const key = thumbnailKey(imageId, 256, 'webp');
        const clientGone = new Error('client went away');
        // act
        const putting = store.put(key, failingAfter(bytesBefore, clientGone), {
          contentType: 'image/webp',
        });
        // assess
        await expect(putting).rejects.toBe(clientGone);
        expect(await store.head(key)).toBeNull();
        expect(await collect(store.list(thumbnailPrefix(imageId)))).toEqual([]);
      },
    );

    it('keeps the previous object when a put over it fails', async () => {
      const key = originalKey(randomUUID());
      const previous = randomBytes(64);
      await store.put(key, previous, { contentType: 'image/png' });
      await expect(
        store.put(key, failingAfter(100, new Error('cut')), { contentType: 'image/jpeg' }),
      ).rejects.toThrow('cut');
      const object = await store.get(key);
      expect(object.contentType).toBe('image/png');
      expect((await readAll(object.body)).equals(previous)).toBe(true);
    });

    it('round-trips a 20 MB streamed upload byte for byte', async () => {
      // prepare
      const key = originalKey(randomUUID());
      const bytes = randomBytes(20 * MB);
      // act
      const info = await store.put(key, chunked(bytes), { contentType: 'image/tiff' });
      const object = await store.get(key);
      const read = await readAll(object.body);
      // assess
      expect(info.size).toBe(20 * MB);
      expect(object.size).toBe(20 * MB);
      expect(sha256(read)).toBe(sha256(bytes));
    });

    it.each([
      '../escape',
      'originals/../../escape',
      '/etc/passwd',
      'a//b',
      'a/',
      '.tmp/x',
      'a\\b',
      'a\0b',
      'holiday photo.jpg',
      '',
    ])('refuses the key %p for every operation', async (key) => {
      await expect(store.put(key, Buffer.from('x'), { contentType: 'text/plain' })).rejects.toThrow(
        InvalidKeyError,
      );
      await expect(store.get(key)).rejects.toThrow(InvalidKeyError);
      await expect(store.head(key)).rejects.toThrow(InvalidKeyError);
      await expect(store.delete(key)).rejects.toThrow(InvalidKeyError);
    });

    it.each(['../', '/', 'a/../', '.meta/'])('refuses to list the prefix %p', async (prefix) => {
      await expect(collect(store.list(prefix))).rejects.toThrow(InvalidKeyError);
    });

    it('passes its probe when it can be written to, and the probe stores nothing', async () => {
      const before = await collect(store.list(''));
      await expect(store.probe()).resolves.toBeUndefined();
      expect(await collect(store.list(''))).toEqual(before);
    });
  });
}
