import { createFsObjectStore, originalKey, thumbnailKey, type ObjectStore } from '@gallery/storage';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { sweepOrphans } from '../src/housekeeping/orphan-sweep';
import { seedImage } from './support/seed';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('the orphan sweep', () => {
  let database: TestDatabase;
  let root: string;
  let store: ObjectStore;
  const logger = pino({ level: 'silent' });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  const cutoff = new Date(Date.now() - 60_000);

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  beforeEach(async () => {
    await database.truncate();
    root = join(await mkdtemp(join(tmpdir(), 'gallery-sweep-')), 'objects');
    store = createFsObjectStore({ root });
  });
  afterAll(async () => {
    await database.close();
  });

  /** Stores an object as if written at `when`. */
  async function putAt(key: string, when: Date): Promise<void> {
    await store.put(key, Buffer.from('bytes'), { contentType: 'image/jpeg' });
    await utimes(join(root, key), when, when);
  }
  const keys = async (prefix: string) => {
    const found: string[] = [];
    for await (const key of store.list(prefix)) found.push(key);
    return found;
  };

  it('removes the objects of images that have no row, once older than the cutoff', async () => {
    // prepare: an upload killed before its commit, a delete killed before its objects went
    const uncommitted = randomUUID();
    const deleted = randomUUID();
    await putAt(originalKey(uncommitted), anHourAgo);
    await putAt(originalKey(deleted), anHourAgo);
    await putAt(thumbnailKey(deleted, 256, 'webp'), anHourAgo);
    await putAt(thumbnailKey(deleted, 1280, 'webp'), anHourAgo);
    // act
    const result = await sweepOrphans({ db: database.db, store, logger }, cutoff);
    // assess
    expect(result).toEqual({ objects: 4, incompletePuts: 0 });
    expect(await keys('')).toEqual([]);
  });

  it('keeps every object of an image that has its row', async () => {
    const id = await seedImage(database);
    await putAt(originalKey(id), anHourAgo);
    await putAt(thumbnailKey(id, 256, 'webp'), anHourAgo);

    const result = await sweepOrphans({ db: database.db, store, logger }, cutoff);

    expect(result.objects).toBe(0);
    expect(await keys('')).toEqual([originalKey(id), thumbnailKey(id, 256, 'webp')]);
  });

  it('keeps an object without a row written after the cutoff: its upload may be about to commit', async () => {
    const uploading = randomUUID();
    await putAt(originalKey(uploading), new Date());

    const result = await sweepOrphans({ db: database.db, store, logger }, cutoff);

    expect(result.objects).toBe(0);
    expect(await keys('originals/')).toEqual([originalKey(uploading)]);
  });

  it('checks images in batches, keeping the known among many unknown', async () => {
    // prepare: more images than one database lookup takes, one of them real
    const orphans = Array.from({ length: 520 }, () => randomUUID());
    for (const id of orphans) await putAt(originalKey(id), anHourAgo);
    const kept = await seedImage(database);
    await putAt(originalKey(kept), anHourAgo);
    // act
    const result = await sweepOrphans({ db: database.db, store, logger }, cutoff);
    // assess
    expect(result.objects).toBe(520);
    expect(await keys('originals/')).toEqual([originalKey(kept)]);
  });

  it('removes the temporary files of puts a crash cut off', async () => {
    await mkdir(join(root, '.tmp'), { recursive: true });
    const partial = join(root, '.tmp', randomUUID());
    await writeFile(partial, Buffer.alloc(1000));
    await utimes(partial, anHourAgo, anHourAgo);

    const result = await sweepOrphans({ db: database.db, store, logger }, cutoff);

    expect(result.incompletePuts).toBe(1);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  afterAll(async () => {
    await rm(join(root, '..'), { recursive: true, force: true });
  });
});
